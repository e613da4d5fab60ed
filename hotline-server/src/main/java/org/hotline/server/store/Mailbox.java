package org.hotline.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.hotline.protocol.tlog.MerkleLog;
import org.hotline.protocol.wire.CumulativeReceipt;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SignedPrekeyBytes;

/**
 * The relay's durable store: ciphertext envelopes per recipient, receipts per addressee, the prekey
 * directory. Writes complete their future only once committed to disk. Reads run on the mailbox's
 * own reader thread and complete their future there; a caller that chains work onto a read
 * continues on that thread, never on the network event loop. A failed read or write completes its
 * future exceptionally with a {@link StoreException}.
 */
public interface Mailbox extends AutoCloseable {

    /** Stores a message for all its recipients atomically, unless a queue is full or the id conflicts. */
    CompletableFuture<AppendResult> append(Envelope envelope, int maxQueuedEnvelopes, long maxQueuedBytes);

    /**
     * Who sent a stored message and on which channel: what a recipient's receipt for it must name
     * (PROTOCOL.md §6).
     */
    record Origin(String sender, String channel) {
        /** True if {@code receipt} names this message's sender and channel. */
        public boolean matches(Receipt receipt) {
            return sender.equals(receipt.sender()) && receipt.channel().equals(Optional.of(channel));
        }
    }

    /**
     * A {@code rejected} receipt whose subject is not the hash of the box held for its asserter: it
     * was made for another relay's copy (PROTOCOL.md §13), so nothing is changed or purged. The
     * future of {@link #markDelivered} fails with it.
     */
    final class OtherBox extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public OtherBox(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * Marks the box of {@code messageId} for {@code recipient} delivered and stores the recipient's
     * {@code delivered} or {@code rejected} receipt for the message's sender, in one commit; a
     * rejected box's ciphertext is erased in the same commit. Nothing is changed if the
     * receipt names another sender or channel than the stored message's, and the future fails with
     * {@link OtherBox} if a {@code rejected} receipt's subject is not the hash of the stored box.
     *
     * @return the message's origin, or empty if no such box exists
     */
    CompletableFuture<Optional<Origin>> markDelivered(MessageId messageId, String recipient, Receipt receipt, Instant at);

    /** What a cumulative receipt came to in the mailbox (PROTOCOL.md §6.1). */
    sealed interface ThroughOutcome {
        /** Stored for its sender; {@code marked} boxes were newly marked delivered. */
        record Stored(int marked) implements ThroughOutcome {
        }

        /** A listed box came from another sender or on another channel: nothing changed. */
        record Refused(String why) implements ThroughOutcome {
        }

        /**
         * Not needed here: no listed box of the recipient is still undelivered (never held here,
         * purged, already confirmed, or a replay). Nothing changed, nothing is stored or forwarded.
         */
        record Unknown() implements ThroughOutcome {
        }

        /** {@code max} cumulative receipts of this asserter already wait for the sender: nothing changed. */
        record Full(int max) implements ThroughOutcome {
        }
    }

    /**
     * A recipient's verified cumulative receipt: marks the boxes of every listed message id for
     * {@code recipient} delivered and stores the receipt for its sender, in one commit. Ids with no
     * box for the recipient (never held here, purged) are skipped; if any existing box came from
     * another sender or channel than the receipt names, nothing at all is changed. Stored only if at
     * least one listed box was still undelivered and the receipt's row is new
     * (PROTOCOL.md §6.1), and only while fewer than a bound of them wait for the sender.
     */
    CompletableFuture<ThroughOutcome> markDeliveredThrough(String recipient, CumulativeReceipt receipt, Instant at);

    /** The origin of a message whose box for {@code recipient} exists (delivered or not). */
    CompletableFuture<Optional<Origin>> originOf(MessageId messageId, String recipient);

    /** Undelivered boxes for {@code recipient} with {@code seq > afterSeq}, oldest first. */
    CompletableFuture<List<StoredEnvelope>> pending(String recipient, long afterSeq, int limit);

    /**
     * Stores a receipt for its addressee; a second one with the same (addressee, id, type, asserter)
     * is ignored. Receipts of one type from different recipients are each kept (PROTOCOL.md §3.4.10).
     */
    CompletableFuture<Void> storeReceipt(String addressee, Receipt receipt);

    /** The addressee stored the receipt of {@code type} that {@code asserter} made about {@code messageId}: not sent again. */
    CompletableFuture<Void> markReceiptDelivered(String addressee, MessageId messageId, Receipt.Type type,
                                                 String asserter, Instant at);

    /** Undelivered receipts for {@code addressee} with {@code seq > afterSeq}, oldest first. */
    CompletableFuture<List<StoredReceipt>> pendingReceipts(String addressee, long afterSeq, int limit);

    /** Replaces a role's published prekeys. */
    CompletableFuture<Void> putPrekeys(String role, List<SignedPrekeyBytes> prekeys);

    /** A role's published prekeys, soonest to expire first. */
    CompletableFuture<List<SignedPrekeyBytes>> prekeys(String role);

    /** Deletes delivered envelopes and receipts delivered before {@code cutoff}; returns rows removed. */
    CompletableFuture<Integer> purgeDeliveredBefore(Instant cutoff);

    /**
     * Where work that continues a read must run to stay off the caller's (network) thread: a
     * dependent stage attached to a read that has already completed would otherwise run on the
     * thread that attaches it. {@link SqliteMailbox} answers its reader thread; the default runs
     * the work at once, for in-memory mailboxes whose reads complete at once anyway.
     */
    default java.util.concurrent.Executor readExecutor() {
        return Runnable::run;
    }

    /**
     * The relay's log (PROTOCOL.md §12): one leaf per stored message, holding only committed
     * leaves, so every size it reports is durable. Empty for a store that keeps no log.
     */
    default Optional<MerkleLog> relayLog() {
        return Optional.empty();
    }

    /**
     * Asks for {@code hook} to run each time the futures of one group commit have all completed
     * (and the work chained on them has run), on the thread that completed them.
     *
     * @return false from a store that does not commit in groups: then nothing is ever run, and a
     *         caller must not defer work to the hook
     */
    default boolean afterEachGroupCommit(Runnable hook) {
        return false;
    }

    /**
     * Whether the calling thread is completing a group commit's futures, so that the hook of
     * {@link #afterEachGroupCommit} runs on it when they are all done. Work may be deferred to the
     * hook only then.
     */
    default boolean completingGroupCommit() {
        return false;
    }

    /** Lets queued reads finish and queued writes commit, then releases the database. */
    @Override
    void close();
}
