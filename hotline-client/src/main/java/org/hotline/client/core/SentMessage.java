package org.hotline.client.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hotline.protocol.wire.MessageId;

/**
 * A message this client sent, with its delivery state and when each state was reached.
 *
 * @param params a signal's canonical parameters as signed (empty for free text), so a console can
 *               show the signal in its reader's other languages too
 */
public record SentMessage(MessageId id, String channel, List<String> to, long counter, Instant createdAt,
                          Optional<String> signalId, String text, DeliveryState state, Optional<Instant> acceptedAt,
                          Optional<Instant> deliveredAt, Optional<Instant> acknowledgedAt, Map<String, String> params) {
    public SentMessage {
        to = List.copyOf(to);
        params = Map.copyOf(params);
    }

    /** A sent message without parameters (free text, or a signal that has none). */
    public SentMessage(MessageId id, String channel, List<String> to, long counter, Instant createdAt,
                       Optional<String> signalId, String text, DeliveryState state, Optional<Instant> acceptedAt,
                       Optional<Instant> deliveredAt, Optional<Instant> acknowledgedAt) {
        this(id, channel, to, counter, createdAt, signalId, text, state, acceptedAt, deliveredAt, acknowledgedAt, Map.of());
    }
}
