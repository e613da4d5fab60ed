package org.hotline.protocol.sequence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.hotline.protocol.testing.Messages;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChannelSequenceTest {

    record Msg(MessageHeader header, Hash32 hash) {
    }

    /** A chain of n messages with correct counters and hash links. */
    static List<Msg> chain(int n, Random r) {
        List<Msg> out = new ArrayList<>();
        Hash32 prev = Hash32.ZERO;
        for (int i = 1; i <= n; i++) {
            byte[] id = new byte[16];
            byte[] h = new byte[32];
            r.nextBytes(id);
            r.nextBytes(h);
            MessageHeader header = new MessageHeader(Messages.EXERCISE, MessageId.of(id), "in.pm", List.of("pk.pm"),
                    "leaders", i, Instant.EPOCH, prev, Hash32.ZERO, "v", Optional.empty(), Optional.empty());
            Hash32 hash = Hash32.of(h);
            out.add(new Msg(header, hash));
            prev = hash;
        }
        return out;
    }

    @Test
    void inOrder_everythingAccepted_nothingMissing() {
        ChannelSequence seq = new ChannelSequence("in.pm", "leaders");
        for (Msg m : chain(5, new Random(1))) {
            var v = (ChannelSequence.Verdict.Accepted) seq.observe(m.header(), m.hash());
            assertThat(v.late()).isFalse();
            assertThat(v.missing()).isEmpty();
            assertThat(v.warnings()).isEmpty();
        }
        assertThat(seq.highestCounter()).isEqualTo(5);
    }

    @Test
    void gap_isReported_andClosesWhenTheLateMessageArrives() {
        List<Msg> c = chain(4, new Random(2));
        ChannelSequence seq = new ChannelSequence("in.pm", "leaders");
        seq.observe(c.get(0).header(), c.get(0).hash());
        var afterGap = (ChannelSequence.Verdict.Accepted) seq.observe(c.get(3).header(), c.get(3).hash());
        assertThat(afterGap.missing()).containsExactly(2L, 3L);
        var late = (ChannelSequence.Verdict.Accepted) seq.observe(c.get(2).header(), c.get(2).hash());
        assertThat(late.late()).isTrue();
        assertThat(late.missing()).containsExactly(2L);
        seq.observe(c.get(1).header(), c.get(1).hash());
        assertThat(seq.missing()).isEmpty();
    }

    @Test
    void sameIdSameContent_isADuplicate() {
        Msg m = chain(1, new Random(3)).get(0);
        ChannelSequence seq = new ChannelSequence("in.pm", "leaders");
        seq.observe(m.header(), m.hash());
        assertThat(seq.observe(m.header(), m.hash())).isInstanceOf(ChannelSequence.Verdict.Duplicate.class);
    }

    @Test
    void sameIdDifferentContent_orSameCounterDifferentId_isEquivocation() {
        List<Msg> c = chain(2, new Random(4));
        List<Msg> other = chain(2, new Random(5));
        ChannelSequence seq = new ChannelSequence("in.pm", "leaders");
        seq.observe(c.get(0).header(), c.get(0).hash());
        assertThat(seq.observe(c.get(0).header(), other.get(0).hash()))
                .isInstanceOf(ChannelSequence.Verdict.Equivocation.class);
        assertThat(seq.observe(other.get(0).header(), other.get(0).hash()))
                .isInstanceOfSatisfying(ChannelSequence.Verdict.Equivocation.class,
                        e -> assertThat(e.explanation()).contains("two different messages numbered 1"));
    }

    @Test
    void brokenHashLink_isWarned_inEitherArrivalOrder() {
        List<Msg> a = chain(2, new Random(6));
        List<Msg> b = chain(2, new Random(7));
        ChannelSequence seq = new ChannelSequence("in.pm", "leaders");
        seq.observe(a.get(0).header(), a.get(0).hash());
        var v = (ChannelSequence.Verdict.Accepted) seq.observe(b.get(1).header(), b.get(1).hash());
        assertThat(v.warnings()).anyMatch(w -> w.contains("hash link broken"));

        ChannelSequence reversed = new ChannelSequence("in.pm", "leaders");
        reversed.observe(b.get(1).header(), b.get(1).hash());
        var w = (ChannelSequence.Verdict.Accepted) reversed.observe(a.get(0).header(), a.get(0).hash());
        assertThat(w.warnings()).anyMatch(x -> x.contains("hash link broken"));
    }

    /**
     * Property, over seeded random schedules: whatever the order, drops and duplicates, every
     * delivered message is accepted exactly once, duplicates are recognised, and the missing set
     * equals the dropped messages below the highest delivered counter.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void anySchedule_acceptedOnce_duplicatesRecognised_missingIsExact(long seed) {
        Random r = new Random(seed);
        List<Msg> c = chain(1 + r.nextInt(60), r);
        List<Msg> schedule = new ArrayList<>();
        Set<Long> dropped = new HashSet<>();
        for (Msg m : c) {
            if (r.nextInt(5) == 0) {
                dropped.add(m.header().counter());
                continue;
            }
            schedule.add(m);
            if (r.nextInt(4) == 0) {
                schedule.add(m);
            }
        }
        Collections.shuffle(schedule, r);
        ChannelSequence seq = new ChannelSequence("in.pm", "leaders");
        Set<MessageId> accepted = new HashSet<>();
        for (Msg m : schedule) {
            var v = seq.observe(m.header(), m.hash());
            if (v instanceof ChannelSequence.Verdict.Accepted a) {
                assertThat(accepted.add(m.header().messageId())).isTrue();
                assertThat(a.warnings()).isEmpty();
            } else {
                assertThat(v).isInstanceOf(ChannelSequence.Verdict.Duplicate.class);
                assertThat(accepted).contains(m.header().messageId());
            }
        }
        long highest = seq.highestCounter();
        TreeSet<Long> expectedMissing = new TreeSet<>();
        dropped.stream().filter(d -> d < highest).forEach(expectedMissing::add);
        assertThat(seq.missing()).isEqualTo(expectedMissing);
        assertThat(accepted).hasSize((int) schedule.stream().map(m -> m.header().messageId()).distinct().count());
    }

    @Test
    void quietLine_isNotAGap() {
        ChannelSequence seq = new ChannelSequence("in.pm", "leaders");
        assertThat(seq.missing()).isEmpty();
        assertThat(seq.newestHash()).isEmpty();
    }

    // ---------------------------------------------------------------- cumulative receipts (§6.1)

    @Test
    void linkedRun_stopsAtAGap_andCoversTheMessagesAboveItOnceItCloses() {
        List<Msg> c = chain(6, new Random(7));
        ChannelSequence s = new ChannelSequence("in.pm", "leaders");
        for (int i : new int[] {0, 1, 3, 4}) {
            s.observe(c.get(i).header(), c.get(i).hash());
        }
        // 1 and 2 held, 3 missing: nothing may be declared received past 2.
        assertThat(s.linkedThrough()).isEqualTo(2);
        assertThat(s.linkedRun(0, 100)).extracting(ChannelSequence.Held::counter).containsExactly(1L, 2L);
        assertThat(s.linkedRun(2, 100)).isEmpty();
        s.observe(c.get(2).header(), c.get(2).hash());
        assertThat(s.linkedRun(2, 100)).extracting(ChannelSequence.Held::counter).containsExactly(3L, 4L, 5L);
        assertThat(s.linkedRun(2, 100)).extracting(ChannelSequence.Held::id)
                .containsExactly(c.get(2).header().messageId(), c.get(3).header().messageId(),
                        c.get(4).header().messageId());
        assertThat(s.linkedRun(2, 2)).extracting(ChannelSequence.Held::counter).containsExactly(3L, 4L);
        assertThat(s.linkedThrough()).isEqualTo(5);
    }

    @Test
    void linkedRun_stopsAtABrokenHashLink_andAtAFirstMessageClaimingAPredecessor() {
        List<Msg> c = chain(3, new Random(8));
        ChannelSequence s = new ChannelSequence("in.pm", "leaders");
        s.observe(c.get(0).header(), c.get(0).hash());
        MessageHeader h = c.get(1).header();
        // Message 2 claims to follow another message 1 than the one held.
        MessageHeader unlinked = new MessageHeader(h.exerciseId(), h.messageId(), h.sender(), h.recipients(),
                h.channel(), 2, h.sentAt(), Hash32.ZERO, Hash32.ZERO, "v", Optional.empty(), Optional.empty());
        s.observe(unlinked, c.get(1).hash());
        assertThat(s.linkedThrough()).isEqualTo(1);
        assertThat(s.linkedRun(1, 100)).isEmpty();

        ChannelSequence t = new ChannelSequence("in.pm", "leaders");
        MessageHeader first = c.get(1).header();
        MessageHeader claimsPredecessor = new MessageHeader(first.exerciseId(), first.messageId(), "in.pm",
                first.recipients(), "leaders", 1, first.sentAt(), c.get(0).hash(), Hash32.ZERO, "v", Optional.empty(),
                Optional.empty());
        t.observe(claimsPredecessor, c.get(1).hash());
        assertThat(t.linkedRun(0, 100)).isEmpty();
    }
}
