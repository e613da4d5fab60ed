package org.hotline.protocol.signals;

import java.util.List;
import java.util.Objects;

/**
 * One rule of an agreement that a structured notification's parameters must keep before it is
 * signed (the catalog's {@code rules} of a signal, PROTOCOL.md §4.2 "Notification rules"). The
 * numbers are data in the catalog; {@link NotificationRules} evaluates them. Every rule names where
 * it comes from ({@code source}, e.g. "2005 agreement") and says what it asks in one English
 * sentence ({@code says}), which holds the rule's number as a placeholder ({@code {days}},
 * {@code {minimum}}) so the sentence and the number checked can never disagree.
 */
public sealed interface NotificationRule {

    /** Where the rule comes from, e.g. "2005 agreement". */
    String source();

    /** The rule as one sentence, its number filled in. */
    String sentence();

    /** The parameter a form marks when the rule is broken. */
    String param();

    /** Each listed parameter must be given and not blank. */
    record Required(List<String> params, String source, String says) implements NotificationRule {
        public Required {
            params = List.copyOf(params);
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(says, "says");
        }

        @Override
        public String sentence() {
            return says;
        }

        @Override
        public String param() {
            return params.get(0);
        }
    }

    /** A time parameter must lie at least {@code days} days after the moment of signing. */
    record NoticeAtLeast(String param, int days, String source, String says) implements NotificationRule {
        @Override
        public String sentence() {
            return says.replace("{days}", Integer.toString(days));
        }
    }

    /** A window from one time parameter to another lasts at most {@code days} days. */
    record SpanAtMost(String from, String to, int days, String source, String says) implements NotificationRule {
        @Override
        public String sentence() {
            return says.replace("{days}", Integer.toString(days));
        }

        @Override
        public String param() {
            return to;
        }
    }

    /** A number parameter is at least {@code minimum} (in {@code unit}, for the message). */
    record AtLeast(String param, int minimum, String unit, String source, String says) implements NotificationRule {
        @Override
        public String sentence() {
            return says.replace("{minimum}", Integer.toString(minimum));
        }
    }

    /** A time or date parameter reports something that has happened or holds now: not in the future. */
    record NotFuture(String param, String source, String says) implements NotificationRule {
        @Override
        public String sentence() {
            return says;
        }
    }

    /** A date parameter lies at most {@code days} days before the day of signing. */
    record AgeAtMost(String param, int days, String source, String says) implements NotificationRule {
        @Override
        public String sentence() {
            return says.replace("{days}", Integer.toString(days));
        }
    }

    /**
     * A broken rule: the parameter to mark and the one-line error naming the rule, e.g.
     * "pre-notification needs at least 3 days' notice (2005 agreement): launch window opens in 2 days".
     */
    record Violation(String param, String message) {
    }
}
