package org.hotline.client.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hotline.protocol.wire.MessageId;

/**
 * A verified, decrypted message as shown to a person.
 *
 * @param signalId   prefabricated signal id, or empty for free text
 * @param text       the exact rendered words both sides see
 * @param missing    counters from this sender on this channel still missing when it arrived (a gap)
 * @param warnings   anything suspicious about it (broken hash link, equivocation)
 */
public record ReceivedMessage(MessageId id, String from, List<String> to, String channel, long counter, Instant sentAt,
                              Instant receivedAt, Optional<String> signalId, Optional<String> category,
                              Map<String, String> params, String text, boolean verified, boolean late,
                              List<Long> missing, List<String> warnings, Optional<MessageId> inReplyTo,
                              Optional<Instant> answerBy, String signerFingerprint, boolean acknowledged) {
    public ReceivedMessage {
        to = List.copyOf(to);
        params = Map.copyOf(params);
        missing = List.copyOf(missing);
        warnings = List.copyOf(warnings);
    }

    public ReceivedMessage withAcknowledged() {
        return new ReceivedMessage(id, from, to, channel, counter, sentAt, receivedAt, signalId, category, params, text,
                verified, late, missing, warnings, inReplyTo, answerBy, signerFingerprint, true);
    }
}
