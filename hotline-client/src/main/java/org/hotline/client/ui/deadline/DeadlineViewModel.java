package org.hotline.client.ui.deadline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.hotline.client.core.AnswerDeadline;
import org.hotline.client.core.ClientListener;
import org.hotline.client.core.DeadlineLine;
import org.hotline.client.core.Escalations;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.core.ReceivedMessage;
import org.hotline.client.core.ScenarioClock;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.Role;
import org.hotline.protocol.signals.SignalException;
import org.hotline.protocol.wire.MessageId;

/**
 * The answer-by line of each message in the console (docs/deadlines.md): a countdown while a reply
 * is awaited, "no reply by 14:30 IST · 14:00 PKT" once the deadline passed, and the one-click
 * escalation it offers the sender (up the exercise's ladder) or the next rung (carrying a received
 * escalation request over to the other party). Times are shown in both parties' zones; with an
 * exercise clock, in scenario time, and the countdown stands still while the clock is paused. It
 * binds to the client core and never touches a node; changes are applied through {@code ui}.
 */
public final class DeadlineViewModel implements ClientListener {

    /** One message's answer-by line; empty text when the message asks nothing. */
    public static final class Line {
        private final StringProperty text = new SimpleStringProperty("");
        private final StringProperty style = new SimpleStringProperty("deadline-open");
        private final StringProperty action = new SimpleStringProperty("");
        private final BooleanProperty busy = new SimpleBooleanProperty(false);

        public ReadOnlyStringProperty textProperty() {
            return text;
        }

        /** {@code deadline-open}, {@code deadline-answered}, {@code deadline-missed} or {@code deadline-escalation}. */
        public ReadOnlyStringProperty styleProperty() {
            return style;
        }

        /** The label of the one-click action offered, empty for none. */
        public ReadOnlyStringProperty actionProperty() {
            return action;
        }

        public ReadOnlyBooleanProperty busyProperty() {
            return busy;
        }
    }

    private final HotlineClient core;
    private final Executor ui;
    private final Clock clock;
    private final Exercise exercise;
    private final Map<MessageId, Line> lines = new HashMap<>();
    private final Map<MessageId, AnswerDeadline> deadlines = new HashMap<>();
    /** The escalation step each line's action sends, and what it says once sent. */
    private final Map<MessageId, Escalations.Step> steps = new HashMap<>();
    private final Map<MessageId, String> done = new HashMap<>();
    private Optional<ScenarioClock> scenario = Optional.empty();

    public DeadlineViewModel(HotlineClient core, Executor ui, Clock clock) {
        this.core = core;
        this.ui = ui;
        this.clock = clock;
        this.exercise = core.exercise();
    }

    /** Loads what the core already watches, then follows its events. */
    public void bind() {
        core.addListener(this);
        core.scenarioClock().thenAccept(c -> ui.execute(() -> {
            if (scenario.isEmpty()) {
                scenario = c;
            }
        }));
        core.deadlines().thenAccept(list -> ui.execute(() -> list.forEach(d -> {
            deadlines.putIfAbsent(d.id(), d);
            Escalations.escalation(exercise, d).ifPresent(step -> steps.putIfAbsent(d.id(), step));
        })))
                .thenCompose(v -> core.receivedMessages())
                .thenAccept(received -> ui.execute(() -> {
                    received.forEach(this::offerCarryOver);
                    tick(clock.instant());
                }));
    }

    // ------------------------------------------------------------ core events (core thread)

    @Override
    public void deadlineChanged(AnswerDeadline deadline) {
        ui.execute(() -> {
            deadlines.put(deadline.id(), deadline);
            Escalations.escalation(exercise, deadline).ifPresent(step -> steps.putIfAbsent(deadline.id(), step));
            render(deadline.id(), clock.instant());
        });
    }

    @Override
    public void messageReceived(ReceivedMessage message) {
        ui.execute(() -> offerCarryOver(message));
    }

    @Override
    public void exerciseClockChanged(ScenarioClock c) {
        ui.execute(() -> {
            scenario = Optional.of(c);
            tick(clock.instant());
        });
    }

    private void offerCarryOver(ReceivedMessage m) {
        Escalations.carryOver(exercise, core.role(), m).ifPresent(step -> {
            steps.putIfAbsent(m.id(), step);
            render(m.id(), clock.instant());
        });
    }

    // ------------------------------------------------------------ the view's side (UI thread)

    /** The line of message {@code id}, made on first use so a row shown before its deadline is known binds too. */
    public Line lineOf(MessageId id) {
        Line l = lines.get(id);
        if (l == null) {
            l = new Line();
            lines.put(id, l);
            render(id, clock.instant());
        }
        return l;
    }

    /** Once a second: the countdowns. */
    public void tick(Instant now) {
        List.copyOf(lines.keySet()).forEach(id -> render(id, now));
    }

    /** The line's one-click action: escalate a missed deadline, or carry an escalation request over. */
    public void act(MessageId id) {
        Escalations.Step step = steps.get(id);
        Line line = lineOf(id);
        if (step == null || done.containsKey(id) || line.busy.get()) {
            return;
        }
        line.busy.set(true);
        try {
            Escalations.send(core, step).whenComplete((sent, failed) -> ui.execute(() -> {
                line.busy.set(false);
                if (failed == null) {
                    done.put(id, (step.signalId().equals(Escalations.REQUEST) ? "escalated to " : "carried over to ")
                            + name(step.to()));
                }
                render(id, clock.instant());
            }));
        } catch (SignalException | RuntimeException e) {
            line.busy.set(false);
            line.text.set("cannot escalate: " + e.getMessage());
        }
    }

    private void render(MessageId id, Instant now) {
        Line line = lines.get(id);
        if (line == null) {
            return;
        }
        AnswerDeadline d = deadlines.get(id);
        Escalations.Step step = steps.get(id);
        Optional<String> after = Optional.ofNullable(done.get(id));
        if (d == null && step != null) {
            // A received escalation request, at the rung that can carry it.
            line.style.set("deadline-escalation");
            line.text.set("\u2197 Escalation: message " + step.unanswered().shortForm() + " had no reply by "
                    + wallTimes(step.answerBy()) + after.map(a -> " \u2014 " + a).orElse(""));
            line.action.set(after.isPresent() ? "" : "Carry over to " + name(step.to()));
            return;
        }
        if (d == null) {
            return;
        }
        String by = DeadlineLine.deadline(exercise, d);
        switch (d.state()) {
            case OPEN -> {
                Duration left = d.remaining(now, scenario);
                boolean paused = d.followsExerciseClock() && scenario.map(ScenarioClock::paused).orElse(false);
                line.style.set("deadline-open");
                line.text.set("\u23F3 " + (d.outgoing() ? "You asked for a reply by " : "Reply asked by ") + by + " \u2014 "
                        + countdown(left) + (paused ? " (exercise clock paused)" : ""));
                line.action.set("");
            }
            case ANSWERED -> {
                line.style.set("deadline-answered");
                line.text.set("\u2714 replied (asked by " + by + ")");
                line.action.set("");
            }
            case MISSED -> {
                line.style.set("deadline-missed");
                line.text.set("\u26A0 no reply by " + by + after.map(a -> " \u2014 " + a).orElse(""));
                line.action.set(step == null || after.isPresent() ? "" : "Escalate to " + name(step.to()));
            }
            default -> throw new IllegalStateException("unknown deadline state " + d.state());
        }
    }

    String wallTimes(Instant t) {
        return DeadlineLine.times(exercise, t);
    }

    /** {@code 9:41 left}, {@code 1:02:03 left}; {@code due now} at zero. */
    static String countdown(Duration left) {
        if (left.isNegative() || left.isZero()) {
            return "due now";
        }
        long s = (left.toMillis() + 999) / 1000;
        return (s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60)) + " left";
    }

    private String name(String role) {
        return exercise.role(role).map(Role::displayName).orElse(role);
    }
}
