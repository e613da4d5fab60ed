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
 * @param warnings   anything suspicious about it: a broken hash link, or a catalog mismatch (a
 *                   warning starting with {@link #CATALOG_MISMATCH})
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

    /**
     * How a catalog-mismatch warning starts: the signal names a catalog version this client does not
     * have, so the words shown are this client's rendering, not necessarily what the sender saw.
     */
    public static final String CATALOG_MISMATCH = "catalog mismatch: ";

    /** True if the sender worded this signal with a catalog version this client does not have. */
    public boolean catalogMismatch() {
        return warnings.stream().anyMatch(w -> w.startsWith(CATALOG_MISMATCH));
    }

    /** True if a hash link to or from this message is broken (PROTOCOL.md §4.5, check 5). */
    public boolean linkBroken() {
        return warnings.stream().anyMatch(w -> !w.startsWith(CATALOG_MISMATCH));
    }

    public ReceivedMessage withAcknowledged() {
        return new ReceivedMessage(id, from, to, channel, counter, sentAt, receivedAt, signalId, category, params, text,
                verified, late, missing, warnings, inReplyTo, answerBy, signerFingerprint, true);
    }
}
