package org.hotline.client.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.hotline.client.core.DeliveryState;
import org.hotline.client.core.store.OutboxStore;
import org.hotline.client.core.store.StoreException;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.crypto.PrekeyPair;
import org.hotline.protocol.pki.RelayCredential;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.FrameCodec;
import org.hotline.protocol.wire.MessageId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The outbox without a relay: compose, store before send, and the re-send window. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OutboxTest {

    @TempDir
    static Path shared;
    static TestExercise exercise;
    static RelayCredential relay;

    @TempDir
    Path tmp;
    EngineHarness india;

    @BeforeAll
    static void pki() throws Exception {
        exercise = TestExercise.create(shared);
        relay = exercise.relay();
    }

    @BeforeEach
    void engine() throws Exception {
        india = EngineHarness.open(exercise, tmp.resolve("in.pm"), "in.pm");
    }

    @AfterEach
    void close() {
        india.close();
    }

    MessageId compose(String text) throws Exception {
        MessageId id = india.onEngine(() -> india.engine.outbox.compose(india.engine.exercise.channelFor("in.pm", "pk.pm")
                .orElseThrow(), new Content.Text(text), Optional.empty(), Optional.empty()));
        india.sync(); // the relay's answer to a prekey fetch before sealing (PROTOCOL.md §5.2)
        return id;
    }

    long sendsOf(MessageId id) {
        return india.connection.sent(Frame.Send.class).stream().filter(s -> s.messageId().equals(id)).count();
    }

    /**
     * PROTOCOL.md §5.2: a prekey that pk.pm really signed, but for another exercise, is ignored with
     * its reason; India keeps sealing to a prekey of this exercise (here pk.pm's initial one).
     */
    @Test
    void aPeerPrekeyOfAnotherExercise_isIgnored_andMessagesAreSealedToOneOfThisExercise() throws Exception {
        india.welcome();
        byte[] elsewhere = relay.exerciseId().bytes();
        elsewhere[0] ^= 1;
        PrekeyPair foreign = PrekeyPair.generate(exercise.role("pk.pm").identity(), ExerciseId.of(elsewhere), "pk.pm",
                4242, java.time.Instant.now(), java.time.Duration.ofDays(2), new java.security.SecureRandom());
        india.connection.inject(new Frame.PrekeyBundle("pk.pm", java.util.List.of(foreign.signed())));
        india.sync();
        assertThat(india.events.problems).anySatisfy(p -> assertThat(p).contains("ignored a prekey of pk.pm")
                .contains("belongs to exercise"));
        MessageId id = compose("sealed to this exercise");
        Frame.Send send = india.connection.sent(Frame.Send.class).stream().filter(s -> s.messageId().equals(id))
                .findFirst().orElseThrow();
        // Exercise control observes leaders (south-asia template), so it gets a box too; pk.pm's is the one here.
        assertThat(send.boxes()).filteredOn(b -> b.recipient().equals("pk.pm")).singleElement()
                .satisfies(b -> assertThat(b.prekeyId()).isNotEqualTo(4242)
                .isEqualTo(exercise.directory().initialPrekeyOf("pk.pm").prekeyId()));
    }

    @Test
    void compose_whileTheLineIsDown_storesAndReports_butSendsNothing_untilWelcome() throws Exception {
        MessageId id = compose("queued while down");
        OutboxStore.Outgoing stored = india.memory.outgoing(id).orElseThrow();
        assertThat(stored.state()).isEqualTo(DeliveryState.QUEUED);
        assertThat(stored.text()).isEqualTo("queued while down");
        assertThat(india.connection.sent(Frame.Send.class)).isEmpty();
        assertThat(india.events.queued).singleElement().satisfies(s -> {
            assertThat(s.id()).isEqualTo(id);
            assertThat(s.to()).containsExactly("control", "pk.pm"); // control observes leaders
            assertThat(s.text()).isEqualTo("queued while down");
        });
        assertThat(india.events.statesOf(id)).containsExactly(DeliveryState.QUEUED);

        india.welcome();
        assertThat(india.connection.sent(Frame.Send.class)).singleElement()
                .satisfies(s -> assertThat(FrameCodec.encode(s)).isEqualTo(stored.sendFrame()));
    }

    @Test
    void aStoreFailure_queuesNothing_sendsNothing_andDoesNotAdvanceTheChain() throws Exception {
        india.welcome();
        india.outbox.failNextWrites(1);
        assertThatThrownBy(() -> compose("lost to a full disk")).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(StoreException.class);
        assertThat(india.connection.sent(Frame.Send.class)).isEmpty();
        assertThat(india.events.queued).isEmpty();
        assertThat(india.memory.allOutgoing()).isEmpty();
        MessageId next = compose("after the disk is fine");
        assertThat(india.memory.outgoing(next).orElseThrow().counter()).isEqualTo(1);
    }

    @Test
    void messagesOnAChannel_areNumberedAndHashChained() throws Exception {
        MessageId first = compose("one");
        MessageId second = compose("two");
        OutboxStore.Outgoing a = india.memory.outgoing(first).orElseThrow();
        OutboxStore.Outgoing b = india.memory.outgoing(second).orElseThrow();
        assertThat(a.counter()).isEqualTo(1);
        assertThat(b.counter()).isEqualTo(2);
        assertThat(b.message().header().previousSent()).isEqualTo(Hashes.messageHash(a.message()));
    }

    @Test
    void theResendWindow_skipsWhatWasJustSent_resendsAfterAReconnect_andStopsOnceAccepted() throws Exception {
        india.welcome();
        MessageId id = compose("resend me");
        assertThat(sendsOf(id)).isEqualTo(1);
        india.onEngine(() -> {
            india.engine.outbox.retryQueued();
            return null;
        });
        assertThat(sendsOf(id)).as("sent a moment ago: not again yet").isEqualTo(1);

        india.connection.disconnect("test");
        india.welcome();
        assertThat(sendsOf(id)).as("a new connection gets everything queued once").isEqualTo(2);

        india.connection.inject(india.accepted(relay, id));
        india.connection.disconnect("test");
        india.welcome();
        assertThat(sendsOf(id)).as("accepted: never sent again").isEqualTo(2);
        assertThat(india.events.statesOf(id)).containsExactly(DeliveryState.QUEUED, DeliveryState.ACCEPTED);
    }

    @Test
    void rateLimited_sendsWhatIsQueuedAgainAfterASecond() throws Exception {
        india.welcome();
        MessageId id = compose("too fast");
        india.connection.inject(new Frame.Error(ErrorCode.RATE_LIMITED, Optional.empty(), "slow down"));
        india.sync();
        assertThat(sendsOf(id)).isEqualTo(1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (sendsOf(id) < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(sendsOf(id)).isEqualTo(2);
        assertThat(india.events.problems).as("nothing for the person to do").isEmpty();
    }
}
