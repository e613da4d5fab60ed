package org.hotline.client.replay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hotline.protocol.audit.AuditEntry;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.signals.SignalCatalog;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.Intent;
import org.hotline.protocol.wire.ReadAs;
import org.hotline.protocol.wire.ReadingFields;

/**
 * The report's "intent and reading" section (PROTOCOL.md §4.2 Intent and Reading): every message
 * with the intent its sender signed (a signal's from its catalog category), each recipient's signed
 * reading and how long after delivery it came, and the misread rate: of the messages sent to
 * reassure that somebody read, how many were read as concerning or threatening. A hot wash can
 * start from those.
 *
 * <p>Readings come from every given log that holds one: the reader's own and exercise control's
 * (which receives each reading). The same reading in two logs counts once; a reading in a log
 * that failed verification is used only if no verified log has it, and is marked.
 */
public record IntentReadingTable(List<Row> rows) {

    public IntentReadingTable {
        rows = List.copyOf(rows);
    }

    /** One message: its intent (empty: free text signed before intents, "not stated") and its readings. */
    public record Row(Timeline.MessageRecord message, Optional<Intent> intent, List<Reading> readings) {
        public Row {
            readings = List.copyOf(readings);
        }

        /** Sent to reassure and read by someone as concerning or threatening. */
        public boolean misread() {
            return intent.equals(Optional.of(Intent.REASSURE)) && readings.stream().anyMatch(r -> r.readAs().alarming());
        }
    }

    /**
     * One reader's reading; {@code latency} from delivery (the reader's client storing it) to the
     * reading, both as the reader signed them.
     */
    public record Reading(String reader, ReadAs readAs, String note, Duration latency, boolean trusted) {
    }

    /** The table of {@code t}'s messages, with intents and readings from its logs. */
    public static IntentReadingTable of(Timeline t, SignalCatalog catalog) {
        Map<String, Content> contents = new LinkedHashMap<>();
        Map<String, Map<String, Reading>> readings = new LinkedHashMap<>();
        for (LogSource log : t.logs()) {
            List<AuditEntry> entries = log.entries();
            for (int i = 0; i < entries.size(); i++) {
                AuditEvent e = entries.get(i).event();
                if (e instanceof AuditEvent.MessageEntry m) {
                    contents.putIfAbsent(m.header().messageId().hex(), m.content());
                } else if (e instanceof AuditEvent.ReadingRecorded r) {
                    ReadingFields f = r.reading().fields();
                    Reading reading = new Reading(f.reader(), f.readAs(), f.note(),
                            Duration.between(f.receivedAt(), f.readAt()), log.trusted(i));
                    // A reader may change their mind: the later reading stands; a verified copy beats an untrusted one.
                    readings.computeIfAbsent(f.messageId().hex(), k -> new LinkedHashMap<>())
                            .merge(f.reader(), reading, (a, b) -> a.trusted() != b.trusted() ? (a.trusted() ? a : b)
                                    : b.latency().compareTo(a.latency()) >= 0 ? b : a);
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Timeline.MessageRecord m : t.messages()) {
            Content c = contents.get(m.id());
            if (!(c instanceof Content.Signal) && !(c instanceof Content.Text)) {
                continue;
            }
            rows.add(new Row(m, catalog.intentOf(c), List.copyOf(readings.getOrDefault(m.id(), Map.of()).values())));
        }
        return new IntentReadingTable(rows);
    }

    /** Messages whose sender's intent was to reassure. */
    public List<Row> sentToReassure() {
        return rows.stream().filter(r -> r.intent().equals(Optional.of(Intent.REASSURE))).toList();
    }

    /** Messages sent to reassure that somebody recorded a reading of: the misread rate's base. */
    public List<Row> sentToReassureAndRead() {
        return sentToReassure().stream().filter(r -> !r.readings().isEmpty()).toList();
    }

    public List<Row> misread() {
        return rows.stream().filter(Row::misread).toList();
    }

    /** Misread ÷ sent to reassure and read; empty when nothing sent to reassure was read. */
    public Optional<Double> misreadRate() {
        int base = sentToReassureAndRead().size();
        return base == 0 ? Optional.empty() : Optional.of((double) misread().size() / base);
    }

    /** "1 of 2 messages sent to reassure and read (50%) were read as concerning or threatening". */
    public String misreadSummary() {
        int base = sentToReassureAndRead().size();
        String unread = sentToReassure().size() > base ? "; " + (sentToReassure().size() - base)
                + " more sent to reassure have no recorded reading" : "";
        if (base == 0) {
            return "misread rate: no message sent to reassure has a recorded reading" + unread;
        }
        return "misread rate: " + misread().size() + " of " + base + " message" + (base == 1 ? "" : "s")
                + " sent to reassure and read (" + Math.round(misreadRate().get() * 100) + "%) "
                + (misread().size() == 1 ? "was" : "were") + " read as concerning or threatening" + unread;
    }

    /** The section of the HTML report, misread messages first so the hot wash can start there. */
    void appendHtml(StringBuilder h, Timeline t) {
        h.append("<h2>Intent and reading</h2>\n<p class=\"").append(misread().isEmpty() ? "muted" : "bad").append("\">")
                .append(ReportWriter.esc(misreadSummary())).append("</p>\n");
        if (rows.isEmpty()) {
            h.append("<p class=\"muted\">No messages.</p>\n");
            return;
        }
        h.append("<table class=\"intent-reading\"><tr><th>Sent</th><th>From \u2192 to</th><th>Text</th>")
                .append("<th>Sender's intent</th><th>Readings (after delivery)</th></tr>\n");
        List<Row> ordered = new ArrayList<>(misread());
        rows.stream().filter(r -> !r.misread()).forEach(ordered::add);
        for (Row r : ordered) {
            Timeline.MessageRecord m = r.message();
            h.append("<tr").append(r.misread() ? " class=\"misread\"" : "").append("><td>")
                    .append(ReportWriter.esc(t.relative(m.sentAt()))).append("<br>")
                    .append(ReportWriter.esc(t.wallClock(m.sentAt()))).append("</td><td>")
                    .append(ReportWriter.esc(t.title(m.from()) + " \u2192 " + String.join(", ",
                            m.to().stream().map(t::title).toList()))).append("</td><td>")
                    .append(ReportWriter.bdi(m.text())).append("</td><td>")
                    .append(r.intent().map(Intent::label).orElse("<span class=\"muted\">not stated</span>"))
                    .append("</td><td>");
            if (r.readings().isEmpty()) {
                h.append("<span class=\"muted\">no reading recorded</span>");
            }
            for (Reading x : r.readings()) {
                boolean bad = r.misread() && x.readAs().alarming();
                h.append("<div>").append(ReportWriter.esc(t.title(x.reader()))).append(": <span class=\"")
                        .append(bad ? "bad" : x.readAs().alarming() ? "warn" : "ok").append("\">")
                        .append(x.readAs().label()).append("</span> (+").append(TimelineStats.seconds(x.latency()))
                        .append(")");
                if (!x.note().isEmpty()) {
                    h.append(" \u201c").append(ReportWriter.bdi(x.note())).append("\u201d");
                }
                if (!x.trusted()) {
                    h.append(" <em>(only in a log that is not fully verified)</em>");
                }
                h.append("</div>");
            }
            h.append(r.misread() ? " <strong class=\"bad\">misread</strong>" : "").append("</td></tr>\n");
        }
        h.append("</table>\n");
    }
}
