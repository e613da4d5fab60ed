package org.hotline.client.replay;

import java.io.PrintWriter;
import org.hotline.protocol.signals.EveryLanguage;
import org.hotline.protocol.text.DisplaySafe;

/**
 * What {@code replay --headless} prints about injects and translations: an INJECT line in the
 * transcript, an indented line per translation under a signal, and the injects' part of the
 * summary (expected action and each recipient's first reaction). Every logged text is escaped.
 */
public final class HeadlessInjects {

    private HeadlessInjects() {
    }

    /**
     * {@code T+00:00:05.0  INJECT I-01 [situation] control → in.pm,pk.pm  Title: text  (delivered in.pm +0.4 s, ...)}.
     */
    public static String line(Timeline t, InjectLane.InjectRecord i) {
        StringBuilder sb = new StringBuilder(t.relative(i.sentAt())).append("  INJECT ")
                .append(DisplaySafe.line(i.injectId())).append(" [").append(DisplaySafe.line(i.kind())).append("] ")
                .append(DisplaySafe.line(i.from())).append(" \u2192 ").append(DisplaySafe.line(String.join(",", i.to())))
                .append("  ").append(HeadlessReplay.ellipsis(DisplaySafe.line(i.title() + ": " + i.text()), 90))
                .append("  (");
        sb.append(String.join(", ", i.reactions().stream().map(r -> DisplaySafe.line(r.recipient()) + " "
                + r.deliveredAt().map(d -> "delivered +" + TimelineStats.seconds(java.time.Duration.between(i.sentAt(), d)))
                .orElse("NOT DELIVERED")).toList()));
        sb.append(")");
        if (!i.trusted()) {
            sb.append("  UNSIGNED OR UNTRUSTED (not covered by a signed checkpoint)");
        }
        return sb.toString();
    }

    /** {@code               hi (translation not reviewed): …}, under the message's line. */
    public static String translation(EveryLanguage.Wording w) {
        return "              " + w.code() + (w.needsReviewMark() ? " (" + EveryLanguage.NOT_REVIEWED + ")" : "") + ": "
                + DisplaySafe.line(w.text());
    }

    /** The injects' part of the summary; nothing when the logs hold no inject. */
    public static void summary(Timeline t, InjectLane lane, PrintWriter out) {
        if (lane.injects().isEmpty()) {
            return;
        }
        out.println("  injects: " + lane.injects().size() + " (first reaction: from delivery to the recipient's "
                + "first message sent afterwards)");
        for (InjectLane.InjectRecord i : lane.injects()) {
            out.println("    " + t.relative(i.sentAt()) + "  " + DisplaySafe.line(i.injectId()) + " ["
                    + DisplaySafe.line(i.kind()) + "] " + HeadlessReplay.ellipsis(DisplaySafe.line(i.title()), 60) + "; "
                    + DisplaySafe.line(lane.expectedText(i)));
            for (InjectLane.Reaction r : i.reactions()) {
                String first = r.first().map(m -> ": " + t.relative(m.sentAt()) + " [" + DisplaySafe.line(m.category())
                        + "] " + HeadlessReplay.ellipsis(DisplaySafe.line(m.text()), 70)).orElse("");
                out.println("      " + DisplaySafe.line(r.recipient()) + ": " + r.describe() + first);
            }
        }
    }
}
