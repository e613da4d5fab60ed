package org.hotline.client.core.net;

import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.FrameDecodeException;

/**
 * Why one connection ended, for the person reading "line down: ...": the first cause seen on the
 * channel wins (a bad frame makes the relay close too, but the bad frame is the cause). Touched on
 * that channel's event loop only.
 */
final class CloseCause {

    /** Errors about one message, fetch or upload, or a burst: the relay answers them and carries on. */
    private static final Set<ErrorCode> ABOUT_ONE_REQUEST = EnumSet.of(ErrorCode.POLICY_VIOLATION,
            ErrorCode.UNKNOWN_CHANNEL, ErrorCode.QUEUE_FULL, ErrorCode.RATE_LIMITED, ErrorCode.DUPLICATE_CONFLICT,
            ErrorCode.BAD_PREKEY, ErrorCode.NO_PREKEY, ErrorCode.STORAGE_FAILURE);

    private String cause;

    /** Records {@code why} unless an earlier cause is already known. */
    void record(String why) {
        if (cause == null) {
            cause = why;
        }
    }

    /** An exception that reached the tail of the pipeline. */
    void record(Throwable t) {
        if (t instanceof DecoderException || rootOf(t) instanceof FrameDecodeException) {
            record("the relay sent a frame this client cannot read (" + rootMessage(t) + ")");
        } else if (t instanceof SSLException || rootOf(t) instanceof SSLException) {
            record("TLS failure on the connection to the relay: " + rootMessage(t));
        } else if (t instanceof IOException) {
            record("connection to the relay lost: " + rootMessage(t));
        } else {
            record("connection to the relay failed: " + rootMessage(t));
        }
    }

    /** An ERROR frame: the relay closes the connection after the session-level ones (PROTOCOL.md §7.1). */
    void record(Frame.Error e) {
        if (ABOUT_ONE_REQUEST.contains(e.code())) {
            return; // the session stays up after these, so they are no reason for a later close
        }
        if (e.code() == ErrorCode.SUPERSEDED) {
            record("superseded: another console signed in as this role took the line");
        } else {
            record("the relay ended the session: " + e.code().description()
                    + (e.text().isBlank() ? "" : " (" + e.text() + ")"));
        }
    }

    /** The recorded cause, or a remote close when nothing else was seen. */
    String describe() {
        return cause != null ? cause : "the relay closed the connection";
    }

    static String rootMessage(Throwable t) {
        if (t == null) {
            return "unknown";
        }
        Throwable c = rootOf(t);
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }

    private static Throwable rootOf(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }
}
