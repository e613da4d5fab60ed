package org.hotline.client.core.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
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
    void addOutgoing(Outgoing o, Hash32 messageHash) throws StoreException;

    /** Moves a message forward to {@code state} (never backwards); returns true if it changed. */
    boolean advance(MessageId id, DeliveryState state, Instant at) throws StoreException;

    Optional<Outgoing> outgoing(MessageId id) throws StoreException;

    /** Messages still QUEUED, oldest first. */
    List<Outgoing> queued() throws StoreException;

    /** Every stored message, oldest first. */
    List<Outgoing> allOutgoing() throws StoreException;
}
