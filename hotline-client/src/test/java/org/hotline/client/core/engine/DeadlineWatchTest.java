package org.hotline.client.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.hotline.client.core.AnswerDeadline;
import org.hotline.client.core.ClientListener;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.audit.AuditVerifier;
import org.hotline.protocol.testing.SettableClock;
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
 * Answer-by deadlines on two real engines without a relay, on a settable clock (PROTOCOL.md §11.3
 * {@code deadline-missed}): a missed deadline is written once on both sides, a reply in time writes
 * nothing, and a paused exercise clock holds the deadline.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeadlineWatchTest {

    @TempDir
    static Path shared;
    static TestExercise exercise;

    @TempDir
    Path tmp;
    final Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    final SettableClock clock = new SettableClock(start);
    EngineHarness india;
    EngineHarness pakistan;
    final List<AnswerDeadline> indiaHeard = new CopyOnWriteArrayList<>();
    final List<AnswerDeadline> pakistanHeard = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void pki() {
        exercise = TestExercise.create(shared);
    }

    @BeforeEach
    void engines() throws Exception {
        india = EngineHarness.open(exercise, tmp.resolve("in.pm"), "in.pm", clock);
        pakistan = EngineHarness.open(exercise, tmp.resolve("pk.pm"), "pk.pm", clock);
        india.welcome();
        pakistan.welcome();
        india.engine.listeners.add(recorder(indiaHeard));
        pakistan.engine.listeners.add(recorder(pakistanHeard));
    }

    static ClientListener recorder(List<AnswerDeadline> into) {
        return new ClientListener() {
            @Override
            public void deadlineChanged(AnswerDeadline deadline) {
                into.add(deadline);
            }
        };
    }

    @AfterEach
    void close() {
        india.close();
        pakistan.close();
    }

    /** {@code from} sends {@code content} to {@code to}'s harness on their shared channel; {@code to} receives it. */
    static MessageId send(EngineHarness from, EngineHarness to, Content content, Optional<MessageId> inReplyTo,
                          Optional<Instant> answerBy) throws Exception {
        MessageId id = from.onEngine(() -> from.engine.outbox.compose(from.engine.exercise.channelFor(from.role, to.role)
                .orElseThrow(), content, inReplyTo, answerBy));
        from.sync();
        Frame.Send send = from.connection.sent(Frame.Send.class).stream().filter(s -> s.messageId().equals(id))
                .findFirst().orElseThrow();
        to.connection.inject(EngineHarness.deliverTo(to.role, send));
        to.sync();
        return id;
    }

    void tickBoth() throws Exception {
        india.onEngine(() -> {
            india.engine.deadlines.tick();
            return null;
        });
        pakistan.onEngine(() -> {
            pakistan.engine.deadlines.tick();
            return null;
        });
    }

    List<AuditEvent.DeadlineMissed> missedIn(EngineHarness h) throws Exception {
        h.close();
        var report = AuditVerifier.verify(tmp.resolve(h.role).resolve("audit.jsonl"),
                Optional.of(exercise.directory().validator()), Optional.of(exercise.exercise()));
        assertThat(report.problem()).as(h.role + "'s log").isEmpty();
        return report.accepted().stream().filter(e -> e.event() instanceof AuditEvent.DeadlineMissed)
                .map(e -> (AuditEvent.DeadlineMissed) e.event()).toList();
    }

    @Test
    void deadlinePassesUnanswered_bothSidesWriteOneEntry_onceOnly() throws Exception {
        Instant by = start.plus(Duration.ofMinutes(10));
        MessageId id = send(india, pakistan, new Content.Text("Please confirm the call at 16:00 UTC."),
                Optional.empty(), Optional.of(by));
        assertThat(pakistan.onEngine(() -> pakistan.engine.deadlines.deadlines())).singleElement()
                .satisfies(d -> {
                    assertThat(d.state()).isEqualTo(AnswerDeadline.State.OPEN);
                    assertThat(d.outgoing()).isFalse();
                    assertThat(d.remaining(clock.instant(), Optional.empty())).isEqualTo(Duration.ofMinutes(10));
                });
        clock.set(by.minusSeconds(1));
        tickBoth();
        assertThat(indiaHeard).allMatch(d -> d.state() == AnswerDeadline.State.OPEN);
        clock.set(by.plusSeconds(1));
        tickBoth();
        tickBoth();
        assertThat(indiaHeard).filteredOn(d -> d.state() == AnswerDeadline.State.MISSED).singleElement()
                .satisfies(d -> assertThat(d.outgoing()).isTrue());
        assertThat(pakistanHeard).filteredOn(d -> d.state() == AnswerDeadline.State.MISSED).hasSize(1);
        for (EngineHarness side : List.of(india, pakistan)) {
            assertThat(missedIn(side)).as(side.role).singleElement().satisfies(m -> {
                assertThat(m.id()).isEqualTo(id);
                assertThat(m.clock()).isEqualTo("wall");
                assertThat(m.deadline()).isEqualTo(by);
            });
        }
    }

    @Test
    void aRestartDoesNotWriteTheMissedDeadlineAgain() throws Exception {
        Instant by = start.plus(Duration.ofMinutes(10));
        send(india, pakistan, new Content.Text("Call?"), Optional.empty(), Optional.of(by));
        clock.set(by.plusSeconds(1));
        tickBoth();
        india.close();
        EngineHarness again = EngineHarness.reopen(exercise, tmp.resolve("in.pm"), "in.pm", india.memory);
        try {
            assertThat(again.onEngine(() -> again.engine.deadlines.deadlines())).singleElement()
                    .satisfies(d -> assertThat(d.state()).isEqualTo(AnswerDeadline.State.MISSED));
            again.onEngine(() -> {
                again.engine.deadlines.tick();
                return null;
            });
            india = again;
            assertThat(missedIn(again)).hasSize(1);
        } finally {
            again.close();
        }
    }

    @Test
    void aReplyBeforeTheDeadline_writesNothing_onEitherSide() throws Exception {
        Instant by = start.plus(Duration.ofMinutes(10));
        MessageId id = send(india, pakistan, new Content.Text("Please confirm the call at 16:00 UTC."),
                Optional.empty(), Optional.of(by));
        clock.set(start.plus(Duration.ofMinutes(4)));
        send(pakistan, india, new Content.Text("Confirmed."), Optional.of(id), Optional.empty());
        assertThat(india.onEngine(() -> india.engine.deadlines.deadlines())).singleElement()
                .satisfies(d -> assertThat(d.state()).isEqualTo(AnswerDeadline.State.ANSWERED));
        assertThat(pakistan.onEngine(() -> pakistan.engine.deadlines.deadlines())).singleElement()
                .satisfies(d -> assertThat(d.state()).isEqualTo(AnswerDeadline.State.ANSWERED));
        clock.set(by.plus(Duration.ofHours(1)));
        tickBoth();
        assertThat(indiaHeard).noneMatch(d -> d.state() == AnswerDeadline.State.MISSED);
        assertThat(missedIn(india)).isEmpty();
        assertThat(missedIn(pakistan)).isEmpty();
    }

    @Test
    void aPausedExerciseClock_holdsTheDeadline_andItPassesInScenarioTime() throws Exception {
        EngineHarness control = EngineHarness.open(exercise, tmp.resolve("control"), "control", clock);
        try {
            control.welcome();
            Instant scenario = Instant.parse("2026-05-10T09:00:00Z");
            send(control, pakistan, new Content.ExerciseClock(Content.ClockAction.PAUSE, scenario, 1000, false),
                    Optional.empty(), Optional.empty());
            Instant by = start.plus(Duration.ofMinutes(10));
            send(india, pakistan, new Content.Text("Call?"), Optional.empty(), Optional.of(by));
            clock.set(by.plus(Duration.ofHours(1)));
            tickBoth();
            assertThat(pakistanHeard).noneMatch(d -> d.state() == AnswerDeadline.State.MISSED);
            AnswerDeadline held = pakistan.onEngine(() -> pakistan.engine.deadlines.deadlines()).get(0);
            assertThat(held.followsExerciseClock()).isTrue();
            assertThat(held.deadline()).isEqualTo(scenario.plus(Duration.ofMinutes(10)));

            // Resumed at 60x: ten scenario minutes pass in ten real seconds.
            Instant resumedAt = clock.instant();
            send(control, pakistan, new Content.ExerciseClock(Content.ClockAction.RESUME, scenario, 60_000, true),
                    Optional.empty(), Optional.empty());
            clock.set(resumedAt.plusSeconds(9));
            tickBoth();
            assertThat(pakistanHeard).noneMatch(d -> d.state() == AnswerDeadline.State.MISSED);
            clock.set(resumedAt.plusSeconds(11));
            tickBoth();
            assertThat(pakistanHeard).filteredOn(d -> d.state() == AnswerDeadline.State.MISSED).hasSize(1);
            assertThat(missedIn(pakistan)).singleElement().satisfies(m -> {
                assertThat(m.clock()).isEqualTo("exercise");
                assertThat(m.deadline()).isEqualTo(scenario.plus(Duration.ofMinutes(10)));
            });
        } finally {
            control.close();
        }
    }
}
