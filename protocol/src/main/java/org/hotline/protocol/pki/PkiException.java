package org.hotline.protocol.pki;

/**
 * A credential or certificate cannot be used: the message names the file or role and the problem
 * in one line (CLI exit code 3).
 */
public final class PkiException extends Exception {

    public enum Reason {
        MISSING_FILE,
        WRONG_PASSPHRASE,
        MALFORMED,
        EXPIRED,
        NOT_YET_VALID,
        REVOKED,
        UNTRUSTED_ISSUER,
        WRONG_PURPOSE,
        UNKNOWN_ROLE,
        IO
    }

    private final Reason reason;

    public PkiException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public PkiException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
