package org.hotline.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SignedPrekeyBytes;

/**
 * The relay's durable store: ciphertext envelopes per recipient, receipts per addressee, the prekey
 * directory. Writes complete their future only once committed to disk; reads block and must run
 * off the network event loop.
 */
public interface Mailbox extends AutoCloseable {

    /** Stores a message for all its recipients atomically, unless a queue is full or the id conflicts. */
    CompletableFuture<AppendResult> append(Envelope envelope, int maxQueuedEnvelopes, long maxQueuedBytes);

    /**
     * Marks the box of {@code messageId} for {@code recipient} delivered and stores the recipient's
     * {@code delivered} receipt for the message's sender, in one commit. Nothing is changed if the
     * receipt names another sender than the stored message's.
     *
     * @return the message's sender, or empty if no such box exists
     */
    CompletableFuture<Optional<String>> markDelivered(MessageId messageId, String recipient, Receipt receipt, Instant at);

    /** The sender of a message whose box for {@code recipient} exists (delivered or not). */
    Optional<String> senderOf(MessageId messageId, String recipient);

    /** Undelivered boxes for {@code recipient} with {@code seq > afterSeq}, oldest first. */
    List<StoredEnvelope> pending(String recipient, long afterSeq, int limit);

    /** Stores a receipt for its addressee; a second identical (addressee, id, type) is ignored. */
    CompletableFuture<Void> storeReceipt(String addressee, Receipt receipt);

    CompletableFuture<Void> markReceiptDelivered(String addressee, MessageId messageId, Receipt.Type type, Instant at);

    List<StoredReceipt> pendingReceipts(String addressee, long afterSeq, int limit);

    /** Replaces a role's published prekeys. */
    CompletableFuture<Void> putPrekeys(String role, List<SignedPrekeyBytes> prekeys);

    List<SignedPrekeyBytes> prekeys(String role);

    /** Deletes delivered envelopes and receipts delivered before {@code cutoff}; returns rows removed. */
    CompletableFuture<Integer> purgeDeliveredBefore(Instant cutoff);

    @Override
    void close();
}
