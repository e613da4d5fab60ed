package org.hotline.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.hotline.protocol.testing.Messages;
import org.hotline.protocol.wire.FrameDecodeException;
import org.hotline.protocol.wire.SignedMessage;
import org.junit.jupiter.api.Test;

class MessageSignerTest {

    private final SecureRandom random = new SecureRandom();
    private final IdentityKeyPair alice = IdentityKeyPair.generate(random);
    private final IdentityKeyPair mallory = IdentityKeyPair.generate(random);

    private SignedMessage signed() {
        return MessageSigner.sign(alice, Messages.header("in.pm", "pk.pm", 1, random), Messages.readinessSignal());
    }

    @Test
    void verify_untouchedMessage_succeeds() {
        assertThatCode(() -> MessageSigner.verify(signed(), alice.publicKey(), Messages.EXERCISE)).doesNotThrowAnyException();
    }

    @Test
    void verify_underAnotherKey_failsWithBadSignature() {
        assertThatThrownBy(() -> MessageSigner.verify(signed(), mallory.publicKey(), Messages.EXERCISE))
                .isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.BAD_SIGNATURE))
                .hasMessageContaining("bad signature").hasMessageContaining("in.pm");
    }

    @Test
    void verify_afterDecodingTheEncoding_succeeds() throws Exception {
        SignedMessage m = signed();
        SignedMessage again = SignedMessage.decode(m.encode());
        assertThat(again).isEqualTo(m);
        MessageSigner.verify(again, alice.publicKey(), Messages.EXERCISE);
    }

    /** Flip every bit of the encoded message: it must either fail to parse or fail to verify. */
    @Test
    void verify_everySingleBitFlip_isRejected() {
        byte[] bytes = signed().encode();
        int rejected = 0;
        for (int i = 0; i < bytes.length * 8; i++) {
            byte[] copy = bytes.clone();
            copy[i / 8] ^= (byte) (1 << (i % 8));
            try {
                MessageSigner.verify(SignedMessage.decode(copy), alice.publicKey(), Messages.EXERCISE);
            } catch (FrameDecodeException | CryptoException e) {
                rejected++;
                continue;
            }
            throw new AssertionError("bit " + i + " flipped and still verified");
        }
        assertThat(rejected).isEqualTo(bytes.length * 8);
    }

    @Test
    void verify_messageOfAnotherExercise_failsWithWrongExercise_thoughItsSignatureVerifies() {
        SignedMessage foreign = MessageSigner.sign(alice, Messages.header(Messages.OTHER_EXERCISE, "in.pm", "pk.pm", 1,
                random), Messages.readinessSignal());
        assertThatCode(() -> MessageSigner.verify(foreign, alice.publicKey(), Messages.OTHER_EXERCISE))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> MessageSigner.verify(foreign, alice.publicKey(), Messages.EXERCISE))
                .isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.WRONG_EXERCISE))
                .hasMessageContaining("belongs to exercise 22222222");
    }

    /** Each byte of the header's exercise id (offset 1 to 32) is covered by the signature. */
    @Test
    void verify_exerciseIdRewrittenInTheHeader_failsWithBadSignature() throws Exception {
        byte[] bytes = signed().encode();
        for (int i = 0; i < 32; i++) {
            byte[] copy = bytes.clone();
            copy[4 + 1 + i] ^= 0x22 ^ 0x11;
            SignedMessage m = SignedMessage.decode(copy);
            assertThatThrownBy(() -> MessageSigner.verify(m, alice.publicKey(), m.header().exerciseId()))
                    .isInstanceOfSatisfying(CryptoException.class,
                            e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.BAD_SIGNATURE));
        }
    }

    @Test
    void version1Contexts_areVerifyOnly() {
        assertThatThrownBy(() -> alice.sign(SignatureContext.LEGACY_V1_MESSAGE, new byte[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("verify only");
        assertThatThrownBy(() -> alice.sign(SignatureContext.LEGACY_V1_RECEIPT, new byte[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(SignatureContext.MESSAGE.label()).isEqualTo("hotline/v2 message");
        assertThat(SignatureContext.RECEIPT.label()).isEqualTo("hotline/v2 receipt");
        assertThat(SignatureContext.SIGNED_PREKEY.label()).isEqualTo("hotline/v2 signed-prekey");
    }

    @Test
    void signature_isDeterministic_andBoundToContext() {
        var header = Messages.header("in.pm", "pk.pm", 1, random);
        SignedMessage a = MessageSigner.sign(alice, header, Messages.readinessSignal());
        SignedMessage b = MessageSigner.sign(alice, header, Messages.readinessSignal());
        assertThat(a.signature()).isEqualTo(b.signature());
        // The same bytes signed for another purpose do not verify as a message.
        byte[] receiptSig = alice.sign(SignatureContext.RECEIPT,
                new org.hotline.protocol.wire.WireWriter().bytes32(a.headerBytes()).bytes32(a.bodyBytes()).toByteArray());
        assertThat(alice.publicKey().verify(SignatureContext.MESSAGE, receiptSig,
                new org.hotline.protocol.wire.WireWriter().bytes32(a.headerBytes()).bytes32(a.bodyBytes()).toByteArray()))
                .isFalse();
    }

    @Test
    void privateKey_neverAppearsInToString() {
        assertThat(alice.toString()).doesNotContain(java.util.HexFormat.of().formatHex(alice.exportPrivateKeyForStorage()));
        assertThat(SecretBytes.copyOf(new byte[] {1, 2, 3}).toString()).contains("redacted");
    }
}
