package org.hotline.server.relay;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.hotline.protocol.crypto.CryptoException;
import org.hotline.protocol.crypto.CumulativeReceiptSigner;
import org.hotline.protocol.crypto.ReceiptSigner;
import org.hotline.protocol.pki.IdentityKeyCache;
import org.hotline.protocol.pki.PkiException;
import org.hotline.protocol.wire.CumulativeReceipt;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.server.store.Mailbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receipts from recipients ({@code delivered} or {@code rejected} in DELIVERY_ACK,
 * {@code acknowledged} in RECEIPT_NOTICE), every kind through the same steps: check (type, asserter, signature), store for
 * the message's sender, then log, then wake the sender's pump to forward it. Nothing is logged or
 * forwarded before the mailbox has committed the receipt, so the audit log never records a receipt
 * the relay could lose. Also RECEIPT_ACK: a sender confirming it got a forwarded receipt.
 */
final class ReceiptHandler {

    private static final Logger log = LoggerFactory.getLogger(ReceiptHandler.class);

    private final IdentityDirectory identities;
    private final ExerciseId exerciseId;
    private final Mailbox mailbox;
    private final Clock clock;
    private final RelayAudit audit;
    private final SessionRegistry sessions;
    /** When a rejection about another copy was last logged (System.nanoTime), shared by every session. */
    private final AtomicLong lastOtherBoxWarning = new AtomicLong(System.nanoTime() - 2_000_000_000L);

    ReceiptHandler(IdentityDirectory identities, ExerciseId exerciseId, Mailbox mailbox, Clock clock,
                   RelayAudit audit, SessionRegistry sessions) {
        this.identities = identities;
        this.exerciseId = exerciseId;
        this.mailbox = mailbox;
        this.clock = clock;
        this.audit = audit;
        this.sessions = sessions;
    }

    /** What storing a receipt came to; the refusals leave the mailbox unchanged. */
    private sealed interface Stored {
        /** Committed for {@code sender}, the message's sender. */
        record ForSender(String sender) implements Stored {
        }

        /** Refused with MALFORMED_FRAME: the receipt does not match the stored message. */
        record Refused(String why) implements Stored {
        }

        /** No such message for this recipient (purged, or never sent): logged and dropped. */
        record UnknownMessage() implements Stored {
        }
    }

    /**
     * DELIVERY_ACK: the recipient got the envelope, and either stored the message ({@code delivered})
     * or will never open or accept it ({@code rejected}, PROTOCOL.md §6). Either way the box is done
     * with: marking it delivered (and, for a rejection, purging its ciphertext) and storing the
     * receipt for the sender commit together, so a rejected message is not delivered again.
     */
    void onDelivered(RelaySession s, Receipt receipt) {
        Receipt.Type expected = receipt.type() == Receipt.Type.REJECTED ? Receipt.Type.REJECTED : Receipt.Type.DELIVERED;
        handle(s, receipt, expected, () ->
                // One commit: a crash between the two would otherwise lose the receipt for good (the
                // envelope is never delivered again).
                mailbox.markDelivered(receipt.messageId(), s.role(), receipt, clock.instant()).thenApply(origin -> {
                    if (origin.isEmpty()) {
                        return new Stored.UnknownMessage();
                    }
                    if (!origin.get().matches(receipt)) {
                        return new Stored.Refused("receipt names sender " + receipt.sender() + " on channel "
                                + receipt.channel().orElse("none") + ", but the message came from "
                                + origin.get().sender() + " on channel " + origin.get().channel());
                    }
                    return new Stored.ForSender(origin.get().sender());
                }));
    }

    /** RECEIPT_NOTICE from a recipient: it acknowledged a message that was delivered to it. */
    void onAcknowledged(RelaySession s, Receipt receipt) {
        handle(s, receipt, Receipt.Type.ACKNOWLEDGED, () ->
                mailbox.originOf(receipt.messageId(), s.role()).thenCompose(origin -> {
                    if (origin.isEmpty() || !origin.get().matches(receipt)) {
                        return CompletableFuture.completedFuture(new Stored.Refused("no message "
                                + receipt.messageId().shortForm() + " from " + receipt.sender() + " on channel "
                                + receipt.channel().orElse("none") + " was delivered to " + s.role()));
                    }
                    return mailbox.storeReceipt(origin.get().sender(), receipt)
                            .thenApply(v -> new Stored.ForSender(origin.get().sender()));
                }));
    }

    /**
     * DELIVERED_THROUGH: one cumulative receipt for a batch of deliveries (PROTOCOL.md §6.1). Its
     * signature is verified once, before anything is changed; then every listed box of the
     * asserter is marked delivered and the receipt stored for its sender in one commit, then
     * logged, then forwarded. A forged or mismatched receipt changes nothing.
     *
     * <p>With several relays the recipient sends each receipt to every relay it is connected to, so
     * a receipt may complete nothing held here (another relay delivered those messages, or it is a
     * replay): it is then dropped without an answer, without a log entry and without being
     * forwarded, as the client needs nothing from this relay for it. Only a receipt that marked one
     * of this relay's boxes reaches the sender from here.
     */
    void onDeliveredThrough(RelaySession s, CumulativeReceipt receipt) {
        Optional<MessageId> id = Optional.of(receipt.headId());
        X509Certificate signer;
        try {
            if (!receipt.asserter().equals(s.role())) {
                throw new ReceiptRefused("receipt asserted by " + receipt.asserter() + " on a connection of "
                        + s.role());
            }
            IdentityKeyCache.Identity identity = identities.identityOf(s.role());
            CumulativeReceiptSigner.verify(receipt, identity.key(), exerciseId);
            signer = identity.certificate();
        } catch (ReceiptRefused e) {
            Replies.refuse(s, ErrorCode.MALFORMED_FRAME, id, e.getMessage());
            return;
        } catch (CryptoException | PkiException e) {
            Replies.refuse(s, ErrorCode.MALFORMED_FRAME, id, e.getMessage());
            return;
        }
        mailbox.markDeliveredThrough(s.role(), receipt, clock.instant()).thenAccept(outcome -> {
            if (outcome instanceof Mailbox.ThroughOutcome.Stored) {
                audit.cumulativeReceiptStored(receipt, signer);
                sessions.wake(receipt.sender());
            } else if (outcome instanceof Mailbox.ThroughOutcome.Refused refused) {
                Replies.refuse(s, ErrorCode.MALFORMED_FRAME, id, refused.why());
            } else if (outcome instanceof Mailbox.ThroughOutcome.Full full) {
                // The boxes stay undelivered: the next connection delivers them again and they are
                // confirmed then, one receipt each.
                Replies.refuse(s, ErrorCode.QUEUE_FULL, id, full.max() + " delivered-through receipts of "
                        + receipt.asserter() + " already wait for " + receipt.sender() + "; not stored");
            } else {
                log.debug("{} confirmed nothing held here through {}", s.describe(), receipt.headId().shortForm());
            }
        }).exceptionally(e -> Replies.storageFailed(s, receipt.headId(), e));
    }

    /** RECEIPT_ACK: the sender got the forwarded receipt of one asserter; that one is not sent again. */
    void onReceiptAck(RelaySession s, Frame.ReceiptAck ack) {
        mailbox.markReceiptDelivered(s.role(), ack.messageId(), ack.type(), ack.asserter(), clock.instant())
                .exceptionally(e -> Replies.storageFailed(s, null, e));
    }

    /** The one path of every recipient receipt: check, store, then log, then forward. */
    private void handle(RelaySession s, Receipt receipt, Receipt.Type expected,
                        Supplier<CompletableFuture<Stored>> store) {
        Optional<MessageId> id = Optional.of(receipt.messageId());
        X509Certificate signer;
        try {
            signer = verifiedSigner(s, receipt, expected);
        } catch (ReceiptRefused e) {
            Replies.refuse(s, ErrorCode.MALFORMED_FRAME, id, e.getMessage());
            return;
        }
        store.get().thenAccept(outcome -> {
            if (outcome instanceof Stored.ForSender stored) {
                audit.receiptStored(receipt, signer);
                sessions.wake(stored.sender());
            } else if (outcome instanceof Stored.Refused refused) {
                Replies.refuse(s, ErrorCode.MALFORMED_FRAME, id, refused.why());
            } else {
                log.info("{} acknowledged unknown message {}", s.describe(), receipt.messageId().shortForm());
            }
        }).exceptionally(e -> {
            // The mailbox wraps what a write threw (CompletionException, StoreException).
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof Mailbox.OtherBox)) {
                cause = cause.getCause();
            }
            if (cause instanceof Mailbox.OtherBox other) {
                // Not an error of the recipient: it rejected another relay's (altered) copy, and the
                // client sends that rejection only to the relay that delivered it. Ignored, line kept.
                // A participant can repeat it at the answer rate: one line per second at most (review F2).
                long now = System.nanoTime();
                long last = lastOtherBoxWarning.get();
                if (now - last >= 1_000_000_000L && lastOtherBoxWarning.compareAndSet(last, now)) {
                    log.warn("{}: ignored: {}", s.describe(), other.getMessage());
                }
                return null;
            }
            return Replies.storageFailed(s, receipt.messageId(), e);
        });
    }

    /**
     * A receipt from a recipient must be of the expected type, asserted by the session's role,
     * signed by it, and of this exercise (its sender and channel are checked against the stored
     * message when it is stored).
     *
     * @return the certificate whose key verified it, for the audit log
     * @throws ReceiptRefused naming the first check that failed
     */
    private X509Certificate verifiedSigner(RelaySession s, Receipt r, Receipt.Type expected) throws ReceiptRefused {
        if (r.type() != expected) {
            throw new ReceiptRefused("expected a " + expected.name().toLowerCase() + " receipt, got " + r.type());
        }
        if (!r.asserter().equals(s.role())) {
            throw new ReceiptRefused("receipt asserted by " + r.asserter() + " on a connection of " + s.role());
        }
        try {
            IdentityKeyCache.Identity signer = identities.identityOf(s.role());
            ReceiptSigner.verify(r, signer.key(), exerciseId);
            return signer.certificate();
        } catch (CryptoException | PkiException e) {
            throw new ReceiptRefused(e.getMessage());
        }
    }

    /** A receipt failed its checks; the message is the refusal's text. */
    private static final class ReceiptRefused extends Exception {
        private static final long serialVersionUID = 1L;

        ReceiptRefused(String why) {
            super(why, null, false, false);
        }
    }
}
