package org.hotline.protocol.crypto;

import java.time.Instant;
import org.hotline.protocol.crypto.internal.XWingHpke;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.SignedPrekeyBytes;

/**
 * A peer's prekey whose signature was checked against the peer's certified identity key, that names
 * this exercise, and whose validity covers "now" (PROTOCOL.md §5.2). Only this type can be sealed to,
 * so an unverified key cannot be used by mistake.
 */
public final class VerifiedPrekey {

    /** The longest validity a prekey may claim; longer would defeat forward secrecy. */
    public static final java.time.Duration MAX_LIFETIME = java.time.Duration.ofDays(90);

    private final SignedPrekeyBytes signed;

    private VerifiedPrekey(SignedPrekeyBytes signed) {
        this.signed = signed;
    }

    /**
     * Checks, in this order: role ({@code BAD_PREKEY}), signature ({@code BAD_SIGNATURE}), exercise
     * ({@code WRONG_EXERCISE}), key ({@code BAD_PREKEY}), lifetime ({@code BAD_PREKEY}), validity now
     * ({@code PREKEY_EXPIRED}).
     *
     * @param expectedRole the role whose certified identity key is {@code identity}
     * @param exercise     the exercise the prekey must name
     * @throws CryptoException if the signature, role, exercise, key encoding or validity period is wrong
     */
    public static VerifiedPrekey verify(SignedPrekeyBytes prekey, String expectedRole, IdentityPublicKey identity,
                                        ExerciseId exercise, Instant now) throws CryptoException {
        if (!prekey.role().equals(expectedRole)) {
            throw new CryptoException(CryptoException.Reason.BAD_PREKEY,
                    "prekey " + prekey.prekeyId() + " names role " + prekey.role() + ", expected " + expectedRole);
        }
        if (!identity.verify(SignatureContext.SIGNED_PREKEY, prekey.signature(), prekey.toBeSigned())) {
            throw new CryptoException(CryptoException.Reason.BAD_SIGNATURE,
                    "prekey " + prekey.prekeyId() + " of " + expectedRole + " has a bad signature");
        }
        if (!prekey.exerciseId().equals(exercise)) {
            throw new CryptoException(CryptoException.Reason.WRONG_EXERCISE, "prekey " + prekey.prekeyId() + " of "
                    + expectedRole + " belongs to exercise " + prekey.exerciseId().shortForm()
                    + ", not to this exercise " + exercise.shortForm());
        }
        try {
            XWingHpke.checkPublicKey(prekey.publicKey());
        } catch (IllegalArgumentException e) {
            throw new CryptoException(CryptoException.Reason.BAD_PREKEY,
                    "prekey " + prekey.prekeyId() + " of " + expectedRole + " is not an X-Wing public key");
        }
        if (!prekey.createdAt().isBefore(prekey.expiresAt())
                || java.time.Duration.between(prekey.createdAt(), prekey.expiresAt()).compareTo(MAX_LIFETIME) > 0) {
            throw new CryptoException(CryptoException.Reason.BAD_PREKEY, "prekey " + prekey.prekeyId() + " of "
                    + expectedRole + " has an invalid lifetime (" + prekey.createdAt() + " to " + prekey.expiresAt() + ")");
        }
        if (now.isBefore(prekey.createdAt().minusSeconds(300)) || !now.isBefore(prekey.expiresAt())) {
            throw new CryptoException(CryptoException.Reason.PREKEY_EXPIRED,
                    "prekey " + prekey.prekeyId() + " of " + expectedRole + " is not valid at " + now
                            + " (valid " + prekey.createdAt() + " to " + prekey.expiresAt() + ")");
        }
        return new VerifiedPrekey(prekey);
    }

    public String role() {
        return signed.role();
    }

    public ExerciseId exerciseId() {
        return signed.exerciseId();
    }

    public int id() {
        return signed.prekeyId();
    }

    public Instant expiresAt() {
        return signed.expiresAt();
    }

    public SignedPrekeyBytes signed() {
        return signed;
    }

    byte[] publicKey() {
        return signed.publicKey();
    }
}
