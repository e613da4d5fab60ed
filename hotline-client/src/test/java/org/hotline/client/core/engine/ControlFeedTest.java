package org.hotline.client.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.hotline.client.core.ClientListener;
import org.hotline.client.core.DeliveryState;
import org.hotline.client.core.ReceivedInject;
import org.hotline.client.core.ScenarioClock;
import org.hotline.protocol.exercise.Channel;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.MessageId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exercise control seen by the participants' engines (PROTOCOL.md §1.1, §4.2, §4.5): injects and
 * clock messages count only from control, and control observes the leaders channel.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ControlFeedTest {

    static final Content.Inject INJECT = new Content.Inject("I-01", Content.InjectKind.SITUATION,
            Instant.parse("2026-05-07T01:00:00Z"), "Armed attack at Kestrel Ridge", "First reports speak of casualties.");

    @TempDir
    static Path shared;
    static TestExercise exercise;

    @TempDir
    Path tmp;
    EngineHarness control;
    EngineHarness india;
    EngineHarness pakistan;
    final List<ReceivedInject> injects = new CopyOnWriteArrayList<>();
    final List<ScenarioClock> clocks = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void pki() {
        exercise = TestExercise.create(shared);
    }

    @BeforeEach
    void engines() throws Exception {
        control = EngineHarness.open(exercise, tmp.resolve("control"), "control");
        india = EngineHarness.open(exercise, tmp.resolve("in.pm"), "in.pm");
        pakistan = EngineHarness.open(exercise, tmp.resolve("pk.pm"), "pk.pm");
        control.welcome();
        india.welcome();
        pakistan.welcome();
        india.engine.listeners.add(new ClientListener() {
            @Override
            public void injectReceived(ReceivedInject inject) {
                injects.add(inject);
            }

            @Override
            public void exerciseClockChanged(ScenarioClock clock) {
                clocks.add(clock);
            }
        });
    }

    @AfterEach
    void close() {
        control.close();
        india.close();
        pakistan.close();
    }

    static Frame.Send compose(EngineHarness from, Channel channel, Content content) throws Exception {
        MessageId id = from.onEngine(() -> from.engine.outbox.compose(channel, content, Optional.empty(), Optional.empty()));
        // A cached initial prekey is fetched again before sealing (PROTOCOL.md §5.2): the message goes
        // once the fake relay's answer has been handled on the engine thread.
        from.sync();
        from.sync();
        return from.connection.sent(Frame.Send.class).stream().filter(s -> s.messageId().equals(id)).findFirst()
                .orElseThrow();
    }

    static Channel channel(EngineHarness from, String to) {
        return from.engine.exercise.channelFor(from.role, to).orElseThrow();
    }

    void deliver(EngineHarness to, Frame.Send send) throws Exception {
        to.connection.inject(EngineHarness.deliverTo(to.role, send));
        to.sync();
    }

    List<MessageId> confirmedBy(EngineHarness h) {
        // Only delivery confirmations: a refused message is answered with a rejection, not confirmed.
        return InboxTest.confirmedAsStored(h);
    }

    @Test
    void injectFromControl_reachesTheSituationFeed_notTheConversation() throws Exception {
        Frame.Send send = compose(control, channel(control, "in.pm"), INJECT);
        deliver(india, send);
        assertThat(confirmedBy(india)).containsExactly(send.messageId());
        assertThat(injects).singleElement().satisfies(i -> {
            assertThat(i.injectId()).isEqualTo("I-01");
            assertThat(i.kind()).isEqualTo("situation");
            assertThat(i.from()).isEqualTo("control");
            assertThat(i.title()).isEqualTo(INJECT.title());
            assertThat(i.scenarioTime()).isEqualTo(INJECT.scenarioTime());
            assertThat(i.verified()).isTrue();
        });
        assertThat(india.events.received).isEmpty();
        assertThat(india.onEngine(() -> india.engine.inbox.controlFeed().injects())).hasSize(1);
        assertThat(india.events.problems).isEmpty();
    }

    @Test
    void clockMessages_setTheScenarioClock_andAnOlderOneArrivingLateChangesNothing() throws Exception {
        Instant scenario = Instant.parse("2026-05-07T01:00:00Z");
        Frame.Send start = compose(control, channel(control, "in.pm"),
                new Content.ExerciseClock(Content.ClockAction.START, scenario, 60_000, true));
        Thread.sleep(5);
        Frame.Send pause = compose(control, channel(control, "in.pm"),
                new Content.ExerciseClock(Content.ClockAction.PAUSE, scenario.plusSeconds(600), 60_000, false));
        deliver(india, pause);
        deliver(india, start);
        ScenarioClock now = india.onEngine(() -> india.engine.inbox.controlFeed().clock()).orElseThrow();
        assertThat(now.paused()).isTrue();
        assertThat(now.scenarioAt(Instant.now().plusSeconds(3600))).isEqualTo(scenario.plusSeconds(600));
        assertThat(clocks).hasSize(1);
    }

    @Test
    void injectSignedByAParticipant_isRefused_notConfirmed_notShown() throws Exception {
        Frame.Send forged = compose(pakistan, channel(pakistan, "in.pm"), INJECT);
        deliver(india, forged);
        assertThat(confirmedBy(india)).isEmpty();
        assertThat(injects).isEmpty();
        assertThat(india.events.problems).anySatisfy(p -> assertThat(p).contains("rejected")
                .contains("signed by pk.pm, who is not exercise control"));
        Frame.Send clock = compose(pakistan, channel(pakistan, "in.pm"),
                new Content.ExerciseClock(Content.ClockAction.PAUSE, Instant.now(), 1000, false));
        deliver(india, clock);
        assertThat(clocks).isEmpty();
    }

    @Test
    void aParticipantsClient_refusesToComposeAnInject() {
        assertThatThrownBy(() -> new ClientApi(pakistan.engine).send("in.pm", INJECT, Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not exercise control");
    }

    @Test
    void leadersMessage_isSealedToControlToo_andControlReadsIt() throws Exception {
        Frame.Send m = compose(india, channel(india, "pk.pm"), new Content.Text("We offer our condolences."));
        assertThat(m.boxes()).extracting(b -> b.recipient()).containsExactly("control", "pk.pm");
        deliver(pakistan, m);
        deliver(control, m);
        assertThat(pakistan.events.received).singleElement().satisfies(r -> assertThat(r.to())
                .containsExactly("control", "pk.pm"));
        assertThat(control.events.received).singleElement().satisfies(r -> {
            assertThat(r.channel()).isEqualTo("leaders");
            assertThat(r.text()).isEqualTo("We offer our condolences.");
        });
        assertThat(control.events.problems).isEmpty();
    }

    @Test
    void leadersMessageWithoutControlsCopy_isFlaggedByTheReceiver_andRefused() throws Exception {
        Channel unobserved = new Channel("leaders", "Leaders", List.of("in.pm", "pk.pm"));
        Frame.Send m = compose(india, unobserved, new Content.Text("just between us"));
        assertThat(m.boxes()).extracting(b -> b.recipient()).containsExactly("pk.pm");
        deliver(pakistan, m);
        assertThat(confirmedBy(pakistan)).isEmpty();
        assertThat(pakistan.events.received).isEmpty();
        assertThat(pakistan.events.problems).anySatisfy(p -> assertThat(p)
                .contains("lacks exercise control's copy"));
    }

    @Test
    void control_doesNotAnswerLinkTestsOnTheChannelItObserves() throws Exception {
        Frame.Send test = compose(india, channel(india, "pk.pm"), new Content.LinkTest(42));
        deliver(control, test);
        assertThat(confirmedBy(control)).containsExactly(test.messageId());
        assertThat(control.connection.sent(Frame.Send.class)).isEmpty();
    }

    @Test
    void controlsReceiptForItsCopy_doesNotMarkALeadersMessageDelivered_pkPmsDoes() throws Exception {
        Frame.Send m = compose(india, channel(india, "pk.pm"), new Content.Text("for pk.pm, observed"));
        deliver(control, m);
        // Forwarded by the relay as sent: one cumulative receipt for the batch (PROTOCOL.md §6.1).
        india.connection.inject(control.connection.sent(Frame.DeliveredThrough.class).get(0));
        india.sync();
        assertThat(india.events.statesOf(m.messageId())).doesNotContain(DeliveryState.DELIVERED);
        assertThat(india.connection.sent(Frame.ReceiptAck.class)).as("confirmed to the relay all the same").hasSize(1);
        deliver(pakistan, m);
        india.connection.inject(pakistan.connection.sent(Frame.DeliveredThrough.class).get(0));
        india.sync();
        assertThat(india.events.statesOf(m.messageId())).contains(DeliveryState.DELIVERED);
    }
}
