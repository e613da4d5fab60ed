package org.hotline.client.replay;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hotline.protocol.audit.AuditEntry;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.text.DisplaySafe;
import org.hotline.protocol.wire.Receipt;

/**
 * The messages a recipient rejected (PROTOCOL.md §6: a signed {@code rejected} receipt with its
 * reason), as the verified logs record them: the rejecting recipient's own log, the sender's (which
 * logs the receipt that ended its message) and the relay's. One rejection per message and recipient,
 * however many logs hold it; every field comes from the signed receipt, its time is the recipient's
 * ({@code at}). For headless replay (one line each), the replay window and the report.
 */
public final class RecipientRejections {

    /**
     * One recipient's rejection of one message. {@code trusted}: some log holds it in an entry a
     * signed checkpoint covers.
     */
    public record Rejection(String messageId, String sender, String channel, String recipient,
                            Receipt.RejectReason reason, Instant at, boolean trusted) {

        public String shortId() {
            return messageId.substring(0, Math.min(8, messageId.length()));
        }

        /** "pk.pm rejected message 1a2b3c4d from in.pm on leaders: unknown-prekey", roles by title. */
        public String describe(Timeline t) {
            return t.title(recipient) + " rejected message " + shortId() + " from " + t.title(sender) + " on " + channel
                    + ": " + reason.label() + (trusted ? "" : " (not covered by a signed checkpoint)");
        }
    }

    private final List<Rejection> all;

    private RecipientRejections(List<Rejection> all) {
        this.all = List.copyOf(all);
    }

    /** Every rejection in the timeline's logs, in the order the recipients made them. */
    public static RecipientRejections of(Timeline t) {
        Map<String, Rejection> byMessageAndRecipient = new LinkedHashMap<>();
        for (LogSource log : t.logs()) {
            List<AuditEntry> entries = log.entries();
            for (int i = 0; i < entries.size(); i++) {
                if (!(entries.get(i).event() instanceof AuditEvent.ReceiptEntry e)
                        || e.receipt().type() != Receipt.Type.REJECTED || e.receipt().reason().isEmpty()) {
                    continue;
                }
                Receipt r = e.receipt();
                boolean trusted = log.trusted(i);
                String key = r.messageId().hex() + " " + r.asserter();
                Rejection earlier = byMessageAndRecipient.get(key);
                if (earlier == null || (trusted && !earlier.trusted())) {
                    byMessageAndRecipient.put(key, new Rejection(r.messageId().hex(), r.sender(),
                            r.channel().orElse("?"), r.asserter(), r.reason().get(), r.at(), trusted));
                }
            }
        }
        List<Rejection> sorted = new ArrayList<>(byMessageAndRecipient.values());
        sorted.sort(Comparator.comparing(Rejection::at).thenComparing(Rejection::messageId));
        return new RecipientRejections(sorted);
    }

    public List<Rejection> all() {
        return all;
    }

    /** The rejections of message {@code messageId} (hex), one per recipient that rejected it. */
    public List<Rejection> of(String messageId) {
        return all.stream().filter(r -> r.messageId().equals(messageId)).toList();
    }

    /** Headless replay's summary lines: nothing when no message was rejected, else a count and one line each. */
    public void print(Timeline t, PrintWriter out) {
        if (all.isEmpty()) {
            return;
        }
        out.println("  rejected by a recipient: " + all.size());
        all.forEach(r -> out.println("    " + t.relative(r.at()) + "  " + DisplaySafe.line(r.describe(t))));
    }

    /** The replay window's lines for one message: "\nrejected by … at T+…", or "" when none did. */
    public String windowText(Timeline t, String messageId) {
        StringBuilder s = new StringBuilder();
        for (Rejection r : of(messageId)) {
            s.append("\nREJECTED by ").append(t.title(r.recipient())).append(" at ").append(t.relative(r.at()))
                    .append(" (").append(r.reason().label()).append("): it will never be shown to ")
                    .append(t.title(r.recipient()));
        }
        return DisplaySafe.multiline(s.toString());
    }

    /** The report's section: a marked row per rejection; nothing when no message was rejected. */
    void appendReportSection(StringBuilder h, Timeline t) {
        if (all.isEmpty()) {
            return;
        }
        h.append("<h2>Rejected by a recipient (").append(all.size()).append(")</h2>\n")
                .append("<table><tr><th>Rejected</th><th>Recipient</th><th>Message</th><th>Reason</th></tr>\n");
        for (Rejection r : all) {
            h.append("<tr class=\"rejected\"><td>").append(ReportWriter.esc(t.relative(r.at()))).append("<br><span class=\"muted\">")
                    .append(ReportWriter.esc(t.wallClock(r.at()))).append("</span></td><td>")
                    .append(ReportWriter.bdi(t.title(r.recipient()))).append("</td><td>")
                    .append(ReportWriter.esc(r.shortId())).append(" from ").append(ReportWriter.bdi(t.title(r.sender())))
                    .append(" on ").append(ReportWriter.esc(r.channel())).append("</td><td class=\"bad\">")
                    .append(ReportWriter.esc(r.reason().label()))
                    .append(r.trusted() ? "" : " <em>(not covered by a signed checkpoint)</em>").append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    /** The report's mark on a transcript row: " (REJECTED by …: reason)" per rejection, or "". */
    String transcriptMark(Timeline t, String messageId) {
        StringBuilder s = new StringBuilder();
        for (Rejection r : of(messageId)) {
            s.append(" <em class=\"bad\">(REJECTED by ").append(ReportWriter.esc(t.title(r.recipient()))).append(": ")
                    .append(ReportWriter.esc(r.reason().label())).append(")</em>");
        }
        return s.toString();
    }
}
