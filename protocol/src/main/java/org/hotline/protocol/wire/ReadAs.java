package org.hotline.protocol.wire;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How a recipient read a message (PROTOCOL.md §4.2, Reading): the five answers of the two-click
 * reading, in order from calm to alarming.
 */
public enum ReadAs {
    REASSURING(1), NEUTRAL(2), UNCLEAR(3), CONCERNING(4), THREATENING(5);

    private final int code;

    ReadAs(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The name in audit logs, {@code listen --json} and reports: {@code concerning}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Concerning or threatening: a message sent to reassure and read this way was misread. */
    public boolean alarming() {
        return this == CONCERNING || this == THREATENING;
    }

    public static Optional<ReadAs> ofCode(int code) {
        return Arrays.stream(values()).filter(r -> r.code == code).findFirst();
    }

    public static Optional<ReadAs> ofLabel(String label) {
        return Arrays.stream(values()).filter(r -> r.label().equals(label)).findFirst();
    }
}
