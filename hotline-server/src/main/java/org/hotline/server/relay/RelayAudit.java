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

    RelayAudit(AuditLog audit) {
        this.audit = audit;
    }

    /** A SEND the mailbox has committed, with the relay's signed {@code accepted} receipt. */
    void accepted(Frame.Send send, Receipt acceptedReceipt) {
        List<BoxMetadata> boxes = new ArrayList<>();
        for (SealedBox b : send.boxes()) {
            boxes.add(new BoxMetadata(b.recipient(), b.size(), Hashes.sha256(b.encapsulation(), b.ciphertext())));
        }
        append(new AuditEvent.RelayAccepted(acceptedReceipt, send.channel(), boxes));
    }

    /**
     * A recipient's receipt the mailbox has stored for the message's sender, with the certificate
     * whose key verified it, so the log pairs them even across a reissue.
     *
     * @throws IllegalArgumentException for an {@code accepted} receipt: the relay signs those itself
     *                                  and logs them with the message
     */
    void receiptStored(Receipt r, X509Certificate signer) {
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
        try {
            audit.ensureCertificate(r.asserter(), signer);
        } catch (IOException e) {
            log.error("audit log: cannot record the certificate of {}: {}", r.asserter(), e.getMessage());
        }
        append(new AuditEvent.DeliveredThrough(r));
    }

    private void append(AuditEvent event) {
        try {
            audit.append(event);
        } catch (IOException e) {
            log.error("audit log write failed: {}", e.getMessage());
        }
    }
}
