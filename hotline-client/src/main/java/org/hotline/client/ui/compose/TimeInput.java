package org.hotline.client.ui.compose;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hotline.protocol.exercise.Party;
import org.hotline.protocol.signals.SignalParam.When;

/**
 * Times as people type them into a signal's form: ISO-8601 with an offset
 * ({@code 2026-05-10T14:00Z}), or a clock time in either party's zone or UTC, with or without a
 * date ({@code 16:30 IST}, {@code 2026-05-10 16:30 PKT}). Without a date, the day is the one that
 * makes the sentence true: the next such time for a future parameter, the last one for a past or
 * present one. The result is an instant; the wire form stays ISO UTC.
 */
public final class TimeInput {

    private static final Pattern LOCAL = Pattern.compile(
            "(?:(\\d{4}-\\d{2}-\\d{2})[ T]+)?(\\d{1,2})[:.](\\d{2})\\s*([A-Za-z]{1,5})");
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ENGLISH);
    /** A statement "as of now" typed a minute or two ahead is still a statement about now. */
    static final Duration PRESENT_SLACK = Duration.ofMinutes(5);

    private final List<Party> parties;

    public TimeInput(List<Party> parties) {
        this.parties = List.copyOf(parties);
    }

    /** What the field's prompt shows. */
    public String example() {
        return parties.isEmpty() ? "14:00 UTC" : "16:30 " + parties.get(0).zoneLabel();
    }

    /** The zones a person may name: each party's label, then UTC. */
    public List<String> zoneLabels() {
        List<String> out = new ArrayList<>();
        parties.forEach(p -> out.add(p.zoneLabel()));
        out.add("UTC");
        return out;
    }

    /**
     * @throws IllegalArgumentException with a sentence for the form when the text is no time
     */
    public Instant parse(String text, Optional<When> when, Instant now) {
        String v = text == null ? "" : text.strip();
        try {
            return OffsetDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant()
                    .truncatedTo(ChronoUnit.MINUTES);
        } catch (DateTimeParseException notIso) {
            // fall through to the local forms
        }
        Matcher m = LOCAL.matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException("must be a UTC time like 2026-05-10T14:00Z, or a time in either "
                    + "party's zone like " + example());
        }
        ZoneId zone = zone(m.group(4)).orElseThrow(() -> new IllegalArgumentException("unknown zone '" + m.group(4)
                + "': use " + String.join(", ", zoneLabels())));
        int hour = Integer.parseInt(m.group(2));
        int minute = Integer.parseInt(m.group(3));
        if (hour > 23 || minute > 59) {
            throw new IllegalArgumentException("'" + m.group(2) + ":" + m.group(3) + "' is not a time of day");
        }
        LocalTime clock = LocalTime.of(hour, minute);
        if (m.group(1) != null) {
            try {
                return LocalDate.parse(m.group(1)).atTime(clock).atZone(zone).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + m.group(1) + "' is not a date like 2026-05-10");
            }
        }
        LocalDate today = now.atZone(zone).toLocalDate();
        List<Instant> candidates = List.of(today.minusDays(1), today, today.plusDays(1)).stream()
                .map(d -> d.atTime(clock).atZone(zone).toInstant()).toList();
        if (when.isPresent() && when.get() == When.FUTURE) {
            return candidates.stream().filter(t -> t.isAfter(now)).findFirst().orElse(candidates.get(2));
        }
        if (when.isPresent()) {
            Instant latest = now.plus(PRESENT_SLACK);
            return candidates.stream().filter(t -> !t.isAfter(latest)).reduce((a, b) -> b).orElse(candidates.get(0));
        }
        return candidates.stream().min(Comparator.comparing(t -> Duration.between(now, t).abs())).orElseThrow();
    }

    /** How a default value is shown: a date and clock time in {@code zone}, named by its label. */
    public String format(Instant t, Party in) {
        return SHOWN.format(t.atZone(in.timeZone())) + " " + in.zoneLabel();
    }

    /** Why {@code t} makes a {@code when} sentence false at {@code now}, if it does. */
    public static Optional<String> tenseProblem(Instant t, When when, Instant now) {
        return switch (when) {
            case PAST -> t.isAfter(now.plus(PRESENT_SLACK))
                    ? Optional.of("lies in the future, but this sentence reports something that has happened")
                    : Optional.empty();
            case PRESENT -> t.isAfter(now.plus(PRESENT_SLACK))
                    ? Optional.of("lies in the future, but this sentence states how things are now")
                    : Optional.empty();
            case FUTURE -> t.isAfter(now) ? Optional.empty()
                    : Optional.of("has already passed, but this sentence proposes or promises something to come");
        };
    }

    private Optional<ZoneId> zone(String label) {
        String l = label.toUpperCase(Locale.ROOT);
        if (l.equals("UTC") || l.equals("Z") || l.equals("GMT")) {
            return Optional.of(ZoneOffset.UTC);
        }
        return parties.stream().filter(p -> p.zoneLabel().equalsIgnoreCase(l)).map(Party::timeZone).findFirst();
    }
}
