package org.hotline.protocol.signals;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CalmWordingCheckTest {

    static final CalmWordingCheck CHECK = CalmWordingCheck.builtIn();

    @ParameterizedTest
    @ValueSource(strings = {"We will give a befitting reply.", "They will be taught... no: we will TEACH A LESSON",
            "This is the nuclear option", "we will wipe   out the camps", "All options are on the table."})
    void threateningWording_isFound_withExplanationAndSuggestion(String text) {
        var findings = CHECK.check(text);
        assertThat(findings).isNotEmpty();
        assertThat(findings.get(0).explanation()).isNotBlank();
        assertThat(findings.get(0).suggestedSignal()).isPresent();
        assertThat(text.substring(findings.get(0).start(), findings.get(0).end()).toLowerCase())
                .isEqualToIgnoringWhitespace(findings.get(0).phrase().replace(" ", ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"We propose a DGMO call at 16:00 UTC.", "Our forces remain at normal readiness.",
            "The destroyer class of ships", "We nevertheless propose talks."})
    void calmWording_andWordsThatMerelyContainAPhrase_areNotFlagged(String text) {
        assertThat(CHECK.check(text)).isEmpty();
    }

    @Test
    void everySuggestion_isASignalOfTheCatalog() {
        SignalCatalog catalog = SignalCatalog.builtIn();
        assertThat(CHECK.suggestions()).allMatch(s -> s.isEmpty() || catalog.find(s.get()).isPresent());
    }

    @Test
    void findings_comeInOrderOfAppearance() {
        var f = CHECK.check("Never forget: we will retaliate and destroy.");
        assertThat(f).extracting(CalmWordingCheck.Finding::phrase).containsExactly("never forget", "retaliate", "destroy");
    }
}
