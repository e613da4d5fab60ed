package org.hotline.protocol.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.hotline.protocol.exercise.Party;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SignalCatalogTest {

    static final SignalCatalog CATALOG = SignalCatalog.builtIn();
    static final List<Party> PARTIES = List.of(
            new Party("in", "India", ZoneId.of("Asia/Kolkata"), "IST"),
            new Party("pk", "Pakistan", ZoneId.of("Asia/Karachi"), "PKT"));

    static Map<String, String> exampleParams(Signal s) {
        Map<String, String> m = new HashMap<>();
        for (SignalParam p : s.params()) {
            m.put(p.name(), p.type().example());
        }
        return m;
    }

    @Test
    void catalog_hasAtLeastThirtySignals_inTheRequiredCategories() {
        assertThat(CATALOG.signals()).hasSizeGreaterThanOrEqualTo(30);
        assertThat(CATALOG.categories()).contains("nuclear-posture", "limited-intent", "de-escalation",
                "clarification", "acknowledgement", "channel-request", "humanitarian", "agreements", "third-party");
        Map<String, Long> perCategory = CATALOG.signals().stream()
                .collect(Collectors.groupingBy(Signal::category, Collectors.counting()));
        assertThat(perCategory.values()).allMatch(n -> n >= 2);
        assertThat(CATALOG.version()).isNotBlank();
    }

    @Test
    void everySignal_isAnswerable_byAnotherSignalInTheCatalog() {
        for (Signal s : CATALOG.signals()) {
            assertThat(s.replies()).as(s.id()).isNotEmpty();
            assertThat(s.replies()).allMatch(r -> CATALOG.find(r).isPresent());
        }
    }

    @Test
    void everySignal_rendersWithExampleParameters_andLeavesNoPlaceholder() throws Exception {
        for (Signal s : CATALOG.signals()) {
            String text = CATALOG.render(s.id(), exampleParams(s), PARTIES, "en");
            assertThat(text).as(s.id()).doesNotContain("{").doesNotContain("}").isNotBlank();
            assertThat(s.wordings().get("en").reviewed()).as(s.id()).isTrue();
        }
    }

    /** The catalog's own wording must pass the calm-wording check (README.md, "The desktop console"). */
    @Test
    void noTemplate_usesThreateningOrJingoisticPhrases() {
        List<String> banned = List.of("befitting reply", "teach a lesson", "wipe out", "nuclear option", "avenge",
                "crush", "surgical", "under no circumstances", "never", "decisive", "retaliat", "destroy");
        for (Signal s : CATALOG.signals()) {
            String t = s.wordings().get("en").template().toLowerCase(Locale.ROOT);
            for (String b : banned) {
                assertThat(t).as(s.id()).doesNotContain(b);
            }
        }
    }

    @Test
    void timeParameter_isShownInUtcAndBothPartiesZones() throws Exception {
        String text = CATALOG.render("posture.normal-readiness", Map.of("asOf", "2026-05-10T14:00Z"), PARTIES, "en");
        assertThat(text).isEqualTo(
                "Our strategic forces remain at normal peacetime readiness as of 10 May 2026 14:00 UTC (19:30 IST, 19:00 PKT).");
    }

    @Test
    void timeAcrossMidnight_namesTheLocalDate() throws Exception {
        String text = CATALOG.render("posture.normal-readiness", Map.of("asOf", "2026-05-10T20:00:00Z"), PARTIES, "en");
        assertThat(text).contains("20:00 UTC (01:30 11 May 2026 IST, 01:00 11 May 2026 PKT)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "no.such.signal | asOf=2026-05-10T14:00Z | unknown signal 'no.such.signal'",
            "posture.normal-readiness |  | needs parameter 'asOf'",
            "posture.normal-readiness | asOf=tomorrow | must be a UTC time like",
            "posture.normal-readiness | asOf=2026-05-10T14:00Z,extra=1 | has no parameter 'extra'",
            "posture.no-change | sinceDate=7 May | must be a date like",
            "ack.received-understood | ref=xyz | must be a message id"})
    void badSignalOrParameters_giveOneClearError(String id, String params, String expected) {
        Map<String, String> m = new HashMap<>();
        if (params != null) {
            for (String kv : params.split(",")) {
                String[] p = kv.split("=", 2);
                m.put(p[0], p[1]);
            }
        }
        assertThatThrownBy(() -> CATALOG.render(id, m, PARTIES, "en")).isInstanceOf(SignalException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void requireCanonical_refusesValuesASenderWouldNotProduce() throws Exception {
        CATALOG.requireCanonical("posture.normal-readiness", Map.of("asOf", "2026-05-10T14:00:00Z"));
        assertThatThrownBy(() -> CATALOG.requireCanonical("posture.normal-readiness",
                Map.of("asOf", "2026-05-10T19:30+05:30"))).hasMessageContaining("not in canonical form");
    }

    @Test
    void canonicalParams_normaliseTimesAndRefs() throws Exception {
        assertThat(CATALOG.canonicalParams("ack.received", Map.of("ref", "message 3F2A91C0AB", "replyBy",
                "2026-05-10T19:30+05:30"))).containsEntry("ref", "3f2a91c0ab")
                .containsEntry("replyBy", "2026-05-10T14:00:00Z");
    }

    @Test
    void textParameter_withControlCharacters_isRefused() {
        var s = CATALOG.signals().stream().filter(x -> x.params().stream()
                .anyMatch(p -> p.type() == ParamType.TEXT)).findFirst().orElseThrow();
        Map<String, String> m = exampleParams(s);
        String name = s.params().stream().filter(p -> p.type() == ParamType.TEXT).findFirst().orElseThrow().name();
        for (String bad : new String[] {"line\u0007bell", "abc\u202Edcba", "zero\u200Bwidth"}) {
            m.put(name, bad);
            assertThatThrownBy(() -> CATALOG.render(s.id(), m, PARTIES, "en"))
                    .hasMessageContaining("control or invisible formatting characters");
        }
    }
}
