package org.hotline.client.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.crypto.CryptoException;
import org.hotline.protocol.crypto.MessageSealer;
import org.hotline.protocol.crypto.PrekeyPair;
import org.hotline.protocol.crypto.VerifiedPrekey;
import org.hotline.protocol.pki.PrekeyFile;
import org.hotline.protocol.testing.SettableClock;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.Receipt;
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
 * connection playing the relay: a send goes out sealed to the newest prekey the relay hands out
 * (held, in order, while a fetch is unanswered), never to the initial prekey of a peer that rotated,
 * the initial prekey is erased after the first rotation and the retention period (and stays
 * erased), and over-long prekeys are refused.
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
        exercise = TestExercise.withoutControlReading(shared);
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

    PrekeyPair pakistanPrekey(int id, Instant created, Duration validity) throws Exception {
        return PrekeyPair.generate(exercise.role("pk.pm").identity(), exercise.role("pk.pm").exerciseId(), "pk.pm", id,
                created, validity, random);
    }

    MessageId composeDirect(String text) throws Exception {
        return composeOn(india, text);
    }

    static MessageId composeOn(EngineHarness h, String text) throws Exception {
        return h.onEngine(() -> h.engine.outbox.compose(h.engine.exercise.channelFor(h.role, "pk.pm")
                .orElseThrow(), new org.hotline.protocol.wire.Content.Text(text), java.util.Optional.empty(),
                java.util.Optional.empty()));
    }

    static Frame.Send sentOf(EngineHarness h, MessageId id) {
        return h.connection.sent(Frame.Send.class).stream().filter(s -> s.messageId().equals(id)).findFirst()
                .orElseThrow();
    }

    static List<Long> countersSent(EngineHarness h) {
        return h.connection.sent(Frame.Send.class).stream().map(s -> {
                    try {
                        return h.memory.outgoing(s.messageId()).orElseThrow().counter();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).toList();
    }

    long fetchesOf(String role) {
        return india.connection.sent(Frame.PrekeyFetch.class).stream().filter(f -> f.role().equals(role)).count();
    }

    /** Issue 13 item 3: a cached initial prekey is stale; the send waits for the relay's answer and seals to the rotated one. */
    @Test
    void onlineSend_withTheInitialPrekeyAtHand_fetchesFirst_andGoesOutSealedToTheRotatedPrekeyTheRelayHandsOut()
            throws Exception {
        india.welcome(); // the relay served pk.pm's initial prekey: pk.pm had not connected yet
        india.connection.forget();
        PrekeyPair rotated = pakistanPrekey(424242, Duration.ofHours(48));
        india.relayServes("pk.pm", rotated.signed());
        india.holdPrekeyAnswers();

        MessageId id = new ClientApi(india.engine).sendText("pk.pm", "to the rotated prekey").get(10, TimeUnit.SECONDS);
        india.sync();
        assertThat(india.unansweredFetches()).extracting(Frame.PrekeyFetch::role).containsExactly("pk.pm");
        assertThat(india.connection.sent(Frame.Send.class)).as("held until the relay answers").isEmpty();
        var stored = india.memory.outgoing(id).orElseThrow();

        india.answerPrekeyFetches();
        Frame.Send send = sentOf(india, id);
        assertThat(boxPrekeyIdFor("pk.pm", send)).isEqualTo(424242).isNotEqualTo(initialIdOf("pk.pm"));
        var after = india.memory.outgoing(id).orElseThrow();
        assertThat(after.sendFrame()).as("stored before it was sent")
                .isEqualTo(org.hotline.protocol.wire.FrameCodec.encode(send));
        assertThat(after.message().encode()).as("same signed message, only the boxes change")
                .isEqualTo(stored.message().encode());
        assertThat(MessageSealer.open(EngineHarness.deliverTo("pk.pm", send), rotated).encode())
                .isEqualTo(stored.message().encode());
    }

    @Test
    void aRotatedBundle_isSealedToWithoutAFetch_forTenMinutes_thenFetchedAgainBeforeSealing() throws Exception {
        SettableClock clock = new SettableClock(Instant.now());
        EngineHarness in = EngineHarness.open(exercise, tmp.resolve("in2"), "in.pm", clock);
        try {
            PrekeyPair first = pakistanPrekey(111111, clock.instant(), Duration.ofHours(48));
            in.relayServes("pk.pm", first.signed());
            in.welcome();
            in.connection.forget();
            MessageId a = composeOn(in, "fresh bundle: no round trip");
            assertThat(in.connection.sent(Frame.PrekeyFetch.class)).isEmpty();
            assertThat(boxPrekeyIdFor("pk.pm", sentOf(in, a))).isEqualTo(111111);

            clock.set(clock.instant().plus(PeerPrekeys.BUNDLE_MAX_AGE));
            PrekeyPair second = pakistanPrekey(222222, clock.instant(), Duration.ofHours(48));
            in.relayServes("pk.pm", first.signed(), second.signed());
            in.holdPrekeyAnswers();
            MessageId b = composeOn(in, "stale bundle: fetched first");
            assertThat(in.unansweredFetches()).extracting(Frame.PrekeyFetch::role).containsExactly("pk.pm");
            assertThat(in.connection.sent(Frame.Send.class)).hasSize(1);
            in.answerPrekeyFetches();
            assertThat(boxPrekeyIdFor("pk.pm", sentOf(in, b))).isEqualTo(222222);
        } finally {
            in.close();
        }
    }

    /** Reviewer finding 1: held messages leave in counter order, and nothing composed later overtakes them. */
    @Test
    void messagesHeldForAPrekeyAnswer_leaveInCounterOrder_andLaterOnesWaitBehindThem() throws Exception {
        india.welcome();
        india.connection.forget();
        india.relayServes("pk.pm", pakistanPrekey(313131, Duration.ofHours(48)).signed());
        india.holdPrekeyAnswers();
        List<MessageId> ids = new java.util.ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ids.add(composeDirect("held " + i));
        }
        assertThat(india.connection.sent(Frame.Send.class)).isEmpty();
        assertThat(india.unansweredFetches()).as("one fetch, not one per send").hasSize(1);

        india.answerPrekeyFetches();
        ids.add(composeDirect("after the answer"));
        assertThat(india.connection.sent(Frame.Send.class)).extracting(Frame.Send::messageId).containsExactlyElementsOf(ids);
        assertThat(countersSent(india)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(india.connection.sent(Frame.Send.class)).allSatisfy(s -> assertThat(boxPrekeyIdFor("pk.pm", s))
                .isEqualTo(313131));
    }

    @Test
    void aFetchLeftUnanswered_isAskedAgain_andTheMessageKeepsWaitingForTheAnswer() throws Exception {
        SettableClock clock = new SettableClock(Instant.now());
        EngineHarness in = EngineHarness.open(exercise, tmp.resolve("in2"), "in.pm", clock);
        try {
            in.welcome();
            in.connection.forget();
            in.holdPrekeyAnswers();
            MessageId id = composeOn(in, "the relay lost the fetch");
            clock.set(clock.instant().plus(PeerPrekeys.FETCH_RETRY));
            in.onEngine(() -> {
                in.engine.outbox.retryQueued();
                return null;
            });
            assertThat(in.connection.sent(Frame.PrekeyFetch.class)).extracting(Frame.PrekeyFetch::role)
                    .containsExactly("pk.pm", "pk.pm");
            assertThat(in.connection.sent(Frame.Send.class)).as("still waiting, not sealed to what is at hand").isEmpty();
            assertThat(in.events.problems).anySatisfy(p -> assertThat(p).contains("asking again"));

            in.answerPrekeyFetches();
            assertThat(in.connection.sent(Frame.Send.class)).extracting(Frame.Send::messageId).containsExactly(id);
        } finally {
            in.close();
        }
    }

    /** Reviewer finding 2: a disconnect keeps held messages queued; they go, in order, after the next WELCOME. */
    @Test
    void aDisconnect_whileMessagesAreHeld_keepsThemQueued_andTheyGoInOrderAfterTheNextWelcome() throws Exception {
        india.welcome();
        india.connection.forget();
        india.holdPrekeyAnswers();
        MessageId one = composeDirect("one");
        MessageId two = composeDirect("two");
        india.connection.disconnect("test");
        india.sync();
        india.answerPrekeyFetches(); // an answer after the line went: nothing may go to a dead connection
        assertThat(india.connection.sent(Frame.Send.class)).isEmpty();
        assertThat(india.onEngine(() -> india.engine.outbox.isHeld(one) && india.engine.outbox.isHeld(two))).isTrue();

        india.holdPrekeyAnswers();
        india.welcome();
        assertThat(india.connection.sent(Frame.Send.class)).as("the new connection's fetch is not answered yet").isEmpty();
        india.answerPrekeyFetches();
        assertThat(india.connection.sent(Frame.Send.class)).extracting(Frame.Send::messageId).containsExactly(one, two);
    }

    /** Reviewer finding 3: NO_PREKEY never makes a sender fall back to the initial prekey of a peer that rotated. */
    @Test
    void noPrekey_forAPeerThatRotated_sealsToItsLastRotatedPrekeyWhileValid_neverToTheInitialOne() throws Exception {
        PrekeyPair rotated = pakistanPrekey(414141, Duration.ofHours(48));
        india.relayServes("pk.pm", rotated.signed());
        india.welcome();
        india.relayHasNoPrekeyOf("pk.pm");
        india.onEngine(() -> {
            india.engine.peerPrekeys.fetch(india.connection, List.of("pk.pm"));
            return null;
        });
        india.sync();
        assertThat(india.events.problems).anySatisfy(p -> assertThat(p).contains("no current prekey of pk.pm"));
        MessageId id = composeDirect("to the last rotated prekey");
        india.sync();
        assertThat(boxPrekeyIdFor("pk.pm", sentOf(india, id))).isEqualTo(414141);
    }

    @Test
    void noPrekey_whenTheLastRotatedPrekeyExpired_holdsTheMessage_untilANewOneIsServed() throws Exception {
        SettableClock clock = new SettableClock(Instant.now());
        EngineHarness in = EngineHarness.open(exercise, tmp.resolve("in2"), "in.pm", clock);
        try {
            in.relayServes("pk.pm", pakistanPrekey(515100, clock.instant(), Duration.ofHours(48)).signed());
            in.welcome();
            clock.set(clock.instant().plus(Duration.ofHours(49))); // pk.pm stayed offline: its prekey expired
            in.relayHasNoPrekeyOf("pk.pm");
            in.connection.forget();
            MessageId id = composeOn(in, "pk.pm has been away");
            in.sync();
            assertThat(in.connection.sent(Frame.Send.class)).as("not to the initial prekey, not to an expired one").isEmpty();
            assertThat(in.events.problems).anySatisfy(p -> assertThat(p).contains(id.shortForm()).contains("waits"));
            assertThat(in.onEngine(() -> in.engine.outbox.isHeld(id))).isTrue();

            PrekeyPair back = pakistanPrekey(525252, clock.instant(), Duration.ofHours(48));
            in.relayServes("pk.pm", back.signed());
            clock.set(clock.instant().plus(PeerPrekeys.BUNDLE_MAX_AGE));
            in.onEngine(() -> {
                in.engine.outbox.retryQueued(); // the 2-second retry: asks again once the last answer is stale
                return null;
            });
            in.sync();
            assertThat(boxPrekeyIdFor("pk.pm", sentOf(in, id))).isEqualTo(525252);
        } finally {
            in.close();
        }
    }

    @Test
    void noPrekey_forAPeerNeverSeenRotated_stillDoesNotSealToTheInitialPrekey() throws Exception {
        MessageId id = composeDirect("composed offline, provisionally sealed to the initial prekey");
        india.relayHasNoPrekeyOf("pk.pm");
        india.welcome();
        Thread.sleep(300); // room for a fetch / NO_PREKEY loop to show
        india.sync();
        assertThat(india.connection.sent(Frame.Send.class)).isEmpty();
        assertThat(india.events.problems).anySatisfy(p -> assertThat(p).contains(id.shortForm())
                .contains("NO_PREKEY"));
        // Reviewer H1: the answer stands for the retry cadence; no fetch loop, each problem said once.
        assertThat(fetchesOf("pk.pm")).isLessThanOrEqualTo(2);
        assertThat(india.events.problems.stream().filter(p -> p.contains("no current prekey of pk.pm"))).hasSize(1);
        assertThat(india.events.problems.stream().filter(p -> p.contains(id.shortForm()))).hasSize(1);
    }

    @Test
    void noPrekey_isAskedAgainOnlyAtTheRetryCadence_andTheMessageGoesOnceANewPrekeyIsServed() throws Exception {
        SettableClock clock = new SettableClock(Instant.now());
        EngineHarness in = EngineHarness.open(exercise, tmp.resolve("in2"), "in.pm", clock);
        try {
            in.relayHasNoPrekeyOf("pk.pm");
            in.welcome();
            MessageId id = composeOn(in, "waits for a prekey");
            for (int i = 0; i < 3; i++) {
                clock.set(clock.instant().plusSeconds(2));
                in.onEngine(() -> {
                    in.engine.outbox.retryQueued();
                    return null;
                });
            }
            Thread.sleep(200);
            in.sync();
            // Fetches of pk.pm only: the WELCOME also fetches exercise control's prekeys (a channel peer).
            assertThat(in.connection.sent(Frame.PrekeyFetch.class)).filteredOn(f -> f.role().equals("pk.pm"))
                    .as("only the WELCOME fetch").hasSize(1);

            PrekeyPair back = pakistanPrekey(535353, clock.instant(), Duration.ofHours(48));
            in.relayServes("pk.pm", back.signed());
            clock.set(clock.instant().plus(PeerPrekeys.BUNDLE_MAX_AGE));
            in.onEngine(() -> {
                in.engine.outbox.retryQueued();
                return null;
            });
            in.sync();
            assertThat(in.connection.sent(Frame.PrekeyFetch.class)).filteredOn(f -> f.role().equals("pk.pm")).hasSize(2);
            assertThat(boxPrekeyIdFor("pk.pm", sentOf(in, id))).isEqualTo(535353);
            assertThat(in.events.problems.stream().filter(p -> p.contains("no current prekey of pk.pm"))).hasSize(1);
        } finally {
            in.close();
        }
    }

    /** Reviewer H2: once a peer is seen rotated, an answer with only its initial prekey is never sealed to. */
    @Test
    void aPeerSeenRotated_isNotSealedToItsInitialPrekey_afterItsRotatedPrekeyExpired() throws Exception {
        SettableClock clock = new SettableClock(Instant.now());
        EngineHarness in = EngineHarness.open(exercise, tmp.resolve("in2"), "in.pm", clock);
        try {
            in.relayServes("pk.pm", pakistanPrekey(545454, clock.instant(), Duration.ofHours(48)).signed());
            in.welcome();
            clock.set(clock.instant().plus(Duration.ofHours(49)));
            // A relay whose database was wiped (or that lies) hands out the initial prekey again.
            in.relayServes("pk.pm", exercise.directory().initialPrekeyOf("pk.pm"));
            in.connection.disconnect("test");
            in.welcome();
            in.connection.forget();
            MessageId id = composeOn(in, "not to the initial prekey");
            in.sync();
            assertThat(in.connection.sent(Frame.Send.class)).isEmpty();
            assertThat(in.onEngine(() -> in.engine.outbox.isHeld(id))).isTrue();
            assertThat(in.memory.peerRotated("pk.pm")).as("remembered in the store").isTrue();
        } finally {
            in.close();
        }
    }

    /** Reviewer M3: a fetch that could not be sent is not an answer: the message is not sealed to the cache. */
    @Test
    void aFetchThatCouldNotBeSent_doesNotReleaseTheMessage_itWaitsForAnAnswerOnTheNextConnection() throws Exception {
        india.welcome(); // the relay served pk.pm's initial prekey
        PrekeyPair rotated = pakistanPrekey(565656, Duration.ofHours(48));
        india.relayServes("pk.pm", rotated.signed());
        india.connection.close(); // the line is gone, its disconnect not yet seen by the engine
        MessageId id = composeDirect("composed as the line drops");
        india.connection.disconnect("test");
        india.welcome();
        assertThat(india.connection.sent(Frame.Send.class).stream().filter(s -> s.messageId().equals(id)))
                .isNotEmpty().allSatisfy(s -> assertThat(boxPrekeyIdFor("pk.pm", s)).isEqualTo(565656));
    }

    /** Reviewer finding 8: a different prekey that is not newer does not trigger a re-seal. */
    @Test
    void aMessageIsResealedOnlyToANewerPrekey_notToAMerelyDifferentOne() throws Exception {
        Instant now = Instant.now();
        PrekeyPair older = pakistanPrekey(616100, now.minus(Duration.ofHours(2)), Duration.ofHours(48));
        PrekeyPair newer = pakistanPrekey(616200, now.minus(Duration.ofHours(1)), Duration.ofHours(48));
        india.relayServes("pk.pm", newer.signed());
        india.welcome();
        india.connection.disconnect("test");
        india.sync();
        MessageId id = composeDirect("sealed to the newer one while offline");
        byte[] stored = india.memory.outgoing(id).orElseThrow().sendFrame();

        india.relayServes("pk.pm", older.signed()); // a relay handing out an older, still valid prekey
        india.welcome();
        Frame.Send send = sentOf(india, id);
        assertThat(boxPrekeyIdFor("pk.pm", send)).isEqualTo(616200);
        assertThat(org.hotline.protocol.wire.FrameCodec.encode(send)).isEqualTo(stored);
        assertThat(india.onEngine(() -> {
            PeerPrekeys peers = india.engine.peerPrekeys;
            var key = india.engine.trust.identity("pk.pm").key();
            var ex = exercise.role("pk.pm").exerciseId();
            return List.of(
                    peers.newer("pk.pm", 616200, VerifiedPrekey.verify(older.signed(), "pk.pm", key, ex, now)),
                    peers.newer("pk.pm", 616100, VerifiedPrekey.verify(newer.signed(), "pk.pm", key, ex, now)),
                    peers.newer("pk.pm", initialIdOf("pk.pm"), VerifiedPrekey.verify(older.signed(), "pk.pm", key, ex, now)));
        })).containsExactly(false, true, true);
    }

    @Test
    void aMessageThatAlreadyWentOut_isResentAsFirstSealed_evenWhenANewerPrekeyArrives() throws Exception {
        india.welcome();
        MessageId id = composeDirect("sent once, then the line dropped");
        india.sync();
        byte[] first = india.memory.outgoing(id).orElseThrow().sendFrame();
        india.connection.disconnect("test");
        india.relayServes("pk.pm", pakistanPrekey(747474, Duration.ofHours(48)).signed());
        india.welcome();

        // The relay may hold the first bytes already; other bytes under the same id would be refused.
        assertThat(india.connection.sent(Frame.Send.class).stream().filter(s -> s.messageId().equals(id)))
                .hasSize(2).allSatisfy(s -> assertThat(org.hotline.protocol.wire.FrameCodec.encode(s)).isEqualTo(first));
    }

    /** Reviewer finding 5: a failure while rotating at WELCOME is a problem, and held messages still go. */
    @Test
    void aRotationThatCannotBeWritten_isReported_andHeldMessagesStillGo() throws Exception {
        MessageId id = composeDirect("composed before the failing WELCOME");
        Path blocker = tmp.resolve("in.pm").resolve(PrekeyKeeper.PREKEY_FILE);
        java.nio.file.Files.createDirectories(blocker.resolve("not-a-file"));
        india.welcome();
        assertThat(india.events.problems).anySatisfy(p -> assertThat(p).contains("cannot rotate or erase prekeys"));
        assertThat(india.connection.sent(Frame.PrekeyFetch.class)).isNotEmpty();
        assertThat(sentOf(india, id)).isNotNull();
        // Reviewer M1: a prekey that is not in the file is not kept, so it is not published either.
        assertThat(india.connection.sent(Frame.PrekeyUpload.class)).isEmpty();
        assertThat(india.onEngine(() -> india.engine.prekeys.published())).isEmpty();
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
            // prekey: it is reported as unopenable (UNKNOWN_PREKEY), not dropped silently, never confirmed
            // as delivered, only answered with a signed rejection (PROTOCOL.md §6).
            MessageId id = composeDirect("late");
            india.welcome();
            Frame.Send send = india.connection.sent(Frame.Send.class).stream().filter(s -> s.messageId().equals(id))
                    .findFirst().orElseThrow();
            assertThat(boxPrekeyIdFor("pk.pm", send)).isEqualTo(initial);
            pakistan.connection.forget();
            pakistan.connection.inject(EngineHarness.deliverTo("pk.pm", send));
            pakistan.sync();
            assertThat(pakistan.events.problems).anySatisfy(p -> assertThat(p)
                    .contains(id.shortForm()).contains("UNKNOWN_PREKEY"));
            assertThat(pakistan.connection.sent(Frame.DeliveryAck.class)).singleElement()
                    .satisfies(ack -> assertThat(ack.receipt().type()).isEqualTo(Receipt.Type.REJECTED))
                    .satisfies(ack -> assertThat(ack.receipt().reason()).contains(Receipt.RejectReason.UNKNOWN_PREKEY));
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

    /**
     * Issue 13, "done when": after the recipient's first rotation and the retention window, nothing
     * the facilitator holds for it (its credential file, generated by {@code pki init}, and
     * passphrase) opens a later message, which the recipient itself opens.
     */
    @Test
    void afterTheFirstRotationAndTheRetentionWindow_nothingTheFacilitatorHoldsOpensALaterMessage() throws Exception {
        SettableClock clock = new SettableClock(Instant.now());
        EngineHarness pakistan = EngineHarness.open(exercise, tmp.resolve("pk.pm"), "pk.pm", clock);
        EngineHarness in = EngineHarness.open(exercise, tmp.resolve("in2"), "in.pm", clock);
        try {
            pakistan.welcome(); // first rotation
            clock.set(clock.instant().plus(Duration.ofDays(7)).plusSeconds(1));
            pakistan.connection.disconnect("test");
            pakistan.welcome(); // rotates again; the initial prekey is erased
            assertThat(pakistan.engine.holdsInitialPrekey()).isFalse();
            List<org.hotline.protocol.wire.SignedPrekeyBytes> published =
                    pakistan.connection.sent(Frame.PrekeyUpload.class).get(1).prekeys();
            in.relayServes("pk.pm", published.toArray(org.hotline.protocol.wire.SignedPrekeyBytes[]::new));

            in.welcome();
            MessageId id = composeOn(in, "after the window");
            in.sync();
            Frame.Send send = sentOf(in, id);
            Frame.Deliver box = EngineHarness.deliverTo("pk.pm", send);

            // Everything the facilitator holds for pk.pm: the credential file pki init wrote, opened
            // with its passphrase. Its only decryption key is the initial prekey.
            var facilitatorsCopy = exercise.directory().loadRole("pk.pm", TestExercise.PASSPHRASE.toCharArray(),
                    clock.instant());
            PrekeyPair initial = facilitatorsCopy.initialPrekey().orElseThrow();
            assertThat(boxPrekeyIdFor("pk.pm", send)).isNotEqualTo(initial.id())
                    .isEqualTo(published.get(published.size() - 1).prekeyId());
            assertThatThrownBy(() -> MessageSealer.open(box, initial)).isInstanceOfSatisfying(CryptoException.class,
                    e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.UNKNOWN_PREKEY));

            pakistan.connection.inject(box);
            pakistan.sync();
            assertThat(pakistan.memory.hasIncoming(id)).as("the recipient opens it").isTrue();
        } finally {
            in.close();
            pakistan.close();
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

    /** Reviewer L4: a client configured to make prekeys no sender accepts refuses to start. */
    @Test
    void aConfiguredPrekeyValidityAboveTheSendersCap_isRefused() {
        var d = org.hotline.client.core.ClientConfig.defaults(exercise.dir(), "in.pm", "relay.invalid", 1, tmp);
        assertThatThrownBy(() -> new org.hotline.client.core.ClientConfig(d.exerciseDir(), d.role(), d.relayHost(),
                d.relayPort(), d.dataDir(), d.linkTestInterval(), d.reconnectMin(), d.reconnectMax(), d.prekeyRotation(),
                VerifiedPrekey.MAX_ROTATED_VALIDITY.plusSeconds(1), d.prekeyRetention(), d.checkpointEvery(),
                d.kdfIterations(), d.keepAlive())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prekey validity");
    }

    /** Reviewer L2: a held row is not among the queued ones the re-send round sends as stored. */
    @Test
    void aHeldMessage_isNotAmongTheQueued_untilReleased_inTheSqliteStore() throws Exception {
        MessageId id = composeDirect("held: composed offline");
        var row = india.memory.outgoing(id).orElseThrow();
        try (var sqlite = org.hotline.client.core.store.SqliteClientStore.open(tmp.resolve("db"))) {
            sqlite.addOutgoing(row, org.hotline.protocol.crypto.Hashes.messageHash(row.message()), true);
            assertThat(sqlite.queued()).isEmpty();
            assertThat(sqlite.held()).extracting(o -> o.id()).containsExactly(id);
            sqlite.released(id);
            assertThat(sqlite.queued()).extracting(o -> o.id()).containsExactly(id);
        }
    }

    /** Reviewer L2: a held message accepted meanwhile (another process sent it) is not sent provisionally sealed. */
    @Test
    void aHeldMessageNoLongerQueuedWhenResealed_isNotSentAsProvisionallySealed() throws Exception {
        MessageId id = composeDirect("held, provisionally sealed to the initial prekey");
        india.memory.advance(id, org.hotline.client.core.DeliveryState.ACCEPTED, Instant.now());
        india.relayServes("pk.pm", pakistanPrekey(585858, Duration.ofHours(48)).signed());
        india.welcome();
        assertThat(india.connection.sent(Frame.Send.class).stream().filter(s -> s.messageId().equals(id))).isEmpty();
        assertThat(india.onEngine(() -> india.engine.outbox.isHeld(id))).isFalse();
    }

    /** Reviewer M2: the initial prekey's retention starts when the relay accepted a rotated prekey, not before. */
    @Test
    void theInitialPrekeysRetention_startsWhenTheRelayAcceptsARotatedPrekey_andARefusedUploadIsRetried()
            throws Exception {
        SettableClock clock = new SettableClock(Instant.now());
        EngineHarness pakistan = EngineHarness.open(exercise, tmp.resolve("pk.pm"), "pk.pm", clock);
        try {
            pakistan.refuseUploads(true);
            pakistan.welcome();
            pakistan.connection.forget();
            clock.set(clock.instant().plusSeconds(60));
            pakistan.onEngine(() -> {
                pakistan.engine.prekeyTick();
                return null;
            });
            assertThat(pakistan.connection.sent(Frame.PrekeyUpload.class)).as("a refused upload is tried again").hasSize(1);

            clock.set(clock.instant().plus(Duration.ofDays(7)).plusSeconds(1));
            pakistan.onEngine(() -> {
                pakistan.engine.prekeyTick();
                return null;
            });
            assertThat(pakistan.engine.holdsInitialPrekey()).as("no rotated prekey was ever accepted").isTrue();

            pakistan.refuseUploads(false);
            Instant accepted = clock.instant().plusSeconds(60);
            clock.set(accepted);
            pakistan.onEngine(() -> {
                pakistan.engine.prekeyTick();
                return null;
            });
            pakistan.sync();
            assertThat(pakistan.engine.holdsInitialPrekey()).isTrue();
            clock.set(accepted.plus(Duration.ofDays(7)).minusSeconds(60));
            pakistan.onEngine(() -> {
                pakistan.engine.prekeyTick();
                return null;
            });
            assertThat(pakistan.engine.holdsInitialPrekey()).isTrue();
            clock.set(accepted.plus(Duration.ofDays(7)).plusSeconds(1));
            pakistan.onEngine(() -> {
                pakistan.engine.prekeyTick();
                return null;
            });
            assertThat(pakistan.engine.holdsInitialPrekey()).isFalse();
        } finally {
            pakistan.close();
        }
    }

    /** Reviewer H2, detection: a message sealed to our initial prekey well after we published a rotated one. */
    @Test
    void aMessageSealedToTheInitialPrekeyAfterTheRecipientRotated_raisesAProblem() throws Exception {
        SettableClock clock = new SettableClock(Instant.now());
        EngineHarness pakistan = EngineHarness.open(exercise, tmp.resolve("pk.pm"), "pk.pm", clock);
        EngineHarness in = EngineHarness.open(exercise, tmp.resolve("in2"), "in.pm", clock);
        try {
            pakistan.welcome(); // rotates; the relay accepts the upload
            clock.set(clock.instant().plus(Duration.ofHours(1)));
            MessageId id = composeOn(in, "composed offline: provisionally sealed to the initial prekey");
            Frame.Send send = (Frame.Send) org.hotline.protocol.wire.FrameCodec.decode(
                    in.memory.outgoing(id).orElseThrow().sendFrame());
            assertThat(boxPrekeyIdFor("pk.pm", send)).isEqualTo(initialIdOf("pk.pm"));
            pakistan.connection.inject(EngineHarness.deliverTo("pk.pm", send));
            pakistan.sync();
            assertThat(pakistan.memory.hasIncoming(id)).as("still opened").isTrue();
            assertThat(pakistan.events.problems).anySatisfy(p -> assertThat(p).contains(id.shortForm())
                    .contains("initial prekey"));
        } finally {
            in.close();
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
    void aRotatedPrekeyValidLongerThanSevenDays_isRefused_withTheReason_andNeitherItNorTheInitialPrekeyIsSealedTo() throws Exception {
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

        india.relayServes("pk.pm", tooLong.signed());
        india.welcome();
        MessageId id = composeDirect("not to the long one");
        india.sync();

        assertThat(india.events.problems).anySatisfy(p -> assertThat(p).contains("515151").contains("longer than"));
        // Reviewer H2: its signature is pk.pm's, so pk.pm has rotated: not to the initial prekey either.
        assertThat(india.connection.sent(Frame.Send.class).stream().filter(s -> s.messageId().equals(id))).isEmpty();
        assertThat(india.onEngine(() -> india.engine.outbox.isHeld(id))).isTrue();
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
