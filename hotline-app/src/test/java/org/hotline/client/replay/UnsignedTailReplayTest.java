package org.hotline.client.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.hotline.client.core.HotlineClient;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that ended without its closing checkpoint (killed) leaves an unsigned tail. Replay and
 * report keep every message its last checkpoint covers trusted and mark only the tail, counted
 * apart and never as tampering (PROTOCOL.md §11.4). Before, every message of such a log was
 * "UNTRUSTED (only in a log that failed verification)".
 */
@Timeout(120)
class UnsignedTailReplayTest {

    @TempDir
    Path tmp;

    @Test
    void coveredMessagesStayTrusted_onlyTheTailIsMarkedUnsigned() throws Exception {
        Path log;
        try (RelayFixture relay = new RelayFixture(tmp, c -> c)) {
            HotlineClient in = ReplayTest.core(relay, "in.pm");
            HotlineClient pk = ReplayTest.core(relay, "pk.pm");
            in.start();
            pk.start();
            in.sendText("pk.pm", "before the checkpoint").get();
            ReplayTest.waitFor(() -> pk.receivedMessages().get().size() == 1);
            in.checkpointAuditLog().get();
            in.sendText("pk.pm", "after the checkpoint").get();
            ReplayTest.waitFor(() -> pk.receivedMessages().get().size() == 2);
            in.close();
            pk.close();
            log = tmp.resolve("in.pm/audit.jsonl");
            // What a SIGKILL right after the second send leaves: the log up to its message-sent entry.
            List<String> lines = Files.readAllLines(log);
            int sent = 0;
            while (!(lines.get(sent).contains("\"type\":\"message-sent\"") && lines.get(sent).contains("after the checkpoint"))) {
                sent++;
            }
            Path killed = tmp.resolve("killed.jsonl");
            Files.write(killed, lines.subList(0, sent + 1));
            LogSource source = LogSource.load(killed, Optional.of(relay.exercise().directory().validator()),
                    Optional.of(relay.exercise().exercise()));
            Timeline t = new TimelineMerger(relay.exercise().exercise()).merge(List.of(source));

            assertThat(source.trusted()).isFalse();
            assertThat(source.onlyUnsignedTail()).isTrue();
            assertThat(source.unsignedTail()).isPositive();
            assertThat(source.integrity()).contains("UNSIGNED TAIL").doesNotContain("FAILED");
            Timeline.MessageRecord before = t.messages().stream().filter(m -> m.text().equals("before the checkpoint"))
                    .findFirst().orElseThrow();
            Timeline.MessageRecord after = t.messages().stream().filter(m -> m.text().equals("after the checkpoint"))
                    .findFirst().orElseThrow();
            assertThat(before.trusted()).isTrue();
            assertThat(before.unsignedTail()).isFalse();
            assertThat(after.trusted()).isFalse();
            assertThat(after.unsignedTail()).isTrue();
            assertThat(TimelineStats.of(t).unsignedMessages()).isEqualTo(1);

            StringWriter out = new StringWriter();
            HeadlessReplay.print(t, new PrintWriter(out), Optional.empty(), d -> { });
            assertThat(out.toString()).contains("UNSIGNED (only after a log's last signed checkpoint")
                    .doesNotContain("UNTRUSTED").contains("unsigned tail: " + source.unsignedTail() + " log entries");
            String before1 = out.toString().lines().filter(l -> l.contains("before the checkpoint")).findFirst().orElseThrow();
            assertThat(before1).doesNotContain("UNSIGNED");
            String html = ReportWriter.render(t, null);
            assertThat(html).contains("UNSIGNED TAIL").contains("class=\"unsigned\"").doesNotContain("untrusted: only");
        }
    }
}
