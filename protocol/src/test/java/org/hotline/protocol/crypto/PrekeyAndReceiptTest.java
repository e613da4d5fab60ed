package org.hotline.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.hotline.protocol.testing.Messages;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.FrameCodec;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SealedBox;
import org.hotline.protocol.wire.SignedMessage;
import org.hotline.protocol.wire.SignedPrekeyBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PrekeyAndReceiptTest {

    private final SecureRandom random = new SecureRandom();
    private final Instant now = Instant.parse("2026-05-10T14:00:00Z");
    private final IdentityKeyPair owner = IdentityKeyPair.generate(random);
    private final PrekeyPair prekey = PrekeyPair.generate(owner, Messages.EXERCISE, "pk.pm", 9, now, Duration.ofDays(2), random);

    @Test
    void verify_freshPrekey_byItsOwner_succeeds() throws Exception {
        VerifiedPrekey v = VerifiedPrekey.verify(prekey.signed(), "pk.pm", owner.publicKey(), Messages.EXERCISE,
                now.plusSeconds(60));
        assertThat(v.id()).isEqualTo(9);
        assertThat(v.role()).isEqualTo("pk.pm");
    }

    @Test
    void verify_signedByAnotherIdentity_fails() {
        IdentityKeyPair mallory = IdentityKeyPair.generate(random);
        assertThatThrownBy(() -> VerifiedPrekey.verify(prekey.signed(), "pk.pm", mallory.publicKey(), Messages.EXERCISE, now))
                .isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.BAD_SIGNATURE));
    }

    @Test
    void verify_forAnotherRole_fails() {
        assertThatThrownBy(() -> VerifiedPrekey.verify(prekey.signed(), "in.pm", owner.publicKey(), Messages.EXERCISE, now))
                .hasMessageContaining("expected in.pm");
    }

    @Test
    void verify_afterExpiry_fails() {
        assertThatThrownBy(() -> VerifiedPrekey.verify(prekey.signed(), "pk.pm", owner.publicKey(), Messages.EXERCISE,
                now.plus(Duration.ofDays(3))))
                .isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.PREKEY_EXPIRED));
    }

    @Test
    void verify_everyBitFlipOfTheSignedPrekey_isRejected() {
        byte[] bytes = prekey.signed().encode();
        for (int i = 0; i < bytes.length * 8; i++) {
            byte[] c = bytes.clone();
            c[i / 8] ^= (byte) (1 << (i % 8));
            try {
                SignedPrekeyBytes p = SignedPrekeyBytes.decode(c);
                VerifiedPrekey.verify(p, "pk.pm", owner.publicKey(), Messages.EXERCISE, now);
                throw new AssertionError("bit " + i + " flipped and the prekey still verified");
            } catch (org.hotline.protocol.wire.FrameDecodeException | CryptoException expected) {
                // rejected, as it must be
            }
        }
    }

    @Test
    void verify_prekeyOfAnotherExercise_failsWithWrongExercise() {
        PrekeyPair foreign = PrekeyPair.generate(owner, Messages.OTHER_EXERCISE, "pk.pm", 9, now, Duration.ofDays(2),
                random);
        assertThatThrownBy(() -> VerifiedPrekey.verify(foreign.signed(), "pk.pm", owner.publicKey(),
                Messages.EXERCISE, now))
                .isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.WRONG_EXERCISE))
                .hasMessageContaining("belongs to exercise 22222222");
    }

    // --- Receipts (PROTOCOL.md §6): pk.pm received in.pm's message and signs for it.

    private final IdentityKeyPair sender = IdentityKeyPair.generate(random);
    private final IdentityKeyPair relay = IdentityKeyPair.generate(random);
    private final SignedMessage message = MessageSigner.sign(sender, Messages.header("in.pm", "pk.pm", 1, random),
            Messages.readinessSignal());
    private final byte[] sendPayload = {2, 0x20, 1, 2, 3};
    private final ReceiptSubject subject = ReceiptSubject.of(message, sendPayload);

    @Test
    void receipt_signedByAsserter_verifies_andAnyBitFlipFails() throws Exception {
        Receipt r = ReceiptSigner.sign(owner, Receipt.Type.DELIVERED, message, "pk.pm", now);
        assertThatCode(() -> ReceiptSigner.verify(Receipt.decode(r.encode()), owner.publicKey(), subject))
                .doesNotThrowAnyException();
        byte[] bytes = r.encode();
        for (int i = 0; i < bytes.length * 8; i++) {
            byte[] c = bytes.clone();
            c[i / 8] ^= (byte) (1 << (i % 8));
            try {
                ReceiptSigner.verify(Receipt.decode(c), owner.publicKey(), subject);
                throw new AssertionError("bit " + i + " flipped and the receipt still verified");
            } catch (org.hotline.protocol.wire.FrameDecodeException | CryptoException expected) {
                // rejected
            }
        }
    }

    @Test
    void receipt_bindsExerciseIdMessageSenderChannelAndMessageHash() throws Exception {
        Receipt r = ReceiptSigner.sign(owner, Receipt.Type.ACKNOWLEDGED, message, "pk.pm", now);
        assertThat(r.exerciseId()).isEqualTo(Messages.EXERCISE);
        assertThat(r.messageId()).isEqualTo(message.header().messageId());
        assertThat(r.sender()).isEqualTo("in.pm");
        assertThat(r.channel()).contains("leaders");
        assertThat(r.subjectHash()).contains(Hashes.messageHash(message));
    }

    @Test
    void acceptedReceipt_commitsToTheSendPayloadHash_andVerifiesAgainstTheBytesSent() throws Exception {
        Frame.Send send = new Frame.Send(message.header().messageId(), "in.pm", "leaders",
                List.of(new SealedBox("pk.pm", 1, new byte[1120], new byte[300])));
        byte[] payload = FrameCodec.encode(send);
        Receipt accepted = ReceiptSigner.signAccepted(relay, Messages.EXERCISE, send, now);
        assertThat(accepted.subjectHash()).contains(Hash32.of(Hashes.sha256(payload)));
        assertThatCode(() -> ReceiptSigner.verify(accepted, relay.publicKey(), ReceiptSubject.of(message, payload)))
                .doesNotThrowAnyException();
        byte[] otherPayload = payload.clone();
        otherPayload[otherPayload.length - 1] ^= 1;
        assertThatThrownBy(() -> ReceiptSigner.verify(accepted, relay.publicKey(),
                ReceiptSubject.of(message, otherPayload)))
                .isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.RECEIPT_MISMATCH))
                .hasMessageContaining("other SEND bytes");
    }

    /** A validly signed receipt with one bound field changed: refused for the named reason. */
    static Stream<Arguments> receiptsWithOneFieldChanged() {
        Hash32 otherHash = Hash32.of(new byte[32]);
        MessageId otherId = MessageId.of(new byte[16]);
        return Stream.of(
                Arguments.of("exercise id", (UnaryOperator<Receipt.Fields>) f -> new Receipt.Fields(f.type(),
                        Messages.OTHER_EXERCISE, f.messageId(), f.asserter(), f.sender(), f.channel(), f.at(),
                        f.subjectHash()), CryptoException.Reason.WRONG_EXERCISE, "belongs to exercise 22222222"),
                Arguments.of("message id", (UnaryOperator<Receipt.Fields>) f -> new Receipt.Fields(f.type(),
                        f.exerciseId(), otherId, f.asserter(), f.sender(), f.channel(), f.at(), f.subjectHash()),
                        CryptoException.Reason.RECEIPT_MISMATCH, "is about message 00000000"),
                Arguments.of("sender", (UnaryOperator<Receipt.Fields>) f -> new Receipt.Fields(f.type(),
                        f.exerciseId(), f.messageId(), f.asserter(), "in.nsa", f.channel(), f.at(), f.subjectHash()),
                        CryptoException.Reason.RECEIPT_MISMATCH, "names sender in.nsa"),
                Arguments.of("channel", (UnaryOperator<Receipt.Fields>) f -> new Receipt.Fields(f.type(),
                        f.exerciseId(), f.messageId(), f.asserter(), f.sender(), "nsa", f.at(), f.subjectHash()),
                        CryptoException.Reason.RECEIPT_MISMATCH, "names channel nsa"),
                Arguments.of("message hash", (UnaryOperator<Receipt.Fields>) f -> new Receipt.Fields(f.type(),
                        f.exerciseId(), f.messageId(), f.asserter(), f.sender(), f.channel(), f.at(), otherHash),
                        CryptoException.Reason.RECEIPT_MISMATCH, "another message than the one sent"),
                Arguments.of("asserter", (UnaryOperator<Receipt.Fields>) f -> new Receipt.Fields(f.type(),
                        f.exerciseId(), f.messageId(), "pk.nsa", f.sender(), f.channel(), f.at(), f.subjectHash()),
                        CryptoException.Reason.RECEIPT_MISMATCH, "who is not a recipient"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("receiptsWithOneFieldChanged")
    void receipt_withOneBoundFieldChanged_isRefused_evenThoughItsSignatureVerifies(
            String field, UnaryOperator<Receipt.Fields> change, CryptoException.Reason reason, String says) {
        Receipt genuine = ReceiptSigner.sign(owner, Receipt.Type.DELIVERED, message, "pk.pm", now);
        Receipt.Fields f = new Receipt.Fields(genuine.type(), genuine.exerciseId(), genuine.messageId(),
                genuine.asserter(), genuine.sender(), genuine.channel().orElseThrow(), genuine.at(),
                genuine.subjectHash().orElseThrow());
        Receipt changed = ReceiptSigner.sign(owner, change.apply(f));
        assertThatThrownBy(() -> ReceiptSigner.verify(changed, owner.publicKey(), subject))
                .isInstanceOfSatisfying(CryptoException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(says);
    }

    @Test
    void acceptedReceipt_assertedByARecipient_isRefused() {
        Receipt r = ReceiptSigner.sign(owner, new Receipt.Fields(Receipt.Type.ACCEPTED, Messages.EXERCISE,
                message.header().messageId(), "pk.pm", "in.pm", "leaders", now, subject.sendHash()));
        assertThatThrownBy(() -> ReceiptSigner.verify(r, owner.publicKey(), subject))
                .isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.RECEIPT_MISMATCH))
                .hasMessageContaining("only the relay");
    }

    @Test
    void receipt_verifiedForTheExerciseOnly_checksSignatureThenExercise() {
        Receipt r = ReceiptSigner.sign(owner, Receipt.Type.DELIVERED, message, "pk.pm", now);
        assertThatCode(() -> ReceiptSigner.verify(r, owner.publicKey(), Messages.EXERCISE)).doesNotThrowAnyException();
        assertThatThrownBy(() -> ReceiptSigner.verify(r, owner.publicKey(), Messages.OTHER_EXERCISE))
                .isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.WRONG_EXERCISE));
        assertThatThrownBy(() -> ReceiptSigner.verify(r, relay.publicKey(), Messages.EXERCISE))
                .isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.BAD_SIGNATURE));
    }

    @Test
    void recipientReceipt_cannotBeSignedAsAccepted() {
        assertThatThrownBy(() -> ReceiptSigner.sign(owner, Receipt.Type.ACCEPTED, message, "pk.pm", now))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
