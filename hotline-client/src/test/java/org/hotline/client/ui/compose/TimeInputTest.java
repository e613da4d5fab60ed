package org.hotline.client.ui.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.hotline.protocol.exercise.Party;
import org.hotline.protocol.signals.SignalParam.When;
import org.junit.jupiter.api.Test;

/** Times typed the way people say them in a two-zone exercise. */
class TimeInputTest {

    static final List<Party> PARTIES = List.of(new Party("in", "India", ZoneId.of("Asia/Kolkata"), "IST"),
            new Party("pk", "Pakistan", ZoneId.of("Asia/Karachi"), "PKT"));
    static final Instant NOW = Instant.parse("2026-05-10T14:00:00Z"); // 19:30 IST, 19:00 PKT
    final TimeInput input = new TimeInput(PARTIES);

    @Test
    void isoUtc_andAnyOffset_areAccepted() {
        assertThat(input.parse("2026-05-10T14:00Z", Optional.empty(), NOW)).isEqualTo(NOW);
        assertThat(input.parse("2026-05-10T19:30+05:30", Optional.empty(), NOW)).isEqualTo(NOW);
    }

    @Test
    void clockTime_inEitherPartysZone_orUtc() {
        assertThat(input.parse("16:30 IST", Optional.of(When.PAST), NOW)).isEqualTo(Instant.parse("2026-05-10T11:00:00Z"));
        assertThat(input.parse("19:00 pkt", Optional.of(When.PRESENT), NOW)).isEqualTo(NOW);
        assertThat(input.parse("2026-05-11 09:00 PKT", Optional.empty(), NOW))
                .isEqualTo(Instant.parse("2026-05-11T04:00:00Z"));
        assertThat(input.parse("14:00 UTC", Optional.empty(), NOW)).isEqualTo(NOW);
    }

    @Test
    void withoutADate_theDayIsTheOneThatKeepsTheSentenceTrue() {
        // 16:30 IST has passed today: as a proposal it means tomorrow, as a report it means today.
        assertThat(input.parse("16:30 IST", Optional.of(When.FUTURE), NOW)).isEqualTo(Instant.parse("2026-05-11T11:00:00Z"));
        assertThat(input.parse("16:30 IST", Optional.of(When.PAST), NOW)).isEqualTo(Instant.parse("2026-05-10T11:00:00Z"));
        // 21:00 IST is still to come today: as a report of the past it means yesterday.
        assertThat(input.parse("21:00 IST", Optional.of(When.FUTURE), NOW)).isEqualTo(Instant.parse("2026-05-10T15:30:00Z"));
        assertThat(input.parse("21:00 IST", Optional.of(When.PAST), NOW)).isEqualTo(Instant.parse("2026-05-09T15:30:00Z"));
    }

    @Test
    void nonsense_andUnknownZones_areRefusedWithTheFormsThatWork() {
        assertThatThrownBy(() -> input.parse("tomorrow", Optional.empty(), NOW)).hasMessageContaining("16:30 IST")
                .hasMessageContaining("must be a UTC time");
        assertThatThrownBy(() -> input.parse("16:30 CET", Optional.empty(), NOW)).hasMessageContaining("IST, PKT, UTC");
        assertThatThrownBy(() -> input.parse("25:10 IST", Optional.empty(), NOW)).hasMessageContaining("not a time of day");
    }

    @Test
    void tense_pastAndPresentMayNotLieAhead_futureMustNotHavePassed() {
        Instant inAnHour = NOW.plusSeconds(3600);
        assertThat(TimeInput.tenseProblem(inAnHour, When.PAST, NOW)).isPresent();
        assertThat(TimeInput.tenseProblem(inAnHour, When.PRESENT, NOW)).isPresent();
        assertThat(TimeInput.tenseProblem(inAnHour, When.FUTURE, NOW)).isEmpty();
        assertThat(TimeInput.tenseProblem(NOW.minusSeconds(60), When.FUTURE, NOW)).isPresent();
        assertThat(TimeInput.tenseProblem(NOW.minusSeconds(60), When.PAST, NOW)).isEmpty();
        assertThat(TimeInput.tenseProblem(NOW.plusSeconds(60), When.PRESENT, NOW)).as("a minute ahead is still now").isEmpty();
    }

    @Test
    void defaults_areShownInTheOwnZone() {
        assertThat(input.format(NOW, PARTIES.get(0))).isEqualTo("2026-05-10 19:30 IST");
        assertThat(input.parse(input.format(NOW, PARTIES.get(1)), Optional.empty(), NOW)).isEqualTo(NOW);
    }
}
