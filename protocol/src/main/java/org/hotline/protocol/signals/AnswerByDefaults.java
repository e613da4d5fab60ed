package org.hotline.protocol.signals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The catalog's default answer-by time per signal (its {@code answerBy} block): how long after
 * sending the sender asks for a reply. A signal listed under {@code bySignal} uses that entry, else
 * its category's entry under {@code byCategory}, else it asks for none; {@code null} means none.
 * Only the resulting time is signed (PROTOCOL.md §4.1 {@code answerBy}); the sender may change or
 * clear it, so these are suggestions for the compose form, never checked on receipt.
 */
public final class AnswerByDefaults {

    /** Longer than any exercise runs: a larger default is a typo in the catalog. */
    private static final Duration LONGEST = Duration.ofDays(7);

    private final Map<String, Optional<Duration>> bySignal;
    private final Map<String, Optional<Duration>> byCategory;

    private AnswerByDefaults(Map<String, Optional<Duration>> bySignal, Map<String, Optional<Duration>> byCategory) {
        this.bySignal = Map.copyOf(bySignal);
        this.byCategory = Map.copyOf(byCategory);
    }

    /** No defaults at all (a catalog without the block). */
    static AnswerByDefaults none() {
        return new AnswerByDefaults(Map.of(), Map.of());
    }

    /**
     * @throws IllegalStateException a duration that is not ISO-8601, not positive or longer than a week,
     *                               or an entry naming an unknown signal or category
     */
    static AnswerByDefaults parse(JsonNode block, Map<String, Signal> signals, java.util.Set<String> categories) {
        if (block == null || block.isNull()) {
            return none();
        }
        Map<String, Optional<Duration>> bySignal = entries(block.path("bySignal"), "bySignal");
        Map<String, Optional<Duration>> byCategory = entries(block.path("byCategory"), "byCategory");
        for (String id : bySignal.keySet()) {
            if (!signals.containsKey(id)) {
                throw new IllegalStateException("catalog: answerBy.bySignal names unknown signal " + id);
            }
        }
        for (String id : byCategory.keySet()) {
            if (!categories.contains(id)) {
                throw new IllegalStateException("catalog: answerBy.byCategory names unknown category " + id);
            }
        }
        return new AnswerByDefaults(bySignal, byCategory);
    }

    private static Map<String, Optional<Duration>> entries(JsonNode node, String where) {
        Map<String, Optional<Duration>> out = new HashMap<>();
        node.fields().forEachRemaining(e -> {
            if (e.getValue().isNull()) {
                out.put(e.getKey(), Optional.empty());
                return;
            }
            Duration d;
            try {
                d = Duration.parse(e.getValue().asText());
            } catch (DateTimeParseException ex) {
                throw new IllegalStateException("catalog: answerBy." + where + "." + e.getKey() + " is not an ISO-8601 "
                        + "duration like PT30M: " + e.getValue().asText());
            }
            if (d.isNegative() || d.isZero() || d.compareTo(LONGEST) > 0) {
                throw new IllegalStateException("catalog: answerBy." + where + "." + e.getKey()
                        + " must be more than zero and at most " + LONGEST.toDays() + " days");
            }
            out.put(e.getKey(), Optional.of(d));
        });
        return out;
    }

    /** The default for {@code signal}: its own entry, else its category's, else none. */
    public Optional<Duration> forSignal(Signal signal) {
        Optional<Duration> own = bySignal.get(signal.id());
        if (own != null) {
            return own;
        }
        return byCategory.getOrDefault(signal.category(), Optional.empty());
    }
}
