package org.hotline.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.hotline.app.testing.RelayProcesses;
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

    RelayProcesses relays;

    @BeforeEach
    void exerciseWithTwoRelays() throws Exception {
        relays = RelayProcesses.twoRelays(tmp);
    }

    @AfterEach
    void stop() {
        relays.close();
    }

    static final int MESSAGES = 2000;
    static final int KILLS = 20;

    @Test
    void killMinus9OneRelay20Times_during2000Messages_theOtherCarriesTheLine() throws Exception {
        Process relayIn = relays.start("relay-in");
        relays.start("relay-pk");
        List<ReceivedMessage> shown = new CopyOnWriteArrayList<>();
        List<LinkStatus> downs = new CopyOnWriteArrayList<>();
        List<String> problems = new CopyOnWriteArrayList<>();
        HotlineClient in = relays.open("in.pm");
        HotlineClient pk = relays.open("pk.pm");
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
            relays.kill(relayIn);
            Thread.sleep(random.nextInt(300));
            relayIn = relays.start("relay-in");
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
                        + "shownTwice=%d outOfOrder=%d lineDownMoments=%d allShownAfter=%d ms problemsNamingRelayIn=%d problemsNamingRelayPk=%d%n",
                KILLS, MESSAGES, texts.size(), MESSAGES - distinct, texts.size() - distinct, outOfOrder(texts),
                downs.size(), allShownMs, problems.stream().filter(p -> p.startsWith("relay-in")).count(),
                problems.stream().filter(p -> p.startsWith("relay-pk")).count());
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= MESSAGES; i++) {
            expected.add(String.format("m-%04d", i));
        }
        assertThat(texts).as("every message once, in the sender's order").containsExactlyElementsOf(expected);
        assertThat(downs).as("moments the line showed DOWN while relay-pk was up").isEmpty();
        assertThat(problems).as("the honest relay, never killed, is never named as lagging")
                .noneMatch(p -> p.startsWith("relay-pk"));
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
}
