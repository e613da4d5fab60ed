package org.hotline.protocol.crypto;

/** A peer's cryptographic input failed a check: bad signature, undecryptable box, unusable key. */
public final class CryptoException extends Exception {

    public enum Reason {
        BAD_SIGNATURE,
        DECRYPTION_FAILED,
        ENVELOPE_MISMATCH,
        BAD_PREKEY,
        PREKEY_EXPIRED,
        UNKNOWN_PREKEY,
        /** A signed object names another exercise than the one it is checked for (PROTOCOL.md §7.3). */
        WRONG_EXERCISE,
        /** A receipt names another message, sender, channel or hash than the message it is about. */
        RECEIPT_MISMATCH,
        MALFORMED
    }

    private final Reason reason;

    public CryptoException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public CryptoException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
