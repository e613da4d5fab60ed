package org.hotline.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.hotline.protocol.testing.Messages;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.SealedBox;
import org.hotline.protocol.wire.SignedMessage;
import org.junit.jupiter.api.Test;

class MessageSealerTest {

    private final SecureRandom random = new SecureRandom();
    private final Instant now = Instant.now();
    private final IdentityKeyPair sender = IdentityKeyPair.generate(random);
    private final IdentityKeyPair recipient = IdentityKeyPair.generate(random);
    private final PrekeyPair prekey = PrekeyPair.generate(recipient, Messages.EXERCISE, "pk.pm", 5, now, Duration.ofDays(2), random);

    private VerifiedPrekey verifiedPrekey() throws CryptoException {
        return VerifiedPrekey.verify(prekey.signed(), "pk.pm", recipient.publicKey(), Messages.EXERCISE, now);
    }

    private SignedMessage message(long counter) {
        return MessageSigner.sign(sender, Messages.header("in.pm", "pk.pm", counter, random), Messages.readinessSignal());
    }

    private static Frame.Deliver deliver(Frame.Send send) {
        return new Frame.Deliver(send.messageId(), send.sender(), send.channel(), Instant.now(), send.boxes().get(0));
    }

    @Test
    void sealThenOpen_givesTheSignedMessage_whichVerifies() throws Exception {
        SignedMessage m = message(1);
        Frame.Send send = MessageSealer.seal(m, List.of(verifiedPrekey()), random);
        SignedMessage opened = MessageSealer.open(deliver(send), prekey);
        assertThat(opened).isEqualTo(m);
        MessageSigner.verify(opened, sender.publicKey(), Messages.EXERCISE);
    }

    @Test
    void sealedBox_doesNotContainThePlaintext() throws Exception {
        SignedMessage m = MessageSigner.sign(sender, Messages.header("in.pm", "pk.pm", 1, random),
                new org.hotline.protocol.wire.Content.Text("MARKER-7f3a-unique-plaintext"));
        Frame.Send send = MessageSealer.seal(m, List.of(verifiedPrekey()), random);
        String wire = new String(org.hotline.protocol.wire.FrameCodec.encode(send), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(wire).doesNotContain("MARKER-7f3a");
    }

    @Test
    void everyBitFlipInEncapsulationOrCiphertext_isRejected() throws Exception {
        Frame.Send send = MessageSealer.seal(message(1), List.of(verifiedPrekey()), random);
        SealedBox box = send.boxes().get(0);
        byte[] enc = box.encapsulation();
        byte[] ct = box.ciphertext();
        // Every bit of the ciphertext (tag included) and of the 1120-byte encapsulation.
        for (int i = 0; i < ct.length * 8; i++) {
            byte[] c = ct.clone();
            c[i / 8] ^= (byte) (1 << (i % 8));
            assertRejected(send, new SealedBox(box.recipient(), box.prekeyId(), enc, c));
        }
        for (int i = 0; i < enc.length * 8; i++) {
            byte[] e = enc.clone();
            e[i / 8] ^= (byte) (1 << (i % 8));
            assertRejected(send, new SealedBox(box.recipient(), box.prekeyId(), e, ct));
        }
    }

    private void assertRejected(Frame.Send send, SealedBox altered) {
        Frame.Deliver d = new Frame.Deliver(send.messageId(), send.sender(), send.channel(), Instant.now(), altered);
        // The AAD and the KEM bind every byte: any change is a failed decryption, not a parse error.
        assertThatThrownBy(() -> MessageSealer.open(d, prekey)).isInstanceOfSatisfying(CryptoException.class,
                e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.DECRYPTION_FAILED));
    }

    @Test
    void boxMovedToAnotherEnvelope_isRejected() throws Exception {
        Frame.Send send = MessageSealer.seal(message(1), List.of(verifiedPrekey()), random);
        Frame.Deliver d = new Frame.Deliver(MessageId.random(random), send.sender(), send.channel(), Instant.now(),
                send.boxes().get(0));
        assertThatThrownBy(() -> MessageSealer.open(d, prekey))
                .isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.DECRYPTION_FAILED));
        Frame.Deliver otherSender = new Frame.Deliver(send.messageId(), "in.nsa", send.channel(), Instant.now(),
                send.boxes().get(0));
        assertThatThrownBy(() -> MessageSealer.open(otherSender, prekey)).isInstanceOfSatisfying(CryptoException.class,
                e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.DECRYPTION_FAILED));
    }

    @Test
    void openWithAnotherRecipientsPrekey_isRejected() throws Exception {
        PrekeyPair other = PrekeyPair.generate(recipient, Messages.EXERCISE, "pk.pm", 5, now, Duration.ofDays(2), random);
        Frame.Send send = MessageSealer.seal(message(1), List.of(verifiedPrekey()), random);
        assertThatThrownBy(() -> MessageSealer.open(deliver(send), other)).isInstanceOf(CryptoException.class)
                .hasMessageContaining("does not decrypt");
    }

    /** Forward secrecy: once the prekey's private half is erased, captured boxes cannot be opened here. */
    @Test
    void afterPrekeyErasure_capturedMessagesCannotBeOpened() throws Exception {
        Frame.Send captured = MessageSealer.seal(message(1), List.of(verifiedPrekey()), random);
        prekey.erase();
        assertThat(prekey.isErased()).isTrue();
        assertThatThrownBy(() -> MessageSealer.open(deliver(captured), prekey))
                .isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.UNKNOWN_PREKEY))
                .hasMessageContaining("erased");
    }

    /** No shared state: losing or duplicating a message never affects the next one. */
    @Test
    void lostOrDuplicatedMessages_neverBreakLaterOnes() throws Exception {
        VerifiedPrekey pk = verifiedPrekey();
        Frame.Send first = MessageSealer.seal(message(1), List.of(pk), random);
        MessageSealer.seal(message(2), List.of(pk), random); // lost in transit
        Frame.Send third = MessageSealer.seal(message(3), List.of(pk), random);
        assertThat(MessageSealer.open(deliver(third), prekey).header().counter()).isEqualTo(3);
        assertThat(MessageSealer.open(deliver(first), prekey).header().counter()).isEqualTo(1);
        assertThat(MessageSealer.open(deliver(first), prekey).header().counter()).isEqualTo(1);
        assertThat(MessageSealer.open(deliver(third), prekey).header().counter()).isEqualTo(3);
    }

    @Test
    void twoSealsOfTheSameMessage_differ() throws Exception {
        SignedMessage m = message(1);
        var a = MessageSealer.seal(m, List.of(verifiedPrekey()), random).boxes().get(0);
        var b = MessageSealer.seal(m, List.of(verifiedPrekey()), random).boxes().get(0);
        assertThat(a.ciphertext()).isNotEqualTo(b.ciphertext());
        assertThat(a.encapsulation()).isNotEqualTo(b.encapsulation());
    }

    /** A sender of another exercise seals correctly to this prekey but its signed header names its own exercise. */
    @Test
    void open_messageNamingAnotherExercise_failsWithWrongExercise() throws Exception {
        SignedMessage foreign = MessageSigner.sign(sender, Messages.header(Messages.OTHER_EXERCISE, "in.pm", "pk.pm", 1,
                random), Messages.readinessSignal());
        var h = foreign.header();
        SealedBox box = MessageSealer.sealOne(foreign.encode(), h.messageId(), h.sender(), h.channel(),
                verifiedPrekey(), random);
        Frame.Deliver d = new Frame.Deliver(h.messageId(), h.sender(), h.channel(), Instant.now(), box);
        assertThatThrownBy(() -> MessageSealer.open(d, prekey))
                .isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.WRONG_EXERCISE));
    }

    /** The exercise id is in the HPKE info: the same key pair published for another exercise opens nothing here. */
    @Test
    void boxSealedUnderAnotherExercise_doesNotDecrypt_evenToTheSameKeyPair() throws Exception {
        var s = prekey.signed();
        byte[] tbs = org.hotline.protocol.wire.SignedPrekeyBytes.toBeSigned(Messages.OTHER_EXERCISE, s.role(),
                s.prekeyId(), s.createdAt(), s.expiresAt(), s.publicKey());
        var sameKeyOtherExercise = org.hotline.protocol.wire.SignedPrekeyBytes.of(Messages.OTHER_EXERCISE, s.role(),
                s.prekeyId(), s.createdAt(), s.expiresAt(), s.publicKey(),
                recipient.sign(SignatureContext.SIGNED_PREKEY, tbs));
        VerifiedPrekey there = VerifiedPrekey.verify(sameKeyOtherExercise, "pk.pm", recipient.publicKey(),
                Messages.OTHER_EXERCISE, now);
        SignedMessage m = MessageSigner.sign(sender, Messages.header(Messages.OTHER_EXERCISE, "in.pm", "pk.pm", 1,
                random), Messages.readinessSignal());
        Frame.Send send = MessageSealer.seal(m, List.of(there), random);
        assertThatThrownBy(() -> MessageSealer.open(deliver(send), prekey))
                .isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.DECRYPTION_FAILED));
    }

    @Test
    void seal_toPrekeyOfAnotherExercise_isAProgrammingError() throws Exception {
        SignedMessage foreign = MessageSigner.sign(sender, Messages.header(Messages.OTHER_EXERCISE, "in.pm", "pk.pm", 1,
                random), Messages.readinessSignal());
        assertThatThrownBy(() -> MessageSealer.seal(foreign, List.of(verifiedPrekey()), random))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another exercise");
    }

    @Test
    void seal_toPrekeyOfNonRecipient_isAProgrammingError() throws Exception {
        IdentityKeyPair other = IdentityKeyPair.generate(random);
        PrekeyPair p = PrekeyPair.generate(other, Messages.EXERCISE, "pk.nsa", 1, now, Duration.ofDays(1), random);
        VerifiedPrekey v = VerifiedPrekey.verify(p.signed(), "pk.nsa", other.publicKey(), Messages.EXERCISE, now);
        assertThatThrownBy(() -> MessageSealer.seal(message(1), List.of(v), random))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
