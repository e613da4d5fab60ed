package org.hotline.client.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hotline.protocol.wire.MessageId;

/**
 * A message that asked for an answer by a time (its signed header's {@code answerBy}, PROTOCOL.md
 * §4.1), as this client watches it: sent by this role ({@code outgoing}) or to it. It is answered by
 * a message from one of its recipients whose {@code inReplyTo} names it; otherwise, once the deadline
 * passes, it is missed and the client has written its {@code deadline-missed} audit entry (§11.3).
 *
 * @param scenarioDeadline the deadline in scenario time when the exercise has a clock: the scenario
 *                         time at {@code sentAt} plus {@code answerBy − sentAt}, fixed when first known
 * @param settledAt        real time at which it was answered or missed
 */
public record AnswerDeadline(MessageId id, String from, List<String> to, String channel, Instant sentAt,
                             Instant answerBy, boolean outgoing, Optional<Instant> scenarioDeadline, State state,
                             Optional<Instant> settledAt) {

    /** Where the wait for an answer stands. */
    public enum State {
        /** Not yet answered, deadline not yet passed. */
        OPEN,
        /** A recipient replied (before or after the deadline passed, if it was not already missed). */
        ANSWERED,
        /** The deadline passed with no reply; the audit entry is written. */
        MISSED
    }

    public AnswerDeadline {
        Objects.requireNonNull(id, "id");
        to = List.copyOf(to);
        Objects.requireNonNull(answerBy, "answerBy");
        Objects.requireNonNull(scenarioDeadline, "scenarioDeadline");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(settledAt, "settledAt");
    }

    /** Whether it follows the exercise clock (paused clock, paused deadline) rather than the wall clock. */
    public boolean followsExerciseClock() {
        return scenarioDeadline.isPresent();
    }

    /** The deadline on the clock it follows: scenario time with an exercise clock, else {@code answerBy}. */
    public Instant deadline() {
        return scenarioDeadline.orElse(answerBy);
    }

    /**
     * Time left at real time {@code now}, negative once past: on the exercise clock when it follows
     * one (so it stands still while the clock is paused), else on the wall clock.
     */
    public Duration remaining(Instant now, Optional<ScenarioClock> clock) {
        if (scenarioDeadline.isPresent() && clock.isPresent()) {
            return Duration.between(clock.get().scenarioAt(now), scenarioDeadline.get());
        }
        return Duration.between(now, answerBy);
    }

    public AnswerDeadline settled(State next, Instant at) {
        return new AnswerDeadline(id, from, to, channel, sentAt, answerBy, outgoing, scenarioDeadline, next,
                Optional.of(at));
    }

    public AnswerDeadline withScenarioDeadline(Instant scenario) {
        return new AnswerDeadline(id, from, to, channel, sentAt, answerBy, outgoing, Optional.of(scenario), state,
                settledAt);
    }
}
