package org.hotline.protocol.sequence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.testing.Messages;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ChannelSequence#missing()} keeps its gaps as messages arrive; on random (seeded) arrival
 * orders, with duplicates, contradictions and jumps past the listing cap, it answers exactly what
 * the former scan of every counter held answered, after every message.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChannelSequenceGapsPropertyTest {

    /** The former {@code missing()}: a scan of every counter held, the lowest 10,000 missing ones. */
    static SortedSet<Long> scannedMissing(SortedSet<Long> held) {
        SortedSet<Long> gaps = new TreeSet<>();
        if (held.isEmpty()) {
            return gaps;
        }
        long expected = 1;
        for (long c : held) {
            for (long m = expected; m < c && gaps.size() < 10_000; m++) {
                gaps.add(m);
            }
            expected = c + 1;
        }
        return gaps;
    }

    static MessageHeader header(long counter, Random r) {
        byte[] id = new byte[16];
        r.nextBytes(id);
        return new MessageHeader(Messages.EXERCISE, MessageId.of(id), "in.pm", List.of("pk.pm"), "leaders", counter,
                Instant.EPOCH, Hash32.ZERO, Hash32.ZERO, "v", Optional.empty(), Optional.empty());
    }

    static Hash32 randomHash(Random r) {
        byte[] h = new byte[32];
        r.nextBytes(h);
        return Hash32.of(h);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void incrementalGaps_answerAsTheFullScan_afterEveryMessage(long seed) {
        Random r = new Random(seed);
        ChannelSequence seq = new ChannelSequence("in.pm", "leaders");
        SortedSet<Long> held = new TreeSet<>();
        List<MessageHeader> observed = new ArrayList<>();
        List<Hash32> hashes = new ArrayList<>();
        int range = 1 + r.nextInt(seed % 2 == 0 ? 60 : 600);
        int steps = 50 + r.nextInt(400);
        for (int i = 0; i < steps; i++) {
            int kind = r.nextInt(20);
            ChannelSequence.Verdict v;
            if (kind == 0 && !observed.isEmpty()) {
                // at-least-once delivery: the same message again
                int k = r.nextInt(observed.size());
                v = seq.observe(observed.get(k), hashes.get(k));
                assertThat(v).isInstanceOf(ChannelSequence.Verdict.Duplicate.class);
            } else {
                long counter = kind == 1 && r.nextInt(4) == 0
                        ? 1 + seq.highestCounter() + r.nextInt(25_000) // past the 10,000 listed at most
                        : kind == 2 ? seq.highestCounter() + 1 : 1 + r.nextInt(range);
                MessageHeader h = header(counter, r);
                Hash32 hash = randomHash(r);
                v = seq.observe(h, hash);
                if (held.add(counter)) {
                    assertThat(v).isInstanceOf(ChannelSequence.Verdict.Accepted.class);
                    observed.add(h);
                    hashes.add(hash);
                } else {
                    assertThat(v).as("a second message numbered %d", counter)
                            .isInstanceOf(ChannelSequence.Verdict.Equivocation.class);
                }
            }
            SortedSet<Long> expected = scannedMissing(held);
            if (v instanceof ChannelSequence.Verdict.Accepted a) {
                assertThat(a.missing()).as("seed %d step %d", seed, i).isEqualTo(expected);
            }
            assertThat(seq.missing()).as("seed %d step %d", seed, i).isEqualTo(expected);
        }
    }
}
