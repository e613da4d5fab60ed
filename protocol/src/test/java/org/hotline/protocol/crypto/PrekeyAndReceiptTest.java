package org.hotline.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SignedPrekeyBytes;
import org.junit.jupiter.api.Test;

class PrekeyAndReceiptTest {

    private final SecureRandom random = new SecureRandom();
    private final Instant now = Instant.parse("2026-05-10T14:00:00Z");
    private final IdentityKeyPair owner = IdentityKeyPair.generate(random);
    private final PrekeyPair prekey = PrekeyPair.generate(owner, "pk.pm", 9, now, Duration.ofDays(2), random);

    @Test
    void verify_freshPrekey_byItsOwner_succeeds() throws Exception {
        VerifiedPrekey v = VerifiedPrekey.verify(prekey.signed(), "pk.pm", owner.publicKey(), now.plusSeconds(60));
        assertThat(v.id()).isEqualTo(9);
        assertThat(v.role()).isEqualTo("pk.pm");
    }

    @Test
    void verify_signedByAnotherIdentity_fails() {
        IdentityKeyPair mallory = IdentityKeyPair.generate(random);
        assertThatThrownBy(() -> VerifiedPrekey.verify(prekey.signed(), "pk.pm", mallory.publicKey(), now))
                .isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.BAD_SIGNATURE));
    }

    @Test
    void verify_forAnotherRole_fails() {
        assertThatThrownBy(() -> VerifiedPrekey.verify(prekey.signed(), "in.pm", owner.publicKey(), now))
                .hasMessageContaining("expected in.pm");
    }

    @Test
    void verify_afterExpiry_fails() {
        assertThatThrownBy(() -> VerifiedPrekey.verify(prekey.signed(), "pk.pm", owner.publicKey(),
                now.plus(Duration.ofDays(3))))
                .isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.PREKEY_EXPIRED));
    }

    @Test
    void verify_everyBitFlipOfTheSignedPrekey_isRejected() {
        byte[] bytes = prekey.signed().encode();
        for (int i = 0; i < bytes.length * 8; i += 3) {
            byte[] c = bytes.clone();
            c[i / 8] ^= (byte) (1 << (i % 8));
            try {
                SignedPrekeyBytes p = SignedPrekeyBytes.decode(c);
                VerifiedPrekey.verify(p, "pk.pm", owner.publicKey(), now);
                throw new AssertionError("bit " + i + " flipped and the prekey still verified");
            } catch (org.hotline.protocol.wire.FrameDecodeException | CryptoException expected) {
                // rejected, as it must be
            }
        }
    }

    @Test
    void receipt_signedByAsserter_verifies_andAnyBitFlipFails() throws Exception {
        Receipt r = ReceiptSigner.sign(owner, Receipt.Type.DELIVERED, MessageId.random(random), "pk.pm", "in.pm", now);
        assertThatCode(() -> ReceiptSigner.verify(Receipt.decode(r.encode()), owner.publicKey())).doesNotThrowAnyException();
        byte[] bytes = r.encode();
        for (int i = 0; i < bytes.length * 8; i++) {
            byte[] c = bytes.clone();
            c[i / 8] ^= (byte) (1 << (i % 8));
            try {
                ReceiptSigner.verify(Receipt.decode(c), owner.publicKey());
                throw new AssertionError("bit " + i + " flipped and the receipt still verified");
            } catch (org.hotline.protocol.wire.FrameDecodeException | CryptoException expected) {
                // rejected
            }
        }
    }
}
