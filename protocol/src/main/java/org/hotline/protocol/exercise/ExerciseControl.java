package org.hotline.protocol.exercise;

import java.util.Objects;

/**
 * The exercise-control seat of an exercise: the facilitator's role, the only one whose injects and
 * clock messages receivers accept (PROTOCOL.md §4.2), and what it may read of the participants'
 * channels.
 */
public record ExerciseControl(String role, ControlReads reads) {
    public ExerciseControl {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(reads, "reads");
    }
}
