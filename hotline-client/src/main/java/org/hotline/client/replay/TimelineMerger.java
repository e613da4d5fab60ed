package org.hotline.client.replay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hotline.protocol.audit.AuditEntry;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.audit.BoxMetadata;
import org.hotline.protocol.audit.DisplayText;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.Party;
import org.hotline.protocol.signals.SignalCatalog;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.Receipt;

/**
 * Merges participants' logs and the relay's metadata log into one timeline, by message id: who
 * sent what, when the relay accepted it, when it was delivered and acknowledged; gaps, messages
 * never delivered, outages, and disagreements (the same id with different content, flagged).
 * It reads only the entries the verifier accepted ({@link LogSource}); every field it shows comes
 * from the signed message or receipt in them, and a message's words are rendered from its signed
 * content, never copied from the line.
 */
public final class TimelineMerger {

    private final SignalCatalog catalog = SignalCatalog.builtIn();
    private final List<Party> parties;
    private final Optional<Exercise> exercise;

    /** Renders signal wordings in UTC only (no exercise known). */
    public TimelineMerger() {
        this(List.of());
    }

    /** @param parties the exercise's parties, for the time zones shown beside UTC in signal wordings */
    public TimelineMerger(List<Party> parties) {
        this.parties = List.copyOf(parties);
        this.exercise = Optional.empty();
    }

    /**
     * @param exercise the exercise the logs belong to: its parties' zones in wordings and times, its
     *                 roles' titles and its name in the timeline
     */
    public TimelineMerger(Exercise exercise) {
        this.parties = List.copyOf(exercise.parties());
        this.exercise = Optional.of(exercise);
    }

    private static final class Builder {
        String id = "?";
        String from = "?";
        List<String> to = List.of();
        String channel = "?";
        long counter;
        String kind = "text";
        String category = "free text";
        String text = "";
        Instant sentAt;
        Instant acceptedAt;
        Instant deliveredAt;
        Instant acknowledgedAt;
        byte[] content;
        Set<String> seenBy = new LinkedHashSet<>();
        boolean trustedSource;
        boolean unsignedSource;
        boolean untrustedSource;
        String inReplyTo;
        String disagreement;
        boolean sentLogged;
        boolean receivedLogged;
    }

    public Timeline merge(List<LogSource> logs) {
        Map<String, Builder> byId = new LinkedHashMap<>();
        List<Timeline.Gap> gaps = new ArrayList<>();
        List<Timeline.Outage> outages = new ArrayList<>();
        List<String> disagreements = new ArrayList<>();
        List<PendingWarning> warnings = new ArrayList<>();
        Instant first = null;
        Instant last = null;
        for (LogSource log : logs) {
            Instant downSince = null;
            String downReason = "";
            Instant silentSince = null;
            String silentReason = "";
            PendingWarning awaitingSend = null;
            List<AuditEntry> entries = log.entries();
            for (int i = 0; i < entries.size(); i++) {
                AuditEntry entry = entries.get(i);
                Source src = new Source(log, log.trusted(i));
                Instant t = entry.time();
                first = first == null || t.isBefore(first) ? t : first;
                last = last == null || t.isAfter(last) ? t : last;
                AuditEvent e = entry.event();
                if (e instanceof AuditEvent.MessageEntry m) {
                    message(byId, src, m, disagreements);
                    if (awaitingSend != null && e instanceof AuditEvent.MessageSent
                            && !m.kind().startsWith("link-test") && !m.kind().equals("log-checkpoint")
                            && !m.kind().equals("relay-checkpoints")
                            && !m.kind().equals("reading")) {
                        // The next message the person sent answers the warning: free text went out as
                        // written (overridden); a signal instead means the warning was heeded.
                        if (m.signalId().isEmpty()) {
                            awaitingSend.sentAnyway = m.header().messageId().hex();
                        }
                        awaitingSend = null;
                    }
                } else if (e instanceof AuditEvent.RelayAccepted a) {
                    Builder b = builder(byId, a.receipt().messageId().hex());
                    b.from = b.from.equals("?") ? a.receipt().sender() : b.from;
                    b.acceptedAt = earliest(b.acceptedAt, t);
                    if (b.to.isEmpty()) {
                        b.to = a.boxes().stream().map(BoxMetadata::recipient).toList();
                        b.channel = a.channel();
                    }
                    note(b, src);
                } else if (e instanceof AuditEvent.RelayDelivered d) {
                    Builder b = builder(byId, d.receipt().messageId().hex());
                    b.deliveredAt = earliest(b.deliveredAt, t);
                    note(b, src);
                } else if (e instanceof AuditEvent.ReceiptEntry r) {
                    receipt(byId, src, r.receipt(), t);
                } else if (e instanceof AuditEvent.DeliveredThrough d) {
                    // One cumulative receipt delivers every message it lists (PROTOCOL.md §6.1).
                    for (var id : d.receipt().coveredIds()) {
                        Builder b = builder(byId, id.hex());
                        b.deliveredAt = earliest(b.deliveredAt, t);
                        note(b, src);
                    }
                } else if (e instanceof AuditEvent.RelayInclusion in) {
                    // The sender's record of an acceptance proven by the relay's log (PROTOCOL.md §12.5):
                    // since acceptances carry no signature of their own, the only one it writes.
                    receipt(byId, src, in.receipt(), t);
                } else if (e instanceof AuditEvent.GapDetected g) {
                    gaps.add(new Timeline.Gap(t, log.owner(), g.from(), g.channel(), "messages " + g.missingCounters()
                            + " from " + g.from() + " never reached " + log.owner() + src.caveat()));
                } else if (e instanceof AuditEvent.LinkDown down) {
                    if (downSince == null) {
                        downSince = t;
                        downReason = down.text();
                    }
                } else if (e instanceof AuditEvent.LinkUp) {
                    if (downSince != null) {
                        outages.add(new Timeline.Outage(log.owner(), downSince, Optional.of(t), downReason));
                        downSince = null;
                    }
                } else if (e instanceof AuditEvent.LinkAlarm alarm) {
                    if (silentSince == null) {
                        silentSince = t;
                        silentReason = alarm.text();
                    }
                } else if (e instanceof AuditEvent.LinkVerified) {
                    if (silentSince != null) {
                        outages.add(new Timeline.Outage(log.owner(), silentSince, Optional.of(t), silentReason));
                        silentSince = null;
                    }
                } else if (e instanceof AuditEvent.WarningShown w && w.text().toLowerCase(java.util.Locale.ROOT)
                        .contains("calm-wording")) {
                    awaitingSend = new PendingWarning(log.owner(), t, w.text());
                    warnings.add(awaitingSend);
                }
                // other entries carry no timeline information
            }
            // A link-down at the very end of a log is its client closing, not an outage.
            Instant logEnd = entries.isEmpty() ? null : entries.get(entries.size() - 1).time();
            if (downSince != null && (logEnd == null || java.time.Duration.between(downSince, logEnd).toSeconds() > 5)) {
                outages.add(new Timeline.Outage(log.owner(), downSince, Optional.empty(), downReason));
            }
            if (silentSince != null && (logEnd == null || java.time.Duration.between(silentSince, logEnd).toSeconds() > 5)) {
                outages.add(new Timeline.Outage(log.owner(), silentSince, Optional.empty(), silentReason));
            }
        }
        List<Timeline.MessageRecord> messages = new ArrayList<>();
        Instant firstInject = null;
        for (Builder b : byId.values()) {
            if (b.sentAt != null && isExerciseControl(b.kind)) {
                // Injects are not hotline messages: they have their own lane (InjectLane), and the
                // clock messages only set scenario time; the timeline still starts with the first inject.
                firstInject = b.kind.equals("inject") ? earliest(firstInject, b.sentAt) : firstInject;
                continue;
            }
            if (b.sentAt == null || b.kind.startsWith("link-test") || b.kind.equals("log-checkpoint")
                    || b.kind.equals("relay-checkpoints")
                    // A reading travels as a message to control but is shown in the intent-and-reading table, not as one.
                    || b.kind.equals("reading")) {
                continue;
            }
            if (b.sentLogged && b.deliveredAt == null && !b.receivedLogged) {
                gaps.add(new Timeline.Gap(b.sentAt, b.from, b.from, b.channel, "message "
                        + b.id.substring(0, Math.min(8, b.id.length()))
                        + " from " + b.from + " was sent but never delivered"));
            }
            messages.add(new Timeline.MessageRecord(b.id, b.from, b.to, b.channel, b.counter, b.category, b.text,
                    b.sentAt, Optional.ofNullable(b.acceptedAt), Optional.ofNullable(b.deliveredAt),
                    Optional.ofNullable(b.acknowledgedAt), List.copyOf(b.seenBy), b.trustedSource,
                    Optional.ofNullable(b.disagreement), Optional.ofNullable(b.inReplyTo),
                    b.unsignedSource && !b.untrustedSource));
        }
        messages.sort(Comparator.comparing(Timeline.MessageRecord::sentAt).thenComparing(Timeline.MessageRecord::id));
        gaps.sort(Comparator.comparing(Timeline.Gap::at));
        outages.sort(Comparator.comparing(Timeline.Outage::from));
        Map<String, Timeline.MessageRecord> shown = new HashMap<>();
        messages.forEach(m -> shown.put(m.id(), m));
        List<Timeline.WordingWarning> wording = warnings.stream().map(w -> new Timeline.WordingWarning(w.who, w.at,
                w.text, Optional.ofNullable(w.sentAnyway).map(shown::get))).toList();
        Instant start = messages.isEmpty() ? (first == null ? Instant.EPOCH : first) : messages.get(0).sentAt();
        start = firstInject != null && firstInject.isBefore(start) ? firstInject : start;
        return new Timeline(start, last == null ? start : last, messages, gaps, outages, disagreements, logs, exercise,
                wording);
    }

    /** A log's entry and whether a signed checkpoint covers it. */
    private record Source(LogSource log, boolean signed) {
        String caveat() {
            return signed ? "" : log.onlyUnsignedTail() ? " (unsigned tail of the log)" : " (untrusted log)";
        }
    }

    /** A calm-wording warning, waiting for the free text sent after it. */
    private static final class PendingWarning {
        final String who;
        final Instant at;
        final String text;
        String sentAnyway;

        PendingWarning(String who, Instant at, String text) {
            this.who = who;
            this.at = at;
            this.text = text;
        }
    }

    private static Builder builder(Map<String, Builder> byId, String id) {
        Builder b = byId.computeIfAbsent(id, k -> new Builder());
        b.id = id;
        return b;
    }

    /** Every shown field comes from the signed message; the wording is rendered from its content. */
    private void message(Map<String, Builder> byId, Source src, AuditEvent.MessageEntry e,
                         List<String> disagreements) {
        LogSource log = src.log();
        MessageHeader h = e.header();
        String id = h.messageId().hex();
        Builder b = builder(byId, id);
        byte[] content = e.message().encode();
        if (b.content != null && !Arrays.equals(b.content, content)) {
            String d = "message " + id.substring(0, Math.min(8, id.length())) + ": " + log.owner()
                    + "'s log holds different content than " + String.join(", ", b.seenBy) + "'s";
            if (b.disagreement == null) {
                disagreements.add(d);
            }
            b.disagreement = d;
        }
        if (e instanceof AuditEvent.Equivocation q) {
            String d = "equivocation reported by " + log.owner() + ": " + q.explanation();
            disagreements.add(d);
            b.disagreement = d;
        }
        b.content = b.content == null ? content : b.content;
        b.from = h.sender();
        b.to = h.recipients();
        b.channel = h.channel();
        b.counter = h.counter();
        b.kind = e.kind();
        b.text = DisplayText.render(e.content(), catalog, parties);
        b.category = e.signalId().map(s -> catalog.find(s).map(x -> x.category()).orElse("unknown signal"))
                .orElse("free text");
        b.sentAt = h.sentAt();
        b.inReplyTo = h.inReplyTo().map(r -> r.hex()).orElse(null);
        if (e instanceof AuditEvent.MessageSent) {
            b.sentLogged = true;
        } else {
            b.receivedLogged = true;
            if (e instanceof AuditEvent.MessageReceived r) {
                b.deliveredAt = earliest(b.deliveredAt, r.receivedAt());
            }
        }
        note(b, src);
    }

    private static void receipt(Map<String, Builder> byId, Source src, Receipt r, Instant t) {
        Builder b = builder(byId, r.messageId().hex());
        switch (r.type()) {
            case ACCEPTED -> b.acceptedAt = earliest(b.acceptedAt, t);
            case DELIVERED -> b.deliveredAt = earliest(b.deliveredAt, t);
            case ACKNOWLEDGED -> b.acknowledgedAt = earliest(b.acknowledgedAt, t);
            default -> {
                // other receipt kinds carry no timeline information
            }
        }
        note(b, src);
    }

    private static void note(Builder b, Source src) {
        b.seenBy.add(src.log().owner());
        if (src.signed()) {
            b.trustedSource = true;
        } else if (src.log().onlyUnsignedTail()) {
            b.unsignedSource = true;
        } else {
            b.untrustedSource = true;
        }
    }

    /** Exercise control's scenario traffic: injects and clock messages (PROTOCOL.md §4.2). */
    private static boolean isExerciseControl(String kind) {
        return kind.equals("inject") || kind.equals("exercise-clock");
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }
}
