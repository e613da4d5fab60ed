package org.hotline.server.relay;

import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.Frame;

/**
 * One authenticated connection as the relay logic sees it: who it is and how to talk to it. The
 * network layer implements this; the relay logic never sees a channel or a buffer.
 */
public interface RelaySession {

    /** The role bound to this connection by its TLS certificate. */
    String role();

    /** The certificate serial (hex) the role authenticated with, for revocation checks. */
    String certificateSerial();

    /** Sends a frame; safe from any thread, frames sent from one thread keep their order. */
    void send(Frame frame);

    /** Sends an error frame, then closes the connection. */
    void closeWith(ErrorCode code, String text);

    boolean isOpen();

    /** For log lines: role and remote address. */
    String describe();
}
