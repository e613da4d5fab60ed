package org.hotline.protocol.exercise;

/** {@code exercise.json} or a template is missing, unreadable or inconsistent. */
public final class ExerciseException extends Exception {
    public ExerciseException(String message) {
        super(message);
    }

    public ExerciseException(String message, Throwable cause) {
        super(message, cause);
    }
}
