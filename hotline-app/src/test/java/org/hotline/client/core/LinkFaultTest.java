package org.hotline.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.MessageId;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real client cores and a real relay with a misbehaving network between them
 * ({@link FaultInjectingProxy}): latency spikes, connection resets, a half-open link and a link
 * that is down for 30 s. Every message must be shown exactly once, in order, and the figures
 * (messages, lost, duplicated, out of order, recovery time) are printed for docs/benchmarks.md.
 */
class LinkFaultTest {

    @TempDir
    Path tmp;
    RelayFixture relay;
    FaultInjectingProxy proxy;
    final List<HotlineClient> cores = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        relay = new RelayFixture(tmp, c -> c);
        proxy = new FaultInjectingProxy(relay.address());
    }

    @AfterEach
    void stop() {
        cores.forEach(HotlineClient::close);
        proxy.close();
        relay.close();
    }

    HotlineClient core(String role, Recorder rec) throws Exception {
        ClientConfig c = ClientConfig.defaults(relay.exercise().dir(), role, "127.0.0.1", proxy.port(),
                        tmp.resolve("clients").resolve(role))
                .withKdfIterations(TestExercise.TEST_KDF_ITERATIONS)
                .withKeepAlive(Duration.ofSeconds(1));
        HotlineClient core = HotlineClient.open(c, TestExercise.PASSPHRASE.toCharArray(), Clock.systemUTC());
        core.addListener(rec);
        cores.add(core);
        core.start();
        return core;
    }

    /** What reached the recipient's screen, against what was sent. */
    record Outcome(int sent, int shown, int lost, int duplicated, int outOfOrder) {
        static Outcome of(List<MessageId> sent, List<ReceivedMessage> shown) {
            Map<MessageId, Integer> times = new HashMap<>();
            int outOfOrder = 0;
            long lastCounter = -1;
            for (ReceivedMessage m : shown) {
                times.merge(m.id(), 1, Integer::sum);
                if (m.counter() <= lastCounter) {
                    outOfOrder++;
                }
                lastCounter = Math.max(lastCounter, m.counter());
            }
            int lost = (int) sent.stream().filter(id -> !times.containsKey(id)).count();
            int duplicated = times.values().stream().mapToInt(n -> n - 1).sum();
            return new Outcome(sent.size(), shown.size(), lost, duplicated, outOfOrder);
        }
    }

    /** What the recipient showed, and when the last message that was still missing arrived. */
    record Shown(List<ReceivedMessage> messages, long completeAtNanos) {
    }

    /** Collects what the recipient shows until every sent message is there (or the deadline passes). */
    static Shown awaitShown(Recorder rec, List<MessageId> sent, Duration deadline) throws Exception {
        List<ReceivedMessage> shown = new ArrayList<>();
        long end = System.nanoTime() + deadline.toNanos();
        java.util.Set<MessageId> missing = new java.util.HashSet<>(sent);
        long complete = 0;
        while (!missing.isEmpty() && System.nanoTime() < end) {
            ReceivedMessage m = rec.received.poll(200, TimeUnit.MILLISECONDS);
            if (m != null && sent.contains(m.id())) {
                shown.add(m);
                missing.remove(m.id());
                complete = System.nanoTime();
            }
        }
        // Anything shown twice would arrive shortly after; give it the chance to be counted.
        ReceivedMessage late;
        while ((late = rec.received.poll(1, TimeUnit.SECONDS)) != null) {
            if (sent.contains(late.id())) {
                shown.add(late);
            }
        }
        return new Shown(shown, complete);
    }

    static Outcome report(String fault, List<MessageId> sent, Shown shown, long faultEndedNanos) {
        Outcome o = Outcome.of(sent, shown.messages());
        long recoveryMs = TimeUnit.NANOSECONDS.toMillis(Math.max(0, shown.completeAtNanos() - faultEndedNanos));
        System.out.printf("RELIABILITY %s: %d sent, %d shown, %d lost, %d duplicated, %d out of order; "
                        + "all shown %d ms after the fault ended%n",
                fault, o.sent(), o.shown(), o.lost(), o.duplicated(), o.outOfOrder(), recoveryMs);
        return o;
    }

    @Test
    void latencySpikes_delayButLoseNothing() throws Exception {
        Recorder in = new Recorder();
        Recorder pk = new Recorder();
        HotlineClient sender = core("in.pm", in);
        core("pk.pm", pk);
        List<MessageId> sent = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            // Spikes of 0.8 s every fifth of the run, on both directions.
            proxy.delay(Duration.ofMillis((i / 10) % 3 == 2 ? 800 : 0));
            sent.add(sender.sendText("pk.pm", "spike " + i).get());
            Thread.sleep(20);
        }
        proxy.delay(Duration.ZERO);
        long restored = System.nanoTime();
        Outcome o = report("latency spikes of 800 ms", sent, awaitShown(pk, sent, Duration.ofSeconds(60)), restored);
        assertThat(o).isEqualTo(new Outcome(150, 150, 0, 0, 0));
    }

    @Test
    void repeatedConnectionResets_loseNothing_andShowNothingTwice() throws Exception {
        Recorder in = new Recorder();
        Recorder pk = new Recorder();
        HotlineClient sender = core("in.pm", in);
        core("pk.pm", pk);
        long up = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!(in.link.connected() && pk.link.connected()) && System.nanoTime() < up) {
            Thread.sleep(20);
        }
        List<MessageId> sent = new ArrayList<>();
        int before = proxy.connectionsAccepted();
        long last = 0;
        for (int i = 0; i < 200; i++) {
            sent.add(sender.sendText("pk.pm", "reset " + i).get());
            Thread.sleep(15);
            if (i % 25 == 12) {
                proxy.resetAll();
                last = System.nanoTime();
            }
        }
        Outcome o = report("8 resets of every connection", sent, awaitShown(pk, sent, Duration.ofSeconds(60)), last);
        assertThat(o).isEqualTo(new Outcome(200, 200, 0, 0, 0));
        assertThat(proxy.connectionsAccepted() - before).as("reconnections").isGreaterThanOrEqualTo(8);
        for (MessageId id : sent) {
            in.awaitState(id, DeliveryState.DELIVERED);
        }
    }

    @Test
    void halfOpenLink_isDetectedByKeepAlive_andEverythingQueuedGoesThroughAfterwards() throws Exception {
        Recorder in = new Recorder();
        Recorder pk = new Recorder();
        HotlineClient sender = core("in.pm", in);
        core("pk.pm", pk);
        List<MessageId> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add(sender.sendText("pk.pm", "before " + i).get());
        }
        in.awaitState(sent.get(sent.size() - 1), DeliveryState.DELIVERED);
        proxy.blackhole();
        for (int i = 0; i < 20; i++) {
            sent.add(sender.sendText("pk.pm", "into the black hole " + i).get());
        }
        // keep-alive 1 s: three silent seconds and the client gives the connection up.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (in.link.connected() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(in.link.connected()).as("half-open link noticed").isFalse();
        proxy.restore();
        long restored = System.nanoTime();
        Outcome o = report("half-open link (black hole), noticed by keep-alive", sent,
                awaitShown(pk, sent, Duration.ofSeconds(60)), restored);
        assertThat(o).isEqualTo(new Outcome(40, 40, 0, 0, 0));
    }

    @Test
    void linkDownFor30Seconds_everythingSentMeanwhileArrivesOnceInOrder() throws Exception {
        Recorder in = new Recorder();
        Recorder pk = new Recorder();
        HotlineClient sender = core("in.pm", in);
        core("pk.pm", pk);
        List<MessageId> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sent.add(sender.sendText("pk.pm", "before the cut " + i).get());
        }
        in.awaitState(sent.get(sent.size() - 1), DeliveryState.DELIVERED);
        proxy.down();
        long cut = System.nanoTime();
        for (int i = 0; i < 60; i++) {
            sent.add(sender.sendText("pk.pm", "during the cut " + i).get());
            Thread.sleep(450);
        }
        long remaining = TimeUnit.SECONDS.toNanos(30) - (System.nanoTime() - cut);
        if (remaining > 0) {
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(remaining));
        }
        assertThat(in.link.connected()).isFalse();
        proxy.restore();
        long restored = System.nanoTime();
        Outcome o = report("link down for 30 s", sent, awaitShown(pk, sent, Duration.ofSeconds(60)), restored);
        assertThat(o).isEqualTo(new Outcome(70, 70, 0, 0, 0));
    }
}
