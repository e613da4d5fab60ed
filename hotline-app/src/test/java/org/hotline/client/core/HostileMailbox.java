package org.hotline.client.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.hotline.protocol.wire.CumulativeReceipt;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SignedPrekeyBytes;
import org.hotline.server.store.AppendResult;
import org.hotline.server.store.Envelope;
import org.hotline.server.store.Mailbox;
import org.hotline.server.store.StoredEnvelope;
import org.hotline.server.store.StoredReceipt;

/**
 * The real relay turned hostile: wrapped around its real mailbox, on the path every DELIVER,
 * RECEIPT_NOTICE, ACCEPTED and PREKEY_BUNDLE takes to a client, it can alter or substitute
 * envelopes, receipts and prekeys (THREAT_MODEL.md §4: the relay is not trusted with content). It
 * also records what the relay was told: which deliveries were confirmed and which boxes were sent.
 */
final class HostileMailbox implements Mailbox {

    /**
     * One answer to a delivery that reached the relay: the recipient's {@code delivered} or
     * {@code rejected} receipt (PROTOCOL.md §6, both come in a DELIVERY_ACK).
     */
    record Confirmation(MessageId id, String recipient, Receipt.Type type) {
    }

    private final Mailbox real;
    private volatile BiFunction<String, StoredEnvelope, StoredEnvelope> deliveries = (to, e) -> e;
    private volatile BiFunction<String, StoredReceipt, StoredReceipt> receipts = (to, r) -> r;
    private volatile UnaryOperator<Receipt> accepted = r -> r;
    private volatile UnaryOperator<Receipt> logged = r -> r;
    private volatile BiFunction<String, List<SignedPrekeyBytes>, List<SignedPrekeyBytes>> prekeys = (role, p) -> p;
    final List<Confirmation> confirmed = new CopyOnWriteArrayList<>();
    final List<Envelope> appended = new CopyOnWriteArrayList<>();

    HostileMailbox(Mailbox real) {
        this.real = real;
    }

    /** What the relay hands a recipient instead of each stored box: (recipient, stored) to delivered. */
    void alterDeliveries(BiFunction<String, StoredEnvelope, StoredEnvelope> f) {
        this.deliveries = f;
    }

    /** What the relay hands a sender instead of each stored receipt: (addressee, stored) to delivered. */
    void alterReceipts(BiFunction<String, StoredReceipt, StoredReceipt> f) {
        this.receipts = f;
    }

    /** The ACCEPTED receipt the relay answers a SEND with. */
    void alterAccepted(UnaryOperator<Receipt> f) {
        this.accepted = f;
    }

    /**
     * The accepted receipt the relay stores, and so puts in its log as the message's leaf: the answer
     * is then an ACCEPTED_IN_LOG whose inclusion proof and relay-signed checkpoint verify for the
     * altered receipt (review A-M1), so only the sender's match against its own message can refuse it.
     */
    void alterLoggedAccepted(UnaryOperator<Receipt> f) {
        this.logged = f;
    }

    /** The prekeys the relay serves for a role: (role, published) to served. */
    void alterPrekeys(BiFunction<String, List<SignedPrekeyBytes>, List<SignedPrekeyBytes>> f) {
        this.prekeys = f;
    }

    /** The real, unaltered published prekeys of {@code role}. */
    List<SignedPrekeyBytes> publishedPrekeys(String role) {
        return real.prekeys(role).join();
    }

    /** Whether a recipient told the relay it stored {@code id} (a {@code delivered} receipt). */
    boolean confirmed(MessageId id) {
        return answered(id, Receipt.Type.DELIVERED);
    }

    /** Whether a recipient told the relay it will never open or accept {@code id} (a {@code rejected} receipt). */
    boolean rejected(MessageId id) {
        return answered(id, Receipt.Type.REJECTED);
    }

    private boolean answered(MessageId id, Receipt.Type type) {
        return confirmed.stream().anyMatch(c -> c.id().equals(id) && c.type() == type);
    }

    @Override
    public CompletableFuture<AppendResult> append(Envelope e, int maxQueuedEnvelopes, long maxQueuedBytes) {
        appended.add(e);
        Envelope stored = new Envelope(e.messageId(), e.sender(), e.channel(), e.acceptedAt(), e.boxes(), e.sendHash(),
                logged.apply(e.acceptedReceipt()));
        return real.append(stored, maxQueuedEnvelopes, maxQueuedBytes).thenApply(r -> {
            // A re-send is answered from the duplicate path: it gets the same treatment. An answer left
            // as the store gave it keeps its leaf, so it goes out as ACCEPTED_IN_LOG with a proof, as
            // from the real relay; one altered here loses it, so the relay signs and sends the altered
            // receipt as a plain ACCEPTED (a leaf the log does not hold has no proof). The committed
            // boxes (fresh) are not passed on: the pump then reads them, through alterDeliveries.
            if (r instanceof AppendResult.Stored s) {
                Receipt answer = accepted.apply(s.acceptedReceipt());
                return new AppendResult.Stored(answer, answer.equals(s.acceptedReceipt()) ? s.leafIndex()
                        : java.util.OptionalLong.empty());
            }
            if (r instanceof AppendResult.Duplicate d) {
                Receipt answer = accepted.apply(d.acceptedReceipt());
                return new AppendResult.Duplicate(answer, answer.equals(d.acceptedReceipt()) ? d.leafIndex()
                        : java.util.OptionalLong.empty());
            }
            return r;
        });
    }

    @Override
    public CompletableFuture<Optional<Origin>> markDelivered(MessageId id, String recipient, Receipt receipt, Instant at) {
        confirmed.add(new Confirmation(id, recipient, receipt.type()));
        return real.markDelivered(id, recipient, receipt, at);
    }

    @Override
    public CompletableFuture<Optional<Origin>> originOf(MessageId id, String recipient) {
        return real.originOf(id, recipient);
    }

    @Override
    public CompletableFuture<List<StoredEnvelope>> pending(String recipient, long afterSeq, int limit) {
        var f = deliveries;
        return real.pending(recipient, afterSeq, limit)
                .thenApply(list -> list.stream().map(e -> f.apply(recipient, e)).toList());
    }

    @Override
    public CompletableFuture<Void> storeReceipt(String addressee, Receipt receipt) {
        return real.storeReceipt(addressee, receipt);
    }

    @Override
    public CompletableFuture<Void> markReceiptDelivered(String addressee, MessageId id, Receipt.Type type, String asserter,
                                                        Instant at) {
        return real.markReceiptDelivered(addressee, id, type, asserter, at);
    }

    @Override
    public CompletableFuture<ThroughOutcome> markDeliveredThrough(String recipient, CumulativeReceipt receipt,
                                                                  Instant at) {
        // Each listed message is confirmed as stored, as by a delivered receipt of its own (PROTOCOL.md §6.1).
        receipt.coveredIds().forEach(id -> confirmed.add(new Confirmation(id, recipient, Receipt.Type.DELIVERED)));
        return real.markDeliveredThrough(recipient, receipt, at);
    }

    @Override
    public CompletableFuture<List<StoredReceipt>> pendingReceipts(String addressee, long afterSeq, int limit) {
        var f = receipts;
        return real.pendingReceipts(addressee, afterSeq, limit)
                .thenApply(list -> list.stream().map(r -> f.apply(addressee, r)).toList());
    }

    @Override
    public CompletableFuture<Void> putPrekeys(String role, List<SignedPrekeyBytes> published) {
        return real.putPrekeys(role, published);
    }

    @Override
    public CompletableFuture<List<SignedPrekeyBytes>> prekeys(String role) {
        var f = prekeys;
        return real.prekeys(role).thenApply(p -> f.apply(role, p));
    }

    @Override
    public CompletableFuture<Integer> purgeDeliveredBefore(Instant cutoff) {
        return real.purgeDeliveredBefore(cutoff);
    }

    @Override
    public void close() {
        real.close();
    }

    @Override
    public java.util.concurrent.Executor readExecutor() {
        return real.readExecutor();
    }

    /** The real log: the hostile relay answers ACCEPTED_IN_LOG as the real one does (PROTOCOL.md §12.3). */
    @Override
    public Optional<org.hotline.protocol.tlog.MerkleLog> relayLog() {
        return real.relayLog();
    }

    @Override
    public boolean afterEachGroupCommit(Runnable hook) {
        return real.afterEachGroupCommit(hook);
    }

    @Override
    public boolean completingGroupCommit() {
        return real.completingGroupCommit();
    }
}
