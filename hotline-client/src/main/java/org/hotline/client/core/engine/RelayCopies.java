package org.hotline.client.core.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hotline.protocol.audit.AuditCodec;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.audit.AuditFormatException;
import org.hotline.protocol.audit.AuditLog;
import org.hotline.protocol.wire.MessageId;

/**
 * Which relays' copies of each received message the audit log records (PROTOCOL.md §11.3, §13
 * rule 5): the relay of the first copy ({@code via} of its {@code message-received} entry), then
 * one {@code duplicate} entry per other relay. A relay that redelivers a message forever therefore
 * adds at most one entry, across restarts too: at open the records are read back from the log
 * itself, so the writer never writes a line the verifier would refuse as a second duplicate.
 * Used only with several relays. Engine thread only.
 */
final class RelayCopies {

    /** Per received message: the relays recorded, the first copy's first. */
    private final Map<MessageId, List<String>> recorded = new HashMap<>();

    /**
     * The records of the log at {@code file}, read as the verifier reads them: a torn line
     * (PROTOCOL.md §11.5) is never used, and only the first {@code message-received} of an id
     * counts, with or without a {@code via}. Bytes, not text: a line torn inside a multi-byte
     * character is just a torn line.
     */
    void load(Path file) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        for (byte[] line : AuditLog.untornLines(Files.readAllBytes(file))) {
            // Only the two entry types that say which relay carried a copy; the rest is not decoded.
            String text = new String(line, StandardCharsets.UTF_8);
            if (!text.contains("\"type\":\"message-received\"") && !text.contains("\"type\":\"duplicate\"")) {
                continue;
            }
            try {
                AuditEvent e = AuditCodec.decode(line).event();
                if (e instanceof AuditEvent.MessageReceived r) {
                    recorded.putIfAbsent(r.message().header().messageId(), new ArrayList<>(r.via().stream().toList()));
                } else if (e instanceof AuditEvent.DuplicateCopy d) {
                    later(d.id(), d.via());
                }
            } catch (AuditFormatException notAnEntry) {
                // A line the verifier refuses: it judges the file, this only keeps the bound.
            }
        }
    }

    /** The log recorded {@code id}'s first copy as {@code relay}'s. */
    void first(MessageId id, String relay) {
        recorded.putIfAbsent(id, new ArrayList<>(List.of(relay)));
    }

    /**
     * Whether a verified later copy of {@code id} through {@code relay} is to be recorded as a
     * duplicate: the log holds the message's first copy, from another relay, and no duplicate of
     * this relay yet. Counts it as recorded.
     */
    boolean later(MessageId id, String relay) {
        List<String> relays = recorded.get(id);
        // Empty: the first message-received names no relay, and the verifier refuses any duplicate of it.
        if (relays == null || relays.isEmpty() || relays.contains(relay)) {
            return false;
        }
        relays.add(relay);
        return true;
    }
}
