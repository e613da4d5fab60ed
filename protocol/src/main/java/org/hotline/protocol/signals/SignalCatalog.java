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

/**
 * The versioned catalog of prefabricated signals ({@code signals/catalog.json}). The wire carries
 * only the signal id and canonical parameter values; both sides render the same words from this
 * catalog, and the catalog version is part of every signed header.
 */
public final class SignalCatalog {

    private static final String RESOURCE = "/org/hotline/protocol/signals/catalog.json";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9]+)}");

    private final String version;
    private final Map<String, Map<String, String>> categoryLabels;
    private final Map<String, Signal> signals;

    private SignalCatalog(String version, Map<String, Map<String, String>> categoryLabels, Map<String, Signal> signals) {
        this.version = version;
        this.categoryLabels = categoryLabels;
        this.signals = signals;
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
        Map<String, Map<String, String>> categories = new LinkedHashMap<>();
        for (JsonNode c : root.withArray("categories")) {
            categories.put(c.get("id").asText(), strings(c.get("label")));
        }
        Map<String, Signal> signals = new LinkedHashMap<>();
        for (JsonNode s : root.withArray("signals")) {
            String id = s.get("id").asText();
            List<SignalParam> params = new ArrayList<>();
            for (JsonNode p : s.withArray("params")) {
                params.add(new SignalParam(p.get("name").asText(), ParamType.fromJson(p.get("type").asText()),
                        strings(p.get("label")),
                        p.hasNonNull("when") ? Optional.of(SignalParam.When.fromJson(p.get("when").asText())) : Optional.empty(),
                        p.hasNonNull("after") ? Optional.of(p.get("after").asText()) : Optional.empty()));
            }
            Map<String, Signal.Wording> wordings = new HashMap<>();
            s.get("text").fields().forEachRemaining(e -> wordings.put(e.getKey(),
                    new Signal.Wording(e.getValue().get("template").asText(), e.getValue().path("reviewed").asBoolean())));
            List<String> replies = new ArrayList<>();
            s.withArray("replies").forEach(r -> replies.add(r.asText()));
            Signal signal = new Signal(id, s.get("category").asText(), strings(s.get("title")), params, wordings, replies);
            checkConsistent(signal, categories);
            if (signals.put(id, signal) != null) {
                throw new IllegalStateException("catalog: duplicate signal id " + id);
            }
        }
        for (Signal s : signals.values()) {
            for (String r : s.replies()) {
                if (!signals.containsKey(r)) {
                    throw new IllegalStateException("catalog: " + s.id() + " names unknown reply " + r);
                }
            }
        }
        return new SignalCatalog(root.get("catalogVersion").asText(), Collections.unmodifiableMap(categories),
                Collections.unmodifiableMap(signals));
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
            List<String> used = new ArrayList<>();
            Matcher m = PLACEHOLDER.matcher(w.getValue().template());
            while (m.find()) {
                used.add(m.group(1));
            }
            List<String> declared = s.params().stream().map(SignalParam::name).toList();
            if (used.size() != declared.size() || !used.containsAll(declared)) {
                throw new IllegalStateException("catalog: " + s.id() + " (" + w.getKey()
                        + ") placeholders " + used + " do not match parameters " + declared);
            }
        }
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

    public Optional<Signal> find(String id) {
        return Optional.ofNullable(signals.get(id));
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

    /**
     * Renders the exact text both sides display. Parameters are canonicalised first, so a received
     * message with malformed values is refused rather than shown.
     */
    public String render(String signalId, Map<String, String> params, List<Party> parties, String language)
            throws SignalException {
        Signal s = require(signalId);
        SortedMap<String, String> canonical = canonicalParams(signalId, params);
        Signal.Wording w = s.wordings().getOrDefault(language, s.wordings().get("en"));
        Matcher m = PLACEHOLDER.matcher(w.template());
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            ParamType type = s.params().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow().type();
            m.appendReplacement(sb, Matcher.quoteReplacement(type.render(canonical.get(name), parties)));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
