package org.hotline.server.testing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.hotline.protocol.wire.CumulativeReceipt;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SignedPrekeyBytes;
import org.hotline.server.store.AppendResult;
import org.hotline.server.store.Envelope;
import org.hotline.server.store.Mailbox;
import org.hotline.server.store.StoreException;
import org.hotline.server.store.StoredEnvelope;
import org.hotline.server.store.StoredReceipt;

/**
 * A deliberately broken relay mailbox for fault tests: around the real one, it can lose chosen
 * envelopes after acknowledging them (a relay that drops a message), forget deliveries (so the
 * relay delivers again: duplicates on the wire), fail every receipt write (a full or broken disk),
 * hold receipt writes until the test lets them commit, or fail every read.
 */
public final class FaultyMailbox implements Mailbox {

    private final Mailbox real;
    private volatile Predicate<Envelope> lose = e -> false;
    private volatile boolean forgetDeliveries;
    private volatile boolean failReceiptStores;
    private volatile boolean failReads;
    private volatile CompletableFuture<Void> receiptGate = CompletableFuture.completedFuture(null);

    public FaultyMailbox(Mailbox real) {
        this.real = real;
    }

    public void loseEnvelopes(Predicate<Envelope> which) {
        this.lose = which;
    }

    public void forgetDeliveries(boolean forget) {
        this.forgetDeliveries = forget;
    }

    /** From now on every write of a receipt (delivered or acknowledged) fails without storing anything. */
    public void failReceiptStores(boolean fail) {
        this.failReceiptStores = fail;
    }

    /** From now on every read (pending envelopes and receipts, senders, prekeys) fails. */
    public void failReads(boolean fail) {
        this.failReads = fail;
    }

    /**
     * From now on receipt writes wait for the returned gate: they reach the real mailbox only once
     * the test completes it, so a test can look at the relay while a receipt is not yet stored.
     */
    public CompletableFuture<Void> holdReceiptStores() {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        this.receiptGate = gate;
        return gate;
    }

    private static <T> CompletableFuture<T> diskFailure() {
        return CompletableFuture.failedFuture(new StoreException("injected fault: receipt not stored",
                new java.io.IOException("disk full")));
    }

    private static <T> CompletableFuture<T> readFailure() {
        return CompletableFuture.failedFuture(new StoreException("injected fault: mailbox read failed",
                new java.io.IOException("I/O error")));
    }

    @Override
    public CompletableFuture<AppendResult> append(Envelope e, int maxQueuedEnvelopes, long maxQueuedBytes) {
        if (lose.test(e)) {
            return CompletableFuture.completedFuture(new AppendResult.Stored(e.acceptedReceipt()));
        }
        return real.append(e, maxQueuedEnvelopes, maxQueuedBytes);
    }

    @Override
    public CompletableFuture<Optional<Origin>> markDelivered(MessageId id, String recipient, Receipt receipt, Instant at) {
        if (failReceiptStores) {
            return diskFailure();
        }
        return receiptGate.thenCompose(open -> {
            if (forgetDeliveries) {
                return real.originOf(id, recipient).thenCompose(origin -> origin.isPresent()
                        ? real.storeReceipt(origin.get().sender(), receipt).thenApply(v -> origin)
                        : CompletableFuture.completedFuture(origin));
            }
            return real.markDelivered(id, recipient, receipt, at);
        });
    }

    @Override
    public CompletableFuture<ThroughOutcome> markDeliveredThrough(String recipient, CumulativeReceipt receipt,
                                                                  Instant at) {
        if (failReceiptStores) {
            return diskFailure();
        }
        return receiptGate.thenCompose(open -> forgetDeliveries
                ? CompletableFuture.completedFuture(new ThroughOutcome.Unknown())
                : real.markDeliveredThrough(recipient, receipt, at));
    }

    @Override
    public CompletableFuture<Optional<Origin>> originOf(MessageId id, String recipient) {
        return failReads ? readFailure() : real.originOf(id, recipient);
    }

    @Override
    public CompletableFuture<List<StoredEnvelope>> pending(String recipient, long afterSeq, int limit) {
        return failReads ? readFailure() : real.pending(recipient, afterSeq, limit);
    }

    @Override
    public CompletableFuture<Void> storeReceipt(String addressee, Receipt receipt) {
        if (failReceiptStores) {
            return diskFailure();
        }
        return receiptGate.thenCompose(open -> real.storeReceipt(addressee, receipt));
    }

    @Override
    public CompletableFuture<Void> markReceiptDelivered(String addressee, MessageId id, Receipt.Type type, String asserter,
                                                        Instant at) {
        return real.markReceiptDelivered(addressee, id, type, asserter, at);
    }

    @Override
    public CompletableFuture<List<StoredReceipt>> pendingReceipts(String addressee, long afterSeq, int limit) {
        return failReads ? readFailure() : real.pendingReceipts(addressee, afterSeq, limit);
    }

    @Override
    public CompletableFuture<Void> putPrekeys(String role, List<SignedPrekeyBytes> prekeys) {
        return real.putPrekeys(role, prekeys);
    }

    @Override
    public CompletableFuture<List<SignedPrekeyBytes>> prekeys(String role) {
        return failReads ? readFailure() : real.prekeys(role);
    }

    @Override
    public CompletableFuture<Integer> purgeDeliveredBefore(Instant cutoff) {
        return real.purgeDeliveredBefore(cutoff);
    }

    @Override
    public void close() {
        real.close();
    }

    /** The real store's log: a message this fake "loses" gets plain ACCEPTED, with no leaf. */
    @Override
    public Optional<org.hotline.protocol.tlog.MerkleLog> relayLog() {
        return real.relayLog();
    }

    @Override
    public java.util.concurrent.Executor readExecutor() {
        return real.readExecutor();
    }
}
