package org.hotline.protocol.crypto;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.hotline.protocol.crypto.internal.XWingHpke;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.SignedPrekeyBytes;

/**
 * A role's medium-term X-Wing encryption key: the signed public half it publishes and the private
 * half it keeps until the retention window ends, then {@link #erase()}s (forward secrecy).
 */
public final class PrekeyPair {

    private final SignedPrekeyBytes signed;
    private final SecretBytes privateKey;

    private PrekeyPair(SignedPrekeyBytes signed, SecretBytes privateKey) {
        this.signed = signed;
        this.privateKey = privateKey;
    }

    /** Generates a prekey for {@code exercise} and signs its public half with the role's identity key. */
    public static PrekeyPair generate(IdentityKeyPair identity, ExerciseId exercise, String role, int prekeyId,
                                      Instant createdAt, Duration validity, SecureRandom random) {
        byte[] ikm = new byte[32];
        random.nextBytes(ikm);
        XWingHpke.KeyPair kp = XWingHpke.deriveKeyPair(ikm);
        java.util.Arrays.fill(ikm, (byte) 0);
        Instant expires = createdAt.plus(validity);
        byte[] tbs = SignedPrekeyBytes.toBeSigned(exercise, role, prekeyId, createdAt, expires, kp.publicKey());
        byte[] signature = identity.sign(SignatureContext.SIGNED_PREKEY, tbs);
        return new PrekeyPair(SignedPrekeyBytes.of(exercise, role, prekeyId, createdAt, expires, kp.publicKey(),
                signature),
                SecretBytes.copyOf(kp.privateKey()));
    }

    /** Rebuilds a stored prekey; the caller read both halves from the encrypted credential or store. */
    public static PrekeyPair restore(SignedPrekeyBytes signed, byte[] privateKey) {
        if (privateKey.length != XWingHpke.PRIVATE_KEY_BYTES) {
            throw new IllegalArgumentException("X-Wing private key must be 32 bytes");
        }
        return new PrekeyPair(signed, SecretBytes.copyOf(privateKey));
    }

    public SignedPrekeyBytes signed() {
        return signed;
    }

    public int id() {
        return signed.prekeyId();
    }

    SecretBytes privateKey() {
        return privateKey;
    }

    /** The raw 32-byte X-Wing seed, for the encrypted credential or key store only. */
    public byte[] exportPrivateKeyForStorage() {
        return privateKey.reveal();
    }

    /** Zeroes the private key; afterwards nothing sealed to this prekey can be opened here. */
    public void erase() {
        privateKey.destroy();
    }

    public boolean isErased() {
        return privateKey.isDestroyed();
    }

    @Override
    public String toString() {
        return "PrekeyPair[" + signed + "]";
    }
}
