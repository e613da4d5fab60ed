package org.hotline.client.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.audit.AuditReport;
import org.hotline.protocol.audit.AuditVerifier;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 11: a crash after the outbox stored a message and before the audit log recorded it
 * leaves a sent message missing from the sender's log. Reopening finds it in the outbox, writes its
 * {@code message-sent} entry after a warning saying so, once, and the log still verifies.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SentLogReconcilerTest {

    @TempDir
    static Path shared;
    static TestExercise exercise;

    @TempDir
    Path tmp;

    @BeforeAll
    static void pki() {
        exercise = TestExercise.create(shared);
    }

    private AuditReport verified(Path dataDir) throws Exception {
        AuditReport report = AuditVerifier.verify(dataDir.resolve("audit.jsonl"),
                Optional.of(exercise.directory().validator()), Optional.of(exercise.exercise()));
        assertThat(report.problem()).isEmpty();
        return report;
    }

    private static List<AuditEvent> ofType(AuditReport r, Class<? extends AuditEvent> type) {
        return r.accepted().stream().map(e -> e.event()).filter(type::isInstance).map(e -> (AuditEvent) e).toList();
    }

    @Test
    void aMessageInTheOutboxButNotInTheLog_isRecordedOnReopen_once_withAWarning() throws Exception {
        // The first run stores and logs the message in its own data directory; the restart finds the
        // same outbox next to a log that never heard of it, as after a kill -9 between the two writes.
        EngineHarness before = EngineHarness.open(exercise, tmp.resolve("first"), "in.pm");
        before.welcome();
        Frame.Send sent = InboxTest.send(before, "pk.pm", "stored, then the power went");
        before.close();

        int inOutbox = before.memory.allOutgoing().size(); // our message, and the machine traffic of the welcome
        assertThat(inOutbox).isPositive();
        EngineHarness after = EngineHarness.reopen(exercise, tmp.resolve("restart"), "in.pm", before.memory);
        after.sync();
        after.close();
        AuditReport report = verified(tmp.resolve("restart"));
        assertThat(ofType(report, AuditEvent.ErrorShown.class)).anySatisfy(p ->
                assertThat(((AuditEvent.ErrorShown) p).text()).contains("recovered " + inOutbox + " message"));
        assertThat(ofType(report, AuditEvent.MessageSent.class)).hasSize(inOutbox).anySatisfy(e ->
                assertThat(((AuditEvent.MessageSent) e).message().header().messageId()).isEqualTo(sent.messageId()));
        assertThat(ofType(report, AuditEvent.WarningShown.class)).anySatisfy(w ->
                assertThat(((AuditEvent.WarningShown) w).text()).contains("recovered after a crash")
                        .contains(sent.messageId().hex()));

        EngineHarness again = EngineHarness.reopen(exercise, tmp.resolve("restart"), "in.pm", before.memory);
        again.sync();
        again.close();
        AuditReport reread = verified(tmp.resolve("restart"));
        assertThat(ofType(reread, AuditEvent.MessageSent.class)).as("not recorded twice").hasSize(inOutbox);
        assertThat(ofType(reread, AuditEvent.ErrorShown.class)).filteredOn(p ->
                ((AuditEvent.ErrorShown) p).text().contains("recovered")).hasSize(1);
    }
}
