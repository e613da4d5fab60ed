package org.hotline.client.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hotline.client.ui.replay.ReplayViewModel;
import org.junit.jupiter.api.Test;

/** Playback logic without the toolkit: play at a speed, step, scrub, and both sides' views. */
class ReplayViewModelTest {

    static final Instant T0 = Instant.parse("2026-05-10T14:00:00Z");

    static Timeline timeline() {
        var a = new Timeline.MessageRecord("0000000000000001", "in.pm", List.of("pk.pm"), "leaders", 1, "incident",
                "An incident was reported.", T0, Optional.of(T0.plusMillis(300)), Optional.of(T0.plusSeconds(1)),
                Optional.of(T0.plusSeconds(40)), List.of("in.pm", "pk.pm"), true, Optional.empty());
        var b = new Timeline.MessageRecord("0000000000000002", "pk.pm", List.of("in.pm"), "leaders", 1, "nuclear-posture",
                "Forces at normal readiness.", T0.plusSeconds(100), Optional.of(T0.plusSeconds(100)), Optional.empty(),
                Optional.empty(), List.of("pk.pm"), true, Optional.empty());
        return new Timeline(T0, T0.plusSeconds(120), List.of(a, b), List.of(), List.of(), List.of(), List.of());
    }

    @Test
    void playingAtTenTimes_advancesTenSecondsPerSecond_andShowsEachSide() {
        ReplayViewModel vm = new ReplayViewModel(timeline());
        assertThat(vm.clockProperty().get()).isEqualTo("T+00:00:00.0");
        vm.speedProperty().set(10);
        vm.playingProperty().set(true);
        vm.tick(Duration.ofMillis(500));
        assertThat(vm.clockProperty().get()).isEqualTo("T+00:00:05.0");
        assertThat(vm.senderViewProperty().get()).contains("in.pm sent at T+00:00:00").contains("delivered +1.0 s")
                .contains("(later: +40.0 s)");
        assertThat(vm.recipientViewProperty().get()).contains("pk.pm received at T+00:00:01")
                .contains("not acknowledged yet");
        vm.tick(Duration.ofSeconds(4));
        assertThat(vm.recipientViewProperty().get()).contains("acknowledged at T+00:00:40");
    }

    @Test
    void step_jumpsToTheNextMessage_andScrubMovesAnywhere() {
        ReplayViewModel vm = new ReplayViewModel(timeline());
        vm.step();
        assertThat(vm.currentProperty().get()).get().extracting(Timeline.MessageRecord::from).isEqualTo("pk.pm");
        assertThat(vm.recipientViewProperty().get()).contains("has not received this yet");
        vm.scrub(0);
        assertThat(vm.currentProperty().get()).get().extracting(Timeline.MessageRecord::from).isEqualTo("in.pm");
        vm.scrub(1);
        assertThat(vm.fraction()).isEqualTo(1.0);
        assertThat(vm.lanes()).containsExactly("in.pm", "pk.pm");
    }

    @Test
    void playback_stopsAtTheEnd() {
        ReplayViewModel vm = new ReplayViewModel(timeline());
        vm.speedProperty().set(100);
        vm.playingProperty().set(true);
        vm.tick(Duration.ofSeconds(10));
        assertThat(vm.playingProperty().get()).isFalse();
        assertThat(vm.fraction()).isEqualTo(1.0);
    }
}
