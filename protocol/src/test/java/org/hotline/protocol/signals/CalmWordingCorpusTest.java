package org.hotline.protocol.signals;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The calm-wording check against its corpus ({@code calm-wording-corpus.tsv} beside this test):
 * heated sentences are warned about, each flagged phrase exactly once; calm ones raise nothing.
 */
class CalmWordingCorpusTest {

    static final CalmWordingCheck CHECK = CalmWordingCheck.builtIn();

    static Stream<Arguments> corpus() throws IOException {
        List<Arguments> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                CalmWordingCorpusTest.class.getResourceAsStream("calm-wording-corpus.tsv")), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\t");
                List<String> phrases = cols.length > 2 ? Arrays.asList(cols[2].split(",")) : List.of();
                rows.add(Arguments.of(cols[0], cols[1], phrases));
            }
        }
        assertThat(rows).extracting(a -> a.get()[0]).contains("heated", "calm");
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("corpus")
    void verdictAndWarnings_asExpected(String verdict, String sentence, List<String> phrases) {
        var warnings = CalmWordingCheck.warnings(CHECK.check(sentence));
        if (verdict.equals("calm")) {
            assertThat(warnings).isEmpty();
        } else {
            assertThat(verdict).isEqualTo("heated");
            assertThat(warnings).extracting(CalmWordingCheck.Finding::phrase).containsExactlyElementsOf(phrases);
        }
    }
}
