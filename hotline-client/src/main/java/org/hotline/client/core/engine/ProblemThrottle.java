package org.hotline.client.core.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Lets at most {@link #BURST} problem lines per key through per period and counts the ones held back, so a relay that
 * answers with receipts that do not verify cannot grow the audit log without bound (review R3).
 * The keys are bounded too: the least recently reported go first beyond {@link #MAX_KEYS}.
 * Engine thread only.
 */
final class ProblemThrottle {

    /** Keys remembered at most (a relay is one key; the rest is margin). */
    static final int MAX_KEYS = 64;

    /** Lines per key and period written, at most (a few distinct failures stay visible). */
    static final int BURST = 5;

    private final Duration period;
    private final Clock clock;
    private final Map<String, Window> windows = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
            return size() > MAX_KEYS;
        }
    };

    private static final class Window {
        final Instant opened;
        int written = 1;
        int heldBack;

        Window(Instant opened) {
            this.opened = opened;
        }
    }

    ProblemThrottle(Duration period, Clock clock) {
        this.period = period;
        this.clock = clock;
    }

    /**
     * Whether a line for {@code key} may be written now: if so, how many were held back for it since
     * the last one written; if not, empty (and it is counted).
     */
    OptionalInt admit(String key) {
        Instant now = clock.instant();
        Window w = windows.get(key);
        if (w != null && now.isBefore(w.opened.plus(period))) {
            if (w.written < BURST) {
                w.written++;
                return OptionalInt.of(0);
            }
            w.heldBack++;
            return OptionalInt.empty();
        }
        windows.put(key, new Window(now));
        return OptionalInt.of(w == null ? 0 : w.heldBack);
    }

    /** The line with a note of how many like it were held back, if any. */
    static String withHeldBack(String line, int heldBack, Duration period) {
        return heldBack == 0 ? line : line + " (" + heldBack + " more like it in the last "
                + period.toMinutes() + " min not logged)";
    }
}
