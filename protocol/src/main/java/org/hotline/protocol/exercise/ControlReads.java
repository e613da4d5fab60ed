package org.hotline.protocol.exercise;

import java.util.Locale;

/**
 * What exercise control may read of the participants' own channels, an exercise setting
 * ({@code control.reads} in {@code exercise.json}, PROTOCOL.md §1.1).
 */
public enum ControlReads {
    /** Every message on a participants' channel is also sealed to control, an observing member. */
    CONTENT,
    /** Control is sent nothing of those channels; it sees only the relay's delivery states of its own lines. */
    METADATA,
    /** Control is sent nothing of those channels. */
    NONE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ControlReads parse(String s) throws ExerciseException {
        for (ControlReads r : values()) {
            if (r.wireName().equals(s)) {
                return r;
            }
        }
        throw new ExerciseException("field 'control.reads' must be content, metadata or none, not '" + s + "'");
    }

    /** One line for a participant's console, about a channel control does not belong to. */
    public String notice() {
        return switch (this) {
            case CONTENT -> "Exercise control reads this channel";
            case METADATA -> "Exercise control does not read this channel";
            case NONE -> "Exercise control does not read this channel";
        };
    }
}
