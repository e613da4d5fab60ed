package org.hotline.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotline.app.ClientCliTest.cmd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hotline.app.cli.ExitCodes;
import org.hotline.app.testing.CliExercise;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 on the command line: {@code listen --json} carries {@code rendered} (every catalog
 * language code to the canonical words; {@code text} stays the English reference) and
 * {@code signals --lang CODE [--json]} shows the catalog in one language with its review marks.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LanguagesCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static CliExercise exercise;

    @BeforeAll
    static void start() throws Exception {
        exercise = new CliExercise(tmp);
    }

    @AfterAll
    static void stop() {
        exercise.close();
    }

    static ClientCliTest.Run run(String... args) {
        return ClientCliTest.run(CliExercise.ENV, args);
    }

    static String[] as(String role, String... rest) {
        return exercise.as(role, rest);
    }

    @Test
    void listenJson_rendersASignalInEveryLanguage_andFreeTextAsWritten() throws Exception {
        CompletableFuture<ClientCliTest.Run> listen = CompletableFuture.supplyAsync(() ->
                run(cmd("listen", as("pk.nsa", "--count", "2", "--timeout", "40", "--json"))));
        ClientCliTest.Run signal = run(cmd("send", as("in.nsa", "--to", "pk.nsa", "--signal", "posture.normal-readiness",
                "--param", "asOf=2026-05-10T14:00Z", "--wait", "delivered")));
        assertThat(signal.exit()).as(signal.err()).isZero();
        ClientCliTest.Run text = run(cmd("send", as("in.nsa", "--to", "pk.nsa", "--text", "Noted.", "--wait",
                "delivered")));
        assertThat(text.exit()).as(text.err()).isZero();
        ClientCliTest.Run got = listen.get(45, TimeUnit.SECONDS);
        assertThat(got.exit()).as(got.err()).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String l : got.out().strip().split("\n")) {
            lines.add(JSON.readTree(l));
        }
        JsonNode s = lines.stream().filter(o -> o.path("signal").isTextual()).findFirst().orElseThrow();
        JsonNode rendered = s.path("rendered");
        assertThat(rendered.fieldNames()).toIterable().containsExactly("en", "hi", "ur");
        assertThat(rendered.path("en").asText()).isEqualTo(s.path("text").asText())
                .startsWith("Our strategic forces remain at normal peacetime readiness as of");
        // The canonical Hindi and Urdu wordings, with the same time in both parties' zones.
        assertThat(rendered.path("hi").asText()).contains("\u0938\u093e\u092e\u0930\u093f\u0915 \u092c\u0932")
                .contains("IST").contains("PKT");
        assertThat(rendered.path("ur").asText()).contains("\u0627\u0633\u0679\u0631\u06cc\u0679\u062c\u06a9 \u0627\u0641\u0648\u0627\u062c")
                .contains("IST").contains("PKT");
        JsonNode free = lines.stream().filter(o -> o.path("signal").isNull()).findFirst().orElseThrow();
        assertThat(free.path("text").asText()).isEqualTo("Noted.");
        assertThat(free.path("rendered").path("en").asText()).isEqualTo("Noted.");
        assertThat(free.path("rendered").path("ur").asText()).isEqualTo("Noted.");
    }

    @Test
    void signalsLangUrJson_givesEveryWordingInUrdu_markedNotReviewed_andNothingElse() throws Exception {
        ClientCliTest.Run r = run("signals", "--lang", "ur", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.path("languages")).singleElement().satisfies(l -> {
            assertThat(l.path("code").asText()).isEqualTo("ur");
            assertThat(l.path("direction").asText()).isEqualTo("rtl");
            assertThat(l.path("reviewed").asBoolean(true)).isFalse();
        });
        assertThat(root.path("signals").size()).isGreaterThan(20);
        for (JsonNode s : root.path("signals")) {
            assertThat(s.path("title").fieldNames()).toIterable().as(s.path("id").asText()).containsExactly("ur");
            String template = s.path("text").path("ur").path("template").asText();
            assertThat(template).as(s.path("id").asText()).containsPattern("[\u0600-\u06ff]");
            assertThat(s.path("text").path("ur").path("reviewed").asBoolean(true)).isFalse();
            assertThat(s.path("text").has("en")).isFalse();
        }
    }

    @Test
    void signalsLangHi_printsHindiWording_withTheMark_andAnUnknownLanguageIsAUsageError() {
        ClientCliTest.Run hi = run("signals", "--lang", "hi", "--category", "nuclear-posture");
        assertThat(hi.exit()).as(hi.err()).isZero();
        assertThat(hi.out()).contains("in Hindi \u00b7 \u0939\u093f\u0928\u094d\u0926\u0940")
                .contains("posture.normal-readiness - \u0938\u093e\u092e\u0930\u093f\u0915 \u092c\u0932")
                .contains("[translation not reviewed]");
        ClientCliTest.Run en = run("signals", "--lang", "en", "--category", "nuclear-posture");
        assertThat(en.out()).contains("posture.normal-readiness - Strategic forces at normal readiness")
                .doesNotContain("translation not reviewed");
        ClientCliTest.Run bad = run("signals", "--lang", "fr");
        assertThat(bad.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("unknown --lang 'fr'").contains("en, hi, ur");
    }
}
