package org.hotline.client.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hotline.protocol.audit.AuditVerifier;
import org.hotline.protocol.pki.PkiException;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.MessageId;
import org.hotline.server.testing.FaultyMailbox;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client core end to end through a real relay, with the relay's fault hook where a test needs one. */
class ClientCoreTest {

    @TempDir
    Path tmp;
    RelayFixture relay;
    FaultyMailbox faults;
    final List<HotlineClient> cores = new java.util.ArrayList<>();

    void relay() throws Exception {
        relay = new RelayFixture(tmp, c -> c, m -> {
            faults = new FaultyMailbox(m);
            return faults;
        });
    }

    HotlineClient core(String role, Recorder rec) throws Exception {
        return core(role, rec, Duration.ofSeconds(30));
    }

    HotlineClient core(String role, Recorder rec, Duration linkInterval) throws Exception {
        ClientConfig c = ClientConfig.defaults(relay.exercise().dir(), role, "127.0.0.1", relay.port(),
                tmp.resolve("clients").resolve(role)).withLinkTestInterval(linkInterval)
                .withKdfIterations(TestExercise.TEST_KDF_ITERATIONS);
        HotlineClient core = HotlineClient.open(c, TestExercise.PASSPHRASE.toCharArray(), Clock.systemUTC());
        core.addListener(rec);
        cores.add(core);
        return core;
    }

    @AfterEach
    void stop() {
        cores.forEach(HotlineClient::close);
        if (relay != null) {
            relay.close();
        }
    }

    static Map<String, String> readiness() {
        return Map.of("asOf", "2026-05-10T14:00Z");
    }

    @Test
    void signal_isDeliveredVerified_statesAdvance_andBothLogsVerify() throws Exception {
        relay();
        Recorder in = new Recorder();
        Recorder pk = new Recorder();
        HotlineClient india = core("in.pm", in);
        HotlineClient pakistan = core("pk.pm", pk);
        india.start();
        pakistan.start();
        MessageId id = india.sendSignal("pk.pm", "posture.normal-readiness", readiness(), Optional.empty(),
                Optional.empty()).get();
        ReceivedMessage m = pk.next();
        assertThat(m.id()).isEqualTo(id);
        assertThat(m.verified()).isTrue();
        assertThat(m.text()).isEqualTo("Our strategic forces remain at normal peacetime readiness as of "
                + "10 May 2026 14:00 UTC (19:30 IST, 19:00 PKT).");
        assertThat(m.category()).contains("nuclear-posture");
        in.awaitState(id, DeliveryState.DELIVERED);
        pakistan.acknowledge(id).get();
        in.awaitState(id, DeliveryState.ACKNOWLEDGED);
        assertThat(india.sentMessages().get()).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo(DeliveryState.ACKNOWLEDGED);
            assertThat(s.acceptedAt()).isPresent();
            assertThat(s.deliveredAt()).isPresent();
        });
        india.close();
        pakistan.close();
        for (String role : new String[] {"in.pm", "pk.pm"}) {
            var report = AuditVerifier.verify(tmp.resolve("clients").resolve(role).resolve("audit.jsonl"),
                    Optional.of(relay.exercise().directory().validator()));
            assertThat(report.problem()).as(role).isEmpty();
            assertThat(report.signedItemsVerified()).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void messageComposedWhileRelayIsDown_isQueued_andSentWhenItComesBack() throws Exception {
        relay();
        int port = relay.port();
        relay.stop();
        Recorder in = new Recorder();
        HotlineClient india = core("in.pm", in);
        india.start();
        MessageId id = india.sendText("pk.pm", "queued while down").get();
        Thread.sleep(500);
        assertThat(india.sentMessages().get()).singleElement()
                .extracting(SentMessage::state).isEqualTo(DeliveryState.QUEUED);
        // Crash between compose and accept: the process goes away without sending.
        india.close();
        cores.clear();
        relay.restartOnSameStoppedPort(port);
        Recorder in2 = new Recorder();
        HotlineClient again = core("in.pm", in2);
        again.start();
        in2.awaitState(id, DeliveryState.ACCEPTED);
        Recorder pk = new Recorder();
        core("pk.pm", pk).start();
        assertThat(pk.next().text()).isEqualTo("queued while down");
    }

    @Test
    void acknowledgementMadeOffline_reachesTheSender_evenAfterTheReceiverRestarts() throws Exception {
        relay();
        Recorder in = new Recorder();
        Recorder pk = new Recorder();
        HotlineClient india = core("in.pm", in);
        HotlineClient pakistan = core("pk.pm", pk);
        india.start();
        pakistan.start();
        MessageId id = india.sendText("pk.pm", "please acknowledge").get();
        assertThat(pk.next().id()).isEqualTo(id);
        in.awaitState(id, DeliveryState.DELIVERED);

        int port = relay.port();
        relay.stop();
        pakistan.acknowledge(id).get();
        // The receiver's process ends before the line comes back.
        pakistan.close();
        cores.remove(pakistan);
        relay.restartOnSameStoppedPort(port);
        core("pk.pm", new Recorder()).start();

        in.awaitState(id, DeliveryState.ACKNOWLEDGED);
    }

    @Test
    void relayRestart_clientsReconnectByThemselves() throws Exception {
        relay();
        Recorder in = new Recorder();
        Recorder pk = new Recorder();
        HotlineClient india = core("in.pm", in);
        core("pk.pm", pk).start();
        india.start();
        india.sendText("pk.pm", "before").get();
        assertThat(pk.next().text()).isEqualTo("before");
        relay.restartOnSamePort();
        MessageId after = india.sendText("pk.pm", "after").get();
        assertThat(pk.next().text()).isEqualTo("after");
        in.awaitState(after, DeliveryState.DELIVERED);
    }

    @Test
    void relayRedeliveringTheSameMessage_isShownOnce() throws Exception {
        relay();
        faults.forgetDeliveries(true);
        Recorder in = new Recorder();
        Recorder pk = new Recorder();
        HotlineClient india = core("in.pm", in);
        HotlineClient pakistan = core("pk.pm", pk);
        india.start();
        pakistan.start();
        india.sendText("pk.pm", "once").get();
        assertThat(pk.next().text()).isEqualTo("once");
        // Reconnects make the relay deliver the envelope again (it forgot the delivery).
        for (int i = 0; i < 3; i++) {
            pakistan.dropConnection();
            Thread.sleep(700);
        }
        assertThat(pk.received.poll(1, TimeUnit.SECONDS)).isNull();
        assertThat(pakistan.receivedMessages().get()).hasSize(1);
    }

    @Test
    void relayDroppingAMessage_isReportedAsAGap() throws Exception {
        relay();
        AtomicInteger n = new AtomicInteger();
        faults.loseEnvelopes(e -> n.incrementAndGet() == 2);
        Recorder in = new Recorder();
        Recorder pk = new Recorder();
        HotlineClient india = core("in.pm", in);
        core("pk.pm", pk).start();
        india.start();
        india.sendText("pk.pm", "one").get();
        assertThat(pk.next().missing()).isEmpty();
        india.sendText("pk.pm", "two (lost by the relay)").get();
        india.sendText("pk.pm", "three").get();
        ReceivedMessage three = pk.next();
        assertThat(three.text()).isEqualTo("three");
        assertThat(three.missing()).containsExactly(2L);
        assertThat(pk.problems).anyMatch(p -> p.contains("gap"));
        assertThat(cores.get(1).gaps().get()).containsEntry("in.pm/leaders", List.of(2L));
    }

    @Test
    void linkTests_verifyTheLine_andAlarmWhenThePeerGoesSilent() throws Exception {
        relay();
        Recorder in = new Recorder();
        Recorder pk = new Recorder();
        HotlineClient india = core("in.pm", in, Duration.ofMillis(300));
        HotlineClient pakistan = core("pk.pm", pk, Duration.ofMillis(300));
        india.start();
        pakistan.start();
        awaitLink(in, s -> s.lastVerified().isPresent() && !s.alarm());
        assertThat(india.linkStatus().roundTrip()).isPresent();
        assertThat(india.linkStatus().describe(Instant.now())).startsWith("line verified end to end");
        pakistan.close();
        awaitLink(in, LinkStatus::alarm);
        assertThat(india.linkStatus().describe(Instant.now())).startsWith("line degraded");
    }

    @Test
    void wrongPassphrase_isRefusedBeforeAnythingElse() throws Exception {
        relay();
        ClientConfig c = ClientConfig.defaults(relay.exercise().dir(), "in.pm", "127.0.0.1", relay.port(),
                tmp.resolve("x"));
        assertThatThrownBy(() -> HotlineClient.open(c, "wrong".toCharArray(), Clock.systemUTC()))
                .isInstanceOfSatisfying(PkiException.class,
                        e -> assertThat(e.reason()).isEqualTo(PkiException.Reason.WRONG_PASSPHRASE));
    }

    @Test
    void prekeys_rotateOnConnect_andPeersSealToTheNewOne() throws Exception {
        relay();
        Recorder in = new Recorder();
        Recorder pk = new Recorder();
        HotlineClient pakistan = core("pk.pm", pk);
        pakistan.start();
        awaitLink(pk, LinkStatus::connected);
        Thread.sleep(500);
        HotlineClient india = core("in.pm", in);
        india.start();
        awaitLink(in, LinkStatus::connected);
        Thread.sleep(500);
        india.sendText("pk.pm", "sealed to a rotated prekey").get();
        assertThat(pk.next().text()).isEqualTo("sealed to a rotated prekey");
        assertThat(tmp.resolve("clients/pk.pm/prekeys.p12")).exists();
    }

    static void awaitLink(Recorder r, java.util.function.Predicate<LinkStatus> p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (p.test(r.link)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("link status never matched; last " + r.link + "; problems " + r.problems);
    }

    /**
     * Two consoles signed in as the same role: the newer one takes the line, the older one says why
     * and stays off for a minute instead of taking it back at once (which used to alternate forever).
     */
    @Test
    void secondConsoleOfTheSameRole_takesTheLine_andTheFirstDoesNotTakeItBack() throws Exception {
        relay();
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        HotlineClient one = core("in.pm", first);
        one.start();
        awaitLink(first, LinkStatus::connected);
        ClientConfig other = ClientConfig.defaults(relay.exercise().dir(), "in.pm", "127.0.0.1", relay.port(),
                tmp.resolve("clients").resolve("in.pm-second-console"))
                .withKdfIterations(TestExercise.TEST_KDF_ITERATIONS);
        HotlineClient two = HotlineClient.open(other, TestExercise.PASSPHRASE.toCharArray(), Clock.systemUTC());
        two.addListener(second);
        cores.add(two);
        two.start();
        awaitLink(second, LinkStatus::connected);
        awaitLink(first, l -> !l.connected());
        assertThat(first.problems).anySatisfy(p -> assertThat(p).contains("Another console signed in as in.pm"));
        // Without the hold-off the first console was back within its 0.2-3 s back-off and superseded the second.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < until) {
            assertThat(second.link.connected()).as("the newer console keeps the line").isTrue();
            assertThat(first.link.connected()).as("the older console stays off").isFalse();
            Thread.sleep(50);
        }
        assertThat(second.problems).noneSatisfy(p -> assertThat(p).contains("Another console"));
    }
}
