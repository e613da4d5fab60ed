package org.hotline.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.wire.CumulativeReceipt;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A DELIVERED_THROUGH is charged by the ids it lists, not as one cheap answer (PROTOCOL.md §6.1). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RateLimitHandlerTest {

    private static Frame.DeliveredThrough through(int n) {
        SecureRandom random = new SecureRandom();
        List<MessageId> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(MessageId.random(random));
        }
        byte[] exercise = new byte[32];
        exercise[0] = 1;
        return new Frame.DeliveredThrough(CumulativeReceipt.of(new CumulativeReceipt.Fields(ExerciseId.of(exercise),
                "pk.pm", "in.pm", "leaders", 1, n, Hash32.ZERO, Instant.now(), ids), new byte[64]));
    }

    private static int passed(EmbeddedChannel ch) {
        int n = 0;
        while (ch.readInbound() != null) {
            n++;
        }
        return n;
    }

    @Test
    void fullLengthCumulativeReceipts_drawSixteenAnswerTokensEach() {
        // 0.001 frames/s: no refill during the test. Burst 10 gives 100 answer tokens.
        EmbeddedChannel ch = new EmbeddedChannel(new RateLimitHandler(0.001, 10));
        Frame.DeliveredThrough full = through(256);
        for (int i = 0; i < 10; i++) {
            ch.writeInbound(full);
        }
        assertThat(passed(ch)).isEqualTo(6);
        ch.finishAndReleaseAll();
    }

    @Test
    void shortCumulativeReceipts_andDeliveryAcksAlike_costOneToken() {
        EmbeddedChannel ch = new EmbeddedChannel(new RateLimitHandler(0.001, 10));
        Frame.DeliveredThrough shortOne = through(16);
        for (int i = 0; i < 120; i++) {
            ch.writeInbound(shortOne);
        }
        assertThat(passed(ch)).isEqualTo(100);
        ch.finishAndReleaseAll();
    }

    /** Review F2: a rejection costs sixteen answer tokens, a delivered receipt one. */
    @Test
    void rejectedDeliveryAcks_drawSixteenAnswerTokensEach() {
        EmbeddedChannel ch = new EmbeddedChannel(new RateLimitHandler(0.001, 10));
        for (int i = 0; i < 10; i++) {
            ch.writeInbound(ack(Receipt.Type.REJECTED));
        }
        assertThat(passed(ch)).isEqualTo(6);
        assertThat(RateLimitHandler.answerCost(ack(Receipt.Type.DELIVERED), 100)).isEqualTo(1);
        ch.finishAndReleaseAll();
    }

    private static Frame.DeliveryAck ack(Receipt.Type type) {
        byte[] exercise = new byte[32];
        exercise[0] = 1;
        return new Frame.DeliveryAck(Receipt.of(new Receipt.Fields(type, ExerciseId.of(exercise),
                MessageId.random(new SecureRandom()), "pk.pm", "in.pm", "leaders", Instant.now(), Hash32.ZERO,
                type == Receipt.Type.REJECTED ? Optional.of(Receipt.RejectReason.DECRYPTION_FAILED) : Optional.empty()),
                new byte[64]));
    }

    @Test
    void theCost_isCappedAtTheAnswerBurst_soAFullReceiptCanPassASmallBurst() {
        assertThat(RateLimitHandler.answerCost(through(256), 10)).isEqualTo(10);
        assertThat(RateLimitHandler.answerCost(through(17), 100)).isEqualTo(2);
        assertThat(RateLimitHandler.answerCost(through(1), 100)).isEqualTo(1);
    }

    /** Review w7 L1: signed consistency answers have their own small budget; unsigned fetches keep the frame rate. */
    @Test
    void signedConsistencyFetches_passFourAtOnce_thenAreAnsweredRateLimited_unsignedOnesStillPass() {
        EmbeddedChannel ch = new EmbeddedChannel(new RateLimitHandler(0.001, 100));
        for (int i = 0; i < 10; i++) {
            ch.writeInbound(new Frame.LogConsistencyFetch(3, 5, true));
        }
        assertThat(passed(ch)).isEqualTo(RateLimitHandler.SIGNED_BURST);
        Frame.Error refused = ch.readOutbound();
        assertThat(refused.code()).isEqualTo(org.hotline.protocol.wire.ErrorCode.RATE_LIMITED);
        assertThat(refused.text()).isEqualTo("more than 1 signed consistency answer per second; fetch dropped, "
                + "send it again later");
        for (int i = 0; i < 10; i++) {
            ch.writeInbound(new Frame.LogConsistencyFetch(3, 5, false));
        }
        assertThat(passed(ch)).isEqualTo(10);
        ch.finishAndReleaseAll();
    }
}
