package org.hotline.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.hotline.app.HotlineMain;
import org.hotline.protocol.audit.AuditReport;
import org.hotline.protocol.audit.AuditVerifier;
import org.hotline.protocol.exercise.RelayEndpoint;
import org.hotline.protocol.pki.ExerciseDirectory;
import org.hotline.protocol.pki.ExercisePki;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.server.net.RelayServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two relays, each its own {@code hotline server --relay NAME} process (PROTOCOL.md §13): clients
 * send every message through both, a receiver shows the first copy and never the second, and
 * losing one relay (kill -9) loses nothing, shows nothing twice, keeps the order and never shows
 * the line down.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TwoRelaysTest {

    @TempDir
    Path tmp;

    Path exercise;
    final List<Process> relays = new ArrayList<>();
    final List<HotlineClient> clients = new ArrayList<>();
    int portIn;
    int portPk;

    @BeforeEach
    void exerciseWithTwoRelays() throws Exception {
        exercise = tmp.resolve("exercise");
        new ExercisePki(Clock.systemUTC(), new SecureRandom(), TestExercise.TEST_KDF_ITERATIONS)
                .init(exercise, "south-asia", Optional.of(TestExercise.PASSPHRASE.toCharArray()), 2);
        portIn = freePort();
        portPk = freePort();
    }

    @AfterEach
    void stop() {
        clients.forEach(HotlineClient::close);
        relays.forEach(p -> {
            try {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Test
    void bothRelaysUp_eachMessageTravelsBoth_andIsShownOnce() throws Exception {
        startRelay("relay-in", portIn);
        startRelay("relay-pk", portPk);
        List<ReceivedMessage> shown = new CopyOnWriteArrayList<>();
        HotlineClient in = open("in.pm");
        HotlineClient pk = open("pk.pm");
        pk.addListener(new ClientListener() {
            @Override
            public void messageReceived(ReceivedMessage m) {
                shown.add(m);
            }
        });
        in.start();
        pk.start();
        int n = 30;
        List<org.hotline.protocol.wire.MessageId> ids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ids.add(in.sendText("pk.pm", String.format("m-%02d", i)).get(30, TimeUnit.SECONDS));
        }
        for (var id : ids) {
            in.whenState(id, DeliveryState.DELIVERED).get(60, TimeUnit.SECONDS);
        }
        // Both relays delivered every message (each relay's own audit log says so) ...
        awaitDelivered(tmp.resolve("relay-in-data"), ids);
        awaitDelivered(tmp.resolve("relay-pk-data"), ids);
        Thread.sleep(1000);
        // ... yet each was shown once, in order.
        assertThat(shown).extracting(ReceivedMessage::text).containsExactlyElementsOf(expected(n));
        in.close();
        pk.close();
        for (String role : List.of("in.pm", "pk.pm")) {
            AuditReport report = AuditVerifier.verify(tmp.resolve(role).resolve("audit.jsonl"),
                    Optional.of(new ExerciseDirectory(exercise).validator()),
                    Optional.of(new ExerciseDirectory(exercise).exercise()));
            assertThat(report.problem()).as(role + "'s log").isEmpty();
        }
        String senderLog = Files.readString(tmp.resolve("in.pm").resolve("audit.jsonl"));
        assertThat(senderLog).as("both relays' certificates, for their receipts and log proofs")
                .contains("\"role\":\"relay-in\"", "\"role\":\"relay-pk\"");
    }

    @Test
    void oneRelayKilledMidExchange_nothingLostNothingTwice_inOrder_lineNeverDown() throws Exception {
        Process relayIn = startRelay("relay-in", portIn);
        startRelay("relay-pk", portPk);
        List<ReceivedMessage> shown = new CopyOnWriteArrayList<>();
        List<LinkStatus> downs = new CopyOnWriteArrayList<>();
        HotlineClient in = open("in.pm");
        HotlineClient pk = open("pk.pm");
        pk.addListener(new ClientListener() {
            @Override
            public void messageReceived(ReceivedMessage m) {
                shown.add(m);
            }
        });
        for (HotlineClient c : List.of(in, pk)) {
            c.addListener(new ClientListener() {
                boolean wasUp;

                @Override
                public void linkStatusChanged(LinkStatus status) {
                    if (status.connected()) {
                        wasUp = true;
                    } else if (wasUp) {
                        downs.add(status);
                    }
                }
            });
        }
        in.start();
        pk.start();
        int n = 300;
        Thread producer = new Thread(() -> {
            try {
                for (int i = 1; i <= n; i++) {
                    in.sendText("pk.pm", String.format("m-%03d", i)).get(30, TimeUnit.SECONDS);
                    Thread.sleep(5);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        producer.start();
        awaitShown(shown, 80);
        relayIn.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        awaitShown(shown, 200);
        // relay-in comes back: what it missed is sent to it again, and nothing shows twice.
        startRelay("relay-in", portIn);
        producer.join(120_000);
        awaitShown(shown, n);
        Thread.sleep(3000);
        List<String> texts = shown.stream().map(ReceivedMessage::text).toList();
        System.out.printf("RELIABILITY two relays, relay-in kill -9 and restart: messages=%d shown=%d lost=%d "
                        + "shownTwice=%d outOfOrder=%d lineDownMoments=%d%n", n, shown.size(),
                n - new java.util.HashSet<>(texts).size(), texts.size() - new java.util.HashSet<>(texts).size(),
                outOfOrder(texts), downs.size());
        assertThat(shown).extracting(ReceivedMessage::text).as("every message once, in the sender's order")
                .containsExactlyElementsOf(expected(n));
        assertThat(downs).as("moments the line showed DOWN while one relay was up").isEmpty();
        assertThat(pk.gaps().get(10, TimeUnit.SECONDS)).allSatisfy((channel, missing) -> assertThat(missing).isEmpty());
    }

    private static int outOfOrder(List<String> texts) {
        int out = 0;
        for (int i = 1; i < texts.size(); i++) {
            if (texts.get(i).compareTo(texts.get(i - 1)) < 0) {
                out++;
            }
        }
        return out;
    }

    private static List<String> expected(int n) {
        List<String> out = new ArrayList<>();
        String format = n >= 100 ? "m-%03d" : "m-%02d";
        for (int i = 1; i <= n; i++) {
            out.add(String.format(format, i));
        }
        return out;
    }

    private static void awaitShown(List<ReceivedMessage> shown, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (shown.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(shown.size()).as("messages shown").isGreaterThanOrEqualTo(count);
    }

    /** Waits until the relay's audit log says pk.pm confirmed each of {@code ids} through it ({@code relay-delivered}). */
    private static void awaitDelivered(Path relayData, List<org.hotline.protocol.wire.MessageId> ids) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<String> missing = List.of();
        while (System.nanoTime() < deadline) {
            Path log = relayData.resolve(RelayServer.AUDIT_FILE);
            List<String> delivered = Files.exists(log) ? Files.readAllLines(log).stream()
                    .filter(l -> l.contains("\"relay-delivered\"") && l.contains("\"by\":\"pk.pm\"")).toList() : List.of();
            missing = ids.stream().map(id -> id.hex()).filter(h -> delivered.stream().noneMatch(l -> l.contains(h)))
                    .toList();
            if (missing.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        assertThat(missing).as("messages " + relayData.getFileName() + " did not deliver to pk.pm").isEmpty();
    }

    private HotlineClient open(String role) throws Exception {
        List<RelayEndpoint> endpoints = List.of(new RelayEndpoint("relay-in", "127.0.0.1", portIn),
                new RelayEndpoint("relay-pk", "127.0.0.1", portPk));
        HotlineClient c = HotlineClient.open(ClientConfig.defaults(exercise, role, "127.0.0.1", portIn, tmp.resolve(role))
                        .withRelays(endpoints).withKdfIterations(TestExercise.TEST_KDF_ITERATIONS),
                TestExercise.PASSPHRASE.toCharArray(), Clock.systemUTC());
        clients.add(c);
        return c;
    }

    private Process startRelay(String name, int port) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                HotlineMain.class.getName(), "server", "--exercise", exercise.toString(), "--relay", name, "--port",
                Integer.toString(port), "--data", tmp.resolve(name + "-data").toString(), "--log-level", "error",
                "--rate", "100000", "--burst", "100000");
        pb.environment().put("HOTLINE_PASSPHRASE", TestExercise.PASSPHRASE);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        do {
            line = r.readLine();
        } while (line != null && !line.startsWith("hotline relay listening on"));
        assertThat(line).as(name + " readiness").isNotNull();
        relays.add(p);
        return p;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
