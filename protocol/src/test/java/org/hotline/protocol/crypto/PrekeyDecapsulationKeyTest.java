package org.hotline.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.testing.Messages;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.SignedMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A prekey expands its seed once and keeps the expanded key for every later box (a backlog drain
 * opens thousands with one prekey), and erasing the prekey drops the expanded key with the seed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PrekeyDecapsulationKeyTest {

    private final SecureRandom random = new SecureRandom();
    private final Instant now = Instant.now();
    private final IdentityKeyPair sender = IdentityKeyPair.generate(random);
    private final IdentityKeyPair recipient = IdentityKeyPair.generate(random);
    private final PrekeyPair prekey = PrekeyPair.generate(recipient, Messages.EXERCISE, "pk.pm", 5, now,
            Duration.ofDays(2), random);

    private Frame.Deliver sealed(long counter) throws CryptoException {
        SignedMessage m = MessageSigner.sign(sender, Messages.header("in.pm", "pk.pm", counter, random),
                Messages.readinessSignal());
        VerifiedPrekey verified = VerifiedPrekey.verify(prekey.signed(), "pk.pm", recipient.publicKey(),
                Messages.EXERCISE, now);
        Frame.Send send = MessageSealer.seal(m, List.of(verified), random);
        return new Frame.Deliver(send.messageId(), send.sender(), send.channel(), Instant.now(), send.boxes().get(0));
    }

    @Test
    void theSeedIsExpandedOnFirstOpen_andTheSameExpandedKeyOpensEveryLaterBox() throws Exception {
        assertThat(prekey.holdsDecapsulationKey()).as("nothing expanded before a box is opened").isFalse();
        MessageSealer.open(sealed(1), prekey);
        assertThat(prekey.holdsDecapsulationKey()).isTrue();
        var expanded = prekey.decapsulationKey();
        for (long c = 2; c <= 4; c++) {
            assertThat(MessageSealer.open(sealed(c), prekey).header().counter()).isEqualTo(c);
        }
        assertThat(prekey.decapsulationKey()).as("not expanded again").isSameAs(expanded);
        assertThat(expanded.toString()).doesNotContainPattern("[0-9a-fA-F]{16}");
    }

    @Test
    void erasingThePrekey_dropsTheExpandedKey_andNothingOpensAfterwards() throws Exception {
        Frame.Deliver later = sealed(2);
        MessageSealer.open(sealed(1), prekey);
        assertThat(prekey.holdsDecapsulationKey()).isTrue();

        prekey.erase();

        assertThat(prekey.isErased()).isTrue();
        assertThat(prekey.holdsDecapsulationKey()).as("the expanded key goes with the seed").isFalse();
        assertThatThrownBy(prekey::decapsulationKey).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> MessageSealer.open(later, prekey)).isInstanceOfSatisfying(CryptoException.class,
                e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.UNKNOWN_PREKEY));
        assertThat(prekey.holdsDecapsulationKey()).as("a refused open expands nothing again").isFalse();
    }

    @Test
    void droppingTheExpandedKey_keepsTheSeed_soTheNextOpenExpandsAgain() throws Exception {
        MessageSealer.open(sealed(1), prekey);
        var expanded = prekey.decapsulationKey();

        prekey.dropExpanded();

        assertThat(prekey.holdsDecapsulationKey()).as("the expanded key is gone").isFalse();
        assertThat(prekey.isErased()).as("the seed is not").isFalse();
        assertThat(MessageSealer.open(sealed(2), prekey).header().counter()).isEqualTo(2);
        assertThat(prekey.decapsulationKey()).as("expanded afresh").isNotSameAs(expanded);
    }

    @Test
    void aStoredSeedThatDoesNotYieldThePublishedKey_opensNothing() throws Exception {
        Frame.Deliver box = sealed(1);
        byte[] otherSeed = new byte[32];
        random.nextBytes(otherSeed);
        PrekeyPair mismatched = PrekeyPair.restore(prekey.signed(), otherSeed);
        assertThatThrownBy(() -> MessageSealer.open(box, mismatched)).isInstanceOfSatisfying(CryptoException.class,
                e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.DECRYPTION_FAILED));
        assertThat(mismatched.holdsDecapsulationKey()).isFalse();
    }
}
