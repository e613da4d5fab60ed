package org.hotline.protocol.signals;

/** A signal reference or its parameters are not acceptable: unknown id, missing or malformed parameter. */
public final class SignalException extends Exception {
    public SignalException(String message) {
        super(message);
    }
}
