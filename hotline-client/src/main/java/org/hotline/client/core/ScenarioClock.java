package org.hotline.client.core;

import java.time.Instant;
import java.util.Objects;
import org.hotline.protocol.wire.Content;

/**
 * The exercise clock as the newest verified clock message from exercise control set it
 * (PROTOCOL.md §4.2 ExerciseClock): scenario time runs from it at its speed unless paused.
 *
 * @param setAt the clock message's signed {@code sentAt}: the real time its scenario time refers to
 */
public record ScenarioClock(Instant setAt, Content.ExerciseClock clock) {
    public ScenarioClock {
        Objects.requireNonNull(setAt, "setAt");
        Objects.requireNonNull(clock, "clock");
    }

    /** Scenario time at real time {@code now}. */
    public Instant scenarioAt(Instant now) {
        return clock.scenarioAt(setAt, now);
    }

    public boolean paused() {
        return !clock.running();
    }

    public int speedPermille() {
        return clock.speedPermille();
    }
}
