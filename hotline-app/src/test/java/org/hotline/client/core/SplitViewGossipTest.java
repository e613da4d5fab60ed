package org.hotline.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hotline.app.testing.RelayProcesses;
import org.hotline.protocol.pki.ExerciseDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Split views (PROTOCOL.md §4.2 RelayCheckpoints, THREAT_MODEL.md "Split views"): relay-in runs as
 * two processes with the same identity but separate data, so in.pm and pk.pm are each shown a
 * self-consistent history of relay-in that the other never sees. The clients' relay checkpoints
 * travel end to end through the honest relay-pk; each checks the other's relay-in checkpoint against
 * relay-in through its own path, and relay-in, asked to sign, contradicts itself: both clients show
 * the fork naming relay-in, and {@code log verify --ca} on each log proves it (exit 6). With two
 * honest relays the same gossip flows and nothing is reported.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SplitViewGossipTest {

    @TempDir
    Path tmp;

    RelayProcesses relays;
    Process secondRelayIn;

    @BeforeEach
    void exerciseWithTwoRelays() throws Exception {
        relays = RelayProcesses.twoRelays(tmp);
    }

    @AfterEach
    void stop() throws InterruptedException {
        relays.close();
        if (secondRelayIn != null) {
            secondRelayIn.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Checkpoints go every ten link-test intervals: 5 s here instead of 5 min. */
    private static ClientConfig fast(ClientConfig c) {
        return c.withLinkTestInterval(Duration.ofMillis(500));
    }

    private static void exchange(HotlineClient in, HotlineClient pk) throws Exception {
        for (int i = 1; i <= 3; i++) {
            var a = in.sendText("pk.pm", "from in " + i).get(30, TimeUnit.SECONDS);
            var b = pk.sendText("in.pm", "from pk " + i).get(30, TimeUnit.SECONDS);
            in.whenState(a, DeliveryState.ACCEPTED).get(30, TimeUnit.SECONDS);
            pk.whenState(b, DeliveryState.ACCEPTED).get(30, TimeUnit.SECONDS);
        }
    }

    private static boolean await(RelayLogForkTest.Problems p, String prefix, String containing, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (p.seen.stream().anyMatch(s -> s.startsWith(prefix) && s.contains(containing))) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static void awaitGossip(Path auditLog, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(auditLog) && Files.readAllLines(auditLog, StandardCharsets.UTF_8).stream().anyMatch(l ->
                    l.contains("\"type\":\"message-received\"") && l.contains("\"kind\":\"relay-checkpoints\""))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no peer relay checkpoints arrived in " + auditLog);
    }

    private RelayLogForkTest.Cli verify(String role) {
        return RelayLogForkTest.cli("log", "verify", relays.seat(role).resolve("audit.jsonl").toString(), "--ca",
                relays.exercise().resolve(ExerciseDirectory.CA_CERT).toString());
    }

    @Test
    void relayInShowsEachSeatItsOwnHistory_bothSeatsDetectTheFork_andLogVerifyProvesIt() throws Exception {
        relays.start("relay-pk");
        relays.start("relay-in");
        // The fault: a second relay-in, same identity and key, its own data: a split view.
        int splitPort = RelayProcesses.freePort();
        secondRelayIn = RelayProcesses.startRelay(relays.exercise(), Optional.of("relay-in"), splitPort,
                tmp.resolve("relay-in-split-data"));
        Map<String, Integer> inVia = new LinkedHashMap<>();
        inVia.put("relay-in", relays.port("relay-in"));
        inVia.put("relay-pk", relays.port("relay-pk"));
        Map<String, Integer> pkVia = new LinkedHashMap<>();
        pkVia.put("relay-in", splitPort);
        pkVia.put("relay-pk", relays.port("relay-pk"));
        HotlineClient in = relays.open("in.pm", inVia, SplitViewGossipTest::fast);
        HotlineClient pk = relays.open("pk.pm", pkVia, SplitViewGossipTest::fast);
        RelayLogForkTest.Problems inProblems = new RelayLogForkTest.Problems();
        RelayLogForkTest.Problems pkProblems = new RelayLogForkTest.Problems();
        in.addListener(inProblems);
        pk.addListener(pkProblems);
        in.start();
        pk.start();
        exchange(in, pk);

        // Each seat's own view of relay-in is self-consistent; only the other's checkpoint shows the fork.
        for (var p : List.of(inProblems, pkProblems)) {
            assertThat(await(p, "relay log forked: checkpoint ", "relay-in's checkpoint ", Duration.ofSeconds(90)))
                    .as("problems shown: %s", p.seen).isTrue();
            assertThat(p.seen).filteredOn(s -> s.startsWith("relay log forked"))
                    .allMatch(s -> s.contains("relay-in's checkpoint"), "only relay-in is accused");
        }
        in.close();
        pk.close();

        for (String role : List.of("in.pm", "pk.pm")) {
            RelayLogForkTest.Cli v = verify(role);
            assertThat(v.exit()).as(role + ": " + v.out() + v.err()).isEqualTo(6);
            assertThat(v.out()).as(role).contains("RELAY LOG FORKED")
                    .contains("relay relay-in signed two inconsistent histories")
                    .doesNotContain("relay relay-pk signed");
            assertThat(v.out()).as(role + ": the log itself is intact").contains(": intact (");
        }
    }

    @Test
    void honestRelays_gossipFlows_noForkReported_andLogsVerify() throws Exception {
        relays.start("relay-pk");
        relays.start("relay-in");
        Map<String, Integer> via = new LinkedHashMap<>();
        via.put("relay-in", relays.port("relay-in"));
        via.put("relay-pk", relays.port("relay-pk"));
        HotlineClient in = relays.open("in.pm", via, SplitViewGossipTest::fast);
        HotlineClient pk = relays.open("pk.pm", via, SplitViewGossipTest::fast);
        RelayLogForkTest.Problems inProblems = new RelayLogForkTest.Problems();
        RelayLogForkTest.Problems pkProblems = new RelayLogForkTest.Problems();
        in.addListener(inProblems);
        pk.addListener(pkProblems);
        in.start();
        pk.start();
        exchange(in, pk);
        awaitGossip(relays.seat("in.pm").resolve("audit.jsonl"), Duration.ofSeconds(60));
        awaitGossip(relays.seat("pk.pm").resolve("audit.jsonl"), Duration.ofSeconds(60));
        exchange(in, pk);
        // Time for the peers' checkpoints to be held, released and proven (several gossip rounds).
        Thread.sleep(15_000);
        in.close();
        pk.close();
        for (var p : List.of(inProblems, pkProblems)) {
            assertThat(p.seen).noneMatch(s -> s.startsWith("relay log forked") || s.contains("checkpoints")
                    && s.contains("does not verify") || s.startsWith("relay did not prove"));
        }
        for (String role : List.of("in.pm", "pk.pm")) {
            String log = Files.readString(relays.seat(role).resolve("audit.jsonl"), StandardCharsets.UTF_8);
            assertThat(log).as(role).contains("\"kind\":\"relay-checkpoints\"").doesNotContain("\"type\":\"relay-fork\"");
            RelayLogForkTest.Cli v = verify(role);
            assertThat(v.exit()).as(role + ": " + v.out() + v.err()).isZero();
        }
    }
}
