package org.hotline.client.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hotline.client.core.HotlineClient;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report lists the calm-wording warnings a sender overrode: a {@code warning-shown} entry of
 * the check followed by free text sent as written. A warning after which the sender chose a
 * signal instead was heeded and is not listed as overridden, whatever free text comes later.
 */
@Timeout(120)
class WordingOverrideMergeTest {

    @TempDir
    Path tmp;

    @Test
    void warningFollowedByTheTextAsWritten_isAnOverride_aSignalInsteadIsNot() throws Exception {
        try (RelayFixture relay = new RelayFixture(tmp, c -> c)) {
            HotlineClient in = ReplayTest.core(relay, "in.pm");
            HotlineClient pk = ReplayTest.core(relay, "pk.pm");
            in.start();
            pk.start();
            in.recordWarningShown("calm-wording check flagged: [will pay]").get();
            in.sendSignal("pk.pm", "posture.normal-readiness", Map.of("asOf", "2026-05-10T14:00Z"), Optional.empty(),
                    Optional.empty()).get();
            // Later free text is not the answer to that warning: the signal was.
            in.sendText("pk.pm", "We remain available on this line.").get();
            in.recordWarningShown("calm-wording check flagged: [teach you a lesson]").get();
            in.sendText("pk.pm", "We will teach you a lesson.").get();
            ReplayTest.waitFor(() -> pk.receivedMessages().get().size() == 3);
            in.close();
            pk.close();
            LogSource log = LogSource.load(tmp.resolve("in.pm/audit.jsonl"),
                    Optional.of(relay.exercise().directory().validator()), Optional.of(relay.exercise().exercise()));
            Timeline t = new TimelineMerger(relay.exercise().exercise()).merge(List.of(log));
            assertThat(t.wordingWarnings()).hasSize(2);
            assertThat(t.wordingWarnings().get(0).overridden()).isFalse();
            Timeline.WordingWarning w = t.wordingWarnings().get(1);
            assertThat(w.overridden()).isTrue();
            assertThat(w.who()).isEqualTo("in.pm");
            assertThat(w.sentAnyway().get().text()).isEqualTo("We will teach you a lesson.");
            assertThat(ReportWriter.render(t, null)).contains("Wording warnings overridden (1)")
                    .contains("calm-wording check flagged: [teach you a lesson]");
            assertThat(HotWashQuestions.of(t)).anyMatch(q -> q.startsWith("India Prime Minister was warned at")
                    && q.contains("\u201cWe will teach you a lesson.\u201d as written"));
        }
    }
}
