package org.hotline.protocol.wire;

/**
 * Untrusted bytes could not be decoded into a typed value. Always the peer's fault, never a bug
 * on this side; the {@link #reason()} says which rule was broken and the message names the field.
 */
public final class FrameDecodeException extends Exception {

    /** Why decoding stopped. Each maps to one wire {@link ErrorCode}. */
    public enum Reason {
        TOO_LARGE(ErrorCode.FRAME_TOO_LARGE),
        VERSION_TOO_OLD(ErrorCode.UNSUPPORTED_VERSION),
        VERSION_UNKNOWN(ErrorCode.UNSUPPORTED_VERSION),
        UNKNOWN_KIND(ErrorCode.UNKNOWN_FRAME_KIND),
        MISSING_FIELD(ErrorCode.MALFORMED_FRAME),
        MALFORMED(ErrorCode.MALFORMED_FRAME);

        private final ErrorCode errorCode;

        Reason(ErrorCode errorCode) {
            this.errorCode = errorCode;
        }

        public ErrorCode errorCode() {
            return errorCode;
        }
    }

    private final Reason reason;

    public FrameDecodeException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
