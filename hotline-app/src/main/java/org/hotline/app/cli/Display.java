package org.hotline.app.cli;

import java.util.Map;

/** Whether a window can be opened: the commands with a desktop window fall back to text (or refuse) without one. */
public final class Display {

    private Display() {
    }

    /** True when {@code DISPLAY} names a display. */
    public static boolean available(Map<String, String> env) {
        return env.get("DISPLAY") != null && !env.get("DISPLAY").isBlank();
    }
}
