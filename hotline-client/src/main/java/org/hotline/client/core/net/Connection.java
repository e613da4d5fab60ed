package org.hotline.client.core.net;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.wire.Frame;

/**
 * The client's one line to the relay, as the engine sees it: frames out, frames and connection
 * events in. The implementation keeps reconnecting by itself; {@link Events} are handed to the
 * engine's thread, in order, so the engine needs no locks.
 */
public interface Connection extends AutoCloseable {

    /**
     * How long a connection superseded by another of the same role waits before reconnecting:
     * long enough that two consoles signed in as one role do not take the line from each other in
     * turn, short enough that closing the other one brings this one back by itself.
     */
    Duration SUPERSEDED_HOLD_OFF = Duration.ofSeconds(60);

    /** What the connection reports, on the engine's thread. */
    interface Events {
        /** TLS is up with the exercise relay; the engine says HELLO next. */
        void connected();

        void frame(Frame frame);

        /**
         * {@code frame} arrived and is about to be handed to the engine thread: called on the
         * connection's own thread (the event loop), before {@link #frame}, for work that may start
         * ahead of the engine and touches no engine state (opening deliveries ahead). Nothing by default.
         */
        default void arriving(Frame frame) {
        }

        /** The line is down (or could not be made); {@code reason} names the cause for people. */
        void disconnected(String reason);
    }

    /** Makes the connection to the relay: the Netty one in production, a recording fake in unit tests. */
    interface Factory {
        /**
         * @param trust  the current exercise CA and CRL, read at every TLS handshake
         * @param events where the connection reports
         * @param engine the executor events are handed to (the engine's one thread)
         */
        Connection open(Supplier<CertificateValidator> trust, Events events, Executor engine) throws IOException;
    }

    /** Connects, and keeps reconnecting until {@link #close()}. */
    void start();

    /** Sends if connected; false if the frame could not be handed to a live connection. */
    boolean send(Frame frame);

    /** Drops the current connection as if the network failed; the connection reconnects by itself. */
    void drop();

    /** Stops reconnecting and closes the current connection. */
    @Override
    void close();
}
