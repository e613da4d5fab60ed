package org.hotline.server.store;

/** The mailbox could not read or write durably. Nothing that failed with this was acknowledged. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
