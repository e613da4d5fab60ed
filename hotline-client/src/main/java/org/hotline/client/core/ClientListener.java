package org.hotline.client.core;

import org.hotline.protocol.wire.MessageId;

/**
 * What the client reports, with no UI types: the CLI prints it, the desktop app binds it to view
 * models. Each event carries what a view needs, so no listener has to ask the client back. Called
 * on the engine's own thread; implementations must not block.
 */
public interface ClientListener {

    /** A message the person composed is in the durable outbox (link tests are not reported). */
    default void messageQueued(SentMessage message) {
    }

    default void messageReceived(ReceivedMessage message) {
    }

    /**
     * A validly signed second copy of a message received before, with other bytes (same id or same
     * counter, PROTOCOL.md §4.5): kept as evidence and not shown as a new message;
     * {@link ReceivedMessage#equivocation()} is true. A problem is reported too.
     */
    default void equivocationReceived(ReceivedMessage copy) {
    }

    default void deliveryStateChanged(MessageId id, DeliveryState state) {
    }

    default void linkStatusChanged(LinkStatus status) {
    }

    /** A verified scenario inject from exercise control arrived (PROTOCOL.md §4.2). */
    default void injectReceived(ReceivedInject inject) {
    }

    /** Exercise control set the exercise clock (start, pause, resume, speed). */
    default void exerciseClockChanged(ScenarioClock clock) {
    }

    /**
     * A message that asks for an answer by a time started to be watched, was answered, or missed its
     * deadline (then the client has written its {@code deadline-missed} audit entry).
     */
    default void deadlineChanged(AnswerDeadline deadline) {
    }

    /** At exercise control: a participant's verified reading of a message (PROTOCOL.md §4.2, Reading). */
    default void readingReceived(MessageReading reading) {
    }

    /** Something the person should see: a refused message, a bad signature, a gap. One line. */
    default void problem(String message) {
    }
}
