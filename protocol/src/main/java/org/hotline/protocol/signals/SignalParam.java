package org.hotline.protocol.signals;

import java.util.Map;
import java.util.Optional;

/**
 * One typed parameter of a signal, with its label per language. A time parameter also says
 * whether the sentence states something past, present or future ({@code when}), so that a form
 * can offer a fitting default and refuse a value that makes the sentence false; {@code after}
 * names the parameter of the same signal that this one must come after (the end of a window).
 */
public record SignalParam(String name, ParamType type, Map<String, String> labels, Optional<When> when,
                          Optional<String> after) {

    /** Where a time parameter lies relative to the moment of sending. */
    public enum When {
        /** Something that already happened ("time of incident"). */
        PAST,
        /** A statement about now ("normal readiness as of"): not in the future. */
        PRESENT,
        /** A proposal or a deadline: later than now. */
        FUTURE;

        static When fromJson(String s) {
            return switch (s) {
                case "past" -> PAST;
                case "present" -> PRESENT;
                case "future" -> FUTURE;
                default -> throw new IllegalArgumentException("unknown 'when' value '" + s + "'");
            };
        }
    }

    public SignalParam {
        labels = Map.copyOf(labels);
    }

    public SignalParam(String name, ParamType type, Map<String, String> labels) {
        this(name, type, labels, Optional.empty(), Optional.empty());
    }

    public String label(String language) {
        return labels.getOrDefault(language, labels.getOrDefault("en", name));
    }
}
