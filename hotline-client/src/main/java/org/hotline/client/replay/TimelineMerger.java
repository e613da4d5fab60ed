package org.hotline.client.replay;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hotline.protocol.signals.SignalCatalog;

/**
 * Merges participants' logs and the relay's metadata log into one timeline, by message id: who
 * sent what, when the relay accepted it, when it was delivered and acknowledged; gaps, messages
 * never delivered, outages, and disagreements (the same id with different content, flagged).
 */
public final class TimelineMerger {

    private final SignalCatalog catalog = SignalCatalog.builtIn();

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
        String content;
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
            for (JsonNode e : log.entries()) {
                Optional<Instant> parsed = instant(e.path("time").asText());
                if (parsed.isEmpty()) {
                    continue; // an unreadable time (a tampered or torn entry) cannot be placed on the timeline
                }
                Instant t = parsed.get();
                first = first == null || t.isBefore(first) ? t : first;
                last = last == null || t.isAfter(last) ? t : last;
                String type = e.path("type").asText();
                switch (type) {
                    case "message-sent", "message-received", "equivocation" -> message(byId, log, e, type, disagreements);
                    case "receipt", "acknowledged" -> receipt(byId, log, e, t, type);
                    case "relay-accepted" -> {
                        Builder b = byId.computeIfAbsent(e.path("id").asText(), k -> new Builder());
                        b.id = e.path("id").asText();
                        b.from = b.from.equals("?") ? e.path("from").asText("?") : b.from;
                        b.acceptedAt = earliest(b.acceptedAt, t);
                        if (b.to.isEmpty()) {
                            List<String> to = new ArrayList<>();
                            e.path("to").forEach(x -> to.add(x.asText()));
                            b.to = to;
                            b.channel = e.path("channel").asText();
                        }
                        note(b, log);
                    }
                    case "relay-delivered" -> {
                        Builder b = byId.computeIfAbsent(e.path("id").asText(), k -> new Builder());
                        b.id = e.path("id").asText();
                        b.deliveredAt = earliest(b.deliveredAt, t);
                        note(b, log);
                    }
                    case "gap-detected" -> gaps.add(new Timeline.Gap(t, log.owner(), e.path("from").asText(),
                            e.path("channel").asText(), "messages " + e.path("missingCounters").asText()
                            + " from " + e.path("from").asText() + " never reached " + log.owner()
                            + (log.trusted() ? "" : " (untrusted log)")));
                    case "link-down" -> downSince.putIfAbsent(log.owner(), t);
                    case "link-up" -> {
                        Instant since = downSince.remove(log.owner());
                        if (since != null) {
                            outages.add(new Timeline.Outage(log.owner(), since, Optional.of(t), e.path("text").asText()));
                        }
                    }
                    default -> {
                        // other entries carry no timeline information
                    }
                }
            }
            // A link-down at the very end of a log is its client closing, not an outage.
            Instant logEnd = log.entries().isEmpty() ? null
                    : instant(log.entries().get(log.entries().size() - 1).path("time").asText()).orElse(null);
            downSince.forEach((who, since) -> {
                if (logEnd == null || java.time.Duration.between(since, logEnd).toSeconds() > 5) {
                    outages.add(new Timeline.Outage(who, since, Optional.empty(), "until the end of the log"));
                }
            });
        }
        List<Timeline.MessageRecord> messages = new ArrayList<>();
        for (Builder b : byId.values()) {
            if (b.sentAt == null || b.kind.startsWith("link-test")) {
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

    private void message(Map<String, Builder> byId, LogSource log, JsonNode e, String type, List<String> disagreements) {
        String id = e.path("id").asText();
        Builder b = byId.computeIfAbsent(id, k -> new Builder());
        String content = e.path("message").asText();
        if (b.content != null && !b.content.equals(content)) {
            String d = "message " + id.substring(0, Math.min(8, id.length())) + ": " + log.owner()
                    + "'s log holds different content than " + String.join(", ", b.seenBy) + "'s";
            if (b.disagreement == null) {
                disagreements.add(d);
            }
            b.disagreement = d;
        }
        if (type.equals("equivocation")) {
            String d = "equivocation reported by " + log.owner() + ": " + e.path("explanation").asText();
            disagreements.add(d);
            b.disagreement = d;
        }
        b.content = b.content == null ? content : b.content;
        b.id = id;
        b.from = e.path("from").asText();
        List<String> to = new ArrayList<>();
        e.path("to").forEach(x -> to.add(x.asText()));
        if (!to.isEmpty()) {
            b.to = to;
        }
        b.channel = e.path("channel").asText(b.channel);
        b.counter = e.path("counter").asLong();
        b.kind = e.path("kind").asText("text");
        b.text = e.path("text").asText();
        b.category = e.hasNonNull("signal") ? catalog.find(e.path("signal").asText()).map(s -> s.category())
                .orElse("unknown signal") : "free text";
        b.sentAt = instant(e.path("sentAt").asText()).or(() -> instant(e.path("time").asText())).orElse(b.sentAt);
        if (type.equals("message-sent")) {
            b.sentLogged = true;
        } else {
            b.receivedLogged = true;
            Optional<Instant> got = instant(e.path("receivedAt").asText()).or(() -> instant(e.path("time").asText()));
            if (got.isPresent()) {
                b.deliveredAt = earliest(b.deliveredAt, got.get());
            }
        }
        note(b, log);
    }

    private static void receipt(Map<String, Builder> byId, LogSource log, JsonNode e, Instant t, String type) {
        String id = e.path("id").asText();
        Builder b = byId.computeIfAbsent(id, k -> new Builder());
        b.id = id;
        String state = type.equals("acknowledged") ? "acknowledged" : e.path("state").asText();
        switch (state) {
            case "accepted" -> b.acceptedAt = earliest(b.acceptedAt, t);
            case "delivered" -> b.deliveredAt = earliest(b.deliveredAt, t);
            case "acknowledged" -> b.acknowledgedAt = earliest(b.acknowledgedAt, t);
            default -> {
                // unknown receipt states are ignored
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

    /** A time from a log field, or empty if the field is missing or unreadable (never an exception). */
    static Optional<Instant> instant(String text) {
        try {
            return text == null || text.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(text));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }
}
