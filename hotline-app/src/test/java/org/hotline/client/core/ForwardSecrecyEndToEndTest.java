package org.hotline.client.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hotline.app.HotlineMain;
import org.hotline.protocol.crypto.CryptoException;
import org.hotline.protocol.crypto.MessageSealer;
import org.hotline.protocol.crypto.PrekeyPair;
import org.hotline.protocol.pki.PrekeyFile;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.testing.SettableClock;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.SignedPrekeyBytes;
import org.hotline.server.store.Mailbox;
import org.hotline.server.store.StoredEnvelope;
import org.hotline.server.testing.RelayFixture;
import org.hotline.server.testing.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forward-secrecy window of THREAT_MODEL.md end to end, through a real relay on a fresh PKI:
 * the command-line {@code send} seals to the rotated prekey the recipient published (issue 13 item
 * 3 was a box sealed to the initial one), nothing the facilitator holds opens it, the relay stops
 * handing out the initial prekey, and after the retention period the recipient holds it no more.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ForwardSecrecyEndToEndTest {

    @TempDir
    Path tmp;
    RelayFixture relay;
    Mailbox mailbox;
    HotlineClient pakistan;

    @AfterEach
    void stop() {
        if (pakistan != null) {
            pakistan.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    ClientConfig config(String role) {
        return ClientConfig.defaults(relay.exercise().dir(), role, "127.0.0.1", relay.port(),
                tmp.resolve("clients").resolve(role)).withKdfIterations(TestExercise.TEST_KDF_ITERATIONS);
    }

    /** pk.pm comes online (rotates, uploads its first rotated prekey) and goes away again. */
    SignedPrekeyBytes pakistanRotatesAndLeaves() throws Exception {
        relay = new RelayFixture(tmp, c -> c, m -> {
            mailbox = m;
            return m;
        });
        Recorder pk = new Recorder();
        pakistan = HotlineClient.open(config("pk.pm"), TestExercise.PASSPHRASE.toCharArray(), Clock.systemUTC());
        pakistan.addListener(pk);
        pakistan.start();
        ClientCoreTest.awaitLink(pk, LinkStatus::connected);
        int initial = relay.exercise().directory().initialPrekeyOf("pk.pm").prekeyId();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        List<SignedPrekeyBytes> published = List.of();
        while (published.stream().noneMatch(p -> p.prekeyId() != initial)) {
            assertThat(System.nanoTime()).as("pk.pm never uploaded a rotated prekey").isLessThan(deadline);
            Thread.sleep(20);
            published = mailbox.prekeys("pk.pm").get();
        }
        pakistan.close();
        pakistan = null;
        return published.stream().filter(p -> p.prekeyId() != initial).reduce((a, b) -> b).orElseThrow();
    }

    /** Runs the command line; returns what it printed on stdout. */
    String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HotlineMain.run(args, Map.of("HOTLINE_PASSPHRASE", TestExercise.PASSPHRASE),
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as(out + "\n" + err).isZero();
        return out.toString();
    }

    /** The envelope of message {@code id} waiting for {@code role} (the consoles' log checkpoints wait there too). */
    StoredEnvelope envelopeFor(String role, MessageId id) throws Exception {
        List<StoredEnvelope> pending = mailbox.pending(role, 0, 50).get();
        return pending.stream().filter(e -> e.messageId().equals(id)).findFirst().orElseThrow(() ->
                new AssertionError("no envelope of " + id + " for " + role + " among " + pending));
    }

    static Frame.Deliver deliver(StoredEnvelope e) {
        return new Frame.Deliver(e.messageId(), e.sender(), e.channel(), e.acceptedAt(), e.box());
    }

    @Test
    void cliSend_sealsToThePublishedRotatedPrekey_andTheFacilitatorsCredentialCannotOpenIt() throws Exception {
        SignedPrekeyBytes rotated = pakistanRotatesAndLeaves();

        String printed = cli("send", "--exercise", relay.exercise().dir().toString(), "--as", "in.pm", "--server",
                "127.0.0.1:" + relay.port(), "--data", tmp.resolve("clients").resolve("in.pm").toString(),
                "--to", "pk.pm", "--text", "Sealed after the recipient rotated.");

        StoredEnvelope e = envelopeFor("pk.pm", MessageId.parse(printed.strip().split(" ")[0]));
        assertThat(e.box().prekeyId()).isEqualTo(rotated.prekeyId());
        // Everything the facilitator holds for pk.pm: its credential file and passphrase.
        RoleCredential facilitatorsCopy = relay.exercise().directory().loadRole("pk.pm",
                TestExercise.PASSPHRASE.toCharArray(), Instant.now());
        PrekeyPair initial = facilitatorsCopy.initialPrekey().orElseThrow();
        assertThat(initial.id()).isNotEqualTo(rotated.prekeyId());
        assertThatThrownBy(() -> MessageSealer.open(deliver(e), initial))
                .isInstanceOfSatisfying(CryptoException.class, x -> assertThat(x.reason())
                        .isEqualTo(CryptoException.Reason.UNKNOWN_PREKEY));
    }

    /**
     * Issue 13 item 3 as found: the sender was online before the recipient rotated, so the prekey at
     * hand was the initial one. The send fetches first and goes out sealed to the rotated prekey.
     */
    @Test
    void aSenderOnlineBeforeTheRecipientRotated_sealsToTheRotatedPrekeyOnceItIsPublished() throws Exception {
        relay = new RelayFixture(tmp, c -> c, m -> {
            mailbox = m;
            return m;
        });
        Recorder in = new Recorder();
        HotlineClient india = HotlineClient.open(config("in.pm"), TestExercise.PASSPHRASE.toCharArray(),
                Clock.systemUTC());
        try {
            india.addListener(in);
            india.start();
            ClientCoreTest.awaitLink(in, LinkStatus::connected); // its WELCOME fetch got pk.pm's initial prekey
            int initial = relay.exercise().directory().initialPrekeyOf("pk.pm").prekeyId();
            Recorder pk = new Recorder();
            pakistan = HotlineClient.open(config("pk.pm"), TestExercise.PASSPHRASE.toCharArray(), Clock.systemUTC());
            pakistan.addListener(pk);
            pakistan.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (mailbox.prekeys("pk.pm").get().stream().noneMatch(p -> p.prekeyId() != initial)) {
                assertThat(System.nanoTime()).as("pk.pm never uploaded a rotated prekey").isLessThan(deadline);
                Thread.sleep(20);
            }
            pakistan.close();
            pakistan = null;
            SignedPrekeyBytes rotated = mailbox.prekeys("pk.pm").get().get(0);

            MessageId id = india.sendText("pk.pm", "sent seconds after pk.pm rotated").get(10, TimeUnit.SECONDS);
            india.whenState(id, DeliveryState.ACCEPTED).get(30, TimeUnit.SECONDS);

            StoredEnvelope e = envelopeFor("pk.pm", id);
            assertThat(e.box().prekeyId()).isEqualTo(rotated.prekeyId()).isNotEqualTo(initial);
            PrekeyPair facilitatorsCopy = relay.exercise().directory().loadRole("pk.pm",
                    TestExercise.PASSPHRASE.toCharArray(), Instant.now()).initialPrekey().orElseThrow();
            assertThatThrownBy(() -> MessageSealer.open(deliver(e), facilitatorsCopy))
                    .isInstanceOf(CryptoException.class);
        } finally {
            india.close();
        }
    }

    @Test
    void aMessageComposedWhileTheRelayIsDown_isResealedToTheRotatedPrekey_whenTheLineComesBack() throws Exception {
        SignedPrekeyBytes rotated = pakistanRotatesAndLeaves();
        int port = relay.port();
        relay.stop();
        HotlineClient india = HotlineClient.open(config("in.pm"), TestExercise.PASSPHRASE.toCharArray(),
                Clock.systemUTC());
        MessageId id;
        try {
            india.start();
            id = india.sendText("pk.pm", "written while the relay was down").get(10, TimeUnit.SECONDS);
            relay.restartOnSameStoppedPort(port);
            india.whenState(id, DeliveryState.ACCEPTED).get(30, TimeUnit.SECONDS);
        } finally {
            india.close();
        }

        assertThat(envelopeFor("pk.pm", id).box().prekeyId()).isEqualTo(rotated.prekeyId());
    }

    /** The held mark is durable: a message a stopped process composed offline is checked by the next one. */
    @Test
    void aMessageLeftHeldByAStoppedProcess_isResealedToTheRotatedPrekey_byTheNextOne() throws Exception {
        SignedPrekeyBytes rotated = pakistanRotatesAndLeaves();
        int port = relay.port();
        relay.stop();
        MessageId id;
        HotlineClient first = HotlineClient.open(config("in.pm"), TestExercise.PASSPHRASE.toCharArray(),
                Clock.systemUTC());
        try {
            id = first.sendText("pk.pm", "composed offline, then the console was closed").get(10, TimeUnit.SECONDS);
        } finally {
            first.close();
        }
        relay.restartOnSameStoppedPort(port);
        HotlineClient second = HotlineClient.open(config("in.pm"), TestExercise.PASSPHRASE.toCharArray(),
                Clock.systemUTC());
        try {
            second.start();
            second.whenState(id, DeliveryState.ACCEPTED).get(30, TimeUnit.SECONDS);
        } finally {
            second.close();
        }

        assertThat(envelopeFor("pk.pm", id).box().prekeyId()).isEqualTo(rotated.prekeyId());
    }

    @Test
    void afterAnUpload_theRelayNoLongerServesTheInitialPrekey() throws Exception {
        SignedPrekeyBytes rotated = pakistanRotatesAndLeaves();
        int initial = relay.exercise().directory().initialPrekeyOf("pk.pm").prekeyId();

        try (TestClient india = relay.hello("in.pm")) {
            india.send(new Frame.PrekeyFetch("pk.pm"));
            Frame next = india.next(Duration.ofSeconds(10));
            while (next instanceof Frame.Deliver) { // pk.pm's log checkpoints, sent as it closed
                next = india.next(Duration.ofSeconds(10));
            }
            assertThat(next).isInstanceOf(Frame.PrekeyBundle.class);
            Frame.PrekeyBundle bundle = (Frame.PrekeyBundle) next;
            assertThat(bundle.prekeys()).contains(rotated).noneMatch(p -> p.prekeyId() == initial);
        }
    }

    @Test
    void afterTheRetentionPeriod_theRecipientsPrekeyFileNoLongerHoldsTheInitialPrekey() throws Exception {
        pakistanRotatesAndLeaves();
        int initial = relay.exercise().directory().initialPrekeyOf("pk.pm").prekeyId();
        Path prekeyFile = tmp.resolve("clients").resolve("pk.pm").resolve("prekeys.p12");
        assertThat(PrekeyFile.read(prekeyFile, TestExercise.PASSPHRASE.toCharArray()))
                .anyMatch(p -> p.id() == initial);

        // The console opens again 7 days and a second later (ClientConfig's default retention).
        SettableClock later = new SettableClock(Instant.now().plus(Duration.ofDays(7)).plusSeconds(1));
        HotlineClient.open(config("pk.pm"), TestExercise.PASSPHRASE.toCharArray(), later).close();

        assertThat(PrekeyFile.read(prekeyFile, TestExercise.PASSPHRASE.toCharArray()))
                .isNotEmpty().noneMatch(p -> p.id() == initial);
    }
}
