package org.hotline.protocol.signals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hotline.protocol.exercise.Party;
import org.hotline.protocol.wire.Intent;

/**
 * The versioned catalog of prefabricated signals ({@code signals/catalog.json}). The wire carries
 * only the signal id and canonical parameter values; both sides render the same words from this
 * catalog, and the catalog version is part of every signed header.
 *
 * <p>English is the reference wording: it is what the audit log records and re-renders
 * (PROTOCOL.md §11.3). Every other language (Hindi, Urdu) is a translation shown beside it, with
 * its review record ({@link TranslationReview}). Loading fails unless every signal has a title,
 * template and parameter labels in every language and every category a label in every language,
 * and unless every language's template holds exactly the placeholders of every other language.
 */
public final class SignalCatalog {

    private static final String RESOURCE = "/org/hotline/protocol/signals/catalog.json";
    /** The reference language: its wording is what logs record and verifiers re-render. */
    public static final String REFERENCE = "en";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9]+)}");

    private final String version;
    private final Map<String, CatalogLanguage> languages;
    private final Map<String, Map<String, String>> categoryLabels;
    private final Map<String, Signal> signals;
    /** Per signal id, the agreement rules its parameters must keep before it is signed (most have none). */
    private final Map<String, List<NotificationRule>> rules;
    private final AnswerByDefaults answerBy;
    /** The sender's intent of every signal of a category (PROTOCOL.md §4.2, "Intent"). */
    private final Map<String, Intent> categoryIntents;

    private SignalCatalog(String version, Map<String, CatalogLanguage> languages,
                          Map<String, Map<String, String>> categoryLabels, Map<String, Signal> signals,
                          Map<String, List<NotificationRule>> rules, AnswerByDefaults answerBy,
                          Map<String, Intent> categoryIntents) {
        this.version = version;
        this.languages = languages;
        this.categoryLabels = categoryLabels;
        this.signals = signals;
        this.rules = rules;
        this.answerBy = answerBy;
        this.categoryIntents = categoryIntents;
    }

    /** The catalog shipped with this build. */
    public static SignalCatalog builtIn() {
        try (InputStream in = SignalCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("signal catalog missing from the build");
            }
            return parse(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("signal catalog unreadable", e);
        }
    }

    static SignalCatalog parse(JsonNode root) {
        String reference = root.path("referenceLanguage").asText(REFERENCE);
        if (!REFERENCE.equals(reference)) {
            throw new IllegalStateException("catalog: the reference language is English (en), not " + reference);
        }
        Map<String, CatalogLanguage> languages = new LinkedHashMap<>();
        root.path("languages").fields().forEachRemaining(e -> languages.put(e.getKey(), language(e.getKey(), e.getValue())));
        if (!languages.containsKey(REFERENCE)) {
            throw new IllegalStateException("catalog: languages must include the reference language en");
        }
        Map<String, Map<String, String>> categories = new LinkedHashMap<>();
        Map<String, Intent> intents = new HashMap<>();
        for (JsonNode c : root.withArray("categories")) {
            String intent = c.path("intent").asText("");
            intents.put(c.get("id").asText(), Intent.ofLabel(intent).orElseThrow(() -> new IllegalStateException(
                    "catalog: category " + c.get("id").asText() + " has no known intent (" + intent + ")")));
            Map<String, String> labels = strings(c.get("label"));
            requireEveryLanguage(labels.keySet(), languages, "category " + c.get("id").asText() + " label");
            categories.put(c.get("id").asText(), labels);
        }
        Map<String, Signal> signals = new LinkedHashMap<>();
        Map<String, List<NotificationRule>> rules = new HashMap<>();
        for (JsonNode s : root.withArray("signals")) {
            String id = s.get("id").asText();
            List<SignalParam> params = new ArrayList<>();
            for (JsonNode p : s.withArray("params")) {
                Map<String, String> labels = strings(p.get("label"));
                requireEveryLanguage(labels.keySet(), languages, id + " parameter " + p.get("name").asText() + " label");
                params.add(new SignalParam(p.get("name").asText(), ParamType.fromJson(p.get("type").asText()), labels,
                        p.hasNonNull("when") ? Optional.of(SignalParam.When.fromJson(p.get("when").asText())) : Optional.empty(),
                        p.hasNonNull("after") ? Optional.of(p.get("after").asText()) : Optional.empty()));
            }
            Map<String, Signal.Wording> wordings = new HashMap<>();
            s.get("text").fields().forEachRemaining(e -> wordings.put(e.getKey(),
                    new Signal.Wording(e.getValue().get("template").asText(),
                            TranslationReview.parse(e.getValue(), REFERENCE.equals(e.getKey()), id + " (" + e.getKey() + ")"))));
            requireEveryLanguage(wordings.keySet(), languages, id + " text");
            requireEveryLanguage(strings(s.get("title")).keySet(), languages, id + " title");
            List<String> replies = new ArrayList<>();
            s.withArray("replies").forEach(r -> replies.add(r.asText()));
            Signal signal = new Signal(id, s.get("category").asText(), strings(s.get("title")), params, wordings, replies);
            checkConsistent(signal, categories);
            if (signals.put(id, signal) != null) {
                throw new IllegalStateException("catalog: duplicate signal id " + id);
            }
            if (s.has("rules")) {
                rules.put(id, NotificationRules.parse(signal, s.get("rules")));
            }
        }
        for (Signal s : signals.values()) {
            for (String r : s.replies()) {
                if (!signals.containsKey(r)) {
                    throw new IllegalStateException("catalog: " + s.id() + " names unknown reply " + r);
                }
            }
        }
        AnswerByDefaults answerBy = AnswerByDefaults.parse(root.get("answerBy"), signals, categories.keySet());
        return new SignalCatalog(root.get("catalogVersion").asText(), Collections.unmodifiableMap(languages),
                Collections.unmodifiableMap(categories), Collections.unmodifiableMap(signals), Map.copyOf(rules),
                answerBy, Collections.unmodifiableMap(intents));
    }

    private static CatalogLanguage language(String code, JsonNode node) {
        boolean reference = REFERENCE.equals(code);
        List<String> months = new ArrayList<>();
        node.withArray("months").forEach(m -> months.add(m.asText()));
        Optional<String> messageRef = Optional.ofNullable(node.get("messageRef")).map(JsonNode::asText);
        if (!reference && (messageRef.isEmpty() || months.size() != 12)) {
            throw new IllegalStateException("catalog: language " + code + " needs messageRef and 12 months");
        }
        String direction = node.path("direction").asText("ltr");
        if (!direction.equals("ltr") && !direction.equals("rtl")) {
            throw new IllegalStateException("catalog: language " + code + " direction must be ltr or rtl");
        }
        TranslationReview review = reference ? TranslationReview.REFERENCE
                : TranslationReview.parse(node.path("review"), false, "language " + code);
        return new CatalogLanguage(code, node.path("name").asText(code), node.path("nativeName").asText(code),
                direction.equals("rtl"), messageRef, months, review);
    }

    private static void requireEveryLanguage(java.util.Set<String> present, Map<String, CatalogLanguage> languages,
                                             String what) {
        for (String l : languages.keySet()) {
            if (!present.contains(l)) {
                throw new IllegalStateException("catalog: " + what + " has no " + l + " wording");
            }
        }
        for (String l : present) {
            if (!languages.containsKey(l)) {
                throw new IllegalStateException("catalog: " + what + " is in undeclared language " + l);
            }
        }
    }

    private static void checkConsistent(Signal s, Map<String, Map<String, String>> categories) {
        if (!categories.containsKey(s.category())) {
            throw new IllegalStateException("catalog: " + s.id() + " has unknown category " + s.category());
        }
        if (!s.wordings().containsKey("en")) {
            throw new IllegalStateException("catalog: " + s.id() + " has no English wording");
        }
        for (SignalParam p : s.params()) {
            if (p.type() == ParamType.TIME && p.when().isEmpty()) {
                throw new IllegalStateException("catalog: " + s.id() + "." + p.name()
                        + " is a time but does not say whether it is past, present or future");
            }
            p.after().ifPresent(a -> {
                if (s.params().stream().noneMatch(q -> q.name().equals(a) && q.type() == p.type())) {
                    throw new IllegalStateException("catalog: " + s.id() + "." + p.name() + " must come after '" + a
                            + "', which is not a parameter of the same type");
                }
            });
        }
        for (var w : s.wordings().entrySet()) {
            List<String> used = placeholders(w.getValue().template());
            for (var other : s.wordings().entrySet()) {
                for (String p : placeholders(other.getValue().template())) {
                    if (!used.contains(p)) {
                        throw new IllegalStateException("catalog: " + s.id() + " (" + w.getKey() + ") lacks placeholder {"
                                + p + "} that the " + other.getKey() + " wording has");
                    }
                }
            }
            List<String> declared = s.params().stream().map(SignalParam::name).toList();
            if (used.size() != declared.size() || !used.containsAll(declared)) {
                throw new IllegalStateException("catalog: " + s.id() + " (" + w.getKey()
                        + ") placeholders " + used + " do not match parameters " + declared);
            }
        }
    }

    /** The placeholder names of a template, in order of appearance. */
    public static List<String> placeholders(String template) {
        List<String> used = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            used.add(m.group(1));
        }
        return used;
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> m = new HashMap<>();
        if (node != null) {
            node.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        }
        return m;
    }

    public String version() {
        return version;
    }

    /** The catalog's languages, the reference (English) first. */
    public List<CatalogLanguage> languages() {
        List<CatalogLanguage> out = new ArrayList<>();
        out.add(languages.get(REFERENCE));
        languages.values().stream().filter(l -> !l.code().equals(REFERENCE)).forEach(out::add);
        return List.copyOf(out);
    }

    public Optional<CatalogLanguage> language(String code) {
        return Optional.ofNullable(languages.get(code));
    }

    public List<Signal> signals() {
        return List.copyOf(signals.values());
    }

    public List<String> categories() {
        return List.copyOf(categoryLabels.keySet());
    }

    public String categoryLabel(String category, String language) {
        Map<String, String> labels = categoryLabels.getOrDefault(category, Map.of());
        return labels.getOrDefault(language, labels.getOrDefault("en", category));
    }

    /** The intent of the signals of {@code category}: every category has one. */
    public Intent intentOf(String category) {
        Intent i = categoryIntents.get(category);
        if (i == null) {
            throw new IllegalArgumentException("unknown category " + category);
        }
        return i;
    }

    /**
     * The sender's intent of {@code content}: for a signal its category's, for free text the one
     * the sender signed; empty for free text without one and for machine traffic.
     */
    public Optional<Intent> intentOf(org.hotline.protocol.wire.Content content) {
        if (content instanceof org.hotline.protocol.wire.Content.Signal s) {
            return find(s.signalId()).map(sig -> intentOf(sig.category()));
        }
        if (content instanceof org.hotline.protocol.wire.Content.Text t) {
            return t.intent();
        }
        return Optional.empty();
    }

    public Optional<Signal> find(String id) {
        return Optional.ofNullable(signals.get(id));
    }

    /**
     * How long after sending the catalog suggests asking for a reply to {@code signalId}, or empty
     * for none (an unknown signal included). The sender may change or clear it (PROTOCOL.md §4.1).
     */
    public Optional<java.time.Duration> defaultAnswerBy(String signalId) {
        return find(signalId).flatMap(answerBy::forSignal);
    }

    public Signal require(String id) throws SignalException {
        return find(id).orElseThrow(() -> new SignalException("unknown signal '" + id + "' (see `hotline signals`)"));
    }

    /**
     * Validates parameters for a signal and returns them in canonical form, exactly the declared
     * names. This is what goes on the wire and is signed.
     *
     * @throws SignalException for an unknown id, a missing, unexpected or malformed parameter
     */
    public SortedMap<String, String> canonicalParams(String signalId, Map<String, String> params)
            throws SignalException {
        Signal s = require(signalId);
        SortedMap<String, String> out = new TreeMap<>();
        for (SignalParam p : s.params()) {
            String v = params.get(p.name());
            if (v == null) {
                throw new SignalException("signal '" + signalId + "' needs parameter '" + p.name() + "' ("
                        + p.type().jsonName() + ", e.g. " + p.type().example() + ")");
            }
            out.put(p.name(), p.type().canonicalize(p.name(), v));
        }
        for (String given : params.keySet()) {
            if (s.params().stream().noneMatch(p -> p.name().equals(given))) {
                throw new SignalException("signal '" + signalId + "' has no parameter '" + given + "'");
            }
        }
        return out;
    }

    /**
     * For received messages: the parameters must already be in canonical form, exactly as a
     * sender produces them, so that different signed bytes never display as the same words.
     *
     * @throws SignalException naming the first non-canonical parameter
     */
    public void requireCanonical(String signalId, Map<String, String> params) throws SignalException {
        SortedMap<String, String> canonical = canonicalParams(signalId, params);
        for (var e : canonical.entrySet()) {
            if (!e.getValue().equals(params.get(e.getKey()))) {
                throw new SignalException("parameter '" + e.getKey() + "' of signal '" + signalId
                        + "' is not in canonical form");
            }
        }
    }

    /**
     * The first range whose end does not come after its start ("from 11:40 until 11:40"), as a
     * sentence for the person filling the form in; parameters must be canonical.
     */
    public Optional<String> orderProblem(String signalId, Map<String, String> canonical) throws SignalException {
        Signal s = require(signalId);
        for (SignalParam p : s.params()) {
            if (p.after().isEmpty() || p.type() != ParamType.TIME) {
                continue;
            }
            String start = canonical.get(p.after().get());
            String end = canonical.get(p.name());
            if (start != null && end != null && !java.time.Instant.parse(end).isAfter(java.time.Instant.parse(start))) {
                String startLabel = s.params().stream().filter(q -> q.name().equals(p.after().get())).findFirst()
                        .map(q -> q.label("en")).orElse(p.after().get());
                return Optional.of(p.label("en") + " must be later than " + startLabel.toLowerCase(java.util.Locale.ROOT));
            }
        }
        return Optional.empty();
    }

    /** The agreement rules of a signal, in the order they are checked (empty for most signals). */
    public List<NotificationRule> rules(String signalId) {
        return rules.getOrDefault(signalId, List.of());
    }

    /**
     * The first agreement rule the parameters break, checked at {@code now}, the moment of signing
     * (PROTOCOL.md §4.2 "Notification rules"). The sender calls it before signing; receivers do not.
     * {@code params} may be typed values: one that does not parse is left to {@link #canonicalParams}.
     */
    public Optional<NotificationRule.Violation> ruleProblem(String signalId, Map<String, String> params,
                                                            java.time.Instant now) throws SignalException {
        return NotificationRules.check(require(signalId), rules(signalId), params, now);
    }

    /**
     * Renders the exact text both sides display. Parameters are canonicalised first, so a received
     * message with malformed values is refused rather than shown.
     */
    public String render(String signalId, Map<String, String> params, List<Party> parties, String language)
            throws SignalException {
        StringBuilder sb = new StringBuilder();
        for (Segment seg : renderSegments(signalId, params, parties, language)) {
            sb.append(seg.text());
        }
        return sb.toString();
    }

    /**
     * A piece of rendered text: template wording ({@code value} empty) or one parameter's rendered
     * value with its type. Views use the pieces to lay out right-to-left text (a time keeps its
     * left-to-right order inside Urdu) without changing the words.
     */
    public record Segment(String text, Optional<ParamType> value) {
    }

    /** {@link #render} in pieces, in order; joined they are exactly {@link #render}'s text. */
    public List<Segment> renderSegments(String signalId, Map<String, String> params, List<Party> parties, String language)
            throws SignalException {
        Signal s = require(signalId);
        SortedMap<String, String> canonical = canonicalParams(signalId, params);
        Signal.Wording w = s.wording(language);
        // A language without a wording falls back to English, and then renders English values too.
        CatalogLanguage forms = s.wordings().containsKey(language) ? languages.get(language) : null;
        Matcher m = PLACEHOLDER.matcher(w.template());
        List<Segment> out = new ArrayList<>();
        int at = 0;
        while (m.find()) {
            String name = m.group(1);
            ParamType type = s.params().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow().type();
            if (m.start() > at) {
                out.add(new Segment(w.template().substring(at, m.start()), Optional.empty()));
            }
            out.add(new Segment(type.render(canonical.get(name), parties, forms), Optional.of(type)));
            at = m.end();
        }
        if (at < w.template().length()) {
            out.add(new Segment(w.template().substring(at), Optional.empty()));
        }
        return List.copyOf(out);
    }
}
