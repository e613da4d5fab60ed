package org.hotline.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.hotline.protocol.signals.SignalCatalog;
import org.hotline.protocol.wire.Intent;
import org.hotline.protocol.wire.ReadAs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The demo's scripted readings name real signals and include a reassurance misread, for the report to show. */
@Timeout(10)
class ScenarioReadingsTest {

    @Test
    void script_hasAReassuranceReadAsAThreat_andNamesOnlyCatalogSignals() {
        SignalCatalog catalog = SignalCatalog.builtIn();
        var misread = ScenarioReadings.of("pk.pm", "limited.action-concluded").orElseThrow();
        assertThat(misread.readAs()).isEqualTo(ReadAs.THREATENING);
        assertThat(catalog.intentOf(catalog.find("limited.action-concluded").orElseThrow().category()))
                .isEqualTo(Intent.REASSURE);
        for (String key : ScenarioReadings.scripted()) {
            String[] readerAndSignal = key.split(" ");
            assertThat(readerAndSignal[0]).isIn("in.pm", "pk.pm");
            assertThat(catalog.find(readerAndSignal[1])).as(key).isPresent();
        }
        assertThat(ScenarioReadings.of("in.pm", "no.such-signal")).isEmpty();
    }
}
