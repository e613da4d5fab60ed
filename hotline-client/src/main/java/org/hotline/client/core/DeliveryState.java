package org.hotline.client.core;

/** The states of a sent message, each backed by a signed receipt (PROTOCOL.md §6), in order; a message only ever moves forward. */
public enum DeliveryState {
    /** In the durable local outbox; not yet stored by the relay. */
    QUEUED,
    /** The relay stored it durably (relay-signed receipt). */
    ACCEPTED,
    /** The recipient's client stored it (recipient-signed receipt). */
    DELIVERED,
    /** The recipient's person acknowledged it (recipient-signed receipt). */
    ACKNOWLEDGED,
    /**
     * Not a further step: a recipient will never open or accept it (recipient-signed
     * {@code rejected} receipt with a reason, PROTOCOL.md §6). Last in the order so that no receipt
     * moves a message forward out of it and every wait for delivery ends here; the one exception is
     * another recipient's later confirmation, which moves it to DELIVERED (PROTOCOL.md §6, review N2a).
     */
    REJECTED;

    public boolean isAfter(DeliveryState other) {
        return ordinal() > other.ordinal();
    }

    public String label() {
        return name().toLowerCase();
    }
}
