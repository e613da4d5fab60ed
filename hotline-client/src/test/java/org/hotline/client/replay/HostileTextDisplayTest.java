package org.hotline.client.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hotline.client.ui.replay.ReplayViewModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A logged message whose text carries terminal escapes, carriage returns, newlines and a bidi
 * override: the headless replay, the HTML report and the replay window's views show it escaped
 * and marked (THREAT_MODEL.md §8).
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class HostileTextDisplayTest {

    static final Instant T0 = Instant.parse("2026-05-10T14:00:00Z");
    static final String HOSTILE = "ok\u001B[2J\rLINE VERIFIED\nforged \u202Etxt.exe";

    static Timeline timeline() {
        var a = new Timeline.MessageRecord("0000000000000001", "in.pm", List.of("pk.pm"), "leaders", 1, "free text",
                HOSTILE, T0, Optional.of(T0.plusMillis(300)), Optional.of(T0.plusSeconds(1)), Optional.empty(),
                List.of("in.pm", "pk.pm"), true, Optional.empty());
        return new Timeline(T0, T0.plusSeconds(60), List.of(a), List.of(), List.of(), List.of(), List.of());
    }

    @Test
    void headlessReplay_printsOneEscapedLine() throws Exception {
        StringWriter out = new StringWriter();
        HeadlessReplay.print(timeline(), new PrintWriter(out), Optional.empty(), d -> { });
        assertThat(out.toString()).doesNotContain("\u001B").doesNotContain("\r").doesNotContain("\u202E")
                .doesNotContain("\nforged").contains("ok\\x1B[2J\\rLINE VERIFIED\\nforged [U+202E]txt.exe");
    }

    @Test
    void report_escapesAndIsolatesPeerText() {
        String html = ReportWriter.render(timeline(), "t");
        assertThat(html).doesNotContain("\u001B").doesNotContain("\u202E").doesNotContain("\r")
                .contains("<bdi>ok\\x1B[2J\\rLINE VERIFIED\\nforged [U+202E]txt.exe</bdi>");
    }

    @Test
    void replayWindowViews_markControlsButKeepLineBreaks() {
        ReplayViewModel vm = new ReplayViewModel(timeline());
        vm.scrub(0.5);
        for (String view : List.of(vm.senderViewProperty().get(), vm.recipientViewProperty().get())) {
            assertThat(view).doesNotContain("\u001B").doesNotContain("\r").doesNotContain("\u202E")
                    .contains("ok\\x1B[2J\\rLINE VERIFIED\nforged [U+202E]txt.exe");
        }
    }
}
