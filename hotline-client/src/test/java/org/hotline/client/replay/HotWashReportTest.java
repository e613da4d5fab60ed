package org.hotline.client.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hotline.client.ui.replay.ReplayViewModel;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.ExerciseFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The report a facilitator runs the hot wash from (issue: "a report that answers the hot-wash
 * questions"): the exercise's name, both parties' wall clocks and T+ to the tenth, titles, per-side
 * response times, the unanswered messages with their text, outages as bands with their cause, the
 * overridden wording warnings, questions generated from all that, and the CSV/JSON transcript.
 */
@Timeout(30)
class HotWashReportTest {

    static final Instant T0 = Instant.parse("2026-05-10T11:28:00Z");

    static Timeline timeline() throws Exception {
        Exercise ex = ExerciseFiles.parse(ExerciseFiles.instantiate("south-asia", "hotwash-test"));
        String proposal = "00000000000000000000000000000001";
        var a = new Timeline.MessageRecord(proposal, "in.pm", List.of("pk.pm"), "leaders", 1, "de-escalation",
                "India proposes a cease-fire along the Line of Control.", T0, Optional.of(T0.plusMillis(120)),
                Optional.of(T0.plusMillis(450)), Optional.of(T0.plusSeconds(95)), List.of("in.pm", "pk.pm"), true,
                Optional.empty());
        var reply = new Timeline.MessageRecord("00000000000000000000000000000002", "pk.pm", List.of("in.pm"), "leaders",
                1, "free text", "Pakistan agrees in principle.", T0.plusMillis(130_300), Optional.of(T0.plusMillis(130_400)),
                Optional.of(T0.plusMillis(130_700)), Optional.of(T0.plusSeconds(140)), List.of("in.pm", "pk.pm"), true,
                Optional.empty(), Optional.of(proposal), false);
        var heated = new Timeline.MessageRecord("00000000000000000000000000000003", "in.pm", List.of("pk.pm"), "leaders",
                2, "free text", "We will teach you a lesson.", T0.plusSeconds(200), Optional.of(T0.plusSeconds(200)),
                Optional.of(T0.plusSeconds(201)), Optional.empty(), List.of("in.pm", "pk.pm"), true, Optional.empty());
        var outage = new Timeline.Outage("pk.pm", T0.plusSeconds(210), Optional.of(T0.plusSeconds(270)),
                "connection to the relay lost: Connection reset by peer");
        var superseded = new Timeline.Outage("in.pm", T0.plusSeconds(280), Optional.of(T0.plusSeconds(300)),
                "superseded: another console signed in as this role took the line");
        var warning = new Timeline.WordingWarning("in.pm", T0.plusSeconds(199), "calm-wording check flagged: [teach you a lesson]",
                Optional.of(heated));
        return new Timeline(T0, T0.plusSeconds(320), List.of(a, reply, heated), List.of(), List.of(outage, superseded),
                List.of(), List.of(), Optional.of(ex), List.of(warning));
    }

    @Test
    void report_answersTheHotWashQuestions() throws Exception {
        Timeline t = timeline();
        String html = ReportWriter.render(t, null);
        assertThat(html).contains("<title>Hot-wash report: South Asia crisis hotline exercise</title>")
                // both parties' wall clocks, T+ to the tenth of a second
                .contains("16:58:00 IST / 16:28:00 PKT").contains("T+00:02:10.3")
                // roles by title, not ids or map dumps
                .contains("<bdi>India Prime Minister</bdi> \u2192 <bdi>Pakistan Prime Minister</bdi>").doesNotContain("{in.pm=")
                // per-side acknowledgement and reply-based response times
                .contains("<td>Pakistan</td><td>2</td><td>median 95 s, worst 95 s (1)</td>"
                        + "<td>median 2 min 10 s, worst 2 min 10 s (1)</td>")
                // the unanswered message with its text
                .contains("Unanswered messages (1)").contains("We will teach you a lesson.")
                // outages as bands on the timeline, with their cause
                .contains("<rect class=\"outage\"").contains(">relay down</text>").contains(">console superseded</text>")
                // overridden wording warnings
                .contains("Wording warnings overridden (1)").contains("calm-wording check flagged: [teach you a lesson]")
                // the answer is tied to what it answers
                .contains("(answers India Prime Minister's message of 16:58:00 IST / 16:28:00 PKT)");
        List<String> questions = HotWashQuestions.of(t);
        assertThat(questions).anyMatch(q -> q.startsWith("The longest unanswered message") && q.contains("teach you a lesson"))
                .anyMatch(q -> q.startsWith("The slowest acknowledgement") && q.contains("95 s"))
                .anyMatch(q -> q.contains("was warned at") && q.contains("as written"))
                .anyMatch(q -> q.contains("Pakistan Prime Minister's line was down for 60 s") && q.contains("relay down"));
        assertThat(html).contains("Suggested hot-wash questions");
    }

    @Test
    void transcript_exportsAsCsvAndJson_withTheSameFacts() throws Exception {
        Timeline t = timeline();
        String csv = TranscriptExport.csv(t);
        List<String> lines = csv.lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("\"id\",\"exerciseTime\",\"sentAtUtc\",\"sentAtLocal\",\"from\"");
        assertThat(lines.get(2)).contains("\"T+00:02:10.3\"").contains("\"Pakistan Prime Minister\"")
                .contains("\"00000000000000000000000000000001\"").contains("\"signed\"");
        assertThat(csv).contains("\r\n");
        JsonNode json = new ObjectMapper().readTree(TranscriptExport.json(t));
        assertThat(json.path("exercise").asText()).isEqualTo("South Asia crisis hotline exercise");
        assertThat(json.path("messages")).hasSize(3);
        assertThat(json.path("messages").get(0).path("acknowledgedAfterSeconds").asText()).isEqualTo("95.0");
        assertThat(json.path("messages").get(2).path("text").asText()).isEqualTo("We will teach you a lesson.");
        assertThat(json.path("messages").get(2).path("acknowledgedAfterSeconds").isNull()).isTrue();
    }

    @Test
    void csv_defusesSpreadsheetFormulas() throws Exception {
        Timeline base = timeline();
        var formula = new Timeline.MessageRecord("00000000000000000000000000000009", "pk.pm", List.of("in.pm"), "leaders",
                3, "free text", "=HYPERLINK(\"http://x\")", T0.plusSeconds(10), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of("pk.pm"), true, Optional.empty());
        Timeline t = new Timeline(base.start(), base.end(), List.of(formula), List.of(), List.of(), List.of(), List.of(),
                base.exercise(), List.of());
        assertThat(TranscriptExport.csv(t)).contains("\"'=HYPERLINK(\"\"http://x\"\")\"");
    }

    @Test
    void replay_showsTheSameFacts_outageBandsAndLocalTimes() throws Exception {
        ReplayViewModel vm = new ReplayViewModel(timeline());
        assertThat(vm.wallClockProperty().get()).isEqualTo("16:58:00 IST / 16:28:00 PKT");
        assertThat(vm.laneTitle("pk.pm")).isEqualTo("Pakistan Prime Minister");
        assertThat(vm.outageBands()).hasSize(2);
        ReplayViewModel.OutageBand band = vm.outageBands().get(0);
        assertThat(band.lane()).isEqualTo("pk.pm");
        assertThat(band.cause()).isEqualTo(OutageCause.RELAY_DOWN);
        assertThat(band.to()).isGreaterThan(band.from());
        assertThat(band.label()).contains("relay down").contains("17:01:30 IST");
        vm.speedProperty().set(100);
        vm.playingProperty().set(true);
        vm.tick(Duration.ofMillis(1303));
        assertThat(vm.clockProperty().get()).isEqualTo("T+00:02:10.3");
        assertThat(vm.senderViewProperty().get()).contains("Pakistan Prime Minister sent at T+00:02:10.3, 17:00:10 IST");
    }
}
