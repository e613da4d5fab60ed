package org.hotline.client.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.hotline.protocol.wire.MessageId;

/**
 * A verified, decrypted message as shown to a person.
 *
 * @param signalId   prefabricated signal id, or empty for free text
 * @param text       the exact rendered words both sides see
 * @param missing    counters from this sender on this channel still missing when it arrived (a gap)
 * @param warnings   anything suspicious about it: a broken hash link, a catalog mismatch (a
 *                   warning starting with {@link #CATALOG_MISMATCH}), or a revoked sender
 *                   certificate (starting with {@link #SENDER_REVOKED})
 * @param senderRevokedSince when the certificate that signed it was revoked, if it was: the relay
 *                   accepted the message before then (PROTOCOL.md §4.4), so it is shown, flagged
 * @param equivocation this is a second, different copy of a message already received (same id or
 *                   same counter, other bytes, PROTOCOL.md §4.5): evidence, not a new message
 */
public record ReceivedMessage(MessageId id, String from, List<String> to, String channel, long counter, Instant sentAt,
                              Instant receivedAt, Optional<String> signalId, Optional<String> category,
                              Map<String, String> params, String text, boolean verified, boolean late,
                              List<Long> missing, List<String> warnings, Optional<MessageId> inReplyTo,
                              Optional<Instant> answerBy, String signerFingerprint, boolean acknowledged,
                              Optional<Instant> senderRevokedSince, boolean equivocation) {
    public ReceivedMessage {
        to = List.copyOf(to);
        params = Map.copyOf(params);
        missing = List.copyOf(missing);
        warnings = List.copyOf(warnings);
        Objects.requireNonNull(senderRevokedSince);
    }

    /** A message with no revoked signer and no equivocation. */
    public ReceivedMessage(MessageId id, String from, List<String> to, String channel, long counter, Instant sentAt,
                           Instant receivedAt, Optional<String> signalId, Optional<String> category,
                           Map<String, String> params, String text, boolean verified, boolean late,
                           List<Long> missing, List<String> warnings, Optional<MessageId> inReplyTo,
                           Optional<Instant> answerBy, String signerFingerprint, boolean acknowledged) {
        this(id, from, to, channel, counter, sentAt, receivedAt, signalId, category, params, text, verified, late,
                missing, warnings, inReplyTo, answerBy, signerFingerprint, acknowledged, Optional.empty(), false);
    }

    /**
     * How the warning of a message signed under a since-revoked certificate starts: "sender's
     * certificate revoked since DATE" follows.
     */
    public static final String SENDER_REVOKED = "sender's certificate revoked since ";

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
        return warnings.stream().anyMatch(w -> !w.startsWith(CATALOG_MISMATCH) && !w.startsWith(SENDER_REVOKED));
    }

    public ReceivedMessage withAcknowledged() {
        return new ReceivedMessage(id, from, to, channel, counter, sentAt, receivedAt, signalId, category, params, text,
                verified, late, missing, warnings, inReplyTo, answerBy, signerFingerprint, true, senderRevokedSince,
                equivocation);
    }

    /**
     * This message as signed under a certificate revoked at {@code revokedAt}, after the relay
     * accepted it: flagged with a warning, and naming that certificate's fingerprint (not the
     * sender's current one).
     */
    public ReceivedMessage signedUnderRevokedCertificate(Instant revokedAt, String fingerprint) {
        List<String> flagged = new java.util.ArrayList<>(warnings);
        flagged.add(SENDER_REVOKED + revokedAt + ": " + from + " signed message " + id.shortForm()
                + " with that certificate, and the relay accepted it before the revocation");
        return new ReceivedMessage(id, from, to, channel, counter, sentAt, receivedAt, signalId, category, params, text,
                verified, late, missing, flagged, inReplyTo, answerBy, fingerprint, acknowledged, Optional.of(revokedAt),
                equivocation);
    }

    /**
     * This message as an equivocating copy of one received before (evidence, PROTOCOL.md §4.5; the
     * explanation is reported as a problem, not kept here).
     */
    public ReceivedMessage asEquivocation() {
        return new ReceivedMessage(id, from, to, channel, counter, sentAt, receivedAt, signalId, category, params, text,
                verified, late, missing, warnings, inReplyTo, answerBy, signerFingerprint, acknowledged,
                senderRevokedSince, true);
    }
}
