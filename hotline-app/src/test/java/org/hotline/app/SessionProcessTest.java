package org.hotline.app;

import org.hotline.app.testing.RelayClients;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.hotline.client.core.HotlineClient;
import org.hotline.protocol.audit.AuditReport;
import org.hotline.protocol.audit.AuditVerifier;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command-line workflow of one role in one process: {@code hotline session} listens and sends;
 * a second process on the same data directory is refused with one line naming the holder (before,
 * it appended to the same audit log and the verifier reported a moved line); and SIGTERM still
 * signs the log (before, only the relay had a shutdown hook and every client log ended unsigned).
 */
@Timeout(180)
class SessionProcessTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void session_sendsAndListens_locksItsDataDirectory_andSignsItsLogOnSigterm() throws Exception {
        try (RelayFixture relay = new RelayFixture(tmp, c -> c)) {
            String server = "127.0.0.1:" + relay.port();
            String exercise = relay.exercise().dir().toString();
            Path data = tmp.resolve("in.pm");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    HotlineMain.class.getName(), "session", "--exercise", exercise, "--as", "in.pm", "--server", server,
                    "--data", data.toString());
            pb.environment().put("HOTLINE_PASSPHRASE", TestExercise.PASSPHRASE);
            Path stderr = tmp.resolve("session.err");
            pb.redirectError(stderr.toFile());
            Process session = pb.start();
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(session.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        lines.add(l);
                    }
                } catch (java.io.IOException ended) {
                    // the process ended
                }
            }, "session-stdout");
            reader.setDaemon(true);
            reader.start();
            try (HotlineClient pk = RelayClients.open(relay, "pk.pm", tmp.resolve("pk.pm"))) {
                pk.start();
                // The session holds its data directory once its lock file names it.
                Path lock = data.resolve("hotline.lock");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < deadline && !(Files.exists(lock)
                        && Files.readString(lock).contains("pid " + session.pid()))) {
                    Thread.sleep(50);
                }
                assertThat(Files.readString(lock)).contains("pid " + session.pid()).contains("hotline session");

                // A second process for the same data directory: one line, naming the holder.
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                int second = HotlineMain.run(new String[] {"listen", "--exercise", exercise, "--as", "in.pm",
                        "--server", server, "--data", data.toString(), "--timeout", "1"},
                        Map.of("HOTLINE_PASSPHRASE", TestExercise.PASSPHRASE), new PrintWriter(out, true),
                        new PrintWriter(err, true));
                assertThat(second).isNotZero();
                assertThat(err.toString().strip().lines()).hasSize(1);
                assertThat(err.toString()).contains("in use by pid " + session.pid()).contains("hotline session");

                // Send from standard input (both forms), hear the relay accept them.
                OutputStream stdin = session.getOutputStream();
                stdin.write(("send pk.pm plain line from the session\n"
                        + "{\"send\":{\"to\":\"pk.pm\",\"text\":\"json line from the session\"}}\n")
                        .getBytes(StandardCharsets.UTF_8));
                stdin.flush();
                JsonNode queued = await(lines, n -> n.path("event").asText().equals("queued"));
                await(lines, n -> n.path("event").asText().equals("state") && n.path("state").asText().equals("accepted")
                        && n.path("id").asText().equals(queued.path("id").asText()));
                ReplayWait.until(() -> pk.receivedMessages().get().stream().map(m -> m.text()).toList()
                        .containsAll(List.of("plain line from the session", "json line from the session")));

                // And listen: a message to in.pm arrives as a listen --json line.
                pk.sendText("in.pm", "answer to the session").get();
                JsonNode received = await(lines, n -> n.path("text").asText().equals("answer to the session"));
                assertThat(received.has("event")).isFalse();
                List<String> keys = new ArrayList<>();
                received.fieldNames().forEachRemaining(keys::add);
                // The shape of `listen --json` (type "message", the integrity flags of issue 14 item 9,
                // "rendered" of issue 16: every catalog language beside the reference "text").
                assertThat(keys).containsExactly("type", "id", "from", "to", "channel", "sentAt", "signal", "params",
                        "text", "rendered", "verified", "counter", "receivedAt", "missing", "integrity");
                assertThat(received.path("type").asText()).isEqualTo("message");
                assertThat(received.path("from").asText()).isEqualTo("pk.pm");
            }

            // SIGTERM (Process.destroy on Linux, which also closes the session's standard input, so the
            // session starts its ordinary close at the same moment): the shutdown hook waits for that
            // close or does it itself; either way the log is signed, never cut short.
            session.destroy();
            assertThat(session.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String why = "exit " + session.exitValue() + ", stderr: " + Files.readString(stderr);
            AuditReport report = AuditVerifier.verify(data.resolve("audit.jsonl"),
                    Optional.of(relay.exercise().directory().validator()), Optional.of(relay.exercise().exercise()));
            assertThat(report.problem()).as("the log after SIGTERM (" + why + ")").isEmpty();
            assertThat(report.accepted().get(report.accepted().size() - 1).type()).isEqualTo("checkpoint");
        }
    }

    static JsonNode await(BlockingQueue<String> lines, Predicate<JsonNode> wanted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String l = lines.poll(200, TimeUnit.MILLISECONDS);
            if (l != null) {
                JsonNode n = JSON.readTree(l);
                if (wanted.test(n)) {
                    return n;
                }
            }
        }
        throw new AssertionError("no such line from the session");
    }

    /** Polls a condition for up to 30 s. */
    static final class ReplayWait {
        interface Check {
            boolean ok() throws Exception;
        }

        static void until(Check c) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                if (c.ok()) {
                    return;
                }
                Thread.sleep(50);
            }
            throw new AssertionError("timed out");
        }
    }
}
