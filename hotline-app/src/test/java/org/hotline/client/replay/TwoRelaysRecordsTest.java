package org.hotline.client.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hotline.app.HotlineMain;
import org.hotline.client.core.ClientConfig;
import org.hotline.client.core.DeliveryState;
import org.hotline.client.core.HotlineClient;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.RelayEndpoint;
import org.hotline.protocol.pki.ExerciseDirectory;
import org.hotline.protocol.pki.ExercisePki;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.MessageId;
import org.hotline.server.config.RelayConfig;
import org.hotline.server.net.RelayServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issues 18 and 19 end to end with two relays (PROTOCOL.md §11.3, §12.5, §13): the receiver's log
 * names the relay of each message's first copy and records the other relay's copy once as a
 * duplicate; both logs verify under the exercise; {@code replay --headless} and the report show,
 * per message, the first relay and the duplicates, and the relay-log evidence in words.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TwoRelaysRecordsTest {

    @TempDir
    Path tmp;
    final List<RelayServer> relays = new ArrayList<>();
    final List<HotlineClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(HotlineClient::close);
        relays.forEach(RelayServer::close);
    }

    record Cli(int exit, String out, String err) {
    }

    static Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HotlineMain.run(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(code, out.toString(), err.toString());
    }

    @Test
    void everyMessage_namesItsFirstRelay_andTheOtherRelaysCopyIsOneDuplicate_inTheLogReplayAndReport()
            throws Exception {
        Path exerciseDir = tmp.resolve("exercise");
        char[] pass = TestExercise.PASSPHRASE.toCharArray();
        new ExercisePki(Clock.systemUTC(), new SecureRandom(), TestExercise.TEST_KDF_ITERATIONS)
                .init(exerciseDir, "south-asia", Optional.of(pass), 2);
        ExerciseDirectory directory = new ExerciseDirectory(exerciseDir);
        Exercise exercise = directory.exercise();
        List<RelayEndpoint> endpoints = new ArrayList<>();
        for (RelayEndpoint r : exercise.relays()) {
            RelayServer server = RelayServer.start(directory, exercise, directory.loadRelay(r.name(), pass, Instant.now()),
                    RelayConfig.defaults("127.0.0.1", 0, tmp.resolve(r.name() + "-data")), Clock.systemUTC());
            relays.add(server);
            endpoints.add(new RelayEndpoint(r.name(), "127.0.0.1", server.address().getPort()));
        }
        assertThat(endpoints).extracting(RelayEndpoint::name).containsExactly("relay-in", "relay-pk");
        HotlineClient in = open(exerciseDir, endpoints, "in.pm");
        HotlineClient pk = open(exerciseDir, endpoints, "pk.pm");
        in.start();
        pk.start();
        List<MessageId> ids = new ArrayList<>();
        for (String text : List.of("one", "two", "three")) {
            ids.add(in.sendText("pk.pm", text).get(30, TimeUnit.SECONDS));
        }
        for (MessageId id : ids) {
            in.whenState(id, DeliveryState.DELIVERED).get(60, TimeUnit.SECONDS);
        }
        Path pkLog = tmp.resolve("pk.pm").resolve("audit.jsonl");
        Path inLog = tmp.resolve("in.pm").resolve("audit.jsonl");
        // Each relay delivers its own copy; the later one is recorded once the inbox verified it.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        // Each relay's proof of each message is in the sender's log once that relay answered.
        while (!ids.stream().allMatch(id -> countLines(pkLog, "\"type\":\"duplicate\"", id.hex()) == 1
                && countLines(inLog, "\"type\":\"relay-inclusion\"", id.hex()) == 2) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        in.close();
        pk.close();

        String pkText = Files.readString(pkLog);
        for (MessageId id : ids) {
            String received = pkText.lines().filter(l -> l.contains("\"type\":\"message-received\"")
                    && l.contains("\"id\":\"" + id.hex() + "\"")).findFirst().orElseThrow();
            String first = received.replaceAll(".*\"via\":\"(relay-[a-z]+)\".*", "$1");
            assertThat(first).isIn("relay-in", "relay-pk");
            String other = first.equals("relay-in") ? "relay-pk" : "relay-in";
            assertThat(pkText.lines().filter(l -> l.contains("\"type\":\"duplicate\"")
                    && l.contains("\"id\":\"" + id.hex() + "\""))).as("one duplicate of " + id.shortForm())
                    .containsExactly(pkText.lines().filter(l -> l.contains("\"type\":\"duplicate\"")
                            && l.contains("\"id\":\"" + id.hex() + "\"") && l.contains("\"via\":\"" + other + "\""))
                            .findFirst().orElseThrow());
        }
        for (Path log : List.of(inLog, pkLog)) {
            Cli verify = cli("log", "verify", log.toString(), "--exercise", exerciseDir.toString());
            assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
        }

        Cli replay = cli("replay", "--headless", inLog.toString(), pkLog.toString(), "--exercise",
                exerciseDir.toString());
        assertThat(replay.exit()).as(replay.err()).isZero();
        assertThat(replay.out()).contains("relay paths (which relay carried each message first): ")
                .contains("relay logs (the relays' signed checkpoints and proofs");
        for (MessageId id : ids) {
            assertThat(replay.out()).containsPattern(id.shortForm() + "  first via relay-(in|pk) \\(pk\\.pm, "
                    + "[^)]*\\); duplicate via relay-(in|pk) ");
            assertThat(replay.out()).containsPattern("in\\.pm: message " + id.shortForm() + " accepted in relay-in's log "
                    + "at index \\d+ \\(checkpoint size \\d+, ");
            assertThat(replay.out()).containsPattern("in\\.pm: message " + id.shortForm() + " accepted in relay-pk's log "
                    + "at index \\d+ \\(checkpoint size \\d+, ");
        }
        assertThat(replay.out()).doesNotContain("fork alarm");

        Path html = tmp.resolve("report.html");
        Cli report = cli("report", inLog.toString(), pkLog.toString(), "--exercise", exerciseDir.toString(), "--out",
                html.toString());
        assertThat(report.exit()).as(report.err()).isZero();
        String h = Files.readString(html);
        assertThat(h).contains("<h2>Relays</h2>", "Which relay carried each message first (", "Relay logs (")
                .containsPattern("accepted in relay-(in|pk)&#39;s log at index|accepted in relay-(in|pk)'s log at index");
    }

    private HotlineClient open(Path exerciseDir, List<RelayEndpoint> endpoints, String role) throws Exception {
        HotlineClient c = HotlineClient.open(ClientConfig.defaults(exerciseDir, role, "127.0.0.1",
                        endpoints.get(0).port(), tmp.resolve(role)).withRelays(endpoints)
                        .withKdfIterations(TestExercise.TEST_KDF_ITERATIONS),
                TestExercise.PASSPHRASE.toCharArray(), Clock.systemUTC());
        clients.add(c);
        return c;
    }

    private static long countLines(Path file, String marker, String id) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.contains(marker) && l.contains(id)).count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
