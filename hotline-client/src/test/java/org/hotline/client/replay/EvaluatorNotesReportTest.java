package org.hotline.client.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.audit.AuditLog;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.testing.TestExercise;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The report shows exercise control's evaluator notes, read from its verified audit log (PROTOCOL.md §11.3). */
@Timeout(30)
class EvaluatorNotesReportTest {

    @Test
    void report_showsControlsSignedNotes_inTimeOrder(@TempDir Path tmp) throws Exception {
        TestExercise ex = TestExercise.create(tmp.resolve("ex"));
        RoleCredential control = ex.role("control");
        Path file = tmp.resolve("control.jsonl");
        Instant t0 = Instant.parse("2026-05-10T11:28:00Z");
        try (AuditLog log = AuditLog.open(file, "control", control.identity(), control.identityCertificate(),
                control.caCertificate(), Clock.systemUTC(), 64)) {
            log.append(new AuditEvent.LinkUp("connected"));
            log.evaluatorNote(t0.plusSeconds(60), Instant.parse("2026-05-07T01:12:00Z"), "pk.pm answered with facts <b>");
            log.evaluatorNote(t0, Instant.parse("2026-05-07T01:00:00Z"), "in.pm asked for facts first");
        }
        LogSource source = LogSource.load(file, Optional.of(ex.directory().validator()), Optional.of(ex.exercise()));
        Timeline t = new Timeline(t0, t0.plusSeconds(120), List.of(), List.of(), List.of(), List.of(), List.of(source),
                Optional.of(ex.exercise()), List.of());
        String html = ReportWriter.render(t, null);
        assertThat(html).contains("Evaluator notes (2)").contains("7 May 01:00 UTC")
                .contains("<bdi>pk.pm answered with facts &lt;b&gt;</bdi>").contains("signature verified");
        assertThat(html.indexOf("in.pm asked for facts first")).isLessThan(html.indexOf("pk.pm answered with facts"));
    }

    @Test
    void report_withoutNotes_hasNoNotesSection(@TempDir Path tmp) throws Exception {
        Timeline t = HotWashReportTest.timeline();
        assertThat(ReportWriter.render(t, null)).doesNotContain("Evaluator notes");
    }

    /** A note written into a participant's own log (its owner holds the key): never shown as control's. */
    private static LogSource participantNote(TestExercise ex, Path tmp, boolean withExercise) throws Exception {
        RoleCredential india = ex.role("in.pm");
        Path file = tmp.resolve("in.pm.jsonl");
        try (AuditLog log = AuditLog.open(file, "in.pm", india.identity(), india.identityCertificate(),
                india.caCertificate(), Clock.systemUTC(), 64)) {
            log.evaluatorNote(Instant.parse("2026-05-10T11:28:00Z"), Instant.parse("2026-05-07T01:00:00Z"),
                    "control says India did everything right");
        }
        return LogSource.load(file, Optional.of(ex.directory().validator()),
                withExercise ? Optional.of(ex.exercise()) : Optional.empty());
    }

    @Test
    void noteInAParticipantsLog_withTheExercise_isNotShown(@TempDir Path tmp) throws Exception {
        TestExercise ex = TestExercise.create(tmp.resolve("ex"));
        Instant t0 = Instant.parse("2026-05-10T11:28:00Z");
        Timeline t = new Timeline(t0, t0.plusSeconds(120), List.of(), List.of(), List.of(), List.of(),
                List.of(participantNote(ex, tmp, true)), Optional.of(ex.exercise()), List.of());
        assertThat(ReportWriter.render(t, null)).doesNotContain("Evaluator notes")
                .doesNotContain("control says India did everything right");
    }

    @Test
    void noteWithoutTheExercise_isMarkedAuthorNotCheckedAsControl(@TempDir Path tmp) throws Exception {
        TestExercise ex = TestExercise.create(tmp.resolve("ex"));
        Instant t0 = Instant.parse("2026-05-10T11:28:00Z");
        Timeline t = new Timeline(t0, t0.plusSeconds(120), List.of(), List.of(), List.of(), List.of(),
                List.of(participantNote(ex, tmp, false)), Optional.empty(), List.of());
        assertThat(ReportWriter.render(t, null)).contains("Evaluator notes (1)")
                .contains("author not checked as control (no exercise)");
    }
}
