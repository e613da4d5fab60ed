package org.hotline.protocol.signals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The calm-wording check for free text: finds wording commonly read as a threat or as jingoism
 * (a reviewed list kept as data, {@code signals/calm-wording.json}), explains why, and names the
 * closest prefabricated signal. It informs; it never blocks.
 *
 * <p>A phrase of several words also matches with up to {@value #MAX_INSERTED} words inserted
 * between any two of its words ("teach <em>you</em> a lesson", "our patience has <em>now</em>
 * run out"), but not across punctuation.
 */
public final class CalmWordingCheck {

    /** One phrase found: where, why it may be misread, and a calmer signal to consider. */
    public record Finding(String phrase, int start, int end, String explanation, Optional<String> suggestedSignal) {
    }

    private record Rule(String phrase, Pattern pattern, String explanation, Optional<String> suggest) {
    }

    private static final String RESOURCE = "/org/hotline/protocol/signals/calm-wording.json";
    /** Words that may stand between two words of a phrase. */
    static final int MAX_INSERTED = 2;
    private static final String EDGE_BEFORE = "(?<![\\p{L}\\p{N}])";
    private static final String EDGE_AFTER = "(?![\\p{L}\\p{N}])";
    private static final String GAP = "(?:\\s+[\\p{L}\\p{N}'\u2019-]+){0," + MAX_INSERTED + "}?\\s+";

    private final String version;
    private final List<Rule> rules;

    private CalmWordingCheck(String version, List<Rule> rules) {
        this.version = version;
        this.rules = rules;
    }

    public static CalmWordingCheck builtIn() {
        try (InputStream in = CalmWordingCheck.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("calm-wording list missing from the build");
            }
            JsonNode root = new ObjectMapper().readTree(in);
            List<Rule> rules = new ArrayList<>();
            for (JsonNode p : root.withArray("phrases")) {
                String phrase = p.get("phrase").asText().toLowerCase(Locale.ROOT);
                Pattern pattern = Pattern.compile(pattern(phrase), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
                rules.add(new Rule(phrase, pattern, p.get("explanation").asText(),
                        p.hasNonNull("suggest") ? Optional.of(p.get("suggest").asText()) : Optional.empty()));
            }
            return new CalmWordingCheck(root.get("version").asText(), List.copyOf(rules));
        } catch (IOException e) {
            throw new UncheckedIOException("calm-wording list unreadable", e);
        }
    }

    private static String pattern(String phrase) {
        StringBuilder sb = new StringBuilder(EDGE_BEFORE);
        String[] words = phrase.strip().split("\\s+");
        for (int i = 0; i < words.length; i++) {
            if (i > 0) {
                sb.append(GAP);
            }
            sb.append(Pattern.quote(words[i]));
        }
        return sb.append(EDGE_AFTER).toString();
    }

    public String version() {
        return version;
    }

    /**
     * Every occurrence of a flagged phrase in {@code text}, in order of appearance (for
     * highlighting); {@link #warnings} gives one per phrase.
     */
    public List<Finding> check(String text) {
        List<Finding> out = new ArrayList<>();
        for (Rule r : rules) {
            Matcher m = r.pattern().matcher(text);
            while (m.find()) {
                out.add(new Finding(r.phrase(), m.start(), m.end(), r.explanation(), r.suggest()));
            }
        }
        out.sort(Comparator.comparingInt(Finding::start));
        return out;
    }

    /** One finding per flagged phrase (its first occurrence), in order of appearance: what a person is warned about. */
    public static List<Finding> warnings(List<Finding> findings) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        return findings.stream().filter(f -> seen.add(f.phrase())).toList();
    }

    /** Phrases of the list, for tests that keep the catalog and the list consistent. */
    public List<Optional<String>> suggestions() {
        return rules.stream().map(Rule::suggest).toList();
    }
}
