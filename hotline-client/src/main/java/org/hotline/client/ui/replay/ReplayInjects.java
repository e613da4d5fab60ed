package org.hotline.client.ui.replay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hotline.client.replay.InjectLane;
import org.hotline.client.replay.Timeline;
import org.hotline.protocol.text.DisplaySafe;

/**
 * The replay window's inject lane, without toolkit types: which inject is current at a position,
 * the next one to step to, and what the two views say about it (exercise control's side with the
 * expected player action; each recipient's delivery and first reaction, "later" until playback
 * reaches it).
 */
public final class ReplayInjects {

    private final Timeline timeline;
    private final InjectLane lane;

    public ReplayInjects(Timeline timeline, InjectLane lane) {
        this.timeline = timeline;
        this.lane = lane;
    }

    public InjectLane lane() {
        return lane;
    }

    /** The last moment the lane shows (a delivery or a first reaction), if any. */
    Optional<Instant> lastMoment() {
        List<Instant> all = new ArrayList<>();
        for (InjectLane.InjectRecord i : lane.injects()) {
            all.add(i.sentAt());
            for (InjectLane.Reaction r : i.reactions()) {
                r.deliveredAt().ifPresent(all::add);
                r.first().map(Timeline.MessageRecord::sentAt).ifPresent(all::add);
            }
        }
        return all.stream().max(Instant::compareTo);
    }

    /** The first inject sent after {@code p}. */
    Optional<Instant> next(Instant p) {
        return lane.injects().stream().map(InjectLane.InjectRecord::sentAt).filter(t -> t.isAfter(p)).findFirst();
    }

    /** The last inject sent at or before {@code p}. */
    Optional<InjectLane.InjectRecord> latest(Instant p) {
        InjectLane.InjectRecord last = null;
        for (InjectLane.InjectRecord i : lane.injects()) {
            if (!i.sentAt().isAfter(p)) {
                last = i;
            }
        }
        return Optional.ofNullable(last);
    }

    /** The inject as exercise control sent it, with the action the MSEL expects of the players. */
    public String controlView(InjectLane.InjectRecord i) {
        return "Exercise control sent inject " + DisplaySafe.line(i.injectId()) + " [" + DisplaySafe.line(i.kind())
                + "] at " + timeline.relative(i.sentAt()) + ", " + timeline.wallClock(i.sentAt()) + " (scenario "
                + i.scenarioTime() + ") to " + String.join(", ", i.to().stream().map(timeline::title).toList())
                + "\n\n" + DisplaySafe.line(i.title()) + "\n" + DisplaySafe.multiline(i.text()) + "\n\n"
                + DisplaySafe.line(lane.expectedText(i));
    }

    /** Each recipient's delivery and first reaction, as far as playback has reached {@code p}. */
    public String recipientsView(InjectLane.InjectRecord i, Instant p) {
        StringBuilder b = new StringBuilder("First reactions (from delivery to the first message sent afterwards):");
        for (InjectLane.Reaction r : i.reactions()) {
            b.append("\n\n").append(timeline.title(r.recipient())).append(": ");
            if (r.deliveredAt().isEmpty()) {
                b.append("not delivered");
                continue;
            }
            Instant d = r.deliveredAt().get();
            b.append("delivered at ").append(timeline.relative(d)).append(d.isAfter(p) ? " (later)" : "").append("; ")
                    .append(r.describe());
            r.first().ifPresent(m -> b.append(m.sentAt().isAfter(p) ? " (later)" : "").append("\n  [")
                    .append(DisplaySafe.line(m.category())).append("] ").append(DisplaySafe.line(m.text())));
        }
        return b.toString();
    }

    /** One line for a tooltip: id, kind, title, expected action and each recipient's first reaction. */
    public String tooltip(InjectLane.InjectRecord i) {
        StringBuilder b = new StringBuilder(timeline.relative(i.sentAt())).append("  ").append(DisplaySafe.line(i.injectId()))
                .append(" [").append(DisplaySafe.line(i.kind())).append("] ").append(DisplaySafe.line(i.title()))
                .append("\n").append(DisplaySafe.line(lane.expectedText(i)));
        i.reactions().forEach(r -> b.append("\n").append(timeline.title(r.recipient())).append(": ").append(r.describe()));
        return b.toString();
    }
}
