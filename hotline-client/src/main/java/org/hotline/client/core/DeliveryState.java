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
    ACKNOWLEDGED;

    public boolean isAfter(DeliveryState other) {
        return ordinal() > other.ordinal();
    }

    public String label() {
        return name().toLowerCase();
    }
}
