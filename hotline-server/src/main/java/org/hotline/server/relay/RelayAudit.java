package org.hotline.server.relay;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import org.hotline.protocol.audit.AuditEntryType;
import org.hotline.protocol.audit.AuditLog;
import org.hotline.protocol.crypto.Hashes;
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
        ObjectNode p = AuditLog.payload();
        p.put("id", send.messageId().hex());
        p.put("from", send.sender());
        p.put("channel", send.channel());
        ArrayNode to = p.putArray("to");
        ArrayNode sizes = p.putArray("sizes");
        ArrayNode hashes = p.putArray("ciphertextSha256");
        for (SealedBox b : send.boxes()) {
            to.add(b.recipient());
            sizes.add(b.size());
            hashes.add(HexFormat.of().formatHex(Hashes.sha256(b.encapsulation(), b.ciphertext())));
        }
        p.put("receipt", Base64.getEncoder().encodeToString(acceptedReceipt.encode()));
        append(AuditEntryType.RELAY_ACCEPTED, p);
    }

    /**
     * A recipient's receipt the mailbox has stored for the message's sender, with the certificate
     * whose key verified it, so the log pairs them even across a reissue.
     *
     * @throws IllegalArgumentException for an {@code accepted} receipt: the relay signs those itself
     *                                  and logs them with the message
     */
    void receiptStored(Receipt r, X509Certificate signer) {
        String type = switch (r.type()) {
            case DELIVERED -> AuditEntryType.RELAY_DELIVERED;
            case ACKNOWLEDGED -> AuditEntryType.RECEIPT;
            case ACCEPTED -> throw new IllegalArgumentException("accepted receipts are logged with their message");
        };
        try {
            audit.ensureCertificate(r.asserter(), signer);
        } catch (IOException e) {
            log.error("audit log: cannot record the certificate of {}: {}", r.asserter(), e.getMessage());
        }
        ObjectNode p = AuditLog.payload();
        p.put("id", r.messageId().hex());
        p.put("by", r.asserter());
        p.put("state", r.type().name().toLowerCase());
        p.put("receipt", Base64.getEncoder().encodeToString(r.encode()));
        append(type, p);
    }

    private void append(String type, ObjectNode p) {
        try {
            audit.append(type, p);
        } catch (IOException e) {
            log.error("audit log write failed: {}", e.getMessage());
        }
    }
}
