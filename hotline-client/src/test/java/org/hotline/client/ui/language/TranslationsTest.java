package org.hotline.client.ui.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.ExerciseFiles;
import org.hotline.protocol.exercise.Party;
import org.hotline.protocol.exercise.Role;
import org.hotline.protocol.signals.SignalCatalog;
import org.hotline.protocol.signals.SignalException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What each seat reads of a signal, and the sender's preview per recipient (no toolkit). */
@Timeout(10)
class TranslationsTest {

    static final SignalCatalog CATALOG = SignalCatalog.builtIn();
    static final Map<String, String> PARAMS = Map.of("asOf", "2026-05-10T14:00:00Z");

    static Exercise southAsia() throws Exception {
        return ExerciseFiles.parse(ExerciseFiles.instantiate("south-asia", "ex-test"));
    }

    @Test
    void indiasSeat_readsTheEnglishReference_thenHindi_markedUnreviewed() throws Exception {
        Exercise e = southAsia();
        List<LanguageText> texts = new Translations(CATALOG, e.parties())
                .forReader("posture.normal-readiness", PARAMS, e.role("in.pm").orElseThrow());
        assertThat(texts).extracting(LanguageText::code).containsExactly("en", "hi");
        assertThat(texts.get(0).label()).isEqualTo("English (reference)");
        assertThat(texts.get(0).text()).isEqualTo(
                "Our strategic forces remain at normal peacetime readiness as of 10 May 2026 14:00 UTC (19:30 IST, 19:00 PKT).");
        assertThat(texts.get(0).needsReviewMark()).isFalse();
        assertThat(texts.get(1).label()).isEqualTo("Hindi \u00b7 हिन्दी");
        assertThat(texts.get(1).text()).startsWith("10 मई 2026 14:00 UTC (19:30 IST, 19:00 PKT) की स्थिति");
        assertThat(texts.get(1).rightToLeft()).isFalse();
        assertThat(texts.get(1).needsReviewMark()).isTrue();
    }

    @Test
    void pakistansSeat_readsEnglishThenUrdu_rightToLeft() throws Exception {
        Exercise e = southAsia();
        List<LanguageText> texts = new Translations(CATALOG, e.parties())
                .forReader("ack.received-understood", Map.of("ref", "3f2a91c0"), e.role("pk.pm").orElseThrow());
        assertThat(texts).extracting(LanguageText::code).containsExactly("en", "ur");
        assertThat(texts.get(1).label()).isEqualTo("Urdu \u00b7 اردو");
        assertThat(texts.get(1).rightToLeft()).isTrue();
        assertThat(texts.get(1).text()).isEqualTo("ہمیں پیغام 3f2a91c0 موصول ہو گیا ہے اور ہم نے اسے سمجھ لیا ہے۔");
    }

    @Test
    void urdu_putsEachZoneBeforeItsClock_soEveryPairReadsAsOneRun_withoutBidiControls() throws Exception {
        Exercise e = southAsia();
        Map<String, String> params = Map.of("location", "the Neelum valley", "purpose", "a troop rotation",
                "endTime", "2026-05-10T19:51:00Z");
        LanguageText urdu = new Translations(CATALOG, e.parties()).forReader("clarify.movement-explained", params,
                e.role("pk.pm").orElseThrow()).get(1);
        assertThat(urdu.text()).startsWith("the Neelum valley کے قریب")
                .contains("UTC\u00A019:51\u060C 10 مئی 2026 (IST\u00A001:21\u060C 11 مئی 2026\u060C PKT\u00A000:51\u060C 11 مئی 2026)")
                .doesNotContainPattern("[\u200E\u200F\u202A-\u202E\u2066-\u2069]");
        LanguageText hindi = new Translations(CATALOG, e.parties()).forReader("clarify.movement-explained", params,
                e.role("in.pm").orElseThrow()).get(1);
        assertThat(hindi.text()).contains("10 मई 2026 19:51 UTC (01:21 11 मई 2026 IST, 00:51 11 मई 2026 PKT)");
    }

    @Test
    void aSeatReadingEnglishOnly_orALanguageTheCatalogLacks_getsTheReferenceAlone() throws Exception {
        Party in = new Party("in", "India", ZoneId.of("Asia/Kolkata"), "IST");
        Translations t = new Translations(CATALOG, List.of(in));
        assertThat(t.forReader("posture.normal-readiness", PARAMS, new Role("a", in, "T", in.timeZone(), "en")))
                .extracting(LanguageText::code).containsExactly("en");
        assertThat(t.forReader("posture.normal-readiness", PARAMS,
                new Role("a", in, "T", in.timeZone(), List.of("en", "fr", "hi"))))
                .extracting(LanguageText::code).containsExactly("en", "hi");
    }

    @Test
    void freeText_andUnrenderableSignals_haveNoTranslations() throws Exception {
        Exercise e = southAsia();
        Translations t = new Translations(CATALOG, e.parties());
        Role reader = e.role("in.pm").orElseThrow();
        assertThat(t.forReaderOrEmpty(Optional.empty(), Map.of(), reader)).isEmpty();
        assertThat(t.forReaderOrEmpty(Optional.of("no.such-signal"), Map.of(), reader)).isEmpty();
        assertThatThrownBy(() -> t.forReader("posture.normal-readiness", Map.of("asOf", "soon"), reader))
                .isInstanceOf(SignalException.class);
    }

    @Test
    void senderPreview_showsWhatTheRecipientWillRead_inTheRecipientsLanguages() throws Exception {
        Exercise e = southAsia();
        PreviewReadings preview = new PreviewReadings(CATALOG, e);
        preview.update("posture.normal-readiness", PARAMS, "pk.pm");
        assertThat(preview.readings()).singleElement().satisfies(r -> {
            assertThat(r.recipient()).isEqualTo("Pakistan Prime Minister");
            assertThat(r.texts()).extracting(LanguageText::code).containsExactly("en", "ur");
        });
        preview.update("posture.normal-readiness", PARAMS, "in.nsa");
        assertThat(preview.readings().get(0).texts()).extracting(LanguageText::code).containsExactly("en", "hi");
        preview.update("posture.normal-readiness", PARAMS, null);
        assertThat(preview.readings()).isEmpty();
    }

    @Test
    void times_areShownInUtcAndEveryPartysZone() throws Exception {
        assertThat(ZoneTimes.of(Instant.parse("2026-05-10T14:00:05Z"), southAsia().parties()))
                .isEqualTo("14:00:05 UTC \u00b7 19:30:05 IST \u00b7 19:00:05 PKT");
    }
}
