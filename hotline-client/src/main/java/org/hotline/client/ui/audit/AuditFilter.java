package org.hotline.client.ui.audit;

import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import org.hotline.protocol.audit.AuditEntryType;

/**
 * What the audit tab shows of a log that soon holds thousands of rows, most of them link tests and
 * receipts: everything, only what people did and saw, or only the line's health; narrowed further
 * by words typed into the search box.
 */
public enum AuditFilter {
    /** Messages, acknowledgements, warnings and errors shown, gaps, equivocations, outages. */
    EVENTS("Messages and events"),
    /** Every entry of the log. */
    ALL("Everything"),
    /** Link tests, connection changes, relay receipts and checkpoints. */
    LINE("Line and receipts");

    /** Routine traffic: it proves the line works, and drowns everything else. */
    private static final Set<String> ROUTINE = Set.of(AuditEntryType.LINK_VERIFIED, AuditEntryType.RECEIPT,
            AuditEntryType.RELAY_ACCEPTED, AuditEntryType.RELAY_DELIVERED, AuditEntryType.DELIVERED_THROUGH,
            AuditEntryType.CHECKPOINT,
            AuditEntryType.PEER_CHECKPOINT, AuditEntryType.PREKEY_ROTATED, AuditEntryType.LINK_UP,
            AuditEntryType.PEER_CERTIFICATE, AuditEntryType.LOG_OPENED);

    private final String label;

    AuditFilter(String label) {
        this.label = label;
    }

    @Override
    public String toString() {
        return label;
    }

    /** The rows this filter and {@code words} (case-insensitive, in type or summary) let through. */
    public Predicate<AuditViewModel.Row> and(String words) {
        String w = words == null ? "" : words.strip().toLowerCase(Locale.ROOT);
        return row -> kept(row.type()) && (w.isEmpty() || row.type().toLowerCase(Locale.ROOT).contains(w)
                || row.summary().toLowerCase(Locale.ROOT).contains(w));
    }

    private boolean kept(String type) {
        return switch (this) {
            case ALL -> true;
            // "rejected" and "error" rows are the reader's, not the log's: always shown.
            case EVENTS -> !ROUTINE.contains(type);
            case LINE -> ROUTINE.contains(type) || type.equals(AuditEntryType.LINK_DOWN)
                    || type.equals(AuditEntryType.LINK_ALARM) || type.equals("rejected") || type.equals("error");
        };
    }
}
