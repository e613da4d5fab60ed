package org.hotline.protocol.transport;

import java.util.Optional;
import org.hotline.protocol.wire.FrameDecodeException;

/** Finds the {@link FrameDecodeException} inside what Netty delivers to {@code exceptionCaught}. */
public final class FrameErrors {

    private FrameErrors() {
    }

    public static Optional<FrameDecodeException> decodeFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof FrameDecodeException f) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
