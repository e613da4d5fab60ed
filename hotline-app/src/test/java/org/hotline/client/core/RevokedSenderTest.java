package org.hotline.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.Pem;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.MessageId;
import org.hotline.server.config.RelayConfig;
import org.hotline.server.net.RelayServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 7 (PROTOCOL.md §4.4 "Revoked senders", THREAT_MODEL.md A5): a message is judged by
 * the sender certificate valid when the relay accepted it. Accepted before the revocation: shown,
 * flagged with the revocation date, and confirmed to the relay. Accepted after it: refused for that
 * reason ({@code sender-revoked}, naming the certificate, not "bad signature") with a signed
 * rejection the relay settles. After {@code pki reissue} a message signed with the replaced key is
 * identified as such. Real relay, real clients, a fresh exercise PKI per test.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RevokedSenderTest {

    @TempDir
    Path tmp;
    TestExercise exercise;
    HostileMailbox mailbox;
    RelayServer relay;
    final List<HotlineClient> cores = new ArrayList<>();

    @BeforeEach
    void exercise() {
        // Exercise control reads nothing: pk.pm is the message's one recipient.
        exercise = TestExercise.withoutControlReading(tmp, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        cores.forEach(HotlineClient::close);
        if (relay != null) {
            relay.close();
        }
    }

    /** The relay on {@code dir}; its mailbox only records what recipients answer (it alters nothing). */
    void startRelay(Path dir) throws Exception {
        var d = new org.hotline.protocol.pki.ExerciseDirectory(dir);
        relay = RelayServer.start(d, d.exercise(),
                d.loadRelay(TestExercise.PASSPHRASE.toCharArray(), Instant.now()),
                RelayConfig.defaults("127.0.0.1", 0, tmp.resolve("relay-data")).withCrlCheckInterval(Duration.ofMillis(200)),
                Clock.systemUTC(), m -> {
                    mailbox = new HostileMailbox(m);
                    return mailbox;
                });
    }

    HotlineClient core(Path exerciseDir, String role, Recorder rec) throws Exception {
        ClientConfig c = ClientConfig.defaults(exerciseDir, role, "127.0.0.1", relay.address().getPort(),
                tmp.resolve("clients").resolve(role)).withKdfIterations(TestExercise.TEST_KDF_ITERATIONS);
        HotlineClient core = HotlineClient.open(c, TestExercise.PASSPHRASE.toCharArray(), Clock.systemUTC());
        core.addListener(rec);
        cores.add(core);
        core.start();
        return core;
    }

    /** in.pm sends one message to pk.pm (offline) and sees it accepted; then in.pm goes offline. */
    MessageId acceptedWhilePakistanIsOffline(Path indiaDir, String text) throws Exception {
        Recorder in = new Recorder();
        HotlineClient india = core(indiaDir, "in.pm", in);
        MessageId id = india.sendText("pk.pm", text).get(15, TimeUnit.SECONDS);
        in.awaitState(id, DeliveryState.ACCEPTED);
        india.close();
        cores.remove(india);
        // A CRL states revocation times to the second (PROTOCOL.md §4.4): a revocation in the same
        // second as the acceptance counts as before it, so the one that follows must be a second later.
        Thread.sleep(1100);
        return id;
    }

    @Test
    void aMessageAcceptedBeforeTheSendersRevocation_isShownFlagged_andConfirmedToTheRelay() throws Exception {
        startRelay(exercise.dir());
        MessageId id = acceptedWhilePakistanIsOffline(exercise.dir(), "sent before the revocation");
        Instant revokedAround = Instant.now();
        exercise.revoke("in.pm");

        Recorder pk = new Recorder();
        core(exercise.dir(), "pk.pm", pk);
        ReceivedMessage shown = pk.next();
        assertThat(shown.id()).isEqualTo(id);
        assertThat(shown.text()).isEqualTo("sent before the revocation");
        assertThat(shown.verified()).isTrue();
        assertThat(shown.senderRevokedSince()).hasValueSatisfying(at ->
                assertThat(at).isBetween(revokedAround.minusSeconds(1), Instant.now()));
        assertThat(shown.warnings()).anySatisfy(w -> assertThat(w).startsWith(ReceivedMessage.SENDER_REVOKED));
        assertThat(shown.linkBroken()).as("a revocation is not a broken hash link").isFalse();
        assertThat(pk.problems).anySatisfy(p -> assertThat(p).contains(id.shortForm()).contains("revoked since"));
        awaitAnswer(() -> mailbox.confirmed(id));
        assertThat(mailbox.rejected(id)).isFalse();
    }

    @Test
    void aFlaggedMessage_isStillFlagged_afterTheReceiverReopens() throws Exception {
        startRelay(exercise.dir());
        MessageId id = acceptedWhilePakistanIsOffline(exercise.dir(), "sent before the revocation");
        exercise.revoke("in.pm");
        Recorder pk = new Recorder();
        HotlineClient pakistan = core(exercise.dir(), "pk.pm", pk);
        ReceivedMessage shown = pk.next();
        assertThat(shown.senderRevokedSince()).isPresent();
        awaitAnswer(() -> mailbox.confirmed(id));
        pakistan.close();
        cores.remove(pakistan);

        HotlineClient reopened = core(exercise.dir(), "pk.pm", new Recorder());
        List<ReceivedMessage> again = reopened.receivedMessages().get(5, TimeUnit.SECONDS);
        assertThat(again).singleElement().satisfies(m -> {
            assertThat(m.id()).isEqualTo(id);
            assertThat(m.senderRevokedSince()).isEqualTo(shown.senderRevokedSince());
            assertThat(m.signerFingerprint()).isEqualTo(shown.signerFingerprint());
            assertThat(m.warnings()).anySatisfy(w -> assertThat(w).startsWith(ReceivedMessage.SENDER_REVOKED));
        });
    }

    @Test
    void afterAReissue_aMessageSignedWithTheReplacedKeyBeforehand_isShownFlagged_underTheOldCertificate()
            throws Exception {
        startRelay(exercise.dir());
        MessageId id = acceptedWhilePakistanIsOffline(exercise.dir(), "sent before the reissue");
        String oldFingerprint = CertificateValidator.fingerprint(
                Pem.readCertificate(exercise.directory().identityCertificate("in.pm")));
        exercise.pki().reissue(exercise.dir(), "in.pm", TestExercise.PASSPHRASE.toCharArray(),
                Optional.of(TestExercise.PASSPHRASE.toCharArray()));
        String newFingerprint = CertificateValidator.fingerprint(
                Pem.readCertificate(exercise.directory().identityCertificate("in.pm")));

        Recorder pk = new Recorder();
        core(exercise.dir(), "pk.pm", pk);
        ReceivedMessage shown = pk.next();
        assertThat(shown.id()).isEqualTo(id);
        assertThat(shown.text()).isEqualTo("sent before the reissue");
        assertThat(shown.senderRevokedSince()).isPresent();
        assertThat(shown.signerFingerprint()).isEqualTo(oldFingerprint).isNotEqualTo(newFingerprint);
        assertThat(pk.problems).noneSatisfy(p -> assertThat(p).contains("bad signature"));
        awaitAnswer(() -> mailbox.confirmed(id));
    }

    @Test
    void afterAReissue_aMessageTheRelayAcceptedAfterTheRevocation_isRefusedForThatReason_andSettled()
            throws Exception {
        // The relay and in.pm's old credential still have the CRL of before (THREAT_MODEL.md R8:
        // a CRL takes effect where it is loaded); pk.pm has the facilitator's new one.
        Path stale = copy(exercise.dir(), tmp.resolve("stale-exercise"));
        startRelay(stale);
        exercise.pki().reissue(exercise.dir(), "in.pm", TestExercise.PASSPHRASE.toCharArray(),
                Optional.of(TestExercise.PASSPHRASE.toCharArray()));
        Recorder in = new Recorder();
        HotlineClient india = core(stale, "in.pm", in);
        MessageId id = india.sendText("pk.pm", "sent after the revocation").get(15, TimeUnit.SECONDS);
        in.awaitState(id, DeliveryState.ACCEPTED);

        Recorder pk = new Recorder();
        HotlineClient pakistan = core(exercise.dir(), "pk.pm", pk);
        String problem = awaitProblem(pk, id.shortForm());
        assertThat(problem).contains("sender-revoked").contains("signed with in.pm's previous certificate")
                .contains("revoked on").doesNotContain("bad signature");
        awaitAnswer(() -> mailbox.rejected(id));
        assertThat(mailbox.confirmed(id)).isFalse();
        in.awaitState(id, DeliveryState.REJECTED);
        Thread.sleep(300);
        assertThat(pk.received).as("not shown").isEmpty();
        assertThat(pakistan.receivedMessages().get(5, TimeUnit.SECONDS)).as("not shown").isEmpty();
    }

    /**
     * pk.pm stays connected across the reissue, so the CRL it loaded at WELCOME does not list the
     * replaced certificate: it reads the CRL again (the file changed) before judging, and refuses.
     */
    @Test
    void aReceiverConnectedAcrossAReissue_readsTheNewCrl_andRefusesTheReplacedKey() throws Exception {
        Path stale = copy(exercise.dir(), tmp.resolve("stale-exercise"));
        startRelay(stale);
        Recorder pk = new Recorder();
        HotlineClient pakistan = core(exercise.dir(), "pk.pm", pk);
        awaitAnswer(() -> pk.link.connected()); // WELCOME: the CRL of before the reissue is loaded
        exercise.pki().reissue(exercise.dir(), "in.pm", TestExercise.PASSPHRASE.toCharArray(),
                Optional.of(TestExercise.PASSPHRASE.toCharArray()));
        Thread.sleep(1100); // the revocation is stated to the second: the sending comes after it
        Recorder in = new Recorder();
        HotlineClient india = core(stale, "in.pm", in);
        MessageId id = india.sendText("pk.pm", "sent with the replaced key").get(15, TimeUnit.SECONDS);

        String problem = awaitProblem(pk, id.shortForm());
        assertThat(problem).contains("sender-revoked").contains("signed with in.pm's previous certificate");
        awaitAnswer(() -> mailbox.rejected(id));
        assertThat(mailbox.confirmed(id)).isFalse();
        assertThat(pk.received).as("not shown").isEmpty();
        assertThat(pakistan.receivedMessages().get(5, TimeUnit.SECONDS)).as("not shown").isEmpty();
    }

    /**
     * The reissue wrote identities/previous/ and the new certificate but the CRL on disk does not list
     * the replaced one yet: a message signed with the replaced key is neither shown (unflagged or
     * otherwise) nor answered; it stays at the relay to be judged at a later delivery.
     */
    @Test
    void aMessageSignedWithAReplacedKeyTheCrlDoesNotListYet_isNotJudgedYet_neverShownUnflagged()
            throws Exception {
        Path stale = copy(exercise.dir(), tmp.resolve("stale-exercise"));
        startRelay(stale);
        Recorder pk = new Recorder();
        HotlineClient pakistan = core(exercise.dir(), "pk.pm", pk);
        awaitAnswer(() -> pk.link.connected()); // WELCOME: the CRL of before the reissue is loaded
        Path crl = exercise.dir().resolve(org.hotline.protocol.pki.ExerciseDirectory.CRL);
        byte[] crlBefore = Files.readAllBytes(crl);
        exercise.pki().reissue(exercise.dir(), "in.pm", TestExercise.PASSPHRASE.toCharArray(),
                Optional.of(TestExercise.PASSPHRASE.toCharArray()));
        Files.write(crl, crlBefore); // the new CRL not written yet
        Recorder in = new Recorder();
        HotlineClient india = core(stale, "in.pm", in);
        MessageId id = india.sendText("pk.pm", "sent with the replaced key").get(15, TimeUnit.SECONDS);

        String problem = awaitProblem(pk, id.shortForm());
        assertThat(problem).contains("not accepted yet").contains("replaced");
        Thread.sleep(300);
        assertThat(mailbox.rejected(id)).as("no receipt").isFalse();
        assertThat(mailbox.confirmed(id)).as("no receipt").isFalse();
        assertThat(pk.received).as("not shown").isEmpty();
        assertThat(pakistan.receivedMessages().get(5, TimeUnit.SECONDS)).as("not shown").isEmpty();
    }

    /**
     * An inject from exercise control, accepted before control's certificate was revoked, is not
     * acted on: control content under a revoked key is refused (sender-revoked), not shown flagged.
     */
    @Test
    void anInjectSignedUnderARevokedControlCertificate_isRefused_evenIfAcceptedBeforeTheRevocation()
            throws Exception {
        startRelay(exercise.dir());
        Recorder ctl = new Recorder();
        HotlineClient control = core(exercise.dir(), "control", ctl);
        MessageId id = control.send("pk.pm", new org.hotline.protocol.wire.Content.Inject("S-1",
                        org.hotline.protocol.wire.Content.InjectKind.SITUATION, Instant.parse("2026-05-07T01:00:00Z"),
                        "One", "First event."), Optional.empty(), Optional.empty()).get(15, TimeUnit.SECONDS);
        ctl.awaitState(id, DeliveryState.ACCEPTED);
        control.close();
        cores.remove(control);
        Thread.sleep(1100); // the revocation a second after the acceptance: before it is after it
        exercise.revoke("control");

        Recorder pk = new Recorder();
        HotlineClient pakistan = core(exercise.dir(), "pk.pm", pk);
        String problem = awaitProblem(pk, id.shortForm());
        assertThat(problem).contains("sender-revoked").contains("inject signed with control's certificate")
                .contains("revoked on");
        awaitAnswer(() -> mailbox.rejected(id));
        assertThat(mailbox.confirmed(id)).isFalse();
        assertThat(pakistan.receivedInjects().get(5, TimeUnit.SECONDS)).as("not acted on").isEmpty();
    }

    @Test
    void aMessageTheRelayAcceptedAfterARevocation_isRefusedForThatReason() throws Exception {
        Path stale = copy(exercise.dir(), tmp.resolve("stale-exercise"));
        startRelay(stale);
        exercise.revoke("in.pm");
        Recorder in = new Recorder();
        core(stale, "in.pm", in);
        Recorder pk = new Recorder();
        core(exercise.dir(), "pk.pm", pk);
        MessageId id = cores.get(0).sendText("pk.pm", "sent after the revocation").get(15, TimeUnit.SECONDS);
        String problem = awaitProblem(pk, id.shortForm());
        assertThat(problem).contains("sender-revoked").contains("signed with in.pm's certificate")
                .contains("revoked on");
        in.awaitState(id, DeliveryState.REJECTED);
        assertThat(mailbox.rejected(id)).isTrue();
    }

    private static String awaitProblem(Recorder r, String containing) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            for (String p : r.problems) {
                if (p.contains(containing)) {
                    return p;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no problem naming " + containing + "; problems: " + r.problems);
    }

    private static void awaitAnswer(java.util.function.BooleanSupplier answered) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!answered.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the relay was never answered for the message");
            }
            Thread.sleep(20);
        }
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        return to;
    }
}
