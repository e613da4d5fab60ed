package org.hotline.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.hotline.app.HotlineMain;
import org.hotline.protocol.exercise.RelayEndpoint;
import org.hotline.protocol.pki.ExercisePki;
import org.hotline.protocol.testing.TestExercise;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection with two relays (PROTOCOL.md §13, docs/benchmarks.md "Reliability"): relay-in is
 * killed with SIGKILL 20 times at random moments during a 2,000-message exchange and restarted on
 * its data while relay-pk stays up. Nothing may be lost, shown twice or out of order, and the line
 * may never show DOWN.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class TwoRelaysCrashTest {

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

    static final int MESSAGES = 2000;
    static final int KILLS = 20;

    @Test
    void killMinus9OneRelay20Times_during2000Messages_theOtherCarriesTheLine() throws Exception {
        Process relayIn = startRelay("relay-in", portIn);
        startRelay("relay-pk", portPk);
        List<ReceivedMessage> shown = new CopyOnWriteArrayList<>();
        List<LinkStatus> downs = new CopyOnWriteArrayList<>();
        List<String> problems = new CopyOnWriteArrayList<>();
        HotlineClient in = open("in.pm");
        HotlineClient pk = open("pk.pm");
        pk.addListener(new ClientListener() {
            @Override
            public void messageReceived(ReceivedMessage m) {
                shown.add(m);
            }

            @Override
            public void problem(String message) {
                problems.add(message);
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
        Thread producer = new Thread(() -> {
            try {
                for (int i = 1; i <= MESSAGES; i++) {
                    in.sendText("pk.pm", String.format("m-%04d", i)).get(60, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long started = System.nanoTime();
        producer.start();
        java.util.Random random = new java.util.Random(2026);
        for (int k = 0; k < KILLS; k++) {
            Thread.sleep(150 + random.nextInt(400));
            relayIn.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            relays.remove(relayIn);
            Thread.sleep(random.nextInt(300));
            relayIn = startRelay("relay-in", portIn);
        }
        producer.join(300_000);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (shown.size() < MESSAGES && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        long allShownMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        Thread.sleep(3000);
        List<String> texts = shown.stream().map(ReceivedMessage::text).toList();
        int distinct = new java.util.HashSet<>(texts).size();
        System.out.printf("RELIABILITY two relays, relay-in kill -9 %d times, relay-pk up: messages=%d shown=%d lost=%d "
                        + "shownTwice=%d outOfOrder=%d lineDownMoments=%d allShownAfter=%d ms problemsNamingRelayIn=%d%n",
                KILLS, MESSAGES, texts.size(), MESSAGES - distinct, texts.size() - distinct, outOfOrder(texts),
                downs.size(), allShownMs, problems.stream().filter(p -> p.startsWith("relay-in")).count());
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= MESSAGES; i++) {
            expected.add(String.format("m-%04d", i));
        }
        assertThat(texts).as("every message once, in the sender's order").containsExactlyElementsOf(expected);
        assertThat(downs).as("moments the line showed DOWN while relay-pk was up").isEmpty();
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
