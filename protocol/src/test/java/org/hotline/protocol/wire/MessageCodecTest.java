package org.hotline.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.hotline.protocol.testing.Messages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MessageCodecTest {

    static Stream<Content> everyContentType() {
        return Stream.of(
                Content.Signal.of("posture.normal-readiness", Map.of("asOf", "2026-05-10T14:00:00Z")),
                Content.Signal.of("ack.received", Map.of("ref", "3f2a91c0", "replyBy", "2026-05-10T15:00:00Z")),
                Content.Signal.of("agreement.nuclear-installations", Map.of()),
                new Content.Text("We propose a call between DGMOs at 16:00 UTC. ✓ ünïcödé"),
                new Content.LinkTest(123456789L),
                new Content.LinkTestReply(-5L));
    }

    @ParameterizedTest
    @MethodSource("everyContentType")
    void content_roundTrip(Content content) throws Exception {
        byte[] bytes = Content.encode(content);
        assertThat(Content.decode(bytes)).isEqualTo(content);
    }

    @Test
    void header_roundTrip_withAllOptionalFields() throws Exception {
        MessageHeader h = new MessageHeader(Messages.EXERCISE, MessageId.random(new SecureRandom()), "in.pm",
                List.of("pk.nsa", "pk.pm"),
                "leaders", 42, Instant.parse("2026-05-10T14:00:00.5Z"), Hash32.of(new byte[32]),
                Hash32.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
                        24, 25, 26, 27, 28, 29, 30, 31, 32}),
                "2026.11-1", Optional.of(MessageId.random(new SecureRandom())),
                Optional.of(Instant.parse("2026-05-10T15:00:00Z")));
        assertThat(MessageHeader.decode(h.encode())).isEqualTo(h);
    }

    @Test
    void header_unsortedRecipients_isRefused() {
        WireWriter w = new WireWriter().u8(2);
        Messages.EXERCISE.write(w);
        MessageId.random(new SecureRandom()).write(w);
        w.string("in.pm").u8(2).string("pk.pm").string("pk.nsa");
        assertThatThrownBy(() -> MessageHeader.decode(w.toByteArray())).hasMessageContaining("sorted");
    }

    @Test
    void header_counterZero_isRefused() {
        WireWriter w = new WireWriter().u8(2);
        Messages.EXERCISE.write(w);
        MessageId.random(new SecureRandom()).write(w);
        w.string("in.pm").u8(1).string("pk.pm").string("leaders").u64(0);
        assertThatThrownBy(() -> MessageHeader.decode(w.toByteArray())).hasMessageContaining("counter");
    }

    @Test
    void content_unknownType_isRefused() {
        assertThatThrownBy(() -> Content.decode(new byte[] {9})).hasMessageContaining("unknown content type 9");
        assertThatThrownBy(() -> Content.decode(new byte[] {5})).hasMessageContaining("unknown content type 5");
    }

    @Test
    void content_unsortedParams_isRefused() {
        byte[] b = new WireWriter().u8(1).string("x").u8(2).string("b").string("1").string("a").string("2").toByteArray();
        assertThatThrownBy(() -> Content.decode(b)).hasMessageContaining("sorted");
    }

    @Test
    void content_presenceFlagOtherThanZeroOrOne_isRefused() {
        SecureRandom r = new SecureRandom();
        byte[] good = new MessageHeader(Messages.EXERCISE, MessageId.random(r), "in.pm", List.of("pk.pm"), "leaders", 1,
                Instant.EPOCH, Hash32.ZERO, Hash32.ZERO, "v", Optional.empty(), Optional.empty()).encode();
        good[good.length - 2] = 2;
        assertThatThrownBy(() -> MessageHeader.decode(good)).hasMessageContaining("presence flag");
    }

    @Test
    void signedMessage_randomBytes_neverThrowAnythingButDecodeException() {
        Random random = new Random(11);
        for (int i = 0; i < 50_000; i++) {
            byte[] b = new byte[random.nextInt(200)];
            random.nextBytes(b);
            try {
                SignedMessage.decode(b);
            } catch (FrameDecodeException expected) {
                // The property: a refusal, never another exception (which would fail the test); the reason enum is never null.
            }
        }
    }
}
