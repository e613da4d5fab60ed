package org.hotline.protocol.exercise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.hotline.protocol.signals.CatalogLanguage;
import org.hotline.protocol.signals.SignalCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The languages each seat reads, from {@code exercise.json}. */
@Timeout(10)
class RoleLanguagesTest {

    private static final String EXERCISE = """
            {"id":"x","name":"n","relay":{"host":"h","port":1},
             "parties":[{"id":"in","name":"India","timeZone":"Asia/Kolkata","zoneLabel":"IST"}],
             "roles":[{"id":"a","party":"in","title":"T","timeZone":"UTC"%s},
                      {"id":"b","party":"in","title":"T","timeZone":"UTC"}],
             "channels":[{"id":"c","name":"C","members":["a","b"]}]}""";

    @Test
    void southAsiaTemplate_indiaReadsEnglishAndHindi_pakistanEnglishAndUrdu() throws Exception {
        Exercise e = ExerciseFiles.parse(ExerciseFiles.instantiate("south-asia", "ex-test"));
        assertThat(e.role("in.pm").orElseThrow().languages()).containsExactly("en", "hi");
        assertThat(e.role("in.nsa").orElseThrow().languages()).containsExactly("en", "hi");
        assertThat(e.role("pk.pm").orElseThrow().languages()).containsExactly("en", "ur");
        assertThat(e.role("pk.nsa").orElseThrow().languages()).containsExactly("en", "ur");
        var catalogLanguages = SignalCatalog.builtIn().languages().stream().map(CatalogLanguage::code).toList();
        e.roles().forEach(r -> assertThat(catalogLanguages).as(r.id()).containsAll(r.languages()));
    }

    @Test
    void anOlderExerciseWithOneLanguage_orNone_stillLoads() throws Exception {
        Exercise e = ExerciseFiles.parse(EXERCISE.formatted(",\"language\":\"en\""));
        assertThat(e.role("a").orElseThrow().languages()).containsExactly("en");
        assertThat(e.role("b").orElseThrow().languages()).containsExactly("en");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            ",\"languages\":[]                | 'languages' must be a non-empty array",
            ",\"languages\":\"en\"            | 'languages' must be a non-empty array",
            ",\"languages\":[\"en\",\"EN-x\"] | language 'EN-x' is not a language code",
            ",\"languages\":[\"en\",\"en\"]   | duplicate language of role a"})
    void malformedLanguages_areRefused_namingTheRole(String field, String expected) {
        assertThatThrownBy(() -> ExerciseFiles.parse(EXERCISE.formatted(field.strip())))
                .isInstanceOf(ExerciseException.class).hasMessageContaining(expected);
    }
}
