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

    /** Renders signal wordings in UTC only (no exercise known). */
    public TimelineMerger() {
        this(List.of());
    }

    /** @param parties the exercise's parties, for the time zones shown beside UTC in signal wordings */
    public TimelineMerger(List<Party> parties) {
        this.parties = List.copyOf(parties);
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
        boolean untrustedSource;
        String disagreement;
        boolean sentLogged;
        boolean receivedLogged;
    }

    public Timeline merge(List<LogSource> logs) {
        Map<String, Builder> byId = new LinkedHashMap<>();
        List<Timeline.Gap> gaps = new ArrayList<>();
        List<Timeline.Outage> outages = new ArrayList<>();
        List<String> disagreements = new ArrayList<>();
        Instant first = null;
        Instant last = null;
        for (LogSource log : logs) {
            Map<String, Instant> downSince = new HashMap<>();
            for (AuditEntry entry : log.entries()) {
                Instant t = entry.time();
                first = first == null || t.isBefore(first) ? t : first;
                last = last == null || t.isAfter(last) ? t : last;
                AuditEvent e = entry.event();
                if (e instanceof AuditEvent.MessageEntry m) {
                    message(byId, log, m, disagreements);
                } else if (e instanceof AuditEvent.RelayAccepted a) {
                    Builder b = builder(byId, a.receipt().messageId().hex());
                    b.from = b.from.equals("?") ? a.receipt().sender() : b.from;
                    b.acceptedAt = earliest(b.acceptedAt, t);
                    if (b.to.isEmpty()) {
                        b.to = a.boxes().stream().map(BoxMetadata::recipient).toList();
                        b.channel = a.channel();
                    }
                    note(b, log);
                } else if (e instanceof AuditEvent.RelayDelivered d) {
                    Builder b = builder(byId, d.receipt().messageId().hex());
                    b.deliveredAt = earliest(b.deliveredAt, t);
                    note(b, log);
                } else if (e instanceof AuditEvent.ReceiptEntry r) {
                    receipt(byId, log, r.receipt(), t);
                } else if (e instanceof AuditEvent.GapDetected g) {
                    gaps.add(new Timeline.Gap(t, log.owner(), g.from(), g.channel(), "messages " + g.missingCounters()
                            + " from " + g.from() + " never reached " + log.owner()
                            + (log.trusted() ? "" : " (untrusted log)")));
                } else if (e instanceof AuditEvent.LinkDown) {
                    downSince.putIfAbsent(log.owner(), t);
                } else if (e instanceof AuditEvent.LinkUp up) {
                    Instant since = downSince.remove(log.owner());
                    if (since != null) {
                        outages.add(new Timeline.Outage(log.owner(), since, Optional.of(t), up.text()));
                    }
                }
                // other entries carry no timeline information
            }
            // A link-down at the very end of a log is its client closing, not an outage.
            Instant logEnd = log.entries().isEmpty() ? null : log.entries().get(log.entries().size() - 1).time();
            downSince.forEach((who, since) -> {
                if (logEnd == null || java.time.Duration.between(since, logEnd).toSeconds() > 5) {
                    outages.add(new Timeline.Outage(who, since, Optional.empty(), "until the end of the log"));
                }
            });
        }
        List<Timeline.MessageRecord> messages = new ArrayList<>();
        for (Builder b : byId.values()) {
            if (b.sentAt == null || b.kind.startsWith("link-test") || b.kind.equals("log-checkpoint")) {
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
                    Optional.ofNullable(b.disagreement)));
        }
        messages.sort(Comparator.comparing(Timeline.MessageRecord::sentAt).thenComparing(Timeline.MessageRecord::id));
        gaps.sort(Comparator.comparing(Timeline.Gap::at));
        outages.sort(Comparator.comparing(Timeline.Outage::from));
        Instant start = messages.isEmpty() ? (first == null ? Instant.EPOCH : first) : messages.get(0).sentAt();
        return new Timeline(start, last == null ? start : last, messages, gaps, outages, disagreements, logs);
    }

    private static Builder builder(Map<String, Builder> byId, String id) {
        Builder b = byId.computeIfAbsent(id, k -> new Builder());
        b.id = id;
        return b;
    }

    /** Every shown field comes from the signed message; the wording is rendered from its content. */
    private void message(Map<String, Builder> byId, LogSource log, AuditEvent.MessageEntry e,
                         List<String> disagreements) {
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
        if (e instanceof AuditEvent.MessageSent) {
            b.sentLogged = true;
        } else {
            b.receivedLogged = true;
            if (e instanceof AuditEvent.MessageReceived r) {
                b.deliveredAt = earliest(b.deliveredAt, r.receivedAt());
            }
        }
        note(b, log);
    }

    private static void receipt(Map<String, Builder> byId, LogSource log, Receipt r, Instant t) {
        Builder b = builder(byId, r.messageId().hex());
        switch (r.type()) {
            case ACCEPTED -> b.acceptedAt = earliest(b.acceptedAt, t);
            case DELIVERED -> b.deliveredAt = earliest(b.deliveredAt, t);
            case ACKNOWLEDGED -> b.acknowledgedAt = earliest(b.acknowledgedAt, t);
            default -> {
                // other receipt kinds carry no timeline information
            }
        }
        note(b, log);
    }

    private static void note(Builder b, LogSource log) {
        b.seenBy.add(log.owner());
        if (log.trusted()) {
            b.trustedSource = true;
        } else {
            b.untrustedSource = true;
        }
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }
}
