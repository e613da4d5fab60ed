package org.hotline.client.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hotline.client.core.DeliveryState;
import org.hotline.client.replay.HeadlessReplay;
import org.hotline.client.replay.LogSource;
import org.hotline.client.replay.ReportWriter;
import org.hotline.client.replay.Timeline;
import org.hotline.client.replay.TimelineMerger;
import org.hotline.client.ui.replay.ReplayViewModel;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * After the exercise, a message a recipient rejected (PROTOCOL.md §6) is shown as rejected, with
 * the reason, by headless replay (one line per rejection), the replay window and the report: read
 * from the real logs of both engines, where the sender's log records the rejection that ended its
 * message and the recipient's its own; the two are one rejection.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RejectionReplayTest {

    @TempDir
    static Path shared;
    static TestExercise exercise;

    @TempDir
    Path tmp;

    @BeforeAll
    static void pki() throws Exception {
        exercise = TestExercise.create(shared);
    }

    @Test
    void aRejectedMessage_isShownRejectedWithItsReason_inHeadlessReplayTheWindowAndTheReport() throws Exception {
        MessageId id;
        MessageId delivered;
        try (EngineHarness india = EngineHarness.open(exercise, tmp.resolve("in.pm"), "in.pm");
             EngineHarness pakistan = EngineHarness.open(exercise, tmp.resolve("pk.pm"), "pk.pm")) {
            india.welcome();
            pakistan.welcome();
            Frame.Send fine = InboxTest.send(india, "pk.pm", "this one arrives");
            delivered = fine.messageId();
            pakistan.connection.inject(EngineHarness.deliverTo("pk.pm", fine));
            Thread.sleep(20); // sent a moment later, so the replay window can step from one to the other
            // Sealed to a prekey id pakistan never had: it can never be opened (UNKNOWN_PREKEY).
            Frame.Send m = InboxTest.send(india, "pk.pm", "nobody can open this");
            id = m.messageId();
            // pk.pm's rejection of the relay's copy (the box as sealed, with the acceptedAt of the
            // relay's ACCEPTED): what its inbox signs for a box it holds no prekey for (review F1:
            // the rejection names that copy, so it is built here rather than by moving the prekey id).
            Frame.Accepted accepted = india.accepted(exercise.relay(), id);
            Receipt rejected = org.hotline.protocol.crypto.ReceiptSigner.signRejected(
                    exercise.role("pk.pm").identity(), exercise.role("pk.pm").exerciseId(),
                    new Frame.Deliver(id, m.sender(), m.channel(), accepted.receipt().at(),
                            EngineHarness.deliverTo("pk.pm", m).box()), "pk.pm",
                    Receipt.RejectReason.UNKNOWN_PREKEY, Instant.now());
            india.connection.inject(accepted);
            india.connection.inject(new Frame.ReceiptNotice(rejected));
            india.sync();
            assertThat(india.memory.outgoing(id).orElseThrow().state()).isEqualTo(DeliveryState.REJECTED);
        }
        var validator = Optional.of(exercise.directory().validator());
        List<LogSource> logs = List.of(
                LogSource.load(tmp.resolve("in.pm/audit.jsonl"), validator, Optional.of(exercise.exercise())),
                LogSource.load(tmp.resolve("pk.pm/audit.jsonl"), validator, Optional.of(exercise.exercise())));
        assertThat(logs).allMatch(LogSource::trusted);
        Timeline t = new TimelineMerger().merge(logs);
        String shortId = id.hex().substring(0, 8);

        StringWriter out = new StringWriter();
        HeadlessReplay.print(t, new PrintWriter(out), Optional.empty(), d -> { });
        assertThat(out.toString()).contains("  rejected by a recipient: 1\n");
        assertThat(out.toString().lines().filter(l -> l.contains("rejected message"))).singleElement()
                .satisfies(l -> assertThat(l).contains("pk.pm rejected message " + shortId + " from in.pm on leaders: "
                        + "unknown-prekey").doesNotContain("not covered"));

        ReplayViewModel window = new ReplayViewModel(t);
        assertThat(window.currentProperty().get()).get().extracting(Timeline.MessageRecord::id)
                .isEqualTo(delivered.hex());
        assertThat(window.senderViewProperty().get()).doesNotContain("REJECTED");
        window.step();
        assertThat(window.currentProperty().get()).get().extracting(Timeline.MessageRecord::id).isEqualTo(id.hex());
        assertThat(window.senderViewProperty().get()).contains("REJECTED by pk.pm at T+").contains("(unknown-prekey)");

        String html = ReportWriter.render(t, null);
        assertThat(html).contains("<h2>Rejected by a recipient (1)</h2>").contains("<tr class=\"rejected\">")
                .contains("<td class=\"bad\">unknown-prekey</td>")
                .contains("nobody can open this</bdi> <em class=\"bad\">(REJECTED by pk.pm: unknown-prekey)</em>");
        assertThat(html.split("REJECTED by", -1)).as("only the rejected message's row is marked").hasSize(2);
    }
}
