package org.hotline.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.hotline.app.testing.RelayProcesses;
import org.hotline.protocol.testing.TestExercise;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection: the relay process is killed with SIGKILL at random moments, 20 times, during a
 * 2,000-message exchange between two real client cores. Every accepted message must appear on the
 * recipient's screen exactly once; the counts are printed for docs/benchmarks.md ("Reliability").
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RelayCrashTest {

    @TempDir
    Path tmp;

    static final int MESSAGES = 2000;
    static final int KILLS = 20;

    @Test
    void killMinus9TheRelay20Times_duringA2000MessageExchange_nothingLostNothingDuplicated() throws Exception {
        TestExercise exercise = TestExercise.create(tmp);
        int port = RelayProcesses.freePort();
        Path data = tmp.resolve("relay-data");
        Process relay = RelayProcesses.startRelay(exercise.dir(), Optional.empty(), port, data);
        List<ReceivedMessage> shown = new CopyOnWriteArrayList<>();
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        HotlineClient sender = RelayProcesses.client(exercise.dir(), "in.pm", port, tmp.resolve("in.pm"));
        HotlineClient receiver = RelayProcesses.client(exercise.dir(), "pk.pm", port, tmp.resolve("pk.pm"));
        receiver.addListener(new ClientListener() {
            @Override
            public void messageReceived(ReceivedMessage m) {
                shown.add(m);
                arrivals.add(System.nanoTime());
            }
        });
        sender.start();
        receiver.start();
        Thread producer = new Thread(() -> {
            try {
                for (int i = 1; i <= MESSAGES; i++) {
                    sender.sendText("pk.pm", String.format("m-%04d", i)).get();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        producer.start();
        Random random = new Random(2026);
        List<Long> kills = new ArrayList<>();
        List<Long> restarts = new ArrayList<>();
        for (int k = 0; k < KILLS; k++) {
            Thread.sleep(150 + random.nextInt(400));
            kills.add(System.nanoTime());
            relay.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            relay = RelayProcesses.startRelay(exercise.dir(), Optional.empty(), port, data);
            restarts.add(System.nanoTime());
        }
        producer.join(120_000);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && shown.size() < MESSAGES) {
            Thread.sleep(100);
        }
        // A restart "delivered" if a message was shown before the next kill. Measuring each restart
        // up to the first arrival instead would count the rest of the kill storm as its recovery.
        int restartsThatDelivered = 0;
        for (int k = 0; k < restarts.size(); k++) {
            long from = restarts.get(k);
            long until = k + 1 < kills.size() ? kills.get(k + 1) : Long.MAX_VALUE;
            if (arrivals.stream().anyMatch(a -> a >= from && a < until)) {
                restartsThatDelivered++;
            }
        }
        long lastRestart = restarts.get(restarts.size() - 1);
        long firstAfterLast = arrivals.stream().filter(a -> a >= lastRestart).min(Long::compare).orElse(lastRestart);
        long lastArrival = arrivals.stream().max(Long::compare).orElse(lastRestart);
        try {
            Set<String> texts = new HashSet<>();
            int duplicates = 0;
            for (ReceivedMessage m : shown) {
                if (!texts.add(m.text())) {
                    duplicates++;
                }
            }
            int outOfOrder = 0;
            for (int i = 1; i < shown.size(); i++) {
                if (shown.get(i).counter() < shown.get(i - 1).counter()) {
                    outOfOrder++;
                }
            }
            List<Long> counters = shown.stream().map(ReceivedMessage::counter).sorted().toList();
            System.out.printf("RELIABILITY relay kill -9: trials=%d messages=%d shown=%d lost=%d duplicated=%d "
                            + "arrivedOutOfOrder=%d restartsThatDeliveredBeforeTheNextKill=%d/%d "
                            + "afterFinalRestart: firstShown=%d ms lastShown=%d ms%n", KILLS, MESSAGES, shown.size(),
                    MESSAGES - texts.size(), duplicates, outOfOrder, restartsThatDelivered, KILLS,
                    Duration.ofNanos(firstAfterLast - lastRestart).toMillis(),
                    Duration.ofNanos(Math.max(0, lastArrival - lastRestart)).toMillis());
            assertThat(duplicates).as("shown twice").isZero();
            // What the line above prints is asserted too: one sender, one channel, so the relay's
            // per-recipient order is the sender's order, across every restart.
            assertThat(outOfOrder).as("shown out of the sender's order").isZero();
            assertThat(restartsThatDelivered).as("restarts after which something was shown before the next kill")
                    .isPositive();
            assertThat(texts).as("every message shown").hasSize(MESSAGES);
            // In-order delivery as the line above claims it, by content too: exactly the sender's
            // sequence m-0001 … m-MESSAGES, each once, across every kill and restart.
            List<String> expectedOrder = new ArrayList<>();
            for (int i = 1; i <= MESSAGES; i++) {
                expectedOrder.add(String.format("m-%04d", i));
            }
            assertThat(shown.stream().map(ReceivedMessage::text).toList()).as("shown in the sender's order")
                    .containsExactlyElementsOf(expectedOrder);
            // Counters run from 1 with nothing missing. Machine traffic the console never shows (log
            // checkpoints, PROTOCOL.md §4.2) takes counters on the same channel, so the receiver's own
            // gap tracking, which sees every counter, is the measure, not the shown messages alone.
            assertThat(counters.get(0)).isGreaterThanOrEqualTo(1);
            assertThat(counters.get(counters.size() - 1)).isGreaterThanOrEqualTo(MESSAGES);
            assertThat(receiver.gaps().get(10, TimeUnit.SECONDS)).as("counters missing at the receiver")
                    .allSatisfy((channel, missing) -> assertThat(missing).isEmpty());
        } finally {
            sender.close();
            receiver.close();
            relay.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
