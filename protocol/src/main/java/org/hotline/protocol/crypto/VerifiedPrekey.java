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

    /**
     * The longest validity a sender accepts for a rotated prekey (PROTOCOL.md §5.2): clients make
     * 48-hour ones; 7 days leaves room for a longer configured validity while bounding how long one
     * key is sealed to, hence what one prekey compromise exposes (THREAT_MODEL.md, forward secrecy).
     */
    public static final java.time.Duration MAX_ROTATED_VALIDITY = java.time.Duration.ofDays(7);

    /** The longest validity a sender accepts for an initial prekey: the 30 days {@code pki init} gives it. */
    public static final java.time.Duration MAX_INITIAL_VALIDITY = java.time.Duration.ofDays(30);

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
        return verify(prekey, expectedRole, identity, exercise, now, MAX_LIFETIME);
    }

    /**
     * As {@link #verify(SignedPrekeyBytes, String, IdentityPublicKey, ExerciseId, Instant)}, for a
     * sender about to seal: also refuses, after the lifetime check, a prekey whose validity period is
     * longer than {@code maxValidity} ({@link #MAX_ROTATED_VALIDITY} or {@link #MAX_INITIAL_VALIDITY},
     * PROTOCOL.md §5.2).
     *
     * @throws CryptoException {@code BAD_PREKEY} naming the validity and the cap when it is too long
     */
    public static VerifiedPrekey verify(SignedPrekeyBytes prekey, String expectedRole, IdentityPublicKey identity,
                                        ExerciseId exercise, Instant now, java.time.Duration maxValidity)
            throws CryptoException {
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
        java.time.Duration validity = java.time.Duration.between(prekey.createdAt(), prekey.expiresAt());
        if (validity.compareTo(maxValidity) > 0) {
            throw new CryptoException(CryptoException.Reason.BAD_PREKEY, "prekey " + prekey.prekeyId() + " of "
                    + expectedRole + " is valid for " + validity.toHours() + " h (" + prekey.createdAt() + " to "
                    + prekey.expiresAt() + "), longer than the " + maxValidity.toHours()
                    + " h a sender accepts; sealing to it would stretch the forward-secrecy window");
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
