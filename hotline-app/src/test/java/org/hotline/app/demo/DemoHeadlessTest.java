package org.hotline.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hotline.app.HotlineMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code hotline demo --headless}: control plays the shipped scenario, scripted players react, every log verifies. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DemoHeadlessTest {

    @TempDir
    Path tmp;

    @Test
    void headlessDemo_playsTheScenario_playersReact_andEveryAuditLogVerifies() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HotlineMain.run(new String[] {"demo", "--headless", "--dir", tmp.toString()}, Map.of(),
                new PrintWriter(out, true), new PrintWriter(err, true));
        String text = out.toString();
        assertThat(code).as(text + err).isZero();
        assertThat(text).contains("INJECT I-01 [situation] -> in.pm: Armed attack on visitors at Kestrel Ridge")
                .contains("INJECT I-01 [situation] -> pk.pm")
                .contains("in.pm -> pk.pm  [incident]  \"We have received a report of an incident at Kestrel Ridge")
                .contains("pk.pm -> in.pm  [de-escalation]  \"We accept the cease-fire proposed in message")
                .contains("scenario complete: 20 injects sent by control")
                .containsPattern("[1-9][0-9]* reactions sent and delivered")
                // The request for facts (10 scenario minutes, docs/deadlines.md) is answered only at I-06.
                .containsPattern("in\\.pm -> control,pk\\.pm  message [0-9a-f]{8}: no reply by scenario \\d\\d:\\d\\d IST")
                .doesNotContain("Pahalgam").doesNotContain("NOT INTACT");
        for (String log : new String[] {"clients/in.pm/audit.jsonl", "clients/pk.pm/audit.jsonl",
                "clients/control/audit.jsonl", "relay-audit.jsonl"}) {
            assertThat(text).containsPattern(java.util.regex.Pattern.quote(log) + ": intact, authentic");
        }
        assertThat(text).contains("pk.pm read in.pm's message").contains("as threatening");
        assertThat(IntentReadingDemoCheck.misreadSummary(tmp)).startsWith("misread rate: 1 of ");
    }
}
