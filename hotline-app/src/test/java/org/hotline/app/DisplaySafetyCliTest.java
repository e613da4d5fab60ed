package org.hotline.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peer-chosen text with terminal escapes, carriage returns, newlines and a bidi override reaches no
 * human-facing output raw: `listen` (plain), `replay --headless` and the HTML report show it
 * escaped (THREAT_MODEL.md §8). The stored and signed text is unchanged: the receiver's log replays it.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DisplaySafetyCliTest {

    static final Map<String, String> ENV = Map.of("HOTLINE_PASSPHRASE", TestExercise.PASSPHRASE);
    static final String HOSTILE = "ok\u001B[2J\rLINE VERIFIED\nforged line \u202Etxt.exe";

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HotlineMain.run(args, ENV, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private String[] as(RelayFixture relay, String command, String role, String... rest) {
        List<String> a = new ArrayList<>(List.of(command, "--exercise", relay.exercise().dir().toString(), "--as", role,
                "--server", "127.0.0.1:" + relay.port(), "--data", tmp.resolve("data").resolve(role).toString()));
        a.addAll(List.of(rest));
        return a.toArray(new String[0]);
    }

    private static void assertNoRawControls(String output) {
        assertThat(output).doesNotContain("\u001B").doesNotContain("\r").doesNotContain("\u202E");
        assertThat(output).doesNotContain("\nforged line").doesNotContain("\nLINE VERIFIED");
    }

    @Test
    void hostileFreeText_isEscapedInEveryHumanOutput() throws Exception {
        try (RelayFixture relay = new RelayFixture(tmp, c -> c)) {
            CompletableFuture<Run> plain = CompletableFuture.supplyAsync(() ->
                    run(as(relay, "listen", "pk.pm", "--count", "1", "--timeout", "30")));
            Run send = run(as(relay, "send", "in.pm", "--to", "pk.pm", "--text", HOSTILE, "--wait", "delivered"));
            assertThat(send.exit()).as(send.err()).isZero();
            Run listened = plain.get(60, TimeUnit.SECONDS);
            assertThat(listened.exit()).as(listened.err()).isZero();
            assertNoRawControls(listened.out());
            assertThat(listened.out().strip()).doesNotContain("\n")
                    .contains("ok\\x1B[2J\\rLINE VERIFIED\\nforged line [U+202E]txt.exe");

            Path log = tmp.resolve("data").resolve("pk.pm").resolve("audit.jsonl");
            Run replay = run("replay", "--headless", log.toString(), "--exercise", relay.exercise().dir().toString());
            assertThat(replay.exit()).as(replay.err()).isZero();
            assertNoRawControls(replay.out());
            assertThat(replay.out()).contains("ok\\x1B[2J\\rLINE VERIFIED\\nforged line [U+202E]txt.exe");

            Path html = tmp.resolve("report.html");
            Run report = run("report", log.toString(), "--exercise", relay.exercise().dir().toString(), "--out",
                    html.toString());
            assertThat(report.exit()).as(report.err()).isZero();
            String page = Files.readString(html);
            assertThat(page).doesNotContain("\u001B").doesNotContain("\u202E").doesNotContain("\r")
                    .contains("<bdi>ok\\x1B[2J\\rLINE VERIFIED\\nforged line [U+202E]txt.exe</bdi>");
        }
    }
}
