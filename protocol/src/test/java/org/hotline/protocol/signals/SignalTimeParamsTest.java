package org.hotline.protocol.signals;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.hotline.protocol.signals.SignalParam.When;
import org.junit.jupiter.api.Test;

/** The catalog says for each time whether the sentence speaks of the past, the present or the future. */
class SignalTimeParamsTest {

    static final SignalCatalog CATALOG = SignalCatalog.builtIn();

    @Test
    void everyTimeParameter_saysPastPresentOrFuture() {
        assertThat(CATALOG.signals().stream().flatMap(s -> s.params().stream()).filter(p -> p.type() == ParamType.TIME))
                .isNotEmpty().allMatch(p -> p.when().isPresent());
    }

    @Test
    void tenses_fitTheSentences() {
        assertThat(param("posture.normal-readiness", "asOf").when()).contains(When.PRESENT);
        assertThat(param("incident.report-request-facts", "incidentTime").when()).contains(When.PAST);
        assertThat(param("deesc.ceasefire-loc", "startTime").when()).contains(When.FUTURE);
        assertThat(param("ack.received", "replyBy").when()).contains(When.FUTURE);
    }

    @Test
    void aWindow_mustEndAfterItStarts() throws Exception {
        assertThat(param("humanitarian.medical-access", "endTime").after()).contains("startTime");
        assertThat(CATALOG.orderProblem("humanitarian.medical-access", Map.of("location", "Uri",
                "startTime", "2026-05-10T11:40:00Z", "endTime", "2026-05-10T11:40:00Z")))
                .contains("End time must be later than start time");
        assertThat(CATALOG.orderProblem("humanitarian.medical-access", Map.of("location", "Uri",
                "startTime", "2026-05-10T11:40:00Z", "endTime", "2026-05-10T13:40:00Z"))).isEmpty();
        assertThat(CATALOG.orderProblem("notify.missile-test", Map.of("windowStart", "2026-05-10T11:40:00Z",
                "windowEnd", "2026-05-10T10:00:00Z", "impactArea", "sea"))).isPresent();
    }

    static SignalParam param(String signal, String name) {
        return CATALOG.find(signal).orElseThrow().params().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow();
    }
}
