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
 *
 * <p>The private half is kept as its 32-byte seed and, from the first box opened with it, also as
 * the expanded decapsulation key ({@link #decapsulationKey()}), so a backlog of messages sealed to
 * one prekey costs one expansion, not one per message. {@link #erase()} drops both.
 */
public final class PrekeyPair {

    private final SignedPrekeyBytes signed;
    private final SecretBytes privateKey;
    /** The seed expanded, once a box was opened with it; null before that and after {@link #erase()}. */
    private XWingHpke.DecapsulationKey decapsulationKey;

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

    /**
     * The private key expanded for opening boxes, made from the seed on first use and kept until
     * {@link #erase()}.
     *
     * @throws IllegalStateException the prekey was erased
     */
    synchronized XWingHpke.DecapsulationKey decapsulationKey() {
        if (privateKey.isDestroyed()) {
            throw new IllegalStateException("prekey " + id() + " was erased");
        }
        if (decapsulationKey == null) {
            byte[] seed = privateKey.reveal();
            try {
                decapsulationKey = XWingHpke.expand(seed, signed.publicKey());
            } finally {
                java.util.Arrays.fill(seed, (byte) 0);
            }
        }
        return decapsulationKey;
    }

    /** Whether the expanded key is held (for tests of {@link #erase()} and {@link #dropExpanded()}). */
    public synchronized boolean holdsDecapsulationKey() {
        return decapsulationKey != null;
    }

    /**
     * Zeroes the private key and drops its expanded form; afterwards nothing sealed to this prekey
     * can be opened here.
     */
    public synchronized void erase() {
        decapsulationKey = null;
        privateKey.destroy();
    }

    /**
     * Drops the cached expanded key but keeps the seed, so the prekey still opens boxes later (by
     * expanding again). Called when the client closes: BouncyCastle key objects cannot be zeroed,
     * so the least we can do is not keep them reachable from a closed engine.
     */
    public synchronized void dropExpanded() {
        decapsulationKey = null;
    }

    public boolean isErased() {
        return privateKey.isDestroyed();
    }

    @Override
    public String toString() {
        return "PrekeyPair[" + signed + "]";
    }
}
