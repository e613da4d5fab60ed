package org.hotline.protocol.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agreements' numbers in the catalog and the validator that checks a notification against
 * them before it is signed: each rule, its boundary, and the one-line error naming it.
 */
@Timeout(10)
class NotificationRulesTest {

    static final SignalCatalog CATALOG = SignalCatalog.builtIn();
    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    static final String MISSILE = "notify.ballistic-missile-test";
    static final String ACCIDENT = "incident.accidental-launch";
    static final String LISTS = "agreement.nuclear-lists-annual";

    /** A pre-notification that keeps every rule with nothing to spare: 3 days' notice, 5-day window, 40 and 70 km. */
    static Map<String, String> missile() {
        Map<String, String> p = new HashMap<>();
        p.put("missileType", "surface-to-surface ballistic missile");
        p.put("windowStart", NOW.plus(Duration.ofDays(3)).toString());
        p.put("windowEnd", NOW.plus(Duration.ofDays(8)).toString());
        p.put("launchArea", "Chandipur, Odisha coast");
        p.put("launchKm", "40");
        p.put("impactArea", "Bay of Bengal");
        p.put("impactKm", "70");
        p.put("bearing", "south-east, over the sea");
        return p;
    }

    static Map<String, String> accident() {
        Map<String, String> p = new HashMap<>();
        p.put("missileType", "unarmed cruise missile");
        p.put("launchTime", NOW.minus(Duration.ofHours(2)).toString());
        p.put("launchPlace", "a maintenance site near Ambala");
        p.put("impactArea", "open ground near Mian Channu");
        p.put("cause", "a technical malfunction during routine maintenance");
        p.put("actions", "a high-level court of inquiry; the system is stood down");
        return p;
    }

    static Optional<String> problem(String id, Map<String, String> params) throws SignalException {
        return CATALOG.ruleProblem(id, params, NOW).map(NotificationRule.Violation::message);
    }

    @Test
    void theAgreementsNumbers_areDataInTheCatalog() {
        assertThat(CATALOG.rules(MISSILE)).containsExactly(
                new NotificationRule.NoticeAtLeast("windowStart", 3, "2005 agreement", "pre-notification needs at least {days} days' notice"),
                new NotificationRule.SpanAtMost("windowStart", "windowEnd", 5, "2005 agreement", "a launch window may last at most {days} days"),
                new NotificationRule.AtLeast("launchKm", 40, "km", "2005 agreement",
                        "the launch site must be at least {minimum} km from the International Boundary and the Line of Control"),
                new NotificationRule.AtLeast("impactKm", 70, "km", "2005 agreement",
                        "the intended impact point must be at least {minimum} km from the International Boundary and the Line of Control"));
        assertThat(CATALOG.rules(ACCIDENT)).hasSize(2);
        assertThat(CATALOG.rules(LISTS)).hasSize(2);
        assertThat(CATALOG.rules("ack.received")).isEmpty();
    }

    @Test
    void preNotification_keepingEveryRuleExactly_isAccepted_andRendersInEveryLanguage() throws Exception {
        assertThat(problem(MISSILE, missile())).isEmpty();
        for (CatalogLanguage l : CATALOG.languages()) {
            String text = CATALOG.render(MISSILE, missile(), CatalogTranslationsTest.PARTIES, l.code());
            assertThat(text).as(l.code()).contains("40").contains("70").doesNotContain("{");
        }
    }

    @Test
    void preNotification_withTwoDaysNotice_namesTheRule() throws Exception {
        Map<String, String> p = missile();
        p.put("windowStart", NOW.plus(Duration.ofDays(2)).toString());
        assertThat(problem(MISSILE, p)).contains(
                "pre-notification needs at least 3 days' notice (2005 agreement): launch window opens in 2 days");
    }

    @Test
    void preNotification_oneMinuteShortOfThreeDays_isRefused() throws Exception {
        Map<String, String> p = missile();
        p.put("windowStart", NOW.plus(Duration.ofDays(3)).minusSeconds(60).toString());
        assertThat(problem(MISSILE, p)).contains(
                "pre-notification needs at least 3 days' notice (2005 agreement): launch window opens in 2 days 23 hours 59 minutes");
    }

    @Test
    void preNotification_forAWindowAlreadyOpen_saysSo() throws Exception {
        Map<String, String> p = missile();
        p.put("windowStart", NOW.minus(Duration.ofHours(2)).toString());
        assertThat(problem(MISSILE, p)).contains(
                "pre-notification needs at least 3 days' notice (2005 agreement): launch window opens 2 hours before now");
    }

    @Test
    void launchWindow_oneMinuteLongerThanFiveDays_isRefused() throws Exception {
        Map<String, String> p = missile();
        p.put("windowEnd", NOW.plus(Duration.ofDays(8)).plusSeconds(60).toString());
        Optional<NotificationRule.Violation> v = CATALOG.ruleProblem(MISSILE, p, NOW);
        assertThat(v.map(NotificationRule.Violation::message)).contains(
                "a launch window may last at most 5 days (2005 agreement): this one lasts 5 days 1 minute");
        assertThat(v.map(NotificationRule.Violation::param)).as("the form marks the window's end").contains("windowEnd");
    }

    @ParameterizedTest
    @CsvSource({
            "launchKm, 39, the launch site must be at least 40 km from the International Boundary and the Line of Control (2005 agreement): declared 39 km",
            "launchKm, 0, the launch site must be at least 40 km from the International Boundary and the Line of Control (2005 agreement): declared 0 km",
            "impactKm, 69, the intended impact point must be at least 70 km from the International Boundary and the Line of Control (2005 agreement): declared 69 km"})
    void distances_belowTheAgreementsMinimum_areRefused(String param, String km, String expected) throws Exception {
        Map<String, String> p = missile();
        p.put(param, km);
        assertThat(problem(MISSILE, p)).contains(expected);
        assertThat(CATALOG.ruleProblem(MISSILE, p, NOW).orElseThrow().param()).isEqualTo(param);
    }

    @Test
    void aMalformedValue_isLeftToTheTypeCheck() throws Exception {
        Map<String, String> p = missile();
        p.put("launchKm", "forty");
        assertThat(problem(MISSILE, p)).isEmpty();
        assertThatThrownBy(() -> CATALOG.canonicalParams(MISSILE, p))
                .hasMessageContaining("'launchKm' must be a whole number");
    }

    @ParameterizedTest
    @ValueSource(strings = {"missileType", "launchTime", "launchPlace", "impactArea", "cause", "actions"})
    void accidentalLaunch_withoutAnyOneOfItsFacts_isRefused_namingIt(String missing) throws Exception {
        Map<String, String> p = accident();
        p.remove(missing);
        String label = CATALOG.require(ACCIDENT).params().stream().filter(q -> q.name().equals(missing)).findFirst()
                .orElseThrow().label("en");
        String expected = "an accidental-launch notification says what was launched, when, where, why it was not intended"
                + " and what is being done (2022 lesson): " + Character.toLowerCase(label.charAt(0)) + label.substring(1)
                + " is missing";
        assertThat(problem(ACCIDENT, p)).contains(expected);
        p.put(missing, "   ");
        assertThat(problem(ACCIDENT, p)).as("blank is missing too").contains(expected);
    }

    @Test
    void accidentalLaunch_complete_isAccepted_butNotForALaunchStillToCome() throws Exception {
        assertThat(problem(ACCIDENT, accident())).isEmpty();
        Map<String, String> p = accident();
        p.put("launchTime", NOW.toString());
        assertThat(problem(ACCIDENT, p)).as("now is not the future").isEmpty();
        p.put("launchTime", NOW.plus(Duration.ofHours(2)).toString());
        assertThat(problem(ACCIDENT, p)).contains(
                "an accidental-launch notification reports a launch that has happened (2022 lesson): time of launch is 2 hours from now");
    }

    @Test
    void listExchange_asOfFirstJanuary_isAccepted_uptoAYearAndADay() throws Exception {
        assertThat(problem(LISTS, Map.of("listRef", "MEA/NL/2026", "asOf", "2026-01-01"))).isEmpty();
        LocalDate today = LocalDate.of(2026, 12, 1);
        assertThat(problem(LISTS, Map.of("listRef", "x", "asOf", today.minusDays(366).toString()))).isEmpty();
        assertThat(problem(LISTS, Map.of("listRef", "x", "asOf", today.minusDays(367).toString()))).contains(
                "lists are exchanged every year on 1 January, so the list may be at most 366 days old (1988 agreement):"
                        + " list as of 29 Nov 2025 is 367 days old");
    }

    @Test
    void listExchange_asOfAFutureDate_isRefused_butTodayAnywhereIsNot() throws Exception {
        assertThat(problem(LISTS, Map.of("listRef", "x", "asOf", "2026-12-01"))).isEmpty();
        // At 10:00 UTC it is already 00:00 on 2 December in UTC+14: that day has begun somewhere.
        assertThat(problem(LISTS, Map.of("listRef", "x", "asOf", "2026-12-02"))).isEmpty();
        assertThat(problem(LISTS, Map.of("listRef", "x", "asOf", "2026-12-03"))).contains(
                "the list states the installations in place, so it cannot be as of a future date (1988 agreement):"
                        + " list as of 3 Dec 2026 is in the future");
    }

    @Test
    void numberParameter_hasOneCanonicalForm_inAsciiDigits() throws Exception {
        assertThat(ParamType.NUMBER.canonicalize("km", " 040 ")).isEqualTo("40");
        assertThat(ParamType.NUMBER.canonicalize("km", "999999")).isEqualTo("999999");
        for (String bad : List.of("-1", "1.5", "1e3", "1000000", "\u0967\u0968", "\u0661\u0662", "12 km")) {
            assertThatThrownBy(() -> ParamType.NUMBER.canonicalize("km", bad)).as(bad).isInstanceOf(SignalException.class);
        }
    }

    @Test
    void aRuleNamingAnUnknownParameter_orWithoutItsNumberInTheSentence_keepsTheCatalogFromLoading() throws Exception {
        ObjectNode root = builtInJson();
        ObjectNode rule = (ObjectNode) signal(root, MISSILE).get("rules").get(0);
        rule.put("param", "opens");
        assertThatThrownBy(() -> SignalCatalog.parse(root)).hasMessageContaining(MISSILE)
                .hasMessageContaining("unknown parameter 'opens'");
        rule.put("param", "launchArea");
        assertThatThrownBy(() -> SignalCatalog.parse(root)).hasMessageContaining("cannot apply to parameter 'launchArea' of type place");
        rule.put("param", "windowStart");
        rule.put("says", "pre-notification needs three days' notice");
        assertThatThrownBy(() -> SignalCatalog.parse(root)).hasMessageContaining("'says' lacks {days}");
        rule.put("says", "x {days}");
        rule.put("kind", "at-most-maybe");
        assertThatThrownBy(() -> SignalCatalog.parse(root)).hasMessageContaining("unknown kind 'at-most-maybe'");
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
