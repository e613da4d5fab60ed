package org.hotline.protocol.sequence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;

/**
 * What a receiver knows about one sender's messages on one channel (PROTOCOL.md §4.5): which
 * counters arrived, which are missing, and whether anything contradicts what arrived before.
 * Feed it every verified message, in any order; it tells a duplicate (show nothing new) from a
 * late arrival (fills a gap) from a contradiction (flag loudly). Not thread-safe.
 */
public final class ChannelSequence {

    /** What one observed message means. */
    public sealed interface Verdict {
        /** New: show it. {@code missing} are the counters still absent afterwards. */
        record Accepted(long counter, boolean late, SortedSet<Long> missing, List<String> warnings) implements Verdict {
            public Accepted {
                missing = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(missing));
                warnings = List.copyOf(warnings);
            }
        }

        /** Seen before with the same content: at-least-once delivery; show nothing new. */
        record Duplicate(MessageId messageId) implements Verdict {
        }

        /** Contradicts an earlier message: the same id or counter with different content. Flag it. */
        record Equivocation(String explanation) implements Verdict {
        }
    }

    /** How many missing counters {@link #missing()} lists at most (a forged huge counter must not fill memory). */
    static final int MAX_MISSING_LISTED = 10_000;

    private record Seen(MessageId id, Hash32 hash, Hash32 previousSent) {
    }

    private final String sender;
    private final String channel;
    private final TreeMap<Long, Seen> byCounter = new TreeMap<>();
    private final Map<MessageId, Long> counterOfId = new HashMap<>();
    /**
     * The counters between 1 and the highest held that have not arrived, as disjoint runs (first
     * counter to last counter, inclusive), kept as messages arrive so that {@link #missing()} costs
     * what the gaps are, not what the channel's history is (a backlog drain asks after every message).
     */
    private final TreeMap<Long, Long> gaps = new TreeMap<>();

    public ChannelSequence(String sender, String channel) {
        this.sender = sender;
        this.channel = channel;
    }

    public String sender() {
        return sender;
    }

    public String channel() {
        return channel;
    }

    /**
     * @param header the verified header
     * @param hash   SHA-256 of the whole signed message ({@code Hashes.messageHash})
     */
    public Verdict observe(MessageHeader header, Hash32 hash) {
        if (!header.sender().equals(sender) || !header.channel().equals(channel)) {
            throw new IllegalArgumentException("message of " + header.sender() + "/" + header.channel()
                    + " given to the sequence of " + sender + "/" + channel);
        }
        long counter = header.counter();
        MessageId id = header.messageId();
        Long knownCounter = counterOfId.get(id);
        if (knownCounter != null) {
            Seen s = byCounter.get(knownCounter);
            if (s.hash().equals(hash)) {
                return new Verdict.Duplicate(id);
            }
            return new Verdict.Equivocation("message " + id.shortForm() + " from " + sender
                    + " arrived twice with different content");
        }
        Seen existing = byCounter.get(counter);
        if (existing != null) {
            return new Verdict.Equivocation(sender + " sent two different messages numbered " + counter + " on "
                    + channel + " (" + existing.id().shortForm() + " and " + id.shortForm() + ")");
        }
        List<String> warnings = new ArrayList<>();
        checkLinks(counter, header.previousSent(), hash, warnings);
        boolean late = !byCounter.isEmpty() && counter < byCounter.lastKey();
        trackGaps(counter);
        byCounter.put(counter, new Seen(id, hash, header.previousSent()));
        counterOfId.put(id, counter);
        return new Verdict.Accepted(counter, late, missing(), warnings);
    }

    private void checkLinks(long counter, Hash32 previousSent, Hash32 hash, List<String> warnings) {
        if (counter == 1 && !previousSent.isZero()) {
            warnings.add("message 1 from " + sender + " claims a predecessor");
        }
        Seen before = byCounter.get(counter - 1);
        if (before != null && !before.hash().equals(previousSent)) {
            warnings.add("message " + counter + " from " + sender + " does not follow the message " + (counter - 1)
                    + " we hold (hash link broken)");
        }
        Seen after = byCounter.get(counter + 1);
        if (after != null && !after.previousSent().equals(hash)) {
            warnings.add("message " + (counter + 1) + " from " + sender + " does not follow this message " + counter
                    + " (hash link broken)");
        }
    }

    /** Before {@code counter} (at least 1, not held yet) is added: opens the run it skips, or closes it in the run it fills. */
    private void trackGaps(long counter) {
        long highest = highestCounter();
        if (counter > highest) {
            if (counter > highest + 1) {
                gaps.put(highest + 1, counter - 1);
            }
            return;
        }
        Map.Entry<Long, Long> run = gaps.floorEntry(counter);
        if (run == null || run.getValue() < counter) {
            return;
        }
        gaps.remove(run.getKey());
        if (run.getKey() < counter) {
            gaps.put(run.getKey(), counter - 1);
        }
        if (counter < run.getValue()) {
            gaps.put(counter + 1, run.getValue());
        }
    }

    /**
     * Counters between 1 and the highest seen that have not arrived: a gap, not a quiet line. At
     * most the lowest {@value #MAX_MISSING_LISTED}.
     */
    public SortedSet<Long> missing() {
        SortedSet<Long> missing = new TreeSet<>();
        for (Map.Entry<Long, Long> run : gaps.entrySet()) {
            for (long m = run.getKey(); m <= run.getValue(); m++) {
                if (missing.size() == MAX_MISSING_LISTED) {
                    return missing;
                }
                missing.add(m);
            }
        }
        return missing;
    }

    /** A message held, as a cumulative receipt names it (PROTOCOL.md §6.1). */
    public record Held(long counter, MessageId id, Hash32 hash) {
    }

    /**
     * The messages held after counter {@code after}, from {@code after + 1} upwards, as far as they
     * run without a gap and each links to the one before ({@code previousSent}, §4.5; message 1 to
     * none), at most {@code max}: what a recipient may declare received through (§6.1). Empty when
     * {@code after + 1} is missing or does not link to message {@code after}.
     *
     * @param after a counter already covered (every message 1 to {@code after} held and linked), or 0
     */
    public List<Held> linkedRun(long after, int max) {
        List<Held> run = new ArrayList<>();
        Hash32 previous = after == 0 ? Hash32.ZERO : Optional.ofNullable(byCounter.get(after)).map(Seen::hash)
                .orElse(null);
        if (previous == null) {
            return run;
        }
        for (long c = after + 1; run.size() < max; c++) {
            Seen s = byCounter.get(c);
            if (s == null || !s.previousSent().equals(previous)) {
                break;
            }
            run.add(new Held(c, s.id(), s.hash()));
            previous = s.hash();
        }
        return run;
    }

    /** The highest counter N such that messages 1 to N are all held and linked; 0 if message 1 is not. */
    public long linkedThrough() {
        long through = 0;
        Hash32 previous = Hash32.ZERO;
        for (Map.Entry<Long, Seen> e : byCounter.entrySet()) {
            if (e.getKey() != through + 1 || !e.getValue().previousSent().equals(previous)) {
                break;
            }
            through = e.getKey();
            previous = e.getValue().hash();
        }
        return through;
    }

    public long highestCounter() {
        return byCounter.isEmpty() ? 0 : byCounter.lastKey();
    }

    /** The hash of the newest message held, for the {@code lastReceived} link of our next message. */
    public Optional<Hash32> newestHash() {
        return byCounter.isEmpty() ? Optional.empty() : Optional.of(byCounter.lastEntry().getValue().hash());
    }
}
