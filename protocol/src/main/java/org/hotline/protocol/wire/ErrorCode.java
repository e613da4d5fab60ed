package org.hotline.protocol.wire;

import java.util.Arrays;
import java.util.Optional;

/** Error codes carried in {@code ERROR} frames (PROTOCOL.md §7). Numbers are part of the wire format. */
public enum ErrorCode {
    MALFORMED_FRAME(1, "malformed frame"),
    FRAME_TOO_LARGE(2, "frame too large"),
    UNSUPPORTED_VERSION(3, "unsupported protocol version"),
    UNKNOWN_FRAME_KIND(4, "unknown frame kind"),
    UNEXPECTED_FRAME(5, "frame not allowed in this direction or state"),
    NOT_AUTHENTICATED(10, "not authenticated"),
    IMPERSONATION(11, "claimed sender differs from the authenticated role"),
    POLICY_VIOLATION(12, "recipient not allowed by channel policy"),
    UNKNOWN_ROLE(13, "unknown role"),
    UNKNOWN_CHANNEL(14, "unknown channel"),
    QUEUE_FULL(20, "recipient queue full"),
    RATE_LIMITED(21, "rate limit exceeded"),
    TOO_MANY_CONNECTIONS(22, "too many connections"),
    IDLE_TIMEOUT(23, "idle timeout"),
    DUPLICATE_CONFLICT(24, "message id reused with different content"),
    SUPERSEDED(25, "superseded by a newer connection of the same role"),
    BAD_PREKEY(30, "prekey rejected"),
    NO_PREKEY(31, "no prekey available"),
    STORAGE_FAILURE(40, "relay storage failure"),
    INTERNAL(50, "internal error");

    private final int code;
    private final String description;

    ErrorCode(int code, String description) {
        this.code = code;
        this.description = description;
    }

    public int code() {
        return code;
    }

    public String description() {
        return description;
    }

    public static Optional<ErrorCode> fromCode(int code) {
        return Arrays.stream(values()).filter(c -> c.code == code).findFirst();
    }
}
