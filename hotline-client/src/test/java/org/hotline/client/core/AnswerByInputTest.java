package org.hotline.client.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.hotline.protocol.signals.SignalCatalog;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class AnswerByInputTest {

    static final Instant NOW = Instant.parse("2026-05-10T14:00:00Z");
    static final SignalCatalog CATALOG = SignalCatalog.builtIn();

    @ParameterizedTest
    @CsvSource({"10m, PT10M", "30s, PT30S", "1h, PT1H", "1h30m, PT1H30M", "90m, PT1H30M", "PT45M, PT45M",
            "2h5m10s, PT2H5M10S"})
    void durations_countFromNow(String input, String expected) {
        assertThat(AnswerByInput.parse(input, NOW, CATALOG, Optional.empty())).contains(NOW.plus(Duration.parse(expected)));
    }

    @ParameterizedTest
    @CsvSource({"2026-05-10T14:30:00Z, 2026-05-10T14:30:00Z", "2026-05-10T20:00+05:30, 2026-05-10T14:30:00Z"})
    void isoTimes_asBefore(String input, String expected) {
        assertThat(AnswerByInput.parse(input, NOW, CATALOG, Optional.empty())).contains(Instant.parse(expected));
    }

    @ParameterizedTest
    @CsvSource({"clarify.request-details, PT30M", "incident.report-request-facts, PT10M"})
    void default_isTheCatalogsForTheSignal(String signal, String expected) {
        assertThat(AnswerByInput.parse("default", NOW, CATALOG, Optional.of(signal)))
                .contains(NOW.plus(Duration.parse(expected)));
        assertThat(AnswerByInput.parse("default", NOW, CATALOG, Optional.of("ack.received"))).isEmpty();
        assertThat(AnswerByInput.parse("default", NOW, CATALOG, Optional.empty())).isEmpty();
        assertThat(AnswerByInput.parse("none", NOW, CATALOG, Optional.of(signal))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0m", "8d", "200h", "ten minutes", "10", "m", "", "2026-05-10 14:30", "-5m"})
    void anythingElse_isRefusedSayingWhatIsAccepted(String input) {
        assertThatThrownBy(() -> AnswerByInput.parse(input, NOW, CATALOG, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--answer-by");
    }
}
