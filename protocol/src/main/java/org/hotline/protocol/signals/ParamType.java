package org.hotline.protocol.signals;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.hotline.protocol.exercise.Party;

/**
 * Parameter types of prefabricated signals. Each type has one canonical wire form (what is signed)
 * and one rendering; rendering depends only on the value and the exercise's parties, so both sides
 * see exactly the same words.
 */
public enum ParamType {
    /** An instant; wire form ISO-8601 UTC {@code 2026-05-10T14:00:00Z}; rendered in UTC and each party's zone. */
    TIME("time"),
    /** A calendar date; wire form {@code 2026-05-07}; rendered {@code 7 May 2026}. */
    DATE("date"),
    /** Short free text, at most 200 characters, no control characters. */
    TEXT("text"),
    /** A place name, at most 100 characters, no control characters. */
    PLACE("place"),
    /** An earlier message's id (32 hex digits, or at least its first 8); rendered {@code message 3f2a91c0}. */
    MESSAGE_REF("message-ref"),
    /**
     * A whole number from 0 to 999 999 (a distance in kilometres the sender declares); wire form
     * decimal digits without leading zeros, rendered as those digits in every language. The unit
     * is part of the template's wording, so each language says it its own way.
     */
    NUMBER("number");

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);
    private static final Pattern HEX_REF = Pattern.compile("[0-9a-f]{8,32}");
    /** ASCII digits only: {@code \\d} would also accept Devanagari or Arabic-Indic digits. */
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,6}");
    /** Control and format characters (bidi overrides, zero-width joiners) could make two texts look alike. */
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]");

    private final String jsonName;

    ParamType(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    static ParamType fromJson(String name) {
        for (ParamType t : values()) {
            if (t.jsonName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown parameter type '" + name + "'");
    }

    /** A hint for people filling the field in. */
    public String example() {
        return switch (this) {
            case TIME -> "2026-05-10T14:00Z";
            case DATE -> "2026-05-07";
            case TEXT -> "short text";
            case PLACE -> "Poonch sector";
            case MESSAGE_REF -> "3f2a91c0";
            case NUMBER -> "120";
        };
    }

    /**
     * Checks a value typed by a person or received on the wire and returns its canonical form.
     *
     * @throws SignalException naming the parameter and the expected form
     */
    public String canonicalize(String paramName, String value) throws SignalException {
        if (value == null || value.isBlank()) {
            throw new SignalException("parameter '" + paramName + "' is empty (expected " + jsonName + ")");
        }
        String v = value.strip();
        switch (this) {
            case TIME -> {
                try {
                    // Seconds optional, any offset accepted; the canonical form is UTC, whole minutes.
                    Instant t = java.time.OffsetDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
                    return t.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString();
                } catch (DateTimeParseException e) {
                    throw new SignalException("parameter '" + paramName + "' must be a UTC time like "
                            + example() + ", got '" + v + "'");
                }
            }
            case DATE -> {
                try {
                    return LocalDate.parse(v).toString();
                } catch (DateTimeParseException e) {
                    throw new SignalException("parameter '" + paramName + "' must be a date like " + example()
                            + ", got '" + v + "'");
                }
            }
            case TEXT, PLACE -> {
                int max = this == TEXT ? 200 : 100;
                if (v.length() > max) {
                    throw new SignalException("parameter '" + paramName + "' is longer than " + max + " characters");
                }
                if (CONTROL.matcher(v).find() || v.indexOf('{') >= 0 || v.indexOf('}') >= 0) {
                    throw new SignalException("parameter '" + paramName
                            + "' contains control or invisible formatting characters, or braces");
                }
                return v;
            }
            case MESSAGE_REF -> {
                String lower = v.toLowerCase(Locale.ROOT);
                if (lower.startsWith("message ")) {
                    lower = lower.substring("message ".length()).strip();
                }
                if (!HEX_REF.matcher(lower).matches()) {
                    throw new SignalException("parameter '" + paramName + "' must be a message id (8 to 32 hex digits), got '"
                            + v + "'");
                }
                return lower;
            }
            case NUMBER -> {
                if (!WHOLE_NUMBER.matcher(v).matches()) {
                    throw new SignalException("parameter '" + paramName + "' must be a whole number from 0 to 999999, got '"
                            + v + "'");
                }
                return Integer.toString(Integer.parseInt(v));
            }
            default -> throw new IllegalStateException();
        }
    }

    /** Renders a canonical value for display; {@code parties} give the zones shown beside UTC. */
    String render(String canonical, List<Party> parties) {
        return render(canonical, parties, null);
    }

    /**
     * Renders a canonical value in a translation: as {@link #render(String, List)} (same clock
     * times, zones and digits), with the language's month names and its word for "message".
     * {@code language} null or without its own forms gives exactly the reference rendering.
     */
    String render(String canonical, List<Party> parties, CatalogLanguage language) {
        if (language == null || !language.hasOwnForms()) {
            return renderReference(canonical, parties);
        }
        if (this == TIME && language.rightToLeft()) {
            return rightToLeftTime(Instant.parse(canonical), parties, language);
        }
        return switch (this) {
            case TIME -> {
                Instant t = Instant.parse(canonical);
                StringBuilder sb = new StringBuilder();
                sb.append(language.day(t.atZone(ZoneOffset.UTC).toLocalDate())).append(' ')
                        .append(CLOCK.format(t.atZone(ZoneOffset.UTC))).append(" UTC");
                if (!parties.isEmpty()) {
                    sb.append(" (");
                    for (int i = 0; i < parties.size(); i++) {
                        Party p = parties.get(i);
                        var local = t.atZone(p.timeZone());
                        if (i > 0) {
                            sb.append(", ");
                        }
                        sb.append(CLOCK.format(local));
                        if (!local.toLocalDate().equals(t.atZone(ZoneOffset.UTC).toLocalDate())) {
                            sb.append(' ').append(language.day(local.toLocalDate()));
                        }
                        sb.append(' ').append(p.zoneLabel());
                    }
                    sb.append(')');
                }
                yield sb.toString();
            }
            case DATE -> language.day(LocalDate.parse(canonical));
            case TEXT, PLACE, NUMBER -> canonical;
            case MESSAGE_REF -> language.messageRef().orElseThrow() + " " + canonical.substring(0, 8);
        };
    }

    /**
     * A time in right-to-left text: each clock time follows its zone label, joined by a no-break
     * space ({@code UTC 14:00}), then the date, parties' zones in parentheses separated by the
     * Arabic comma: {@code UTC 14:00، 10 مئی 2026 (IST 19:30، PKT 19:00)}. The bidirectional
     * algorithm then keeps every "zone clock" pair as one left-to-right run and reads the rest
     * right to left, without any bidi control characters (which some renderers draw as boxes);
     * the usual "date clock UTC (clock IST, …)" order came out with year and clock swapped.
     */
    private static String rightToLeftTime(Instant t, List<Party> parties, CatalogLanguage language) {
        StringBuilder sb = new StringBuilder();
        sb.append("UTC\u00A0").append(CLOCK.format(t.atZone(ZoneOffset.UTC))).append("\u060C ")
                .append(language.day(t.atZone(ZoneOffset.UTC).toLocalDate()));
        if (!parties.isEmpty()) {
            sb.append(" (");
            for (int i = 0; i < parties.size(); i++) {
                Party p = parties.get(i);
                var local = t.atZone(p.timeZone());
                if (i > 0) {
                    sb.append("\u060C ");
                }
                sb.append(p.zoneLabel()).append('\u00A0').append(CLOCK.format(local));
                if (!local.toLocalDate().equals(t.atZone(ZoneOffset.UTC).toLocalDate())) {
                    sb.append("\u060C ").append(language.day(local.toLocalDate()));
                }
            }
            sb.append(')');
        }
        return sb.toString();
    }

    private String renderReference(String canonical, List<Party> parties) {
        return switch (this) {
            case TIME -> {
                Instant t = Instant.parse(canonical);
                StringBuilder sb = new StringBuilder();
                sb.append(DAY.format(t.atZone(ZoneOffset.UTC))).append(' ')
                        .append(CLOCK.format(t.atZone(ZoneOffset.UTC))).append(" UTC");
                if (!parties.isEmpty()) {
                    sb.append(" (");
                    for (int i = 0; i < parties.size(); i++) {
                        Party p = parties.get(i);
                        ZoneId z = p.timeZone();
                        if (i > 0) {
                            sb.append(", ");
                        }
                        var local = t.atZone(z);
                        sb.append(CLOCK.format(local));
                        if (!local.toLocalDate().equals(t.atZone(ZoneOffset.UTC).toLocalDate())) {
                            sb.append(' ').append(DAY.format(local));
                        }
                        sb.append(' ').append(p.zoneLabel());
                    }
                    sb.append(')');
                }
                yield sb.toString();
            }
            case DATE -> DAY.format(LocalDate.parse(canonical));
            case TEXT, PLACE, NUMBER -> canonical;
            case MESSAGE_REF -> "message " + canonical.substring(0, 8);
        };
    }
}
