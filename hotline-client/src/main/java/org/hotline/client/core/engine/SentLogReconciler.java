package org.hotline.client.core.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.hotline.client.core.store.OutboxStore;
import org.hotline.client.core.store.StoreException;
import org.hotline.protocol.audit.AuditCodec;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.audit.AuditFormatException;
import org.hotline.protocol.wire.MessageId;

/**
 * At open, the outbox against the audit log (PROTOCOL.md §11.3, "Reconciling the outbox"): a
 * message is stored in the outbox before its {@code message-sent} entry is written, so a crash
 * between the two leaves a message that may reach the relay and its recipients but is missing from
 * the sender's own log. Each such message gets its {@code message-sent} entry now, after a
 * {@code warning-shown} entry that says it is recovered, and the person is told. Engine thread only.
 */
final class SentLogReconciler {

    private SentLogReconciler() {
    }

    /**
     * Writes what the log is missing.
     *
     * @return how many {@code message-sent} entries were recovered
     */
    static int reconcile(OutboxStore outbox, ClientAudit audit) throws IOException, StoreException {
        Set<MessageId> logged = sentIdsIn(audit.file());
        int recovered = 0;
        for (OutboxStore.Outgoing o : outbox.allOutgoing()) {
            if (logged.contains(o.id())) {
                continue;
            }
            audit.warningShown("recovered after a crash: message " + o.id().hex() + " (composed " + o.createdAt()
                    + ") is in the outbox but its message-sent entry was never written; it is written now");
            audit.messageSent(o.message(), o.text());
            recovered++;
        }
        if (recovered > 0) {
            audit.problem("recovered " + recovered + " message(s) missing from the audit log after a crash (see the "
                    + "warning entries)");
        }
        return recovered;
    }

    /** Ids of every {@code message-sent} entry in the log file; lines that do not decode (a torn line) are skipped. */
    private static Set<MessageId> sentIdsIn(Path file) throws IOException {
        Set<MessageId> ids = new HashSet<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            try {
                if (AuditCodec.decode(line.getBytes(StandardCharsets.UTF_8)).event() instanceof AuditEvent.MessageSent s) {
                    ids.add(s.message().header().messageId());
                }
            } catch (AuditFormatException notAnEntry) {
                // A torn line is never used (§11.5); the verifier, not this reconciliation, judges it.
            }
        }
        return ids;
    }
}
