package org.hotline.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.hotline.app.testing.RelayProcesses;
import org.hotline.protocol.audit.AuditReport;
import org.hotline.protocol.audit.AuditVerifier;
import org.hotline.protocol.pki.ExerciseDirectory;
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

    RelayProcesses relays;

    @BeforeEach
    void exerciseWithTwoRelays() throws Exception {
        relays = RelayProcesses.twoRelays(tmp);
    }

    @AfterEach
    void stop() {
        relays.close();
    }

    @Test
    void bothRelaysUp_eachMessageTravelsBoth_andIsShownOnce() throws Exception {
        relays.start("relay-in");
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
        int n = 30;
        List<org.hotline.protocol.wire.MessageId> ids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ids.add(in.sendText("pk.pm", String.format("m-%02d", i)).get(30, TimeUnit.SECONDS));
        }
        for (var id : ids) {
            in.whenState(id, DeliveryState.DELIVERED).get(60, TimeUnit.SECONDS);
        }
        // Both relays delivered every message (each relay's own audit log says so) ...
        awaitDelivered(relays.data("relay-in"), ids);
        awaitDelivered(relays.data("relay-pk"), ids);
        Thread.sleep(1000);
        // ... yet each was shown once, in order.
        assertThat(shown).extracting(ReceivedMessage::text).containsExactlyElementsOf(expected(n));
        in.close();
        pk.close();
        for (String role : List.of("in.pm", "pk.pm")) {
            AuditReport report = AuditVerifier.verify(relays.seat(role).resolve("audit.jsonl"),
                    Optional.of(new ExerciseDirectory(relays.exercise()).validator()),
                    Optional.of(new ExerciseDirectory(relays.exercise()).exercise()));
            assertThat(report.problem()).as(role + "'s log").isEmpty();
        }
        String senderLog = Files.readString(relays.seat("in.pm").resolve("audit.jsonl"));
        assertThat(senderLog).as("both relays' certificates, for their receipts and log proofs")
                .contains("\"role\":\"relay-in\"", "\"role\":\"relay-pk\"");
    }

    @Test
    void oneRelayKilledMidExchange_nothingLostNothingTwice_inOrder_lineNeverDown() throws Exception {
        Process relayIn = relays.start("relay-in");
        relays.start("relay-pk");
        List<ReceivedMessage> shown = new CopyOnWriteArrayList<>();
        List<LinkStatus> downs = new CopyOnWriteArrayList<>();
        HotlineClient in = relays.open("in.pm");
        HotlineClient pk = relays.open("pk.pm");
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
        relays.kill(relayIn);
        awaitShown(shown, 200);
        // relay-in comes back: what it missed is sent to it again, and nothing shows twice.
        relays.start("relay-in");
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
}
