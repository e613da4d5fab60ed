package org.hotline.client.replay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The numbers an after-action review asks for, computed once from a timeline: counts, time to
 * acknowledge and to reply per side, what stayed unanswered, and what went wrong.
 *
 * @param unanswered       messages neither acknowledged nor replied to, longest waiting first
 * @param perSide          per side (the recipient's party, or role without an exercise): how fast it
 *                         acknowledged and replied to what it was sent
 * @param unsignedMessages messages known only from unsigned log tails (PROTOCOL.md §11.4)
 */
public record TimelineStats(Map<String, Integer> perRole, Map<String, Integer> perCategory, int acknowledged,
                            Optional<Duration> medianToAcknowledge, Optional<Duration> worstToAcknowledge,
                            List<Timeline.MessageRecord> unanswered, int gaps, int outages, Duration outageTotal,
                            int disagreements, List<SideStats> perSide, int unsignedMessages) {

    public TimelineStats {
        perRole = Map.copyOf(perRole);
        perCategory = Map.copyOf(perCategory);
        unanswered = List.copyOf(unanswered);
        perSide = List.copyOf(perSide);
    }

    /**
     * How one side answered what it was sent: acknowledgement times (sent to acknowledged) and
     * reply-based response times (sent to the sending of a message that names it in {@code inReplyTo}).
     */
    public record SideStats(String side, int received, Spread acknowledge, Spread reply) {
    }

    /** Median and worst of some durations; {@code count} 0 when there were none. */
    public record Spread(int count, Optional<Duration> median, Optional<Duration> worst) {
        static Spread of(List<Duration> ds) {
            List<Duration> d = new ArrayList<>(ds);
            d.sort(Duration::compareTo);
            Optional<Duration> median = d.isEmpty() ? Optional.empty() : Optional.of(d.size() % 2 == 1
                    ? d.get(d.size() / 2) : d.get(d.size() / 2 - 1).plus(d.get(d.size() / 2)).dividedBy(2));
            return new Spread(d.size(), median, d.isEmpty() ? Optional.empty() : Optional.of(d.get(d.size() - 1)));
        }

        /** "median 4.2 s, worst 1 min 03 s (5)" or "none". */
        public String describe() {
            return count == 0 ? "none" : "median " + median.map(TimelineStats::seconds).orElse("-") + ", worst "
                    + worst.map(TimelineStats::seconds).orElse("-") + " (" + count + ")";
        }
    }

    public static TimelineStats of(Timeline t) {
        Map<String, Integer> perRole = new TreeMap<>();
        Map<String, Integer> perCategory = new TreeMap<>();
        List<Duration> ack = new ArrayList<>();
        List<Timeline.MessageRecord> unanswered = new ArrayList<>();
        Map<String, List<Duration>> ackBySide = new LinkedHashMap<>();
        Map<String, List<Duration>> replyBySide = new LinkedHashMap<>();
        Map<String, Integer> receivedBySide = new TreeMap<>();
        Map<String, Duration> firstReply = new java.util.HashMap<>();
        Map<String, Timeline.MessageRecord> byId = new java.util.HashMap<>();
        t.messages().forEach(m -> byId.put(m.id(), m));
        for (Timeline.MessageRecord m : t.messages()) {
            m.inReplyTo().map(byId::get).filter(q -> !q.from().equals(m.from())).ifPresent(q -> firstReply.merge(
                    q.id(), Duration.between(q.sentAt(), m.sentAt()), (a, b) -> a.compareTo(b) <= 0 ? a : b));
        }
        int unsigned = 0;
        for (Timeline.MessageRecord m : t.messages()) {
            perRole.merge(m.from(), 1, Integer::sum);
            perCategory.merge(m.category(), 1, Integer::sum);
            unsigned += m.unsignedTail() ? 1 : 0;
            m.toAcknowledged().ifPresent(ack::add);
            if (m.toAcknowledged().isEmpty() && !firstReply.containsKey(m.id())) {
                unanswered.add(m);
            }
            for (String side : sidesOf(t, m.to())) {
                receivedBySide.merge(side, 1, Integer::sum);
                m.toAcknowledged().ifPresent(d -> ackBySide.computeIfAbsent(side, k -> new ArrayList<>()).add(d));
                Optional.ofNullable(firstReply.get(m.id()))
                        .ifPresent(d -> replyBySide.computeIfAbsent(side, k -> new ArrayList<>()).add(d));
            }
        }
        Spread all = Spread.of(ack);
        List<SideStats> sides = new ArrayList<>();
        receivedBySide.forEach((side, n) -> sides.add(new SideStats(side, n,
                Spread.of(ackBySide.getOrDefault(side, List.of())), Spread.of(replyBySide.getOrDefault(side, List.of())))));
        unanswered.sort(Comparator.comparing(Timeline.MessageRecord::sentAt));
        Duration outage = t.outages().stream().map(o -> o.length(t.end())).reduce(Duration.ZERO, Duration::plus);
        return new TimelineStats(perRole, perCategory, ack.size(), all.median(), all.worst(), unanswered,
                t.gaps().size(), t.outages().size(), outage, t.disagreements().size(), sides, unsigned);
    }

    /** The recipients' sides: their parties' names when the exercise is known, else their titles. */
    private static List<String> sidesOf(Timeline t, List<String> roles) {
        return roles.stream().map(r -> t.exercise().flatMap(e -> e.role(r)).map(x -> x.party().name())
                .orElse(t.title(r))).distinct().toList();
    }

    /** "India Prime Minister 3, Pakistan Prime Minister 2": counts by role title, not a map dump. */
    public String perRoleText(Timeline t) {
        return perRole.isEmpty() ? "none" : String.join(", ", new TreeMap<>(perRole).entrySet().stream()
                .map(e -> t.title(e.getKey()) + " " + e.getValue()).toList());
    }

    /** "incident 2, free text 1". */
    public String perCategoryText() {
        return perCategory.isEmpty() ? "none" : String.join(", ", new TreeMap<>(perCategory).entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).toList());
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms < 10_000 ? String.format("%.1f s", ms / 1000.0) : (ms < 120_000 ? (ms / 1000) + " s"
                : String.format("%d min %02d s", ms / 60_000, (ms / 1000) % 60));
    }
}
