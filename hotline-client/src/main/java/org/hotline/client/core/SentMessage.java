package org.hotline.client.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hotline.protocol.wire.MessageId;

/** A message this client sent, with its delivery state and when each state was reached. */
public record SentMessage(MessageId id, String channel, List<String> to, long counter, Instant createdAt,
                          Optional<String> signalId, String text, DeliveryState state, Optional<Instant> acceptedAt,
                          Optional<Instant> deliveredAt, Optional<Instant> acknowledgedAt) {
    public SentMessage {
        to = List.copyOf(to);
    }
}
