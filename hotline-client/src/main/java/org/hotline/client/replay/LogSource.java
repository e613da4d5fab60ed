package org.hotline.client.replay;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.hotline.protocol.audit.AuditEntry;
import org.hotline.protocol.audit.AuditReport;
import org.hotline.protocol.audit.AuditVerifier;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.pki.CertificateValidator;

/**
 * One loaded audit log: its verification report and the entries the verifier accepted. Nothing is
 * read from the file any other way: a log that fails verification contributes only the entries
 * before its first bad line, marked untrusted, and never the bad line or a torn line.
 */
public record LogSource(Path file, AuditReport report, String owner, List<AuditEntry> entries) {

    public LogSource {
        entries = List.copyOf(entries);
    }

    /** The whole log verified: every entry is covered by a signed checkpoint. */
    public boolean trusted() {
        return report.intact();
    }

    /**
     * Whether entry {@code index} of {@link #entries()} is covered by a valid signed checkpoint: in
     * a log with only an unsigned tail (PROTOCOL.md §11.4), every entry before its last checkpoint.
     */
    public boolean trusted(int index) {
        return report.vouchesFor(index);
    }

    /** Every line verified but the last {@link #unsignedTail()} entries have no signed checkpoint. */
    public boolean onlyUnsignedTail() {
        return report.onlyUnsignedTail();
    }

    /** Entries after the last signed checkpoint of a log that otherwise verified (0 if none). */
    public long unsignedTail() {
        return report.unsignedTailEntries();
    }

    /**
     * "in.pm: intact, authentic", "in.pm: signed up to entry 40 of 43; UNSIGNED TAIL ..." or
     * "in.pm: FAILED at line 12: ...".
     */
    public String integrity() {
        if (report.intact()) {
            return owner + ": intact" + (report.authenticated() ? ", authentic under the exercise CA" : " (authenticity not checked)");
        }
        if (report.onlyUnsignedTail()) {
            long from = report.vouchedEntries() + 1;
            return owner + ": signed up to entry " + report.vouchedEntries() + " of " + report.entries() + "; UNSIGNED TAIL: "
                    + (from == report.entries() ? "entry " + from + " is" : "entries " + from + "\u2013" + report.entries()
                    + " are") + " not covered by a signed checkpoint (the log's owner ended without closing it, or the "
                    + "file was cut); no line failed verification, and everything before stays trusted";
        }
        return owner + ": FAILED verification, " + report.problem().get()
                + " (nothing from that line on is shown; the entries before it are marked untrusted)";
    }

    public static LogSource load(Path file, Optional<CertificateValidator> trust) throws IOException {
        return load(file, trust, Optional.empty());
    }

    /** Verifies {@code file} (against the exercise's channels too, when given) and keeps what passed. */
    public static LogSource load(Path file, Optional<CertificateValidator> trust, Optional<Exercise> exercise)
            throws IOException {
        AuditReport report = AuditVerifier.verify(file, trust, exercise);
        String owner = report.owner().equals("?") ? file.getFileName().toString() : report.owner();
        return new LogSource(file, report, owner, report.accepted());
    }
}
