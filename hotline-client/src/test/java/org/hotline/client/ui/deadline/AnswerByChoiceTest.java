package org.hotline.client.ui.deadline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.hotline.protocol.exercise.Party;
import org.hotline.protocol.signals.SignalCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The compose form's answer-by choice and the countdown's wording, without the toolkit. */
@Timeout(10)
class AnswerByChoiceTest {

    static final Instant NOW = Instant.parse("2026-05-10T09:00:00Z");
    static final List<Party> PARTIES = List.of(new Party("in", "India", ZoneId.of("Asia/Kolkata"), "IST"),
            new Party("pk", "Pakistan", ZoneId.of("Asia/Karachi"), "PKT"));

    final AnswerByChoice choice = new AnswerByChoice(SignalCatalog.builtIn(), PARTIES, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aSignal_presetsItsCatalogDefault_theSenderCanChangeOrClearIt() {
        choice.useDefaultOf(Optional.of("clarify.request-details"));
        assertThat(choice.valueProperty().get()).isEqualTo("30m");
        assertThat(choice.deadline()).contains(NOW.plus(Duration.ofMinutes(30)));
        assertThat(choice.hintProperty().get()).isEqualTo("Reply asked by 15:00 IST \u00b7 14:30 PKT (09:30 UTC)");
        choice.valueProperty().set("1h30m");
        assertThat(choice.deadline()).contains(NOW.plus(Duration.ofMinutes(90)));
        choice.valueProperty().set("none");
        assertThat(choice.deadline()).isEmpty();
        assertThat(choice.hintProperty().get()).isEqualTo("No reply asked for");
    }

    @Test
    void signalsThatAskNothing_andNoSignal_presetNone() {
        choice.useDefaultOf(Optional.of("ack.received"));
        assertThat(choice.valueProperty().get()).isEqualTo("none");
        choice.useDefaultOf(Optional.of("incident.report-request-facts"));
        assertThat(choice.valueProperty().get()).isEqualTo("10m");
        choice.useDefaultOf(Optional.empty());
        assertThat(choice.valueProperty().get()).isEqualTo("none");
    }

    @Test
    void nonsense_isSaidInTheHint_andRefusedOnSending() {
        choice.valueProperty().set("soon");
        assertThat(choice.hintProperty().get()).startsWith("Not a duration");
        assertThatThrownBy(choice::deadline).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void countdown_minutesAndSeconds_hoursWhenLonger_dueNowAtZero() {
        assertThat(DeadlineViewModel.countdown(Duration.ofSeconds(581))).isEqualTo("9:41 left");
        assertThat(DeadlineViewModel.countdown(Duration.ofMillis(580_200))).isEqualTo("9:41 left");
        assertThat(DeadlineViewModel.countdown(Duration.ofSeconds(3723))).isEqualTo("1:02:03 left");
        assertThat(DeadlineViewModel.countdown(Duration.ZERO)).isEqualTo("due now");
        assertThat(DeadlineViewModel.countdown(Duration.ofSeconds(-5))).isEqualTo("due now");
    }
}
