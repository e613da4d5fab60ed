package org.hotline.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.hotline.protocol.testing.Messages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

public class FrameCodecTest {

    static final MessageId ID = MessageId.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
    static final Instant T = Instant.parse("2026-05-10T14:00:00.123Z");

    static SealedBox box(String recipient) {
        return new SealedBox(recipient, 7, new byte[1120], "ciphertext".getBytes(StandardCharsets.US_ASCII));
    }

    static Receipt receipt(Receipt.Type type, String asserter) {
        return Receipt.of(new Receipt.Fields(type, Messages.EXERCISE, ID, asserter, "in.pm", "leaders", T,
                Hash32.of(new byte[32])), new byte[64]);
    }

    static Receipt receipt() {
        return receipt(Receipt.Type.DELIVERED, "pk.pm");
    }

    static SignedPrekeyBytes prekey() {
        return SignedPrekeyBytes.of(Messages.EXERCISE, "pk.pm", 3, T, T.plusSeconds(86400), new byte[1216],
                new byte[64]);
    }

    public static Stream<Frame> everyFrameKind() {
        return Stream.of(
                new Frame.Hello("hotline-client 0.1.0"),
                new Frame.Welcome("in.pm", T, 262144),
                new Frame.PrekeyUpload(List.of(prekey(), prekey())),
                new Frame.PrekeyFetch("pk.pm"),
                new Frame.PrekeyBundle("pk.pm", List.of(prekey())),
                new Frame.Send(ID, "in.pm", "leaders", List.of(box("pk.pm"))),
                new Frame.Accepted(receipt(Receipt.Type.ACCEPTED, Receipt.RELAY)),
                new Frame.Deliver(ID, "in.pm", "leaders", T, box("pk.pm")),
                new Frame.DeliveryAck(receipt()),
                new Frame.ReceiptNotice(receipt()),
                new Frame.ReceiptAck(ID, Receipt.Type.DELIVERED, "pk.pm"),
                new Frame.Error(ErrorCode.POLICY_VIOLATION, Optional.of(ID), "pk.nsa is not a member of channel 'leaders'"),
                new Frame.Error(ErrorCode.RATE_LIMITED, Optional.empty(), "slow down"),
                new Frame.Ping(42),
                new Frame.Pong(-1),
                // Placeholders for the relay log (PROTOCOL.md §12): the checkpoint is a well-formed note, its signature zeros.
                new Frame.Accepted(receipt(Receipt.Type.ACCEPTED, Receipt.RELAY).withoutSignature(), Optional.of(new LogInclusion(5,
                        List.of(filled(0x11), filled(0x22), filled(0x33)), PLACEHOLDER_CHECKPOINT))),
                new Frame.LogConsistencyFetch(2, 8),
                new Frame.LogConsistency(2, 8, List.of(filled(0x44), filled(0x55))),
                // Cumulative receipts (PROTOCOL.md §6.1): placeholder signature, two ids for counters 4 and 5.
                new Frame.DeliveredThrough(cumulative()),
                new Frame.ReceiptAck(ID, Receipt.Type.DELIVERED_THROUGH, "pk.pm"),
                // The signed consistency answer (PROTOCOL.md §12.4): placeholder roots, zero signature.
                new Frame.LogConsistencyFetch(2, 8, true),
                new Frame.LogConsistency(2, 8, List.of(filled(0x44), filled(0x55)), Optional.of(
                        new LogConsistencySignature(filled(0x66), filled(0x77), new byte[64]))));
    }

    static CumulativeReceipt cumulative() {
        byte[] other = new byte[16];
        java.util.Arrays.fill(other, (byte) 0x5a);
        return CumulativeReceipt.of(new CumulativeReceipt.Fields(Messages.EXERCISE, "pk.pm", "in.pm", "leaders", 4, 5,
                filled(0x66), T, List.of(MessageId.of(other), ID)), new byte[64]);
    }

    private static final byte[] PLACEHOLDER_CHECKPOINT = ("relay/" + "ab".repeat(32) + "\n8\n"
            + java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\n\n\u2014 relay/" + "ab".repeat(32) + " "
            + java.util.Base64.getEncoder().encodeToString(new byte[68]) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private static Hash32 filled(int b) {
        byte[] h = new byte[32];
        java.util.Arrays.fill(h, (byte) b);
        return Hash32.of(h);
    }

    @ParameterizedTest
    @MethodSource("everyFrameKind")
    void encodeThenDecode_anyFrameKind_givesEqualFrameAndSameBytes(Frame frame) throws Exception {
        byte[] bytes = FrameCodec.encode(frame);
        Frame decoded = FrameCodec.decode(bytes);
        assertThat(decoded).isEqualTo(frame);
        assertThat(FrameCodec.encode(decoded)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @MethodSource("everyFrameKind")
    void decode_everyTruncation_isRefusedAsMissingField(Frame frame) {
        byte[] bytes = FrameCodec.encode(frame);
        for (int len = 0; len < bytes.length; len++) {
            byte[] cut = java.util.Arrays.copyOf(bytes, len);
            assertThatThrownBy(() -> FrameCodec.decode(cut)).isInstanceOf(FrameDecodeException.class);
        }
    }

    @ParameterizedTest
    @MethodSource("everyFrameKind")
    void decode_trailingByte_isRefused(Frame frame) {
        byte[] bytes = FrameCodec.encode(frame);
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> FrameCodec.decode(longer)).isInstanceOf(FrameDecodeException.class)
                .hasMessageContaining("trailing");
    }

    @Test
    void decode_versionZero_isTooOld() {
        assertThatThrownBy(() -> FrameCodec.decode(new byte[] {0, 0x40, 0, 0, 0, 0, 0, 0, 0, 1}))
                .isInstanceOfSatisfying(FrameDecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo(FrameDecodeException.Reason.VERSION_TOO_OLD))
                .hasMessageContaining("too old");
    }

    /** Version 1 is retired on the wire (PROTOCOL.md §8): its peers learn so from a distinct reason. */
    @Test
    void decode_version1_isTooOld() {
        assertThatThrownBy(() -> FrameCodec.decode(new byte[] {1, 0x40, 0, 0, 0, 0, 0, 0, 0, 1}))
                .isInstanceOfSatisfying(FrameDecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo(FrameDecodeException.Reason.VERSION_TOO_OLD))
                .hasMessageContaining("version 1 is too old (minimum 2)");
    }

    @Test
    void decode_newerVersion_isUnknown() {
        assertThatThrownBy(() -> FrameCodec.decode(new byte[] {3, 0x40, 0, 0, 0, 0, 0, 0, 0, 1}))
                .isInstanceOfSatisfying(FrameDecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo(FrameDecodeException.Reason.VERSION_UNKNOWN))
                .hasMessageContaining("unknown");
    }

    @ParameterizedTest
    @ValueSource(ints = {0x00, 0x03, 0x13, 0x28, 0x31, 0x42, 0x52, 0xff})
    void decode_unknownKind_isRefusedWithItsNumber(int kind) {
        assertThatThrownBy(() -> FrameCodec.decode(new byte[] {2, (byte) kind}))
                .isInstanceOfSatisfying(FrameDecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo(FrameDecodeException.Reason.UNKNOWN_KIND))
                .hasMessageContaining(String.format("0x%02x", kind));
    }

    @Test
    void decode_truncatedSend_namesTheMissingField() {
        byte[] bytes = FrameCodec.encode(new Frame.Send(ID, "in.pm", "leaders", List.of(box("pk.pm"))));
        byte[] cut = java.util.Arrays.copyOf(bytes, 2 + 16 + 2 + 5 + 1);
        assertThatThrownBy(() -> FrameCodec.decode(cut)).hasMessageContaining("send.channel");
    }

    @Test
    void decode_invalidUtf8_isMalformed() {
        byte[] bytes = {2, 0x11, 0, 2, (byte) 0xc3, (byte) 0x28};
        assertThatThrownBy(() -> FrameCodec.decode(bytes)).hasMessageContaining("UTF-8");
    }

    @Test
    void decode_invalidRoleName_isMalformed() {
        byte[] bytes = new WireWriter().u8(2).u8(0x11).string("In PM").toByteArray();
        assertThatThrownBy(() -> FrameCodec.decode(bytes)).hasMessageContaining("prekeyFetch.role");
    }

    @Test
    void decode_sendWithTwoBoxesForOneRecipient_isMalformed() {
        WireWriter w = new WireWriter().u8(2).u8(0x20);
        ID.write(w);
        w.string("in.pm").string("leaders").u8(2);
        box("pk.pm").write(w);
        box("pk.pm").write(w);
        assertThatThrownBy(() -> FrameCodec.decode(w.toByteArray())).hasMessageContaining("two boxes");
    }

    @Test
    void decode_unknownErrorCode_isMalformed() {
        byte[] bytes = new WireWriter().u8(2).u8(0x30).u16(9999).flag(false).string("x").toByteArray();
        assertThatThrownBy(() -> FrameCodec.decode(bytes)).hasMessageContaining("9999");
    }

    /** Property: random bytes either decode to a frame that re-encodes identically, or fail with FrameDecodeException. */
    @Test
    void decode_randomBytes_neverThrowsAnythingElse() {
        Random random = new Random(20261125);
        int decoded = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] b = new byte[random.nextInt(64)];
            random.nextBytes(b);
            if (b.length > 0) {
                b[0] = (byte) ProtocolVersion.CURRENT;
            }
            if (b.length > 1) {
                b[1] = (byte) FrameKind.values()[random.nextInt(FrameKind.values().length)].code();
            }
            try {
                Frame f = FrameCodec.decode(b);
                assertThat(FrameCodec.encode(f)).isEqualTo(b);
                decoded++;
            } catch (FrameDecodeException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
        assertThat(decoded).isPositive();
    }

    /** Property: seeded random frames survive a round trip with identical bytes. */
    @Test
    void encodeThenDecode_randomSendFrames_roundTrip() throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            byte[] id = new byte[16];
            random.nextBytes(id);
            byte[] enc = new byte[random.nextInt(1200)];
            byte[] ct = new byte[random.nextInt(5000)];
            random.nextBytes(enc);
            random.nextBytes(ct);
            Frame f = new Frame.Send(MessageId.of(id), "in.pm", "leaders",
                    List.of(new SealedBox("pk.pm", random.nextInt(Integer.MAX_VALUE), enc, ct)));
            byte[] bytes = FrameCodec.encode(f);
            assertThat(FrameCodec.decode(bytes)).isEqualTo(f);
        }
    }
}
