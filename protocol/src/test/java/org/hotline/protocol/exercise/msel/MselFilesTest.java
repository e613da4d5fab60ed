package org.hotline.protocol.exercise.msel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.hotline.protocol.exercise.ExerciseFiles;
import org.hotline.protocol.wire.Content;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MselFilesTest {

    private static final String VALID = """
            exercise: south-asia
            title: Test
            scenarioStart: "2026-05-07T06:30:00+05:30"
            injects:
              - id: A
                time: "0:10"
                to: [in, pk.nsa]
                kind: news
                title: Second
                text: Words
              - id: B
                time: "0:00"
                to: all
                kind: third-party
                title: First
                text: More words
                expected: A reply
            """;

    @Test
    void shippedSouthAsia_isValidWithTwentyInjectsOverNinetyMinutesInCalmOrder() throws Exception {
        Msel m = MselFiles.load("south-asia", Optional.empty());
        assertThat(m.injects()).hasSizeBetween(15, 25);
        assertThat(m.scenarioStart()).isEqualTo(OffsetDateTime.parse("2026-05-07T06:30:00+05:30"));
        assertThat(m.injects().get(m.injects().size() - 1).offset()).isBetween(Duration.ofMinutes(80), Duration.ofMinutes(100));
        assertThat(m.injects()).extracting(MselInject::kind).contains(Content.InjectKind.values());
        // Nuclear-posture reassurance is expected only once the scenario gives a reason for it.
        int firstPosture = m.injects().stream().filter(i -> i.expected().orElse("").contains("posture"))
                .mapToInt(i -> m.injects().indexOf(i)).min().orElseThrow();
        assertThat(firstPosture).isGreaterThan(m.injects().size() / 2);
        String all = String.join(" ", m.injects().stream().map(i -> i.title() + " " + i.text()).toList());
        assertThat(all).doesNotContainIgnoringCase("pahalgam").doesNotContainIgnoringCase("baisaran")
                .doesNotContainIgnoringCase("pulwama").doesNotContainIgnoringCase("balakot");
    }

    @Test
    void valid_resolvesPartiesAndAllToParticipantRolesAndSortsByTime() throws Exception {
        Msel m = MselFiles.parse(VALID, "t.yaml", Optional.empty());
        assertThat(m.injects()).extracting(MselInject::id).containsExactly("B", "A");
        assertThat(m.inject("A").orElseThrow().recipients()).containsExactly("in.pm", "in.nsa", "pk.nsa");
        assertThat(m.inject("B").orElseThrow().recipients()).containsExactly("in.pm", "pk.pm", "in.nsa", "pk.nsa");
        assertThat(m.inject("B").orElseThrow().expected()).contains("A reply");
        assertThat(m.inject("A").orElseThrow().line()).isEqualTo(5);
        assertThat(m.dueAt(m.inject("A").orElseThrow())).isEqualTo(m.start().plusSeconds(600));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "kind: news|kind: rumour|t.yaml:8: injects[0].kind: unknown kind 'rumour'",
            "to: [in, pk.nsa]|to: [in, xx.pm]|t.yaml:7: injects[0].to: unknown role or party 'xx.pm'",
            "to: [in, pk.nsa]|to: control|t.yaml:7: injects[0].to: unknown role or party 'control'",
            "time: \"0:10\"|time: 10|t.yaml:6: injects[0].time: write the offset as H:MM",
            "time: \"0:10\"|time: 1:90|t.yaml:6: injects[0].time: '1:90' is not an offset",
            "time: \"0:10\"|time: \"ten\"|t.yaml:6: injects[0].time: 'ten' is not an offset",
            "title: Second|titel: Second|t.yaml:9: injects[0].titel: unknown field",
            "    title: Second|    note: Second|t.yaml:5: injects[0].title: missing",
            "id: B|id: A|t.yaml:11: injects[1].id: duplicate inject id 'A'",
            "exercise: south-asia|exercise: atlantis|t.yaml:1: exercise: unknown exercise template 'atlantis'",
            "scenarioStart: \"2026-05-07T06:30:00+05:30\"|scenarioStart: tomorrow|t.yaml:3: scenarioStart: not a date-time"})
    void invalid_isRefusedNamingLineAndField(String from, String to, String expected) {
        String yaml = VALID.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to));
        assertThat(yaml).isNotEqualTo(VALID);
        assertThatThrownBy(() -> MselFiles.parse(yaml, "t.yaml", Optional.empty()))
                .isInstanceOf(MselException.class)
                .satisfies(e -> assertThat(((MselException) e).problems()).anySatisfy(p -> assertThat(p).startsWith(expected)));
    }

    @Test
    void unquotedOffset_isReadAsText() throws Exception {
        Msel m = MselFiles.parse(VALID.replace("time: \"0:10\"", "time: 1:30"), "t.yaml", Optional.empty());
        assertThat(m.inject("A").orElseThrow().offset()).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void severalProblems_areAllReported() {
        String yaml = VALID.replace("kind: news", "kind: rumour").replace("to: all", "to: [mars]");
        assertThatThrownBy(() -> MselFiles.parse(yaml, "t.yaml", Optional.empty()))
                .isInstanceOf(MselException.class)
                .satisfies(e -> assertThat(((MselException) e).problems()).hasSize(2));
    }

    @Test
    void recipients_areCheckedAgainstTheGivenExercise() throws Exception {
        var exercise = ExerciseFiles.parse(ExerciseFiles.instantiate("south-asia", "ex-test"));
        assertThat(MselFiles.parse(VALID, "t.yaml", Optional.of(exercise)).injects()).hasSize(2);
    }

    @Test
    void load_readsAFileBeforeAShippedName_andNamesWhatIsMissing(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("mine.yaml");
        Files.writeString(file, VALID);
        assertThat(MselFiles.load(file.toString(), Optional.empty()).name()).isEqualTo("mine");
        assertThatThrownBy(() -> MselFiles.load("no-such-scenario", Optional.empty()))
                .isInstanceOf(MselException.class).hasMessageContaining("shipped: south-asia");
        assertThatThrownBy(() -> MselFiles.parse("injects: [", "bad.yaml", Optional.empty()))
                .isInstanceOf(MselException.class).hasMessageStartingWith("bad.yaml:").hasMessageContaining("not valid YAML");
        assertThat(List.of(MselFiles.shippedNames())).isNotEmpty();
    }
}
