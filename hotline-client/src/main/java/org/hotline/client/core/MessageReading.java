package org.hotline.client.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.ReadAs;

/**
 * How one recipient read one message, as signed by the reader (PROTOCOL.md §4.2, Reading): the
 * reader's own, or, at exercise control, one a reader sent it.
 *
 * @param receivedAt     when the reader's client stored the message
 * @param readAt         when the reader recorded the reading
 * @param sentToControl  the message that carries it to exercise control, when it went there (the
 *                       reader's side only; empty at control and when the exercise has no control)
 */
public record MessageReading(MessageId messageId, String reader, String sender, String channel, ReadAs readAs,
                             String note, Instant receivedAt, Instant readAt, Optional<MessageId> sentToControl) {
    public MessageReading {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(readAs, "readAs");
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(readAt, "readAt");
        Objects.requireNonNull(sentToControl, "sentToControl");
    }

    /** From delivery to the reading: how long the reader took to say how they read it. */
    public Duration latency() {
        return Duration.between(receivedAt, readAt);
    }
}
