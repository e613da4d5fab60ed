package org.hotline.client.core;

import org.hotline.protocol.wire.MessageId;

/**
 * What the client core reports, with no UI types: the CLI prints it, the desktop app binds it to
 * view models. Called on the core's own thread; implementations must not block.
 */
public interface ClientListener {

    default void messageReceived(ReceivedMessage message) {
    }

    default void deliveryStateChanged(MessageId id, DeliveryState state) {
    }

    default void linkStatusChanged(LinkStatus status) {
    }

    /** Something the person should see: a refused message, a bad signature, a gap. One line. */
    default void problem(String message) {
    }
}
