package org.hotline.client.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.crypto.CryptoException;
import org.hotline.protocol.crypto.MessageSealer;
import org.hotline.protocol.crypto.PrekeyPair;
import org.hotline.protocol.crypto.VerifiedPrekey;
import org.hotline.protocol.pki.PrekeyFile;
import org.hotline.protocol.testing.SettableClock;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.SealedBox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forward-secrecy window of THREAT_MODEL.md, claim by claim, on a real engine with a recording
 * connection: online sends seal after a fresh fetch, the initial prekey is erased after the first
 * rotation and the retention period (and stays erased), and over-long prekeys are refused.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ForwardSecrecyTest {

    @TempDir
    static Path shared;
    static TestExercise exercise;

    @TempDir
    Path tmp;
    EngineHarness india;
    final SecureRandom random = new SecureRandom();

    @BeforeAll
    static void pki() throws Exception {
        exercise = TestExercise.create(shared);
    }

    @BeforeEach
    void engine() throws Exception {
        india = EngineHarness.open(exercise, tmp.resolve("in.pm"), "in.pm");
    }

    @AfterEach
    void close() {
        india.close();
    }

    PrekeyPair pakistanPrekey(int id, Duration validity) throws Exception {
        return PrekeyPair.generate(exercise.role("pk.pm").identity(), exercise.role("pk.pm").exerciseId(), "pk.pm", id, Instant.now(), validity, random);
    }

    static int boxPrekeyIdFor(String recipient, Frame.Send send) {
        return send.boxes().stream().filter(b -> b.recipient().equals(recipient)).map(SealedBox::prekeyId)
                .findFirst().orElseThrow();
    }

    int initialIdOf(String role) throws Exception {
        return exercise.directory().initialPrekeyOf(role).prekeyId();
    }

    void awaitFetchOf(String role) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (india.connection.sent(Frame.PrekeyFetch.class).stream().noneMatch(f -> f.role().equals(role))) {
            assertThat(System.nanoTime()).as("no PREKEY_FETCH for " + role).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void onlineSend_fetchesFirst_andSealsToTheRotatedPrekeyTheRelayHandsOut() throws Exception {
        india.welcome();
        india.connection.forget();
        PrekeyPair rotated = pakistanPrekey(424242, Duration.ofHours(48));

        CompletableFuture<MessageId> sending = new ClientApi(india.engine).sendText("pk.pm", "to the rotated prekey");
        awaitFetchOf("pk.pm");
        india.sync();
        assertThat(sending).as("nothing is sealed before the bundle (or the wait) is over").isNotDone();
        assertThat(india.connection.sent(Frame.Send.class)).isEmpty();
        india.connection.inject(new Frame.PrekeyBundle("pk.pm", List.of(rotated.signed())));
        MessageId id = sending.get(10, TimeUnit.SECONDS);

        Frame.Send send = india.connection.sent(Frame.Send.class).stream().filter(s -> s.messageId().equals(id))
                .findFirst().orElseThrow();
        assertThat(boxPrekeyIdFor("pk.pm", send)).isEqualTo(424242).isNotEqualTo(initialIdOf("pk.pm"));
    }

    @Test
    void onlineSend_withoutABundleWithinTheWait_sealsToTheCachedPrekey_andSaysSo() throws Exception {
        india.welcome();
        india.connection.forget();

        MessageId id = new ClientApi(india.engine).sendText("pk.pm", "relay slow to answer").get(10, TimeUnit.SECONDS);

        Frame.Send send = india.connection.sent(Frame.Send.class).stream().filter(s -> s.messageId().equals(id))
                .findFirst().orElseThrow();
        assertThat(boxPrekeyIdFor("pk.pm", send)).isEqualTo(initialIdOf("pk.pm"));
        assertThat(india.events.problems).anySatisfy(p -> assertThat(p)
                .contains("no prekey bundle for pk.pm").contains("within 3 s"));
    }

    MessageId composeDirect(String text) throws Exception {
        return india.onEngine(() -> india.engine.outbox.compose(india.engine.exercise.channelFor("in.pm", "pk.pm")
                .orElseThrow(), new org.hotline.protocol.wire.Content.Text(text), java.util.Optional.empty(),
                java.util.Optional.empty()));
    }

    @Test
    void aMessageComposedOffline_isResealedToTheFreshBundle_beforeItFirstGoesOut_keepingTheSignedMessage()
            throws Exception {
        MessageId id = composeDirect("written while the line was down");
        var stored = india.memory.outgoing(id).orElseThrow();
        assertThat(boxPrekeyIdFor("pk.pm", (Frame.Send) org.hotline.protocol.wire.FrameCodec.decode(stored.sendFrame())))
                .isEqualTo(initialIdOf("pk.pm"));
        PrekeyPair rotated = pakistanPrekey(737373, Duration.ofHours(48));

        india.welcome();
        assertThat(india.connection.sent(Frame.Send.class)).as("waits for the fresh bundle").isEmpty();
        india.connection.inject(new Frame.PrekeyBundle("pk.pm", List.of(rotated.signed())));
        india.sync();

        Frame.Send send = india.connection.sent(Frame.Send.class).stream().filter(s -> s.messageId().equals(id))
                .findFirst().orElseThrow();
        assertThat(boxPrekeyIdFor("pk.pm", send)).isEqualTo(737373);
        var after = india.memory.outgoing(id).orElseThrow();
        assertThat(after.sendFrame()).as("stored before it was sent")
                .isEqualTo(org.hotline.protocol.wire.FrameCodec.encode(send));
        assertThat(after.message().encode()).as("same signed message, only the boxes change")
                .isEqualTo(stored.message().encode());
        var opened = MessageSealer.open(EngineHarness.deliverTo("pk.pm", send), rotated);
        assertThat(opened.encode()).isEqualTo(stored.message().encode());
    }

    @Test
    void aMessageThatAlreadyWentOut_isResentAsFirstSealed_evenWhenANewerPrekeyArrives() throws Exception {
        india.welcome();
        india.connection.inject(new Frame.PrekeyBundle("pk.pm", List.of(exercise.directory().initialPrekeyOf("pk.pm"))));
        MessageId id = composeDirect("sent once, then the line dropped");
        byte[] first = india.memory.outgoing(id).orElseThrow().sendFrame();
        india.connection.disconnect("test");
        india.welcome();
        india.connection.inject(new Frame.PrekeyBundle("pk.pm", List.of(pakistanPrekey(747474, Duration.ofHours(48)).signed())));
        india.sync();

        // The relay may hold the first bytes already; other bytes under the same id would be refused.
        assertThat(india.connection.sent(Frame.Send.class).stream().filter(s -> s.messageId().equals(id)))
                .hasSize(2).allSatisfy(s -> assertThat(org.hotline.protocol.wire.FrameCodec.encode(s)).isEqualTo(first));
    }

    @Test
    void theInitialPrekey_isErasedAfterTheFirstRotationAndTheRetention_andNeverComesBackFromTheCredential()
            throws Exception {
        SettableClock clock = new SettableClock(Instant.now());
        Path data = tmp.resolve("pk.pm");
        int initial = initialIdOf("pk.pm");
        EngineHarness pakistan = EngineHarness.open(exercise, data, "pk.pm", clock);
        try {
            assertThat(pakistan.engine.holdsInitialPrekey()).isTrue();
            pakistan.welcome();
            assertThat(pakistan.engine.holdsInitialPrekey()).as("retained after the first rotation").isTrue();
            assertThat(pakistan.connection.sent(Frame.PrekeyUpload.class)).singleElement().satisfies(u ->
                    assertThat(u.prekeys()).isNotEmpty().noneMatch(p -> p.prekeyId() == initial));

            clock.set(clock.instant().plus(Duration.ofDays(7)).minusSeconds(60));
            pakistan.connection.disconnect("test");
            pakistan.welcome();
            assertThat(pakistan.engine.holdsInitialPrekey()).as("still within the 7-day retention").isTrue();

            clock.set(clock.instant().plusSeconds(61));
            pakistan.connection.disconnect("test");
            pakistan.welcome();
            assertThat(pakistan.engine.holdsInitialPrekey()).isFalse();
            assertThat(PrekeyFile.read(data.resolve(PrekeyKeeper.PREKEY_FILE), TestExercise.PASSPHRASE.toCharArray()))
                    .isNotEmpty().noneMatch(p -> p.id() == initial);

            // A message composed offline by a sender that never got a bundle is sealed to the initial
            // prekey: it is reported as unopenable (UNKNOWN_PREKEY), not dropped silently, nor acknowledged.
            MessageId id = composeDirect("late");
            india.welcome();
            india.connection.inject(new Frame.PrekeyBundle("pk.pm", List.of(exercise.directory().initialPrekeyOf("pk.pm"))));
            india.sync();
            Frame.Send send = india.connection.sent(Frame.Send.class).stream().filter(s -> s.messageId().equals(id))
                    .findFirst().orElseThrow();
            assertThat(boxPrekeyIdFor("pk.pm", send)).isEqualTo(initial);
            pakistan.connection.forget();
            pakistan.connection.inject(EngineHarness.deliverTo("pk.pm", send));
            pakistan.sync();
            assertThat(pakistan.events.problems).anySatisfy(p -> assertThat(p)
                    .contains(id.shortForm()).contains("UNKNOWN_PREKEY"));
            assertThat(pakistan.connection.sent(Frame.DeliveryAck.class)).isEmpty();
        } finally {
            pakistan.close();
        }
        EngineHarness restarted = EngineHarness.open(exercise, data, "pk.pm", clock);
        try {
            assertThat(restarted.engine.holdsInitialPrekey()).as("not reloaded from the credential").isFalse();
        } finally {
            restarted.close();
        }
    }

    /** The prekeys the owner still holds, as its prekey file says (rewritten at each rotation and erasure). */
    List<Integer> ownPrekeyIds(EngineHarness owner) throws Exception {
        return PrekeyFile.read(tmp.resolve(owner.role).resolve(PrekeyKeeper.PREKEY_FILE),
                TestExercise.PASSPHRASE.toCharArray()).stream().map(PrekeyPair::id).toList();
    }

    @Test
    void aConsoleThatStaysConnected_rotatesAndErasesOnItsOwnClock_andUploadsTheNewSet() throws Exception {
        SettableClock clock = new SettableClock(Instant.now());
        Instant start = clock.instant();
        EngineHarness pakistan = EngineHarness.open(exercise, tmp.resolve("pk.pm"), "pk.pm", clock);
        try {
            pakistan.welcome();
            int first = pakistan.connection.sent(Frame.PrekeyUpload.class).get(0).prekeys().get(0).prekeyId();
            pakistan.connection.forget();
            pakistan.onEngine(() -> {
                pakistan.engine.prekeyTick();
                return null;
            });
            assertThat(pakistan.connection.sent(Frame.PrekeyUpload.class)).as("nothing due yet").isEmpty();

            clock.set(clock.instant().plus(Duration.ofHours(24)));
            pakistan.onEngine(() -> {
                pakistan.engine.prekeyTick();
                return null;
            });
            assertThat(pakistan.connection.sent(Frame.PrekeyUpload.class)).singleElement().satisfies(u -> {
                assertThat(u.prekeys()).hasSize(2);
                assertThat(u.prekeys().get(0).prekeyId()).isEqualTo(first);
                assertThat(u.prekeys().get(1).prekeyId()).as("newest last").isNotEqualTo(first);
            });

            clock.set(clock.instant().plus(Duration.ofDays(6)).plusSeconds(1));
            pakistan.onEngine(() -> {
                pakistan.engine.prekeyTick();
                return null;
            });
            assertThat(pakistan.engine.holdsInitialPrekey()).isFalse();
            assertThat(ownPrekeyIds(pakistan)).as("the first rotated prekey is retained 7 days after expiry")
                    .contains(first);

            clock.set(start.plus(Duration.ofDays(9)).minusSeconds(60));
            pakistan.onEngine(() -> {
                pakistan.engine.prekeyTick();
                return null;
            });
            assertThat(ownPrekeyIds(pakistan)).contains(first);
            clock.set(start.plus(Duration.ofDays(9)).plusSeconds(1));
            pakistan.onEngine(() -> {
                pakistan.engine.prekeyTick();
                return null;
            });
            assertThat(ownPrekeyIds(pakistan)).as("erased 9 days after creation").doesNotContain(first);
        } finally {
            pakistan.close();
        }
    }

    @Test
    void aClientStartedAfterTheWindow_erasesTheInitialPrekeyWhileLoading() throws Exception {
        SettableClock clock = new SettableClock(Instant.now());
        Path data = tmp.resolve("pk.pm");
        EngineHarness pakistan = EngineHarness.open(exercise, data, "pk.pm", clock);
        pakistan.welcome();
        pakistan.close();

        clock.set(clock.instant().plus(Duration.ofDays(7)).plusSeconds(1));
        EngineHarness later = EngineHarness.open(exercise, data, "pk.pm", clock);
        try {
            assertThat(later.engine.holdsInitialPrekey()).isFalse();
        } finally {
            later.close();
        }
    }

    @Test
    void aRotatedPrekeyValidLongerThanSevenDays_isRefused_withTheReason_andNotSealedTo() throws Exception {
        PrekeyPair tooLong = pakistanPrekey(515151, Duration.ofDays(7).plusSeconds(1));
        var key = india.onEngine(() -> india.engine.trust.identity("pk.pm").key());
        var pkExercise = exercise.role("pk.pm").exerciseId();

        assertThatThrownBy(() -> VerifiedPrekey.verify(tooLong.signed(), "pk.pm", key, pkExercise, Instant.now(),
                VerifiedPrekey.MAX_ROTATED_VALIDITY))
                .isInstanceOfSatisfying(CryptoException.class, e -> assertThat(e.reason())
                        .isEqualTo(CryptoException.Reason.BAD_PREKEY))
                .hasMessageContaining("longer than the 168 h a sender accepts");
        VerifiedPrekey.verify(pakistanPrekey(515152, Duration.ofDays(7)).signed(), "pk.pm", key, pkExercise, Instant.now(),
                VerifiedPrekey.MAX_ROTATED_VALIDITY);

        india.welcome();
        india.connection.forget();
        CompletableFuture<MessageId> sending = new ClientApi(india.engine).sendText("pk.pm", "not to the long one");
        awaitFetchOf("pk.pm");
        india.connection.inject(new Frame.PrekeyBundle("pk.pm", List.of(tooLong.signed())));
        MessageId id = sending.get(10, TimeUnit.SECONDS);

        assertThat(india.events.problems).anySatisfy(p -> assertThat(p).contains("515151").contains("longer than"));
        Frame.Send send = india.connection.sent(Frame.Send.class).stream().filter(s -> s.messageId().equals(id))
                .findFirst().orElseThrow();
        assertThat(boxPrekeyIdFor("pk.pm", send)).isNotEqualTo(515151).isEqualTo(initialIdOf("pk.pm"));
    }

    @Test
    void anInitialPrekey_mayClaimThirtyDays_butNoMore() throws Exception {
        var key = india.onEngine(() -> india.engine.trust.identity("pk.pm").key());
        var pkExercise = exercise.role("pk.pm").exerciseId();
        var initial = exercise.directory().initialPrekeyOf("pk.pm");
        VerifiedPrekey.verify(initial, "pk.pm", key, pkExercise, Instant.now(), VerifiedPrekey.MAX_INITIAL_VALIDITY);

        PrekeyPair thirtyOne = pakistanPrekey(616161, Duration.ofDays(31));
        assertThatThrownBy(() -> VerifiedPrekey.verify(thirtyOne.signed(), "pk.pm", key, pkExercise, Instant.now(),
                VerifiedPrekey.MAX_INITIAL_VALIDITY)).hasMessageContaining("longer than the 720 h");
        // A prekey that is not the directory's initial one is held to the rotated cap even at 30 days.
        india.welcome();
        india.connection.inject(new Frame.PrekeyBundle("pk.pm", List.of(pakistanPrekey(616162, Duration.ofDays(30)).signed())));
        india.sync();
        assertThat(india.events.problems).anySatisfy(p -> assertThat(p).contains("616162").contains("168 h"));
    }
}
