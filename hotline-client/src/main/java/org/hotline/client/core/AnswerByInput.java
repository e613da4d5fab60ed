package org.hotline.client.core;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hotline.protocol.signals.SignalCatalog;

/**
 * What {@code send --answer-by}, the session's {@code answerBy} and the compose form accept: an ISO-8601 time with
 * offset ({@code 2026-05-10T14:30:00Z}), a duration from now ({@code 10m}, {@code 30s}, {@code 1h},
 * {@code 1h30m}, or ISO {@code PT10M}), {@code default} for the catalog's default for the signal
 * (PROTOCOL.md §4.1; none for free text), or {@code none}. The result is the instant signed as the
 * header's {@code answerBy}.
 */
public final class AnswerByInput {

    /** What the compose form offers to choose from (any other duration can be typed). */
    public static final java.util.List<String> CHOICES = java.util.List.of("none", "10m", "15m", "30m", "1h");

    /** Longer than any exercise: a larger duration is a typo. */
    static final Duration LONGEST = Duration.ofDays(7);
    private static final Pattern SHORT = Pattern.compile("(?:(\\d{1,4})h)?(?:(\\d{1,5})m)?(?:(\\d{1,6})s)?");

    private AnswerByInput() {
    }

    /**
     * @param signalId the signal being sent, for {@code default}; empty for free text
     * @throws IllegalArgumentException naming what is accepted, for anything else or a duration
     *                                  that is not positive or longer than a week
     */
    public static Optional<Instant> parse(String input, Instant now, SignalCatalog catalog, Optional<String> signalId) {
        String s = input.strip().toLowerCase(Locale.ROOT);
        if (s.equals("none")) {
            return Optional.empty();
        }
        if (s.equals("default")) {
            return signalId.flatMap(catalog::defaultAnswerBy).map(now::plus);
        }
        Optional<Duration> d = duration(s);
        if (d.isPresent()) {
            if (d.get().isZero() || d.get().isNegative() || d.get().compareTo(LONGEST) > 0) {
                throw new IllegalArgumentException("--answer-by " + input + ": a duration must be more than 0 and at "
                        + "most 7 days");
            }
            return Optional.of(now.plus(d.get()));
        }
        try {
            return Optional.of(OffsetDateTime.parse(input.strip()).toInstant());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("--answer-by " + input + ": give a time with offset "
                    + "(2026-05-10T14:30:00Z), a duration (10m, 30s, 1h, 1h30m), default or none");
        }
    }

    /** A duration as the compose form shows it: {@code 30m}, {@code 1h}, {@code 1h30m}, {@code 45s}. */
    public static String format(Duration d) {
        long s = d.getSeconds();
        StringBuilder sb = new StringBuilder();
        if (s >= 3600) {
            sb.append(s / 3600).append('h');
        }
        if (s % 3600 >= 60) {
            sb.append(s % 3600 / 60).append('m');
        }
        if (s % 60 != 0) {
            sb.append(s % 60).append('s');
        }
        return sb.toString();
    }

    private static Optional<Duration> duration(String s) {
        if (s.startsWith("pt")) {
            try {
                return Optional.of(Duration.parse(s));
            } catch (DateTimeException e) {
                return Optional.empty();
            }
        }
        Matcher m = SHORT.matcher(s);
        if (s.isEmpty() || !m.matches()) {
            return Optional.empty();
        }
        Duration d = Duration.ZERO;
        if (m.group(1) != null) {
            d = d.plusHours(Long.parseLong(m.group(1)));
        }
        if (m.group(2) != null) {
            d = d.plusMinutes(Long.parseLong(m.group(2)));
        }
        if (m.group(3) != null) {
            d = d.plusSeconds(Long.parseLong(m.group(3)));
        }
        return Optional.of(d);
    }
}
