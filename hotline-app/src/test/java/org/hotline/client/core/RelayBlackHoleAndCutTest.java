package org.hotline.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hotline.app.testing.RelayProcesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19's fault suite, first part (PROTOCOL.md §13, docs/benchmarks.md "Reliability"): two relay
 * processes, each behind a {@link FaultInjectingProxy}, while in.pm sends to pk.pm without pause.
 * First relay-in is black-holed (half-open: both sockets stay open, nothing passes either way) until
 * both clients have noticed it by their keep-alive, then it comes back; then relay-pk is cut for
 * 30 s (connections reset, new ones refused). Nothing may be lost, shown twice or out of order, and
 * the line may never show DOWN: one relay carries it each time.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RelayBlackHoleAndCutTest {

    static final Duration KEEP_ALIVE = Duration.ofSeconds(1);
    static final Duration CUT = Duration.ofSeconds(30);
    static final long SEND_EVERY_MS = 100;

    @TempDir
    Path tmp;

    RelayProcesses relays;
    final Map<String, FaultInjectingProxy> proxies = new LinkedHashMap<>();

    @AfterEach
    void stop() {
        if (relays != null) {
            relays.close();
        }
        proxies.values().forEach(FaultInjectingProxy::close);
    }

    @Test
    void blackHoleOneRelay_thenCutTheOtherFor30s_nothingLostTwiceOrOutOfOrder_lineNeverDown() throws Exception {
        long started = System.nanoTime();
        relays = RelayProcesses.twoRelays(tmp);
        Map<String, Integer> via = new LinkedHashMap<>();
        for (String r : List.of("relay-in", "relay-pk")) {
            relays.start(r);
            FaultInjectingProxy proxy = new FaultInjectingProxy(new InetSocketAddress("127.0.0.1", relays.port(r)));
            proxies.put(r, proxy);
            via.put(r, proxy.port());
        }
        List<ReceivedMessage> shown = new CopyOnWriteArrayList<>();
        List<LinkStatus> downs = new CopyOnWriteArrayList<>();
        HotlineClient in = relays.open("in.pm", via, c -> c.withKeepAlive(KEEP_ALIVE));
        HotlineClient pk = relays.open("pk.pm", via, c -> c.withKeepAlive(KEEP_ALIVE));
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
        awaitPath(List.of(in, pk), "relay-in", true, Duration.ofSeconds(30));
        awaitPath(List.of(in, pk), "relay-pk", true, Duration.ofSeconds(30));

        AtomicBoolean sending = new AtomicBoolean(true);
        List<String> sent = new CopyOnWriteArrayList<>();
        Thread producer = new Thread(() -> {
            try {
                for (int i = 1; sending.get(); i++) {
                    String text = String.format("m-%04d", i);
                    in.sendText("pk.pm", text).get(60, TimeUnit.SECONDS);
                    sent.add(text);
                    Thread.sleep(SEND_EVERY_MS);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        producer.start();
        awaitShown(shown, 20, Duration.ofSeconds(30));

        // relay-in black-holed: the keep-alive (reads silent for 3 intervals) must notice it.
        long holed = System.nanoTime();
        proxies.get("relay-in").blackhole();
        awaitPath(List.of(in, pk), "relay-in", false, Duration.ofSeconds(20));
        long detectedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - holed);
        Thread.sleep(2000);
        proxies.get("relay-in").restore();
        long restored = System.nanoTime();
        awaitPath(List.of(in, pk), "relay-in", true, Duration.ofSeconds(30));
        long backMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restored);

        // relay-pk cut for 30 s while relay-in, just back, carries the line.
        proxies.get("relay-pk").down();
        long cut = System.nanoTime();
        Thread.sleep(CUT.toMillis());
        proxies.get("relay-pk").restore();
        long cutMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cut);
        awaitPath(List.of(in, pk), "relay-pk", true, Duration.ofSeconds(30));
        Thread.sleep(1000);
        sending.set(false);
        producer.join(60_000);
        awaitShown(shown, sent.size(), Duration.ofSeconds(60));
        Thread.sleep(2000);

        List<String> texts = shown.stream().map(ReceivedMessage::text).toList();
        int distinct = new java.util.HashSet<>(texts).size();
        System.out.printf("RELIABILITY two relays, relay-in black-holed (half-open) then relay-pk cut %d s: messages=%d "
                        + "shown=%d lost=%d shownTwice=%d outOfOrder=%d lineDownMoments=%d blackHoleDetectedAfter=%d ms "
                        + "relayInBackAfter=%d ms cut=%d ms runTime=%d s%n", CUT.toSeconds(), sent.size(), texts.size(),
                sent.size() - distinct, texts.size() - distinct, outOfOrder(texts), downs.size(), detectedMs, backMs,
                cutMs, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        assertThat(texts).as("every message once, in the sender's order").containsExactlyElementsOf(sent);
        assertThat(downs).as("moments the line showed DOWN while one relay was up").isEmpty();
        assertThat(pk.gaps().get(10, TimeUnit.SECONDS)).allSatisfy((channel, missing) -> assertThat(missing).isEmpty());
    }

    /** Waits until every client's path to {@code relay} is up (or down). */
    private static void awaitPath(List<HotlineClient> clients, String relay, boolean up, Duration within)
            throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            boolean all = true;
            for (HotlineClient c : clients) {
                all &= c.relayPaths().get(10, TimeUnit.SECONDS).stream()
                        .anyMatch(p -> p.relay().equals(relay) && p.up() == up);
            }
            if (all) {
                return;
            }
            assertThat(System.nanoTime()).as(relay + (up ? " up" : " noticed down") + " within " + within)
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static void awaitShown(List<ReceivedMessage> shown, int count, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (shown.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
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
