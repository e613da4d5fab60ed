package org.hotline.client.replay;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import org.hotline.protocol.text.DisplaySafe;

/**
 * Prints a timeline in order with exercise-relative times, optionally paced by the original gaps
 * divided by {@code speed}, then a summary. The output is stable for the same logs (golden-file
 * tested), so trainers can diff two runs.
 */
public final class HeadlessReplay {

    /** Waits between lines; tests pass one that records instead of sleeping. */
    public interface Pacer {
        void pause(Duration d) throws InterruptedException;
    }

    private HeadlessReplay() {
    }

    public static void print(Timeline t, PrintWriter out, Optional<Double> speed, Pacer pacer)
            throws InterruptedException {
        print(t, InjectLane.of(t, Optional.empty()), out, speed, pacer);
    }

    /**
     * The same, with exercise control's injects among the messages in time order (one line each,
     * marked INJECT) and, after the summary, each inject's expected action and first reactions;
     * every signal is followed by its wording in each other catalog language.
     */
    public static void print(Timeline t, InjectLane injects, PrintWriter out, Optional<Double> speed, Pacer pacer)
            throws InterruptedException {
        out.println("Logs:");
        t.logs().forEach(l -> out.println("  " + DisplaySafe.line(String.valueOf(l.integrity()))));
        t.crossCheck().forEach(c -> out.println("  " + DisplaySafe.line(c)));
        out.println();
        MessageLanguages languages = MessageLanguages.of(t);
        java.time.Instant previous = t.start();
        int next = 0;
        for (Timeline.MessageRecord m : t.messages()) {
            while (next < injects.injects().size() && !injects.injects().get(next).sentAt().isAfter(m.sentAt())) {
                InjectLane.InjectRecord i = injects.injects().get(next++);
                previous = pace(previous, i.sentAt(), speed, pacer);
                out.println(HeadlessInjects.line(t, i));
            }
            previous = pace(previous, m.sentAt(), speed, pacer);
            out.println(line(t, m));
            languages.translations(m.id()).forEach(w -> out.println(HeadlessInjects.translation(w)));
        }
        while (next < injects.injects().size()) {
            InjectLane.InjectRecord i = injects.injects().get(next++);
            previous = pace(previous, i.sentAt(), speed, pacer);
            out.println(HeadlessInjects.line(t, i));
        }
        out.println();
        summary(t, out);
        HeadlessInjects.summary(t, injects, out);
        out.flush();
    }

    private static java.time.Instant pace(java.time.Instant previous, java.time.Instant at, Optional<Double> speed,
                                          Pacer pacer) throws InterruptedException {
        if (speed.isEmpty()) {
            return previous;
        }
        Duration gap = Duration.between(previous, at);
        if (!gap.isNegative()) {
            pacer.pause(Duration.ofNanos((long) (gap.toNanos() / speed.get())));
        }
        return at;
    }

    public static String line(Timeline t, Timeline.MessageRecord m) {
        StringBuilder sb = new StringBuilder();
        // Logged text is peer-chosen: escaped so it cannot clear the screen or forge a line.
        sb.append(t.relative(m.sentAt())).append("  ").append(DisplaySafe.line(m.from())).append(" \u2192 ")
                .append(DisplaySafe.line(String.join(",", m.to()))).append("  [").append(DisplaySafe.line(m.category()))
                .append("]  ").append(ellipsis(DisplaySafe.line(m.text()), 90));
        sb.append("  (").append(m.toAccepted().map(d -> "accepted +" + TimelineStats.seconds(d)).orElse("not accepted"));
        sb.append(", ").append(m.toDelivered().map(d -> "delivered +" + TimelineStats.seconds(d)).orElse("NOT DELIVERED"));
        m.toAcknowledged().ifPresent(d -> sb.append(", acknowledged +").append(TimelineStats.seconds(d)));
        sb.append(")");
        if (m.unsignedTail()) {
            sb.append("  UNSIGNED (only after a log's last signed checkpoint; not tampering)");
        } else if (!m.trusted()) {
            sb.append("  UNTRUSTED (only in a log that failed verification)");
        }
        m.disagreement().ifPresent(d -> sb.append("  DISAGREEMENT: ").append(DisplaySafe.line(d)));
        return sb.toString();
    }

    public static void summary(Timeline t, PrintWriter out) {
        TimelineStats s = TimelineStats.of(t);
        out.println("Summary:");
        out.println("  messages: " + t.messages().size() + " (" + DisplaySafe.line(s.perRoleText(t)) + ")");
        out.println("  by category: " + DisplaySafe.line(s.perCategoryText()));
        out.println("  acknowledged: " + s.acknowledged() + "; time to acknowledge: median "
                + s.medianToAcknowledge().map(TimelineStats::seconds).orElse("-") + ", worst "
                + s.worstToAcknowledge().map(TimelineStats::seconds).orElse("-"));
        for (TimelineStats.SideStats side : s.perSide()) {
            out.println("    " + DisplaySafe.line(side.side()) + " (received " + side.received() + "): acknowledged "
                    + side.acknowledge().describe() + "; replied " + side.reply().describe());
        }
        out.println("  unanswered: " + s.unanswered().size());
        s.unanswered().forEach(m -> out.println("    " + t.relative(m.sentAt()) + "  " + DisplaySafe.line(m.from())
                + " \u2192 " + DisplaySafe.line(String.join(",", m.to())) + "  " + m.shortId() + "  "
                + ellipsis(DisplaySafe.line(m.text()), 90)));
        MissedDeadlines.of(t).print(t, out);
        out.println("  gaps: " + s.gaps());
        t.gaps().forEach(g -> out.println("    " + t.relative(g.at()) + "  " + DisplaySafe.line(g.what())));
        out.println("  outages: " + s.outages() + (s.outages() == 0 ? "" : ", " + TimelineStats.seconds(s.outageTotal())
                + " in total"));
        t.outages().forEach(o -> out.println("    " + t.relative(o.from()) + "  " + DisplaySafe.line(o.who())
                + " down for " + TimelineStats.seconds(o.length(t.end())) + " (" + o.cause().label() + ": "
                + DisplaySafe.line(o.reason()) + ")"));
        long overridden = t.wordingWarnings().stream().filter(Timeline.WordingWarning::overridden).count();
        out.println("  wording warnings overridden: " + overridden);
        t.wordingWarnings().stream().filter(Timeline.WordingWarning::overridden).forEach(w -> out.println("    "
                + t.relative(w.at()) + "  " + DisplaySafe.line(w.who()) + "  " + DisplaySafe.line(w.warning())
                + "; sent as written: " + ellipsis(DisplaySafe.line(w.sentAnyway().get().text()), 70)));
        out.println("  disagreements between logs: " + s.disagreements());
        t.disagreements().forEach(d -> out.println("    " + DisplaySafe.line(String.valueOf(d))));
        RecipientRejections.of(t).print(t, out);
        RelayRecords.of(t).print(t, out);
        long unsignedEntries = t.logs().stream().mapToLong(LogSource::unsignedTail).sum();
        if (unsignedEntries > 0) {
            out.println("  unsigned tail: " + unsignedEntries + " log entries after the last signed checkpoint ("
                    + s.unsignedMessages() + " messages known only from them); not tampering");
        }
    }

    static String ellipsis(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
    }
}
