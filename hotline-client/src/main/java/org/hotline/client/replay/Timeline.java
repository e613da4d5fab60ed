package org.hotline.client.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hotline.protocol.audit.AuditCrossCheck;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.Party;
import org.hotline.protocol.exercise.Role;

/** The merged story of an exercise: every message with its life cycle, and what went wrong. */
public record Timeline(Instant start, Instant end, List<MessageRecord> messages, List<Gap> gaps, List<Outage> outages,
                       List<String> disagreements, List<LogSource> logs, Optional<Exercise> exercise,
                       List<WordingWarning> wordingWarnings) {

    public Timeline {
        messages = List.copyOf(messages);
        gaps = List.copyOf(gaps);
        outages = List.copyOf(outages);
        disagreements = List.copyOf(disagreements);
        logs = List.copyOf(logs);
        wordingWarnings = List.copyOf(wordingWarnings);
    }

    /** A timeline without an exercise (roles by id, times in UTC) and without wording warnings. */
    public Timeline(Instant start, Instant end, List<MessageRecord> messages, List<Gap> gaps, List<Outage> outages,
                    List<String> disagreements, List<LogSource> logs) {
        this(start, end, messages, gaps, outages, disagreements, logs, Optional.empty(), List.of());
    }

    /**
     * The cross-check of the logs against each other (PROTOCOL.md §11.4): one line per peer
     * checkpoint a log holds about another given log's owner, "OK" or "FAILED" with what is
     * missing or rewritten; with nothing to compare, how far each log alone can be vouched for.
     */
    public List<String> crossCheck() {
        List<AuditCrossCheck.Finding> findings = AuditCrossCheck.check(logs.stream().map(LogSource::report).toList());
        if (findings.isEmpty()) {
            List<String> out = new java.util.ArrayList<>();
            out.add("cross-check: none possible (no log given holds a checkpoint of another given log's owner)");
            for (LogSource l : logs) {
                l.report().vouching().forEach(v -> out.add(l.owner() + ": " + v));
            }
            return out;
        }
        return findings.stream().map(f -> (f.agrees() ? "cross-check OK: " : "cross-check FAILED: ") + f.message())
                .toList();
    }

    /** True unless a peer checkpoint held in one log contradicts another given log. */
    public boolean crossCheckAgrees() {
        return AuditCrossCheck.agree(AuditCrossCheck.check(logs.stream().map(LogSource::report).toList()));
    }

    /**
     * One message as reconstructed from every log that mentions it. {@code trusted}: some log holds
     * it in an entry covered by a valid signed checkpoint; {@code unsignedTail}: otherwise, it is
     * known only from entries after the last checkpoint of logs that had no other problem (PROTOCOL.md
     * §11.4), which is not evidence of tampering; neither: only from a log that failed verification.
     */
    public record MessageRecord(String id, String from, List<String> to, String channel, long counter, String category,
                                String text, Instant sentAt, Optional<Instant> acceptedAt, Optional<Instant> deliveredAt,
                                Optional<Instant> acknowledgedAt, List<String> seenBy, boolean trusted,
                                Optional<String> disagreement, Optional<String> inReplyTo, boolean unsignedTail) {
        public MessageRecord {
            to = List.copyOf(to);
            seenBy = List.copyOf(seenBy);
            unsignedTail = unsignedTail && !trusted;
        }

        /** A message that answers no other and is known from signed entries. */
        public MessageRecord(String id, String from, List<String> to, String channel, long counter, String category,
                             String text, Instant sentAt, Optional<Instant> acceptedAt, Optional<Instant> deliveredAt,
                             Optional<Instant> acknowledgedAt, List<String> seenBy, boolean trusted,
                             Optional<String> disagreement) {
            this(id, from, to, channel, counter, category, text, sentAt, acceptedAt, deliveredAt, acknowledgedAt, seenBy,
                    trusted, disagreement, Optional.empty(), false);
        }

        public Optional<Duration> toAccepted() {
            return acceptedAt.map(t -> Duration.between(sentAt, t));
        }

        public Optional<Duration> toDelivered() {
            return deliveredAt.map(t -> Duration.between(sentAt, t));
        }

        public Optional<Duration> toAcknowledged() {
            return acknowledgedAt.map(t -> Duration.between(sentAt, t));
        }

        public String shortId() {
            return id.length() > 8 ? id.substring(0, 8) : id;
        }
    }

    /** Counters a receiver reported missing, or a message sent and never delivered. */
    public record Gap(Instant at, String reportedBy, String from, String channel, String what) {
    }

    /** A period during which a participant's link to the relay was down; {@code reason} as its client logged it. */
    public record Outage(String who, Instant from, Optional<Instant> to, String reason) {
        public Duration length(Instant end) {
            return Duration.between(from, to.orElse(end));
        }

        /** The cause a facilitator names it by, read from the logged reason. */
        public OutageCause cause() {
            return OutageCause.of(reason);
        }
    }

    /**
     * A calm-wording warning the sender was shown ({@code warning-shown} entry), and the free text
     * sent right after it in the same log, if any: that text went out as written, overriding it.
     */
    public record WordingWarning(String who, Instant at, String warning, Optional<MessageRecord> sentAnyway) {
        public boolean overridden() {
            return sentAnyway.isPresent();
        }
    }

    /** Every role that sent or was sent a message, sorted: the lanes of the chart and the replay window. */
    public List<String> roles() {
        java.util.SortedSet<String> roles = new java.util.TreeSet<>();
        for (MessageRecord m : messages) {
            roles.add(m.from());
            roles.addAll(m.to());
        }
        return List.copyOf(roles);
    }

    /** Exercise time to the tenth of a second: "T+00:03:07.4". */
    public String relative(Instant t) {
        Duration d = Duration.between(start, t);
        if (d.isNegative()) {
            d = Duration.ZERO;
        }
        return String.format("T+%02d:%02d:%02d.%d", d.toHours(), d.toMinutesPart(), d.toSecondsPart(),
                d.toMillisPart() / 100);
    }

    /** "India Prime Minister" for {@code in.pm} when the exercise is known, else the role id. */
    public String title(String role) {
        return exercise.flatMap(e -> e.role(role)).map(Role::displayName).orElse(role);
    }

    /**
     * Wall-clock time in every party's zone ("16:58:03 IST / 16:28:03 PKT"), or in UTC when the
     * exercise is not known.
     */
    public String wallClock(Instant t) {
        List<Party> parties = exercise.map(Exercise::parties).orElse(List.of());
        if (parties.isEmpty()) {
            return WALL.format(t.atZone(java.time.ZoneOffset.UTC)) + " UTC";
        }
        return String.join(" / ", parties.stream().map(p -> WALL.format(t.atZone(p.timeZone())) + " " + p.zoneLabel())
                .toList());
    }

    /** The exercise's name, or {@code fallback} when it is not known. */
    public String exerciseName(String fallback) {
        return exercise.map(Exercise::name).filter(n -> !n.isBlank()).orElse(fallback);
    }

    /** The message with that full id, if the timeline has it. */
    public Optional<MessageRecord> message(String id) {
        return messages.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    private static final java.time.format.DateTimeFormatter WALL = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss");
}
