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
import org.hotline.protocol.wire.MessageHeader;

/**
 * Every missed answer-by deadline the logs record ({@code deadline-missed}, PROTOCOL.md §11.3), one
 * per message however many logs record it, for {@code replay --headless} and the report. Read from
 * the entries the verifier accepted only; a deadline known only from untrusted or unsigned entries
 * is marked so.
 *
 * @param missed ordered by when they were first recorded
 */
public record MissedDeadlines(List<Missed> missed) {

    public MissedDeadlines {
        missed = List.copyOf(missed);
    }

    /**
     * One message that asked for an answer by a time and had none.
     *
     * @param deadline   on the clock it followed: the signed answerBy, or scenario time ({@code exercise})
     * @param missedAt   when the first log recorded it (its entry's time): on the exercise clock a deadline
     *                   passes in scenario time, long before the signed wall-clock answerBy
     * @param recordedBy owners of the logs that record it, in log order
     * @param trusted    whether some log records it in an entry covered by a signed checkpoint
     */
    public record Missed(String id, String from, List<String> to, String channel, Instant sentAt, Instant answerBy,
                         boolean exerciseClock, Instant deadline, Instant missedAt, List<String> recordedBy,
                         boolean trusted) {
        public Missed {
            to = List.copyOf(to);
            recordedBy = List.copyOf(recordedBy);
        }

        public String shortId() {
            return id.substring(0, 8);
        }
    }

    public static MissedDeadlines of(Timeline t) {
        Map<String, Missed> byId = new LinkedHashMap<>();
        for (LogSource log : t.logs()) {
            List<AuditEntry> entries = log.entries();
            for (int i = 0; i < entries.size(); i++) {
                if (!(entries.get(i).event() instanceof AuditEvent.DeadlineMissed d)) {
                    continue;
                }
                MessageHeader h = d.message().header();
                String id = h.messageId().hex();
                boolean trusted = log.trusted(i);
                Missed before = byId.get(id);
                List<String> by = new ArrayList<>(before == null ? List.of() : before.recordedBy());
                by.add(log.owner());
                byId.put(id, new Missed(id, h.sender(), h.recipients(), h.channel(), h.sentAt(), d.answerBy(),
                        d.clock().equals(AuditEvent.DeadlineMissed.EXERCISE), before == null ? d.deadline() : before.deadline(),
                        before == null || entries.get(i).time().isBefore(before.missedAt()) ? entries.get(i).time()
                                : before.missedAt(), by, trusted || (before != null && before.trusted())));
            }
        }
        List<Missed> list = new ArrayList<>(byId.values());
        list.sort(Comparator.comparing(Missed::missedAt).thenComparing(Missed::id));
        return new MissedDeadlines(list);
    }

    /** "no reply by 14:30:00 IST / 14:00:00 PKT", with "scenario" before a deadline on the exercise clock. */
    public static String noReplyBy(Timeline t, Missed m) {
        return "no reply by " + (m.exerciseClock() ? "scenario " : "") + t.wallClock(m.deadline());
    }

    /** One line of {@code replay --headless}. */
    public static String line(Timeline t, Missed m) {
        return t.relative(m.missedAt()) + "  " + noReplyBy(t, m) + "  " + DisplaySafe.line(m.from()) + " \u2192 "
                + DisplaySafe.line(String.join(",", m.to())) + "  " + m.shortId() + "  on " + DisplaySafe.line(m.channel())
                + " (recorded by " + DisplaySafe.line(String.join(", ", m.recordedBy())) + ")"
                + (m.trusted() ? "" : "  UNTRUSTED OR UNSIGNED");
    }

    /** The summary's section: nothing when no deadline was missed, so older outputs stay as they were. */
    public void print(Timeline t, PrintWriter out) {
        if (missed.isEmpty()) {
            return;
        }
        out.println("  missed deadlines: " + missed.size());
        missed.forEach(m -> out.println("    " + line(t, m)));
    }

    /** The report's section. */
    public void html(Timeline t, StringBuilder h) {
        h.append("<h2>Missed answer-by deadlines (").append(missed.size()).append(")</h2>\n");
        if (missed.isEmpty()) {
            h.append("<p class=\"muted\">Every message that asked for a reply by a time had one in time.</p>\n");
            return;
        }
        h.append("<table><tr><th>Deadline</th><th>From \u2192 to</th><th>Message</th><th>Sent</th>"
                + "<th>Recorded by</th></tr>\n");
        for (Missed m : missed) {
            String text = t.message(m.id()).map(Timeline.MessageRecord::text).orElse("message " + m.shortId());
            h.append("<tr><td>").append(ReportWriter.esc(noReplyBy(t, m))).append("</td><td>")
                    .append(ReportWriter.esc(t.title(m.from()) + " \u2192 " + String.join(", ",
                            m.to().stream().map(t::title).toList()))).append("</td><td>").append(ReportWriter.bdi(text))
                    .append("</td><td>").append(ReportWriter.esc(t.relative(m.sentAt()) + "  " + t.wallClock(m.sentAt())))
                    .append("</td><td>").append(ReportWriter.esc(String.join(", ", m.recordedBy())))
                    .append(m.trusted() ? "" : " <span class=\"bad\">untrusted or unsigned</span>").append("</td></tr>\n");
        }
        h.append("</table>\n");
    }
}
