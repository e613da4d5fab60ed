package org.hotline.client.core;

import org.hotline.protocol.wire.MessageId;

/**
 * One stored arrival as the listeners were handed it when it arrived: a message, an inject or, at
 * exercise control, a reading. Machine traffic (link tests, log checkpoints, the exercise clock) is
 * never one. What {@link HotlineClient#resumePresentation} returns for a consumer to present again.
 */
public sealed interface InboxItem {

    /** The id of the stored message that carried it: what {@link HotlineClient#markPresented} takes. */
    MessageId inboxId();

    /** As {@link ClientListener#messageReceived}. */
    record Message(ReceivedMessage message) implements InboxItem {
        @Override
        public MessageId inboxId() {
            return message.id();
        }
    }

    /** As {@link ClientListener#injectReceived}. */
    record Inject(ReceivedInject inject) implements InboxItem {
        @Override
        public MessageId inboxId() {
            return inject.id();
        }
    }

    /** As {@link ClientListener#readingReceived}; {@code inboxId} is the message that carried the reading. */
    record Reading(MessageId inboxId, MessageReading reading) implements InboxItem {
    }
}
