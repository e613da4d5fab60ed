package org.hotline.client.core.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hotline.client.core.DeliveryState;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.SignedMessage;

/**
 * The durable outbox: each message sealed and stored before any network I/O, so a crash between
 * compose and accept loses nothing, and the per-channel send chain that numbers our own messages.
 */
public interface OutboxStore {

    /** A row of the outbox: the sealed SEND frame exactly as first sent, and its delivery state. */
    record Outgoing(MessageId id, String channel, List<String> recipients, long counter, byte[] sendFrame,
                    SignedMessage message, Optional<String> signalId, String text, Instant createdAt,
                    DeliveryState state, Optional<Instant> acceptedAt, Optional<Instant> deliveredAt,
                    Optional<Instant> acknowledgedAt) {
        public Outgoing {
            recipients = List.copyOf(recipients);
            sendFrame = sendFrame.clone();
        }

        @Override
        public byte[] sendFrame() {
            return sendFrame.clone();
        }

        /** The same row moved to {@code next}, reached at {@code at}. */
        public Outgoing advancedTo(DeliveryState next, Instant at) {
            return new Outgoing(id, channel, recipients, counter, sendFrame, message, signalId, text, createdAt, next,
                    next == DeliveryState.ACCEPTED ? Optional.of(at) : acceptedAt,
                    next == DeliveryState.DELIVERED ? Optional.of(at) : deliveredAt,
                    next == DeliveryState.ACKNOWLEDGED ? Optional.of(at) : acknowledgedAt);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Outgoing other && id.equals(other.id) && state == other.state
                    && java.util.Arrays.equals(sendFrame, other.sendFrame);
        }

        @Override
        public int hashCode() {
            return id.hashCode();
        }
    }

    /** The next counter and previous hash for our own messages on a channel. */
    record Chain(long nextCounter, Hash32 lastSentHash) {
    }

    /** The chain of {@code channel}; counter 1 and the zero hash before the first message. */
    Chain chain(String channel) throws StoreException;

    /** Stores a new outgoing message and advances the channel's chain, all or nothing. */
    default void addOutgoing(Outgoing o, Hash32 messageHash) throws StoreException {
        addOutgoing(o, messageHash, false);
    }

    /**
     * As {@link #addOutgoing(Outgoing, Hash32)}; {@code held}: the message has not gone to the relay
     * and must not go before its boxes are checked against the recipients' newest prekeys (and
     * re-sealed if need be), by this process or a later one (PROTOCOL.md §5.2), until {@link #released}.
     */
    void addOutgoing(Outgoing o, Hash32 messageHash, boolean held) throws StoreException;

    /** Messages stored held, still QUEUED and not yet released, oldest first. */
    List<Outgoing> held() throws StoreException;

    /** A held message goes to the relay now: from here on it is re-sent exactly as stored. */
    void released(MessageId id) throws StoreException;

    /**
     * Replaces the sealed SEND frame of a QUEUED message (same signed message, new boxes), for a
     * message that never left this client: re-sealed to newer prekeys (PROTOCOL.md §5.2). Returns
     * false, changing nothing, if the message is unknown or no longer QUEUED.
     */
    boolean resealed(MessageId id, byte[] sendFrame) throws StoreException;

    /** Moves a message forward to {@code state} (never backwards); returns true if it changed. */
    boolean advance(MessageId id, DeliveryState state, Instant at) throws StoreException;

    Optional<Outgoing> outgoing(MessageId id) throws StoreException;

    /**
     * Whether the audit log holds the inclusion proof by relay {@code relay} of our message {@code id}
     * (its {@code relay-inclusion} entry, PROTOCOL.md §12.5), as marked by {@link #markRelayInclusionRecorded}.
     */
    boolean relayInclusionRecorded(MessageId id, String relay) throws StoreException;

    /** The {@code relay-inclusion} entry of {@code id} by {@code relay} is written: it is not written again. */
    void markRelayInclusionRecorded(MessageId id, String relay) throws StoreException;

    /**
     * Records that relay {@code relay} accepted our message {@code id} at {@code acceptedAt} (the
     * time of its verified {@code accepted} receipt, the {@code acceptedAt} of its copy); the first
     * time recorded per relay stays. Returns whether it was new.
     */
    boolean recordRelayAcceptance(MessageId id, String relay, Instant acceptedAt) throws StoreException;

    /** Per relay that accepted {@code id}, the time recorded by {@link #recordRelayAcceptance}. */
    Map<String, Instant> relayAcceptances(MessageId id) throws StoreException;

    /**
     * Records that recipient {@code asserter} rejected the copy of {@code id} that relay
     * {@code relay} delivered (PROTOCOL.md §13); returns whether it was new.
     */
    boolean addCopyRejection(MessageId id, String asserter, String relay) throws StoreException;

    /** The relays whose copy of {@code id} recipient {@code asserter} rejected. */
    Set<String> rejectedCopies(MessageId id, String asserter) throws StoreException;

    /**
     * Records that recipient {@code asserter} confirmed {@code id} (a verified {@code delivered},
     * {@code acknowledged} or {@code delivered-through} receipt of its own), so a later rejection
     * by that recipient is refused while another recipient's is not (review N2).
     */
    void addConfirmation(MessageId id, String asserter) throws StoreException;

    /**
     * {@link #addConfirmation} for every id of one cumulative receipt, in one transaction (one sync,
     * not one per id).
     */
    void addConfirmations(List<MessageId> ids, String asserter) throws StoreException;

    /**
     * Moves {@code id} from REJECTED to DELIVERED at {@code at}: another recipient than the one(s)
     * that rejected every copy confirmed it (review N2a), so the outcome does not depend on which
     * receipt arrived first. The only move out of REJECTED; returns whether it changed.
     */
    boolean confirmRejected(MessageId id, Instant at) throws StoreException;

    /** Whether recipient {@code asserter} confirmed {@code id} ({@link #addConfirmation}). */
    boolean confirmedBy(MessageId id, String asserter) throws StoreException;

    /** Messages still QUEUED and not held (already released to the relay), oldest first. */
    List<Outgoing> queued() throws StoreException;

    /** Every stored message, oldest first. */
    List<Outgoing> allOutgoing() throws StoreException;
}
