package org.hotline.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client process killed with SIGKILL between compose and accept loses nothing. */
class ClientProcessTest {

    @TempDir
    Path tmp;

    @Test
    void sendKilledBeforeAccepted_messageGoesOutOnTheNextRun() throws Exception {
        RelayFixture relay = new RelayFixture(tmp, c -> c);
        int port = relay.port();
        relay.stop();
        Path data = tmp.resolve("in.pm");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                HotlineClientMain.class.getName(), "send", "--exercise", relay.exercise().dir().toString(), "--as", "in.pm",
                "--server", "127.0.0.1:" + port, "--data", data.toString(), "--to", "pk.pm", "--text",
                "composed, then the client was killed", "--timeout", "120");
        pb.environment().put("HOTLINE_PASSPHRASE", TestExercise.PASSPHRASE);
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        Path audit = data.resolve("audit.jsonl");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && !(Files.exists(audit) && Files.readString(audit).contains("message-sent"))) {
            Thread.sleep(50);
        }
        assertThat(Files.readString(audit)).contains("message-sent");
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        relay.restartOnSameStoppedPort(port);
        try {
            Map<String, String> env = Map.of("HOTLINE_PASSPHRASE", TestExercise.PASSPHRASE);
            StringWriter out = new StringWriter();
            int code = HotlineClientMain.run(new String[] {"send", "--exercise", relay.exercise().dir().toString(),
                    "--as", "in.pm", "--server", "127.0.0.1:" + port, "--data", data.toString(), "--to", "pk.pm",
                    "--text", "second run"}, env, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
            assertThat(code).isZero();
            StringWriter got = new StringWriter();
            int listen = HotlineClientMain.run(new String[] {"listen", "--exercise", relay.exercise().dir().toString(),
                    "--as", "pk.pm", "--server", "127.0.0.1:" + port, "--data", tmp.resolve("pk.pm").toString(),
                    "--count", "2", "--timeout", "30", "--json"}, env, new PrintWriter(got, true),
                    new PrintWriter(new StringWriter(), true));
            assertThat(listen).isZero();
            List<String> lines = got.toString().lines().toList();
            assertThat(lines).hasSize(2);
            assertThat(lines.get(0)).contains("composed, then the client was killed");
            assertThat(lines.get(1)).contains("second run");
        } finally {
            relay.close();
        }
    }
}
