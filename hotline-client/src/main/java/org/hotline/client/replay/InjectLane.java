package org.hotline.client.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hotline.protocol.audit.AuditEntry;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.exercise.msel.Msel;
import org.hotline.protocol.exercise.msel.MselInject;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.Receipt;

/**
 * The scenario injects of an exercise as their own lane (docs/exercise-control.md): every inject
 * exercise control sent, from the signed inject in the logs' verified entries, with when it reached
 * each recipient and each recipient's first reaction, the time from the inject being delivered to
 * that recipient to the first hotline message that recipient sent afterwards, beside the player
 * action the MSEL expected.
 *
 * <p>The expected action is not a field of the signed inject (PROTOCOL.md §4.2; it is never sent
 * to the players), so it comes from the MSEL file when the reviewer gives one ({@code --msel}), matched
 * by inject id. Delivery to a recipient is the earliest of: the recipient's own {@code
 * message-received} entry, or a {@code delivered} receipt the recipient signed (as control's or the
 * relay's log holds it). Scenario durations follow the exercise clock messages in the logs (speed
 * and pauses); without any, they are not shown.
 */
public record InjectLane(List<InjectRecord> injects, boolean mselGiven) {

    public InjectLane {
        injects = List.copyOf(injects);
    }

    /**
     * One inject as sent, with each recipient's reaction. Control seals an inject to each recipient
     * on that recipient's own channel, so one inject is one or more signed messages ({@code messageIds});
     * {@code sentAt} is the first of them.
     */
    public record InjectRecord(List<String> messageIds, String injectId, String kind, String title, String text,
                               Instant scenarioTime, String from, List<String> to, Instant sentAt,
                               Optional<String> expected, List<Reaction> reactions, boolean trusted) {
        public InjectRecord {
            messageIds = List.copyOf(messageIds);
            to = List.copyOf(to);
            reactions = List.copyOf(reactions);
        }

        /** Delivered to every recipient. */
        public boolean deliveredToAll() {
            return reactions.stream().allMatch(r -> r.deliveredAt().isPresent());
        }
    }

    /**
     * A recipient's first reaction to an inject.
     *
     * @param first         the first hotline message the recipient sent at or after delivery, if any
     * @param scenarioAfter the same span in scenario time, when the logs hold the exercise clock
     */
    public record Reaction(String recipient, Optional<Instant> deliveredAt, Optional<Timeline.MessageRecord> first,
                           Optional<Duration> scenarioAfter) {

        /** Wall time from delivery to the first message sent. */
        public Optional<Duration> after() {
            return deliveredAt.flatMap(d -> first.map(m -> Duration.between(d, m.sentAt())));
        }

        /** "first reaction after 12.3 s (12 min 18 s scenario time)", "no message sent after it", "not delivered". */
        public String describe() {
            if (deliveredAt.isEmpty()) {
                return "not delivered";
            }
            return after().map(d -> "first reaction after " + TimelineStats.seconds(d) + scenarioAfter
                    .map(s -> " (" + TimelineStats.seconds(s) + " scenario time)").orElse(""))
                    .orElse("no message sent after it");
        }
    }

    /** No injects (a timeline without exercise control). */
    public static InjectLane none() {
        return new InjectLane(List.of(), false);
    }

    /** The injects in {@code t}'s logs; their expected actions from {@code msel} when given. */
    public static InjectLane of(Timeline t, Optional<Msel> msel) {
        Map<String, Seen> byInject = new LinkedHashMap<>();
        Map<String, Clock> clocks = new HashMap<>();
        Map<String, Map<String, Instant>> delivered = new HashMap<>();
        for (LogSource log : t.logs()) {
            for (int i = 0; i < log.entries().size(); i++) {
                AuditEntry entry = log.entries().get(i);
                boolean signed = log.trusted(i);
                if (entry.event() instanceof AuditEvent.MessageEntry m
                        && !(entry.event() instanceof AuditEvent.Equivocation)) {
                    MessageHeader h = m.header();
                    String id = h.messageId().hex();
                    if (m.content() instanceof Content.Inject inject) {
                        Seen s = byInject.computeIfAbsent(inject.injectId(), k -> new Seen(inject));
                        s.add(h);
                        s.trusted |= signed;
                        if (m instanceof AuditEvent.MessageReceived r && h.recipients().contains(log.owner())) {
                            deliveredAt(delivered, id, log.owner(), r.receivedAt());
                        }
                    } else if (m.content() instanceof Content.ExerciseClock c) {
                        clocks.putIfAbsent(id, new Clock(h.sentAt(), c));
                    }
                } else if (entry.event() instanceof AuditEvent.ReceiptEntry r
                        && r.receipt().type() == Receipt.Type.DELIVERED) {
                    Receipt receipt = r.receipt();
                    deliveredAt(delivered, receipt.messageId().hex(), receipt.asserter(), receipt.at());
                } else if (entry.event() instanceof AuditEvent.DeliveredThrough d) {
                    // A cumulative receipt delivers each message it lists (PROTOCOL.md §6.1).
                    for (var id : d.receipt().coveredIds()) {
                        deliveredAt(delivered, id.hex(), d.receipt().asserter(), d.receipt().at());
                    }
                }
            }
        }
        List<Clock> clock = clocks.values().stream().sorted(Comparator.comparing(Clock::setAt)).toList();
        List<InjectRecord> out = new ArrayList<>();
        for (Seen s : byInject.values()) {
            List<Reaction> reactions = new ArrayList<>();
            for (var recipient : s.messageTo.entrySet()) {
                String r = recipient.getKey();
                Optional<Instant> at = recipient.getValue().stream()
                        .map(id -> delivered.getOrDefault(id, Map.of()).get(r)).filter(java.util.Objects::nonNull)
                        .min(Instant::compareTo);
                Optional<Timeline.MessageRecord> first = at.flatMap(d -> t.messages().stream()
                        .filter(m -> m.from().equals(r) && !m.sentAt().isBefore(d)).findFirst());
                Optional<Duration> scenario = at.flatMap(d -> first.flatMap(m -> scenarioSpan(clock, d, m.sentAt())));
                reactions.add(new Reaction(r, at, first, scenario));
            }
            Optional<String> expected = msel.flatMap(x -> x.inject(s.inject.injectId())).flatMap(MselInject::expected);
            out.add(new InjectRecord(List.copyOf(s.messageIds), s.inject.injectId(), s.inject.kind().label(),
                    s.inject.title(), s.inject.text(), s.inject.scenarioTime(), s.from, List.copyOf(s.messageTo.keySet()),
                    s.sentAt, expected, reactions, s.trusted));
        }
        out.sort(Comparator.comparing(InjectRecord::sentAt).thenComparing(InjectRecord::injectId));
        return new InjectLane(out, msel.isPresent());
    }

    /** "expected: …", or why it is not shown. */
    public String expectedText(InjectRecord i) {
        return i.expected().map(x -> "expected: " + x).orElse(mselGiven ? "expected: nothing (the MSEL names no "
                + "expected action for " + i.injectId() + ")" : "expected: not known (give the MSEL with --msel)");
    }

    private static void deliveredAt(Map<String, Map<String, Instant>> delivered, String id, String who, Instant at) {
        delivered.computeIfAbsent(id, k -> new HashMap<>()).merge(who, at, (a, b) -> a.isBefore(b) ? a : b);
    }

    /** Scenario time elapsed between two real times, following the clock messages in force at each. */
    private static Optional<Duration> scenarioSpan(List<Clock> clock, Instant from, Instant to) {
        Optional<Instant> a = scenarioAt(clock, from);
        Optional<Instant> b = scenarioAt(clock, to);
        return a.flatMap(x -> b.map(y -> Duration.between(x, y))).filter(d -> !d.isNegative());
    }

    private static Optional<Instant> scenarioAt(List<Clock> clock, Instant t) {
        Clock inForce = null;
        for (Clock c : clock) {
            if (!c.setAt.isAfter(t)) {
                inForce = c;
            }
        }
        return Optional.ofNullable(inForce).map(c -> c.clock.scenarioAt(c.setAt, t));
    }

    /** A clock message: at {@code setAt} (its signed sentAt) control set the clock so. */
    private record Clock(Instant setAt, Content.ExerciseClock clock) {
    }

    /**
     * An inject's signed messages found in the logs: the words of the first, every message id, and
     * per recipient the messages addressed to it.
     */
    private static final class Seen {
        final Content.Inject inject;
        final java.util.Set<String> messageIds = new java.util.LinkedHashSet<>();
        final Map<String, java.util.Set<String>> messageTo = new java.util.TreeMap<>();
        String from;
        Instant sentAt;
        boolean trusted;

        Seen(Content.Inject inject) {
            this.inject = inject;
        }

        void add(MessageHeader h) {
            String id = h.messageId().hex();
            messageIds.add(id);
            h.recipients().forEach(r -> messageTo.computeIfAbsent(r, k -> new java.util.LinkedHashSet<>()).add(id));
            from = from == null ? h.sender() : from;
            sentAt = sentAt == null || h.sentAt().isBefore(sentAt) ? h.sentAt() : sentAt;
        }
    }
}
