package org.hotline.client.core.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hotline.client.core.store.OutboxStore;
import org.hotline.client.core.store.StoreException;
import org.hotline.protocol.audit.AuditCodec;
import org.hotline.protocol.audit.AuditEntryType;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.audit.AuditFormatException;
import org.hotline.protocol.audit.AuditLog;
import org.hotline.protocol.wire.Receipt;

/**
 * At open, the outbox's {@code relay_inclusions} flags against the audit log (review F6): a
 * {@code relay-inclusion} entry (PROTOCOL.md §12.5) is written first and flagged after, so a crash
 * between the two leaves an entry whose flag is missing, and the relay's next proof of that message
 * would be logged a second time. Each such entry gets its flag now. Only the lines a verifier reads
 * as entries count ({@link AuditLog#untornLines}): a torn {@code relay-inclusion} line is not one,
 * so it stays unflagged and the next proof writes the entry whole. Engine thread only.
 */
final class RelayInclusionReconciler {

    /** The entry type as it appears in a line, to skip decoding every other line of a long log. */
    private static final byte[] MARKER = ("\"" + AuditEntryType.RELAY_INCLUSION + "\"").getBytes(StandardCharsets.UTF_8);

    private RelayInclusionReconciler() {
    }

    /**
     * Flags every logged {@code relay-inclusion} entry not flagged yet.
     *
     * @return how many flags were missing
     */
    static int reconcile(OutboxStore outbox, Path auditFile) throws IOException, StoreException {
        int flagged = 0;
        for (byte[] line : AuditLog.untornLines(Files.readAllBytes(auditFile))) {
            if (!contains(line, MARKER)) {
                continue;
            }
            AuditEvent event;
            try {
                event = AuditCodec.decode(line).event();
            } catch (AuditFormatException notAnEntry) {
                continue; // the verifier, not this reconciliation, judges a line that does not decode
            }
            if (event instanceof AuditEvent.RelayInclusion in) {
                Receipt r = in.receipt();
                if (!outbox.relayInclusionRecorded(r.messageId(), r.asserter())) {
                    outbox.markRelayInclusionRecorded(r.messageId(), r.asserter());
                    flagged++;
                }
            }
        }
        return flagged;
    }

    private static boolean contains(byte[] line, byte[] marker) {
        outer:
        for (int i = 0; i + marker.length <= line.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (line[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
