package org.hotline.client.core.store;

/**
 * The client's local storage could not do what was asked (disk full, database locked, a corrupt
 * row). The engine treats it as "not stored": nothing that depends on the write is confirmed.
 */
public final class StoreException extends Exception {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
