package org.hotline.client.ui.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.hotline.client.replay.HeadlessReplay;
import org.hotline.client.replay.InjectLane;
import org.hotline.client.replay.MessageLanguages;
import org.hotline.client.replay.OutageCause;
import org.hotline.client.replay.RecipientRejections;
import org.hotline.client.replay.RelayRecords;
import org.hotline.client.replay.Timeline;
import org.hotline.client.ui.language.LanguageText;
import org.hotline.protocol.signals.EveryLanguage;
import org.hotline.protocol.text.DisplaySafe;

/**
 * Playback of a merged timeline: a position in exercise time that advances at 1x to 100x while
 * playing, can be stepped message by message or scrubbed; the current message as the sender and
 * as the recipient saw it, in every catalog language; exercise control's injects as their own lane,
 * with each recipient's first reaction; the integrity of every loaded log.
 */
public final class ReplayViewModel {

    private final Timeline timeline;
    /** Recipients' signed rejections (PROTOCOL.md §6), shown under the message they ended. */
    private final RecipientRejections rejections;
    private final RelayRecords relays;
    private final Instant end;
    private final ObjectProperty<Instant> position = new SimpleObjectProperty<>();
    private final BooleanProperty playing = new SimpleBooleanProperty(false);
    private final DoubleProperty speed = new SimpleDoubleProperty(10);
    private final ObjectProperty<Optional<Timeline.MessageRecord>> current = new SimpleObjectProperty<>(Optional.empty());
    private final StringProperty senderView = new SimpleStringProperty("");
    private final StringProperty recipientView = new SimpleStringProperty("");
    private final StringProperty clock = new SimpleStringProperty("");
    private final StringProperty wallClock = new SimpleStringProperty("");
    private final ReplayInjects injects;
    private final MessageLanguages languages;
    private final ObservableList<LanguageText> currentLanguages = FXCollections.observableArrayList();
    private final ObservableList<LanguageText> readOnlyLanguages = FXCollections.unmodifiableObservableList(currentLanguages);

    public ReplayViewModel(Timeline timeline) {
        this(timeline, InjectLane.of(timeline, Optional.empty()));
    }

    /** @param injects exercise control's injects in the logs, with their expected actions when the MSEL was given */
    public ReplayViewModel(Timeline timeline, InjectLane injects) {
        this.timeline = timeline;
        this.rejections = RecipientRejections.of(timeline);
        this.relays = RelayRecords.of(timeline);
        this.injects = new ReplayInjects(timeline, injects);
        this.languages = MessageLanguages.of(timeline);
        Instant last = timeline.messages().stream().map(m -> m.acknowledgedAt().or(m::deliveredAt).orElse(m.sentAt()))
                .max(Instant::compareTo).orElse(timeline.end());
        for (Timeline.Outage o : timeline.outages()) {
            Instant until = o.to().orElse(timeline.end());
            last = until.isAfter(last) ? until : last;
        }
        last = this.injects.lastMoment().filter(last::isBefore).orElse(last);
        this.end = last.plusSeconds(1);
        position.addListener((o, a, b) -> update());
        position.set(timeline.start());
    }

    /** Advances playback by {@code elapsed} of wall time (called by the view's animation timer). */
    public void tick(Duration elapsed) {
        if (!playing.get()) {
            return;
        }
        Instant next = position.get().plusNanos((long) (elapsed.toNanos() * speed.get()));
        if (!next.isBefore(end)) {
            next = end;
            playing.set(false);
        }
        position.set(next);
    }

    /** Jumps to the next message or inject. */
    public void step() {
        Optional<Instant> message = timeline.messages().stream().map(Timeline.MessageRecord::sentAt)
                .filter(t -> t.isAfter(position.get())).findFirst();
        Optional<Instant> inject = injects.next(position.get());
        message.or(() -> inject).map(m -> inject.filter(i -> i.isBefore(m)).orElse(m)).ifPresent(position::set);
    }

    /** 0..1 along the exercise. */
    public void scrub(double fraction) {
        long span = Duration.between(timeline.start(), end).toMillis();
        position.set(timeline.start().plusMillis((long) (span * Math.max(0, Math.min(1, fraction)))));
    }

    public double fraction() {
        long span = Math.max(1, Duration.between(timeline.start(), end).toMillis());
        return Duration.between(timeline.start(), position.get()).toMillis() / (double) span;
    }

    public double fractionOf(Instant t) {
        long span = Math.max(1, Duration.between(timeline.start(), end).toMillis());
        return Math.max(0, Math.min(1, Duration.between(timeline.start(), t).toMillis() / (double) span));
    }

    private void update() {
        Instant p = position.get();
        clock.set(timeline.relative(p));
        wallClock.set(timeline.wallClock(p));
        Optional<Timeline.MessageRecord> m = Optional.empty();
        for (Timeline.MessageRecord r : timeline.messages()) {
            if (!r.sentAt().isAfter(p)) {
                m = Optional.of(r);
            }
        }
        current.set(m);
        Optional<Instant> messageAt = m.map(Timeline.MessageRecord::sentAt);
        Optional<InjectLane.InjectRecord> inject = injects.latest(p)
                .filter(i -> messageAt.isEmpty() || i.sentAt().isAfter(messageAt.get()));
        currentLanguages.setAll(inject.isPresent() ? List.of() : m.map(r -> languages.of(r.id()).stream()
                .map(ReplayViewModel::languageText).toList()).orElse(List.of()));
        if (inject.isPresent()) {
            senderView.set(injects.controlView(inject.get()));
            recipientView.set(injects.recipientsView(inject.get(), p));
            return;
        }
        senderView.set(m.map(r -> timeline.title(r.from()) + " sent at " + timeline.relative(r.sentAt()) + ", "
                + timeline.wallClock(r.sentAt()) + " [" + r.category() + "]\n\n"
                + DisplaySafe.multiline(r.text()) + "\n\n"
                + r.toAccepted().map(d -> "accepted by the relay " + after(r.acceptedAt(), p, d))
                .orElse("not accepted") + "\n" + r.toDelivered().map(d -> "delivered " + after(r.deliveredAt(), p, d))
                .orElse("never delivered") + "\n" + r.toAcknowledged().map(d -> "acknowledged " + after(r.acknowledgedAt(), p, d))
                .orElse("not acknowledged") + rejections.windowText(timeline, r.id()) + relayLogText(r))
                .orElse("Press Play or Step."));
        recipientView.set(m.map(r -> {
            String to = String.join(", ", r.to().stream().map(timeline::title).toList());
            if (r.deliveredAt().isEmpty() || r.deliveredAt().get().isAfter(p)) {
                return to + " has not received this yet.";
            }
            String ack = r.acknowledgedAt().filter(a -> !a.isAfter(p)).map(a -> "\n\nacknowledged at " + timeline.relative(a)
                    + ", " + timeline.wallClock(a)).orElse("\n\nnot acknowledged yet");
            return to + " received at " + timeline.relative(r.deliveredAt().get()) + ", "
                    + timeline.wallClock(r.deliveredAt().get()) + "\n\n"
                    + DisplaySafe.multiline(r.text()) + "\n\n\u2714 signature verified on receipt" + ack
                    + (r.trusted() ? "" : r.unsignedTail()
                    ? "\n\nUNSIGNED: known only from entries after a log's last signed checkpoint (not tampering)"
                    : "\n\nUNTRUSTED: known only from a log that failed verification")
                    + r.disagreement().map(d -> "\n\nDISAGREEMENT: " + d).orElse("") + pathsText(r);
        }).orElse(""));
    }

    /** The sender's relay-log proofs of {@code r} (PROTOCOL.md §12.5), one line each. */
    private String relayLogText(Timeline.MessageRecord r) {
        StringBuilder sb = new StringBuilder();
        relays.relayLogOf(r.id(), r.from()).forEach(n -> sb.append("\n").append(RelayRecords.marked(n)));
        return sb.length() == 0 ? "" : "\n" + sb;
    }

    /** Which relay carried {@code r} first to each recipient, and the later copies (PROTOCOL.md §13). */
    private String pathsText(Timeline.MessageRecord r) {
        StringBuilder sb = new StringBuilder();
        relays.pathLines(timeline, r.id()).forEach(line -> sb.append("\n").append(line));
        relays.disagreementsOf(r.id()).forEach(d -> sb.append("\nPATH DISAGREEMENT: ").append(RelayRecords.marked(d)));
        return sb.length() == 0 ? "" : "\n" + sb;
    }

    /**
     * What the logs say about the relays, in sections (fork alarms, paths, disagreements, relay
     * logs): empty when they say nothing beyond a single relay's proofs.
     */
    public List<String> relayLines() {
        return relays.lines(timeline);
    }

    /** Whether a relay showed two histories of its log (PROTOCOL.md §12.4). */
    public boolean relayForkAlarm() {
        return !relays.forkAlarms().isEmpty();
    }

    private String after(Optional<Instant> at, Instant p, Duration d) {
        return at.filter(a -> !a.isAfter(p)).map(a -> "+" + seconds(d)).orElse("(later: +" + seconds(d) + ")");
    }

    private static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }

    public List<String> lanes() {
        return timeline.roles();
    }

    /** A lane's label: the role's title ("India Prime Minister") when the exercise is known. */
    public String laneTitle(String role) {
        return timeline.title(role);
    }

    /** An outage drawn as a band on its participant's lane, from and to as fractions of the exercise. */
    public record OutageBand(String lane, double from, double to, OutageCause cause, String label) {
    }

    /** Every outage as a band, with its cause and a one-line description (the report's bands). */
    public List<OutageBand> outageBands() {
        return timeline.outages().stream().map(o -> new OutageBand(o.who(), fractionOf(o.from()),
                fractionOf(o.to().orElse(timeline.end())), o.cause(), timeline.title(o.who()) + ": line down at "
                + timeline.relative(o.from()) + ", " + timeline.wallClock(o.from()) + " for "
                + seconds(o.length(timeline.end())) + " (" + o.cause().label() + ": " + DisplaySafe.line(o.reason()) + ")"))
                .toList();
    }

    /** Exercise control's injects: the lane under the participants' lanes. */
    public ReplayInjects injects() {
        return injects;
    }

    /**
     * The current message's words in every catalog language, reference first, labelled and marked
     * where a translation is not reviewed; empty for free text, injects and before the first message.
     */
    public ObservableList<LanguageText> currentLanguages() {
        return readOnlyLanguages;
    }

    private static LanguageText languageText(EveryLanguage.Wording w) {
        return new LanguageText(w.code(), w.label(), DisplaySafe.multiline(w.text()), w.rightToLeft(), w.reference(),
                w.reviewed());
    }

    public List<String> integrity() {
        return timeline.logs().stream().map(l -> l.integrity()).toList();
    }

    public String lineOf(Timeline.MessageRecord m) {
        return HeadlessReplay.line(timeline, m);
    }

    public Timeline timeline() {
        return timeline;
    }

    public ReadOnlyObjectProperty<Instant> positionProperty() {
        return position;
    }

    public BooleanProperty playingProperty() {
        return playing;
    }

    public DoubleProperty speedProperty() {
        return speed;
    }

    public ReadOnlyObjectProperty<Optional<Timeline.MessageRecord>> currentProperty() {
        return current;
    }

    public ReadOnlyStringProperty senderViewProperty() {
        return senderView;
    }

    public ReadOnlyStringProperty recipientViewProperty() {
        return recipientView;
    }

    public ReadOnlyStringProperty clockProperty() {
        return clock;
    }

    /** The position as wall-clock time in every party's zone ("16:58:03 IST / 16:28:03 PKT"). */
    public ReadOnlyStringProperty wallClockProperty() {
        return wallClock;
    }
}
