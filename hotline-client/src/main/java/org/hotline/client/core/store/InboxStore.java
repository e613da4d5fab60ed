package org.hotline.client.core.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SignedMessage;

/**
 * The durable inbox: every verified message once, in arrival order, with the person's
 * acknowledgement and its signed receipt (re-sent on every connect until it is old).
 */
public interface InboxStore {

    /**
     * The certificate a message was verified under, revoked since {@code since} (the relay accepted
     * the message before that, PROTOCOL.md §4.4): kept so the message is shown flagged after a reopen.
     */
    record RevokedSigner(Instant since, String fingerprint) {
    }

    /** A row of the inbox. */
    record Incoming(SignedMessage message, Hash32 hash, Instant receivedAt, Optional<Instant> acknowledgedAt,
                    Optional<RevokedSigner> revokedSigner) {

        public Incoming(SignedMessage message, Hash32 hash, Instant receivedAt, Optional<Instant> acknowledgedAt) {
            this(message, hash, receivedAt, acknowledgedAt, Optional.empty());
        }
    }

    /** A verified message to store, with the revoked certificate it was verified under if it was. */
    record NewIncoming(SignedMessage message, Hash32 hash, Instant receivedAt, Optional<RevokedSigner> revokedSigner) {
    }

    boolean hasIncoming(MessageId id) throws StoreException;

    /** The stored signed message of {@code id}: what a repeated {@code delivered} receipt must be about. */
    Optional<SignedMessage> incoming(MessageId id) throws StoreException;

    /**
     * Stores a verified message, with the revoked certificate it was verified under if it was; a
     * second call for the same id changes nothing.
     */
    void addIncoming(SignedMessage m, Hash32 hash, Instant receivedAt, Optional<RevokedSigner> revokedSigner)
            throws StoreException;

    /**
     * Stores several verified messages, in this order, in one durable transaction (group commit: one
     * sync for a burst of deliveries): all of them, or none when it throws. An id already stored is
     * left as it is, as in {@link #addIncoming}.
     */
    void addIncomingAll(List<NewIncoming> messages) throws StoreException;

    /** Every stored message, in arrival order. */
    List<Incoming> allIncoming() throws StoreException;

    /**
     * The ids of stored messages after {@code consumer}'s presentation mark, in arrival order: what a
     * consumer that presents messages as they arrive ({@code hotline listen}) has not presented yet.
     * A consumer without a mark of its own starts at the baseline: where the inbox ended when the
     * store first kept marks. Messages stored before that count as presented, as the versions that
     * kept no mark presented only live ones; a new store's baseline is its start.
     */
    List<MessageId> unpresented(String consumer) throws StoreException;

    /**
     * Moves {@code consumer}'s mark to the stored message {@code through}, so that it and every
     * message stored before it count as presented; durable when this returns. The mark never moves
     * back, and an id not stored changes nothing.
     */
    void markPresented(String consumer, MessageId through) throws StoreException;

    /** Records the acknowledgement and its signed receipt, so it is re-sent after a restart. */
    void markAcknowledged(MessageId id, Instant at, Receipt receipt) throws StoreException;

    /**
     * Acknowledgement receipts made at or after {@code since}, oldest first. The relay does not
     * confirm a receipt notice, so the client re-sends these on every connect; the relay stores a
     * receipt once and ignores repeats.
     */
    List<Receipt> acknowledgementsSince(Instant since) throws StoreException;

    /**
     * Keeps our {@code rejected} receipt for one <em>copy</em> of a message that we will never open
     * or accept. The copy is {@code copy}, a digest of everything in the DELIVER that the verdict
     * depended on. A redelivery of that copy (the relay lost our answer) is answered with the same
     * receipt, and nothing is shown or logged again. Another relay's different copy of the same id is
     * judged on its own (PROTOCOL.md §6, §13). A second call for the same id and copy changes nothing.
     */
    void addRejection(Receipt rejected, Hash32 copy, Instant at) throws StoreException;

    /** Our {@code rejected} receipt for this copy of {@code id}, if we rejected that copy. */
    Optional<Receipt> rejection(MessageId id, Hash32 copy) throws StoreException;

    /** How many copies of {@code id} we rejected and kept (review F3: shown once per id, kept up to a cap). */
    int rejectedCopyCount(MessageId id) throws StoreException;

    /**
     * The reasons of the rejections kept for {@code id}, one per kept copy (review R4: a rejection is
     * logged and shown once per id and reason, so an earlier junk copy cannot hide a later reason).
     */
    java.util.List<Receipt.RejectReason> rejectionReasons(MessageId id) throws StoreException;

    /**
     * Whether the equivocation evidence for this signed message (sender, channel, counter and
     * message hash) was recorded as logged by {@link #markEquivocationLogged}.
     */
    boolean equivocationLogged(String sender, String channel, long counter, Hash32 messageHash)
            throws StoreException;

    /**
     * Records that the equivocation evidence for this signed message (sender, channel, counter and
     * message hash) was logged; returns false if it was recorded before (review R4: logged once per
     * message, not once per id, so a relay's junk copy of the id cannot pre-empt the evidence).
     * Called after the audit entry is written (review N5): a failed write leaves it unrecorded, so
     * the next copy writes the evidence again.
     */
    boolean markEquivocationLogged(String sender, String channel, long counter, Hash32 messageHash)
            throws StoreException;
}
