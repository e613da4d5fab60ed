package org.hotline.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.hotline.app.testing.RelayProcesses;
import org.hotline.protocol.wire.MessageId;
import org.hotline.server.net.RelayServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review M3 against real relay processes (PROTOCOL.md §13 rule 2): relay-in is down while 500
 * messages go through relay-pk, then starts with a rate limit tighter than the client's batch
 * (100 frames/s, burst 150), so its limiter drops SENDs and answers RATE_LIMITED. The sender's
 * backlog for relay-in must reach it in full while relay-in stays up: paced, that path backed off,
 * what was dropped sent again. Sent all at once, the frames beyond the burst were dropped and never
 * sent again.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RelayBacklogTest {

    static final int MESSAGES = 500;
    static final int RATE = 100;
    static final int BURST = 150;

    @TempDir
    Path tmp;

    RelayProcesses relays;

    @AfterEach
    void stop() {
        if (relays != null) {
            relays.close();
        }
    }

    @Test
    void aRelayBackAfterAnOutage_getsABacklogAboveItsBurst_inFull() throws Exception {
        relays = RelayProcesses.twoRelays(tmp);
        relays.start("relay-pk");
        List<ReceivedMessage> shown = new CopyOnWriteArrayList<>();
        HotlineClient in = relays.open("in.pm");
        HotlineClient pk = relays.open("pk.pm");
        pk.addListener(new ClientListener() {
            @Override
            public void messageReceived(ReceivedMessage m) {
                shown.add(m);
            }
        });
        in.start();
        pk.start();
        List<MessageId> ids = new ArrayList<>();
        for (int i = 1; i <= MESSAGES; i++) {
            ids.add(in.sendText("pk.pm", String.format("b-%03d", i)).get(30, TimeUnit.SECONDS));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (shown.size() < MESSAGES && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(shown).as("shown through relay-pk").hasSize(MESSAGES);

        long started = System.nanoTime();
        relays.startRateLimited("relay-in", RATE, BURST);
        Path log = relays.data("relay-in").resolve(RelayServer.AUDIT_FILE);
        List<String> missing = ids.stream().map(MessageId::hex).toList();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!missing.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            List<String> stored = Files.exists(log) ? Files.readAllLines(log).stream()
                    .filter(l -> l.contains("\"relay-accepted\"")).toList() : List.of();
            missing = missing.stream().filter(h -> stored.stream().noneMatch(l -> l.contains(h))).toList();
        }
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.printf("RELIABILITY two relays, relay-in back after %d messages, rate limit %d/s burst %d: "
                + "storedByRelayIn=%d/%d after=%d ms%n", MESSAGES, RATE, BURST, MESSAGES - missing.size(), MESSAGES,
                tookMs);
        assertThat(missing).as("messages relay-in never stored").isEmpty();
        assertThat(shown).as("nothing shown twice").hasSize(MESSAGES);
    }
}
