package org.hotline.client.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hotline.protocol.audit.AuditCrossCheck;

/** The merged story of an exercise: every message with its life cycle, and what went wrong. */
public record Timeline(Instant start, Instant end, List<MessageRecord> messages, List<Gap> gaps, List<Outage> outages,
                       List<String> disagreements, List<LogSource> logs) {

    public Timeline {
        messages = List.copyOf(messages);
        gaps = List.copyOf(gaps);
        outages = List.copyOf(outages);
        disagreements = List.copyOf(disagreements);
        logs = List.copyOf(logs);
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

    /** One message as reconstructed from every log that mentions it. */
    public record MessageRecord(String id, String from, List<String> to, String channel, long counter, String category,
                                String text, Instant sentAt, Optional<Instant> acceptedAt, Optional<Instant> deliveredAt,
                                Optional<Instant> acknowledgedAt, List<String> seenBy, boolean trusted,
                                Optional<String> disagreement) {
        public MessageRecord {
            to = List.copyOf(to);
            seenBy = List.copyOf(seenBy);
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

    /** A period during which a participant's link to the relay was down. */
    public record Outage(String who, Instant from, Optional<Instant> to, String reason) {
        public Duration length(Instant end) {
            return Duration.between(from, to.orElse(end));
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

    public String relative(Instant t) {
        Duration d = Duration.between(start, t);
        if (d.isNegative()) {
            d = Duration.ZERO;
        }
        return String.format("T+%02d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    }
}
