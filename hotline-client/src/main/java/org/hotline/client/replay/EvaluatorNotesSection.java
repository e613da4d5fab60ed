package org.hotline.client.replay;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.hotline.protocol.audit.AuditEntry;
import org.hotline.protocol.audit.AuditEvent;

/**
 * The report's "Evaluator notes" section: exercise control's signed observations (PROTOCOL.md §11.3
 * {@code evaluator-note}), read only from the verified entries of the logs given, in time order.
 * The verifier has checked each note's signature under its author's certificate; a note after its
 * log's last checkpoint is marked unsigned-tail, and one from a log that failed is marked untrusted.
 * With the exercise, only the control seat's log is read; without it, every note is marked "author
 * not checked as control".
 */
final class EvaluatorNotesSection {

    private static final DateTimeFormatter SCENARIO = DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ENGLISH);

    private record Row(AuditEvent.EvaluatorNote note, String standing) {
    }

    private EvaluatorNotesSection() {
    }

    /** Appends the section (nothing when no log given holds a note). */
    static void append(StringBuilder h, Timeline t) {
        List<Row> rows = new java.util.ArrayList<>();
        for (LogSource l : t.logs()) {
            // Only exercise control's log holds notes (PROTOCOL.md §11.4 step 7a): with the exercise,
            // notes from any other seat's log are left out; without it, the author is not checked.
            if (t.exercise().isPresent() && !t.exercise().get().isControl(l.owner())) {
                continue;
            }
            String unchecked = t.exercise().isPresent() ? "" : "; author not checked as control (no exercise)";
            List<AuditEntry> entries = l.entries();
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).event() instanceof AuditEvent.EvaluatorNote n) {
                    rows.add(new Row(n, (l.trusted(i) ? "signature verified"
                            : l.onlyUnsignedTail() ? "signature verified; after the log's last checkpoint (unsigned tail)"
                            : "untrusted: in a log that failed verification") + unchecked));
                }
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        rows.sort(java.util.Comparator.comparing(r -> r.note().observedAt()));
        h.append("<h2>Evaluator notes (").append(rows.size()).append(")</h2>\n<p class=\"muted\">Observations typed by "
                + "exercise control during the exercise, each signed with control's key in its audit log; never sent to "
                + "the players.</p>\n<table><tr><th>Written</th><th>Scenario time</th><th>By</th><th>Note</th>"
                + "<th>Signature</th></tr>\n");
        for (Row r : rows) {
            AuditEvent.EvaluatorNote n = r.note();
            h.append("<tr><td>").append(ReportWriter.esc(t.relative(n.observedAt()))).append("<br>")
                    .append(ReportWriter.esc(t.wallClock(n.observedAt()))).append("</td><td>")
                    .append(ReportWriter.esc(SCENARIO.format(n.scenarioTime().atOffset(ZoneOffset.UTC)) + " UTC"))
                    .append("</td><td>").append(ReportWriter.esc(t.title(n.author()))).append("</td><td>")
                    .append(ReportWriter.bdi(n.text())).append("</td><td")
                    .append(r.standing().startsWith("untrusted") ? " class=\"bad\"" : "").append(">")
                    .append(ReportWriter.esc(r.standing())).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }
}
