package org.hotline.server.net;

import io.netty.handler.ssl.NotSslRecordException;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import org.hotline.protocol.text.DisplaySafe;
import org.hotline.server.relay.TokenBucket;

/**
 * Bounds what an unauthenticated peer can make the relay log: one short line per refused
 * connection, at most {@code perSecond} lines a second after a burst, with the number of lines
 * left out reported on the next one (THREAT_MODEL.md §8). Without it, garbage sent to the port
 * was logged as a 4 KiB hex dump, twice per connection, at INFO. Shared by every connection, so
 * thread-safe.
 */
final class RefusalLog {

    /** Longest peer-influenced detail kept in a line. */
    static final int MAX_DETAIL_CHARS = 120;

    private final TokenBucket bucket;
    private final LongSupplier nanoTime;
    private long suppressed;

    RefusalLog(double perSecond, int burst, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.bucket = new TokenBucket(perSecond, burst, nanoTime.getAsLong());
    }

    /**
     * Whether a line may be logged now: the number of lines suppressed since the last one logged,
     * or empty if this one must be left out too.
     */
    synchronized OptionalLong admit() {
        if (bucket.tryTake(nanoTime.getAsLong())) {
            long s = suppressed;
            suppressed = 0;
            return OptionalLong.of(s);
        }
        suppressed++;
        return OptionalLong.empty();
    }

    /**
     * A short description of why a handshake failed: never the bytes the peer sent (Netty's
     * {@link NotSslRecordException} message carries the whole record as hex), at most
     * {@link #MAX_DETAIL_CHARS} characters of any other message, on one line.
     */
    static String brief(Throwable cause) {
        Throwable root = cause;
        for (Throwable c = cause; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof NotSslRecordException) {
                return "not a TLS record";
            }
            root = c;
        }
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        m = DisplaySafe.line(m);
        return m.length() <= MAX_DETAIL_CHARS ? m : m.substring(0, MAX_DETAIL_CHARS) + "…";
    }
}
