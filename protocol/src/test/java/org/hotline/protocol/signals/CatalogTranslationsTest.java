package org.hotline.protocol.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.hotline.protocol.exercise.Party;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The catalog's Hindi and Urdu translations beside the English reference wording. */
@Timeout(30)
class CatalogTranslationsTest {

    static final SignalCatalog CATALOG = SignalCatalog.builtIn();
    static final List<Party> PARTIES = List.of(
            new Party("in", "India", ZoneId.of("Asia/Kolkata"), "IST"),
            new Party("pk", "Pakistan", ZoneId.of("Asia/Karachi"), "PKT"));

    @Test
    void catalog_hasEnglishReference_hindiLeftToRight_urduRightToLeft() {
        assertThat(CATALOG.languages()).extracting(CatalogLanguage::code).containsExactly("en", "hi", "ur");
        assertThat(CATALOG.language("hi").orElseThrow().rightToLeft()).isFalse();
        assertThat(CATALOG.language("ur").orElseThrow().rightToLeft()).isTrue();
        assertThat(CATALOG.language("en").orElseThrow().review()).isEqualTo(TranslationReview.REFERENCE);
    }

    /** Nobody has reviewed the translations yet: the catalog must say so and name no reviewer. */
    @Test
    void everyTranslation_isMarkedUnreviewed_withNoReviewer() {
        for (Signal s : CATALOG.signals()) {
            assertThat(s.wording("en").review()).as(s.id()).isEqualTo(TranslationReview.REFERENCE);
            for (String l : List.of("hi", "ur")) {
                assertThat(s.wordings().get(l).review()).as(s.id() + " " + l).isEqualTo(TranslationReview.NOT_REVIEWED);
            }
        }
        assertThat(CATALOG.language("hi").orElseThrow().review()).isEqualTo(TranslationReview.NOT_REVIEWED);
        assertThat(CATALOG.language("ur").orElseThrow().review()).isEqualTo(TranslationReview.NOT_REVIEWED);
    }

    @Test
    void everySignal_hasTitleTemplateAndLabels_inEveryLanguage_inItsOwnScript() {
        for (Signal s : CATALOG.signals()) {
            for (CatalogLanguage l : CATALOG.languages()) {
                assertThat(s.titles().get(l.code())).as(s.id() + " title " + l.code()).isNotBlank();
                assertThat(s.wordings().get(l.code()).template()).as(s.id() + " " + l.code()).isNotBlank();
                s.params().forEach(p -> assertThat(p.labels().get(l.code())).as(s.id() + "." + p.name()).isNotBlank());
            }
            assertThat(s.wording("hi").template()).as(s.id()).containsPattern("\\p{IsDevanagari}");
            assertThat(s.wording("ur").template()).as(s.id()).containsPattern("\\p{IsArabic}");
            assertThat(s.wording("hi").template()).as(s.id()).doesNotContainPattern("\\p{IsArabic}");
        }
        for (String c : CATALOG.categories()) {
            for (CatalogLanguage l : CATALOG.languages()) {
                assertThat(CATALOG.categoryLabel(c, l.code())).as(c + " " + l.code()).isNotBlank();
            }
            assertThat(CATALOG.categoryLabel(c, "hi")).isNotEqualTo(CATALOG.categoryLabel(c, "en"));
        }
    }

    /** The build fails if any template in any language lacks a placeholder that another language has. */
    @Test
    void everyLanguage_usesExactlyTheSamePlaceholders() {
        for (Signal s : CATALOG.signals()) {
            var reference = new HashSet<>(SignalCatalog.placeholders(s.wording("en").template()));
            for (var w : s.wordings().entrySet()) {
                List<String> used = SignalCatalog.placeholders(w.getValue().template());
                assertThat(new HashSet<>(used)).as(s.id() + " " + w.getKey()).isEqualTo(reference);
                assertThat(used).as(s.id() + " " + w.getKey() + " uses each placeholder once").doesNotHaveDuplicates();
            }
        }
    }

    /** Seeded property test: random valid parameters render in every language with every placeholder filled. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void everySignal_withRandomValidParameters_rendersInEveryLanguage_everyPlaceholderFilled(long seed) throws Exception {
        Random random = new Random(seed);
        for (Signal s : CATALOG.signals()) {
            Map<String, String> params = new HashMap<>();
            for (SignalParam p : s.params()) {
                params.put(p.name(), randomValue(p.type(), random));
            }
            Map<String, String> canonical = CATALOG.canonicalParams(s.id(), params);
            for (CatalogLanguage l : CATALOG.languages()) {
                String text = CATALOG.render(s.id(), params, PARTIES, l.code());
                assertThat(text).as(s.id() + " " + l.code()).doesNotContain("{").doesNotContain("}");
                for (SignalParam p : s.params()) {
                    assertThat(text).as(s.id() + " " + l.code() + " shows " + p.name())
                            .contains(shownPart(p.type(), canonical.get(p.name())));
                }
                assertThat(CATALOG.renderSegments(s.id(), params, PARTIES, l.code()).stream()
                        .map(SignalCatalog.Segment::text).reduce("", String::concat)).as("segments join to the text").isEqualTo(text);
                if (!l.code().equals("en")) {
                    assertThat(text).as(s.id() + " " + l.code() + " is not the English text")
                            .isNotEqualTo(CATALOG.render(s.id(), params, PARTIES, "en"));
                }
            }
        }
    }

    private static String randomValue(ParamType type, Random random) {
        return switch (type) {
            case TIME -> Instant.parse("2026-01-01T00:00:00Z").plusSeconds(random.nextInt(365 * 24 * 60) * 60L).toString();
            case DATE -> LocalDate.of(2026, 1, 1).plusDays(random.nextInt(365)).toString();
            case TEXT -> "value-" + Integer.toHexString(random.nextInt());
            case PLACE -> "Place " + random.nextInt(1000);
            case MESSAGE_REF -> String.format("%08x%08x", random.nextInt(), random.nextInt());
            case NUMBER -> Integer.toString(random.nextInt(1000));
        };
    }

    /** What of a value every language's rendering must show. */
    private static String shownPart(ParamType type, String canonical) {
        return switch (type) {
            case TIME -> canonical.substring(11, 16);
            case DATE -> String.valueOf(LocalDate.parse(canonical).getYear());
            case TEXT, PLACE, NUMBER -> canonical;
            case MESSAGE_REF -> canonical.substring(0, 8);
        };
    }

    @Test
    void hindiAndUrdu_renderTimesInUtcAndBothZones_withTheirMonthNames() throws Exception {
        Map<String, String> p = Map.of("asOf", "2026-05-10T14:00Z");
        assertThat(CATALOG.render("posture.normal-readiness", p, PARTIES, "hi")).isEqualTo(
                "10 मई 2026 14:00 UTC (19:30 IST, 19:00 PKT) की स्थिति के अनुसार हमारे सामरिक बल शांतिकाल की सामान्य तत्परता में बने हुए हैं।");
        // Right to left: each zone label before its clock, so each pair stays one left-to-right run.
        assertThat(CATALOG.render("posture.normal-readiness", p, PARTIES, "ur")).startsWith(
                "UTC\u00A014:00\u060C 10 مئی 2026 (IST\u00A019:30\u060C PKT\u00A019:00) کی صورتحال");
        assertThat(CATALOG.render("ack.received-understood", Map.of("ref", "3f2a91c0"), PARTIES, "hi"))
                .contains("संदेश 3f2a91c0");
    }

    @Test
    void anUnknownLanguage_fallsBackToTheEnglishReference() throws Exception {
        Map<String, String> p = Map.of("asOf", "2026-05-10T14:00Z");
        assertThat(CATALOG.render("posture.normal-readiness", p, PARTIES, "fr"))
                .isEqualTo(CATALOG.render("posture.normal-readiness", p, PARTIES, "en"));
    }

    @Test
    void aTranslationMissingAPlaceholder_isRefused_namingSignalLanguageAndPlaceholder() throws Exception {
        ObjectNode root = builtInJson();
        ObjectNode hi = (ObjectNode) signal(root, "posture.normal-readiness").get("text").get("hi");
        hi.put("template", "हमारे सामरिक बल सामान्य तत्परता में हैं।");
        assertThatThrownBy(() -> SignalCatalog.parse(root)).hasMessageContaining("posture.normal-readiness")
                .hasMessageContaining("(hi) lacks placeholder {asOf}");
    }

    @Test
    void aSignalWithoutAnUrduWording_isRefused() throws Exception {
        ObjectNode root = builtInJson();
        ((ObjectNode) signal(root, "ack.appreciation").get("text")).remove("ur");
        assertThatThrownBy(() -> SignalCatalog.parse(root)).hasMessageContaining("ack.appreciation text has no ur wording");
    }

    @Test
    void aCategoryWithoutAHindiLabel_isRefused() throws Exception {
        ObjectNode root = builtInJson();
        ((ObjectNode) root.withArray("categories").get(0).get("label")).remove("hi");
        assertThatThrownBy(() -> SignalCatalog.parse(root)).hasMessageContaining("label has no hi wording");
    }

    @Test
    void aTranslationMarkedReviewed_needsReviewerAndDate_andThenRecordsThem() throws Exception {
        ObjectNode root = builtInJson();
        ObjectNode ur = (ObjectNode) signal(root, "ack.appreciation").get("text").get("ur");
        ur.put("reviewed", true);
        assertThatThrownBy(() -> SignalCatalog.parse(root)).hasMessageContaining("names its reviewer and reviewedOn");
        ur.put("reviewer", "A. Reviewer (Urdu desk)");
        ur.put("reviewedOn", "2026-12-01");
        Signal s = SignalCatalog.parse(root).require("ack.appreciation");
        assertThat(s.wording("ur").review().reviewer()).contains("A. Reviewer (Urdu desk)");
        assertThat(s.wording("ur").review().reviewedOn()).contains(LocalDate.of(2026, 12, 1));
    }

    @Test
    void anUnreviewedTranslation_namingAReviewer_isRefused() throws Exception {
        ObjectNode root = builtInJson();
        ((ObjectNode) signal(root, "ack.appreciation").get("text").get("hi")).put("reviewer", "someone");
        assertThatThrownBy(() -> SignalCatalog.parse(root)).hasMessageContaining("names no reviewer");
    }

    private static ObjectNode builtInJson() throws Exception {
        try (InputStream in = SignalCatalog.class.getResourceAsStream("/org/hotline/protocol/signals/catalog.json")) {
            return (ObjectNode) new ObjectMapper().readTree(in);
        }
    }

    private static JsonNode signal(ObjectNode root, String id) {
        for (JsonNode s : root.withArray("signals")) {
            if (s.get("id").asText().equals(id)) {
                return s;
            }
        }
        throw new AssertionError(id);
    }
}
