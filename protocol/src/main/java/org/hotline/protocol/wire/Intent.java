package org.hotline.protocol.wire;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What the sender of a message means it to do (PROTOCOL.md §4.2). A signal's intent follows from
 * its catalog category; for free text the sender names it and it is signed in the Text body.
 */
public enum Intent {
    INFORM(1), REASSURE(2), PROPOSE(3), REQUEST(4), ACKNOWLEDGE(5), WARN(6);

    private final int code;

    Intent(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The name in the catalog, on the command line, in reports: {@code reassure}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Intent> ofCode(int code) {
        return Arrays.stream(values()).filter(i -> i.code == code).findFirst();
    }

    public static Optional<Intent> ofLabel(String label) {
        return Arrays.stream(values()).filter(i -> i.label().equals(label)).findFirst();
    }
}
