package org.hotline.client.replay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Suggested questions for the facilitator's hot wash, generated from what happened: the longest
 * unanswered message, the slowest acknowledgement, every overridden wording warning, every outage,
 * and logs whose last entries were not signed. Plain sentences; callers escape them for display.
 */
public final class HotWashQuestions {

    private HotWashQuestions() {
    }

    public static List<String> of(Timeline t) {
        TimelineStats s = TimelineStats.of(t);
        List<String> out = new ArrayList<>();
        s.unanswered().stream().min(Comparator.comparing(Timeline.MessageRecord::sentAt)).ifPresent(m -> out.add(
                "The longest unanswered message: " + t.title(m.from()) + "'s \u201c" + quote(m.text()) + "\u201d, sent at "
                        + t.wallClock(m.sentAt()) + " (" + t.relative(m.sentAt()) + "), was never acknowledged or "
                        + "answered. What did " + recipients(t, m) + " make of it, and what stopped an answer?"));
        t.messages().stream().filter(m -> m.toAcknowledged().isPresent())
                .max(Comparator.comparing((Timeline.MessageRecord m) -> m.toAcknowledged().get())).ifPresent(m -> out.add(
                        "The slowest acknowledgement: " + recipients(t, m) + " took "
                                + TimelineStats.seconds(m.toAcknowledged().get()) + " to acknowledge \u201c" + quote(m.text())
                                + "\u201d from " + t.title(m.from()) + ". What happened between receiving and acknowledging it?"));
        for (Timeline.WordingWarning w : t.wordingWarnings()) {
            if (w.overridden()) {
                Timeline.MessageRecord m = w.sentAnyway().get();
                out.add(t.title(w.who()) + " was warned at " + t.wallClock(w.at()) + " (" + w.warning() + ") and sent \u201c"
                        + quote(m.text()) + "\u201d as written. Was the wording deliberate, and how did the other side read it?");
            }
        }
        for (Timeline.Outage o : t.outages()) {
            out.add(t.title(o.who()) + "'s line was down for " + TimelineStats.seconds(o.length(t.end())) + " from "
                    + t.wallClock(o.from()) + " (" + o.cause().label() + "). Who noticed, and what did each side do meanwhile?");
        }
        for (Timeline.Gap g : t.gaps()) {
            out.add("At " + t.relative(g.at()) + ": " + g.what() + ". Did either side notice the missing message?");
        }
        for (LogSource l : t.logs()) {
            if (l.onlyUnsignedTail()) {
                out.add(l.owner() + "'s log ends with " + l.unsignedTail() + " unsigned entries: how was that console "
                        + "closed? (Closing the window or stopping the command signs the log.)");
            }
        }
        return out;
    }

    private static String recipients(Timeline t, Timeline.MessageRecord m) {
        return String.join(" and ", m.to().stream().map(t::title).toList());
    }

    private static String quote(String text) {
        return HeadlessReplay.ellipsis(text.replaceAll("\\s+", " ").strip(), 90);
    }
}
