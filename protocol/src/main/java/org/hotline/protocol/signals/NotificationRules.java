package org.hotline.protocol.signals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a signal's {@code rules} from the catalog and checks parameters against them before a
 * notification is signed (PROTOCOL.md §4.2 "Notification rules"). The sender's form and command
 * line call this; receivers do not, because the rules are about the moment of sending, which a
 * receiver only knows from the sender's own clock.
 */
public final class NotificationRules {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);
    /**
     * A date is in the future only if it has not begun anywhere on Earth yet (UTC+14), so that a
     * sender in IST just after midnight is not told today's date is tomorrow.
     */
    private static final ZoneOffset EARLIEST_ZONE = ZoneOffset.ofHours(14);

    private NotificationRules() {
    }

    /**
     * The rules of one signal as the catalog writes them, checked against its parameters: each
     * names parameters of the right type and a sentence holding its number.
     *
     * @throws IllegalStateException naming the signal and what is wrong, so the catalog does not load
     */
    static List<NotificationRule> parse(Signal s, JsonNode rules) {
        List<NotificationRule> out = new ArrayList<>();
        for (JsonNode r : rules) {
            String kind = r.path("kind").asText();
            String source = text(s, r, "source");
            String says = text(s, r, "says");
            NotificationRule rule = switch (kind) {
                case "required" -> {
                    List<String> names = new ArrayList<>();
                    r.withArray("params").forEach(p -> names.add(p.asText()));
                    if (names.isEmpty()) {
                        throw new IllegalStateException("catalog: " + s.id() + " rule 'required' lists no parameters");
                    }
                    names.forEach(n -> param(s, n, "required"));
                    yield new NotificationRule.Required(names, source, says);
                }
                case "notice-at-least" -> new NotificationRule.NoticeAtLeast(
                        param(s, text(s, r, "param"), kind, ParamType.TIME).name(), days(s, r, says, "days"), source, says);
                case "span-at-most" -> new NotificationRule.SpanAtMost(
                        param(s, text(s, r, "from"), kind, ParamType.TIME).name(),
                        param(s, text(s, r, "to"), kind, ParamType.TIME).name(), days(s, r, says, "days"), source, says);
                case "at-least" -> new NotificationRule.AtLeast(
                        param(s, text(s, r, "param"), kind, ParamType.NUMBER).name(), days(s, r, says, "minimum"),
                        text(s, r, "unit"), source, says);
                case "not-future" -> new NotificationRule.NotFuture(
                        param(s, text(s, r, "param"), kind, ParamType.TIME, ParamType.DATE).name(), source, says);
                case "age-at-most" -> new NotificationRule.AgeAtMost(
                        param(s, text(s, r, "param"), kind, ParamType.DATE).name(), days(s, r, says, "days"), source, says);
                default -> throw new IllegalStateException("catalog: " + s.id() + " has a rule of unknown kind '" + kind + "'");
            };
            out.add(rule);
        }
        return List.copyOf(out);
    }

    private static String text(Signal s, JsonNode r, String field) {
        String v = r.path(field).asText("");
        if (v.isBlank()) {
            throw new IllegalStateException("catalog: " + s.id() + " rule '" + r.path("kind").asText() + "' needs '" + field + "'");
        }
        return v;
    }

    private static int days(Signal s, JsonNode r, String says, String field) {
        if (!r.path(field).canConvertToInt() || r.path(field).asInt() < 0) {
            throw new IllegalStateException("catalog: " + s.id() + " rule '" + r.path("kind").asText()
                    + "' needs a whole number '" + field + "'");
        }
        if (!says.contains("{" + field + "}")) {
            throw new IllegalStateException("catalog: " + s.id() + " rule '" + r.path("kind").asText()
                    + "' must say its number: 'says' lacks {" + field + "}");
        }
        return r.path(field).asInt();
    }

    private static SignalParam param(Signal s, String name, String kind, ParamType... types) {
        SignalParam p = s.params().stream().filter(q -> q.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("catalog: " + s.id() + " rule '" + kind
                        + "' names unknown parameter '" + name + "'"));
        if (types.length > 0 && List.of(types).stream().noneMatch(t -> t == p.type())) {
            throw new IllegalStateException("catalog: " + s.id() + " rule '" + kind + "' cannot apply to parameter '"
                    + name + "' of type " + p.type().jsonName());
        }
        return p;
    }

    /**
     * The first rule the parameters break, in the catalog's order. {@code params} may be typed
     * (not yet canonical) values: a value that does not parse is left to the type check, which
     * reports it in its own words.
     *
     * @param now the moment of signing
     */
    public static Optional<NotificationRule.Violation> check(Signal s, List<NotificationRule> rules,
                                                             Map<String, String> params, Instant now) {
        for (NotificationRule rule : rules) {
            Optional<NotificationRule.Violation> broken = broken(s, rule, params, now);
            if (broken.isPresent()) {
                return broken;
            }
        }
        return Optional.empty();
    }

    private static Optional<NotificationRule.Violation> violation(NotificationRule rule, String param, String detail) {
        return Optional.of(new NotificationRule.Violation(param,
                rule.sentence() + " (" + rule.source() + "): " + detail));
    }

    private static Optional<NotificationRule.Violation> broken(Signal s, NotificationRule rule, Map<String, String> params,
                                                               Instant now) {
        if (rule instanceof NotificationRule.Required r) {
            for (String name : r.params()) {
                String v = params.get(name);
                if (v == null || v.isBlank()) {
                    return violation(rule, name, lower(label(s, name)) + " is missing");
                }
            }
            return Optional.empty();
        }
        if (rule instanceof NotificationRule.NoticeAtLeast r) {
            Optional<Instant> t = time(s, r.param(), params);
            if (t.isEmpty()) {
                return Optional.empty();
            }
            Duration ahead = Duration.between(now, t.get());
            if (ahead.compareTo(Duration.ofDays(r.days())) >= 0) {
                return Optional.empty();
            }
            String what = lower(label(s, r.param()));
            return violation(rule, r.param(), ahead.isNegative() ? what + " " + describe(ahead.negated()) + " before now"
                    : what + " in " + describe(ahead));
        }
        if (rule instanceof NotificationRule.SpanAtMost r) {
            Optional<Instant> from = time(s, r.from(), params);
            Optional<Instant> to = time(s, r.to(), params);
            if (from.isEmpty() || to.isEmpty()) {
                return Optional.empty();
            }
            Duration span = Duration.between(from.get(), to.get());
            return span.compareTo(Duration.ofDays(r.days())) <= 0 ? Optional.empty()
                    : violation(rule, r.to(), "this one lasts " + describe(span));
        }
        if (rule instanceof NotificationRule.AtLeast r) {
            Optional<String> v = canonical(s, r.param(), params);
            if (v.isEmpty() || Integer.parseInt(v.get()) >= r.minimum()) {
                return Optional.empty();
            }
            return violation(rule, r.param(), "declared " + v.get() + " " + r.unit());
        }
        if (rule instanceof NotificationRule.NotFuture r) {
            Optional<String> v = canonical(s, r.param(), params);
            if (v.isEmpty()) {
                return Optional.empty();
            }
            if (type(s, r.param()) == ParamType.TIME) {
                Instant t = Instant.parse(v.get());
                // A minute's grace: the form's "now" was filled in a moment before the send.
                return t.isAfter(now.plusSeconds(60))
                        ? violation(rule, r.param(), lower(label(s, r.param())) + " is " + describe(Duration.between(now, t))
                                + " from now")
                        : Optional.empty();
            }
            LocalDate d = LocalDate.parse(v.get());
            return d.isAfter(now.atOffset(EARLIEST_ZONE).toLocalDate())
                    ? violation(rule, r.param(), lower(label(s, r.param())) + " " + DAY.format(d) + " is in the future")
                    : Optional.empty();
        }
        if (rule instanceof NotificationRule.AgeAtMost r) {
            Optional<String> v = canonical(s, r.param(), params);
            if (v.isEmpty()) {
                return Optional.empty();
            }
            LocalDate d = LocalDate.parse(v.get());
            long old = ChronoUnit.DAYS.between(d, now.atOffset(ZoneOffset.UTC).toLocalDate());
            return old <= r.days() ? Optional.empty()
                    : violation(rule, r.param(), lower(label(s, r.param())) + " " + DAY.format(d) + " is " + old + " days old");
        }
        throw new IllegalStateException("unknown rule " + rule);
    }

    private static Optional<Instant> time(Signal s, String name, Map<String, String> params) {
        return canonical(s, name, params).map(Instant::parse);
    }

    private static Optional<String> canonical(Signal s, String name, Map<String, String> params) {
        String v = params.get(name);
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(type(s, name).canonicalize(name, v));
        } catch (SignalException e) {
            return Optional.empty();
        }
    }

    private static ParamType type(Signal s, String name) {
        return s.params().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow().type();
    }

    private static String label(Signal s, String name) {
        return s.params().stream().filter(p -> p.name().equals(name)).findFirst().map(p -> p.label("en")).orElse(name);
    }

    private static String lower(String label) {
        return label.isEmpty() ? label : Character.toLowerCase(label.charAt(0)) + label.substring(1);
    }

    /** "2 days", "2 days 23 hours", "5 days 1 minute", "1 minute": every whole unit that is not zero. */
    static String describe(Duration d) {
        List<String> parts = new ArrayList<>();
        if (d.toDays() > 0) {
            parts.add(plural(d.toDays(), "day"));
        }
        if (d.toHoursPart() > 0) {
            parts.add(plural(d.toHoursPart(), "hour"));
        }
        if (d.toMinutesPart() > 0 || parts.isEmpty()) {
            parts.add(plural(d.toMinutesPart(), "minute"));
        }
        return String.join(" ", parts);
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
