package org.hotline.server.relay;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.audit.BoxMetadata;
import org.hotline.protocol.audit.AuditLog;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.wire.CumulativeReceipt;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SealedBox;
import org.hotline.server.store.Mailbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every entry the relay writes to its audit log, and nothing else writes one: metadata only (ids,
 * route, sizes, ciphertext hashes, the signed receipts), never content. Callers write an entry
 * only after the fact it records is durable in the mailbox. A failed write is logged, never thrown:
 * the message or receipt is already committed and must still be forwarded.
 */
final class RelayAudit {

    private static final Logger log = LoggerFactory.getLogger(RelayAudit.class);

    private final AuditLog audit;
    private final Mailbox mailbox;
    /** Entries of the group commit whose completions are running, written when they are done. Guarded by this. */
    private final List<AuditEvent> batch = new ArrayList<>();
    /** What waits for those entries to be written (the answers). Guarded by this. */
    private final List<Runnable> afterWritten = new ArrayList<>();
    /** Whether the mailbox runs {@link #flush} after each group commit; otherwise every entry is written at once. */
    private final boolean batched;

    /**
     * @param mailbox asked to run {@link #flush} after each group commit's completions, so the
     *                acceptances of one commit reach the log in one write
     */
    RelayAudit(AuditLog audit, Mailbox mailbox) {
        this.audit = audit;
        this.mailbox = mailbox;
        this.batched = mailbox.afterEachGroupCommit(this::flush);
    }

    /**
     * A SEND the mailbox has committed, with the relay's {@code accepted} receipt (unsigned when the
     * relay keeps a log: the leaf, PROTOCOL.md §11.3); {@code then} (the answer and the deliveries)
     * runs once the entry is written, so nothing is answered that the log does not hold yet. Called
     * while the mailbox completes a group commit, the entry is written with the rest of that commit's
     * in one write, after them; otherwise at once.
     */
    void accepted(Frame.Send send, Receipt acceptedReceipt, Runnable then) {
        List<BoxMetadata> boxes = new ArrayList<>();
        for (SealedBox b : send.boxes()) {
            boxes.add(new BoxMetadata(b.recipient(), b.size(), Hashes.sha256(b.encapsulation(), b.ciphertext())));
        }
        AuditEvent event = new AuditEvent.RelayAccepted(acceptedReceipt, send.channel(), boxes);
        if (batched && mailbox.completingGroupCommit()) {
            synchronized (this) {
                batch.add(event);
                afterWritten.add(then);
            }
            return;
        }
        flush();
        append(event);
        then.run();
    }

    /**
     * Something that must wait for the entries of the group commit being completed: the answer to
     * an identical re-send committed in the same group as the original (a {@code Duplicate}), which
     * must not reach the sender before the original's {@code relay-accepted} entry is written (review
     * A-L1). Called outside a group commit's completions, nothing is deferred: it runs at once.
     */
    void afterPending(Runnable then) {
        if (batched && mailbox.completingGroupCommit()) {
            synchronized (this) {
                afterWritten.add(then);
            }
            return;
        }
        flush();
        then.run();
    }

    /**
     * Writes the entries deferred for the current group commit in one write, then runs what waited
     * for them, in order.
     *
     * <p>A write that fails, with an I/O error or a runtime exception (an entry that does not encode),
     * is reported (logged as an error) and does not stop the relay: the messages are committed, so
     * their answers and deliveries still run. Withholding them would gain nothing: the sender would
     * re-send and be answered from the duplicate path all the same, and the recipients would wait for
     * their next connection. What "audit entry before answer" can still keep, it keeps: after a failed
     * batch write each entry is tried on its own, so one bad entry does not cost the others theirs,
     * and only then does anything waiting run.
     */
    void flush() {
        List<AuditEvent> entries;
        List<Runnable> waiting;
        synchronized (this) {
            if (batch.isEmpty() && afterWritten.isEmpty()) {
                return;
            }
            entries = List.copyOf(batch);
            waiting = List.copyOf(afterWritten);
            batch.clear();
            afterWritten.clear();
        }
        try {
            audit.appendAll(entries);
        } catch (IOException | RuntimeException e) {
            log.error("audit log write of {} entries failed ({}); writing them one by one", entries.size(),
                    String.valueOf(e));
            entries.forEach(this::append);
        }
        for (Runnable r : waiting) {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.error("work after an audit write failed: {}", String.valueOf(e));
            }
        }
    }

    /**
     * A recipient's receipt the mailbox has stored for the message's sender, with the certificate
     * whose key verified it, so the log pairs them even across a reissue.
     *
     * @throws IllegalArgumentException for an {@code accepted} receipt: the relay signs those itself
     *                                  and logs them with the message
     */
    void receiptStored(Receipt r, X509Certificate signer) {
        flush(); // acceptances first, as they were committed first
        AuditEvent event = switch (r.type()) {
            case DELIVERED -> new AuditEvent.RelayDelivered(r);
            case ACKNOWLEDGED, REJECTED -> AuditEvent.ReceiptRecorded.byRelay(r);
            case ACCEPTED -> throw new IllegalArgumentException("accepted receipts are logged with their message");
            case DELIVERED_THROUGH -> throw new IllegalArgumentException("a cumulative receipt is logged by "
                    + "cumulativeReceiptStored");
        };
        try {
            audit.ensureCertificate(r.asserter(), signer);
        } catch (IOException e) {
            log.error("audit log: cannot record the certificate of {}: {}", r.asserter(), e.getMessage());
        }
        append(event);
    }

    /** A recipient's cumulative receipt the mailbox has stored for its sender (PROTOCOL.md §6.1). */
    void cumulativeReceiptStored(CumulativeReceipt r, X509Certificate signer) {
        flush(); // acceptances first, as they were committed first
        try {
            audit.ensureCertificate(r.asserter(), signer);
        } catch (IOException e) {
            log.error("audit log: cannot record the certificate of {}: {}", r.asserter(), e.getMessage());
        }
        append(new AuditEvent.DeliveredThrough(r));
    }

    /** Writes one entry; a failure, checked or not, is reported and never stops what follows (see {@link #flush}). */
    private void append(AuditEvent event) {
        try {
            audit.append(event);
        } catch (IOException | RuntimeException e) {
            log.error("audit log write of a {} entry failed: {}", event.type(), String.valueOf(e));
        }
    }
}
