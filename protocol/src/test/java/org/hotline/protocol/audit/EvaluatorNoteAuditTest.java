package org.hotline.protocol.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.testing.LogForger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Evaluator notes in exercise control's audit log: written signed, verified, and a rewrite is caught (PROTOCOL.md §11.3, §11.4). */
@Timeout(20)
class EvaluatorNoteAuditTest extends LeadersLogFixture {

    static final Instant SCENARIO = Instant.parse("2026-05-07T01:42:00Z");

    Path logWithNote(String owner, String text) throws Exception {
        RoleCredential c = ex.role(owner);
        Path file = tmp.resolve(owner + ".jsonl");
        try (AuditLog log = AuditLog.open(file, owner, c.identity(), c.identityCertificate(), c.caCertificate(),
                Clock.systemUTC(), 64)) {
            log.append(new AuditEvent.LinkUp("connected"));
            AuditEvent.EvaluatorNote note = log.evaluatorNote(Instant.now(), SCENARIO, text);
            assertThat(note.author()).isEqualTo(owner);
            assertThat(note.verifies(c.identity().publicKey())).isTrue();
        }
        return file;
    }

    @Test
    void controlsNote_verifiesWithTheExercise_andCountsAsASignature() throws Exception {
        Path file = logWithNote("control", "in.pm asked for facts before replying.");
        AuditReport report = AuditVerifier.verify(file, trust(), Optional.of(ex.exercise()));
        assertThat(report.problem()).isEmpty();
        assertThat(report.entries()).isEqualTo(4);
        // The closing checkpoint and the note.
        assertThat(report.signedItemsVerified()).isEqualTo(2);
        assertThat(report.accepted()).extracting(AuditEntry::event)
                .filteredOn(AuditEvent.EvaluatorNote.class::isInstance).hasSize(1);
    }

    @Test
    void noteRewrittenByTheOwner_failsAtItsLine_althoughTheChainIsResigned() throws Exception {
        Path file = logWithNote("control", "in.pm asked for facts before replying.");
        int line = LogForger.lineContaining(file, "evaluator-note");
        LogForger.rewrite(file, line, l -> l.replace("asked for facts", "threatened"), ex.role("control").identity());
        AuditReport report = AuditVerifier.verify(file, trust(), Optional.of(ex.exercise()));
        assertThat(report.problem()).get().extracting(AuditReport.Problem::line).isEqualTo(line);
        assertThat(report.problem().get().message()).contains("evaluator note signature does not verify");
    }

    @Test
    void noteInAParticipantsLog_isRefusedGivenTheExercise() throws Exception {
        Path file = logWithNote("in.pm", "a note where none belongs");
        assertThat(AuditVerifier.verify(file, trust(), Optional.empty()).problem()).isEmpty();
        AuditReport report = AuditVerifier.verify(file, trust(), Optional.of(ex.exercise()));
        assertThat(report.problem().get().message()).contains("not the exercise's control seat");
    }

    @Test
    void blankNote_isRefusedBeforeAnythingIsWritten() throws Exception {
        RoleCredential c = ex.role("control");
        try (AuditLog log = AuditLog.open(tmp.resolve("b.jsonl"), "control", c.identity(), c.identityCertificate(),
                c.caCertificate(), Clock.systemUTC(), 64)) {
            assertThatThrownBy(() -> log.evaluatorNote(Instant.now(), SCENARIO, "  "))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void noteWithALoneSurrogate_isRefused_whenWrittenAndWhenRead() throws Exception {
        RoleCredential c = ex.role("control");
        try (AuditLog log = AuditLog.open(tmp.resolve("s.jsonl"), "control", c.identity(), c.identityCertificate(),
                c.caCertificate(), Clock.systemUTC(), 64)) {
            assertThatThrownBy(() -> log.evaluatorNote(Instant.now(), SCENARIO, "A\uD800B"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lone surrogate");
            assertThatThrownBy(() -> log.evaluatorNote(Instant.now(), SCENARIO, "A\uDC00"))
                    .isInstanceOf(IllegalArgumentException.class);
            // A pair is one character, signed exactly.
            log.evaluatorNote(Instant.now(), SCENARIO, "flag \uD83C\uDDEE\uD83C\uDDF3");
        }
        // Read back: a line whose text holds a lone surrogate (JSON escape) is not a valid entry.
        Path file = logWithNote("control", "A-B");
        int line = LogForger.lineContaining(file, "evaluator-note");
        LogForger.rewrite(file, line, l -> l.replace("A-B", "A\\ud800B"), ex.role("control").identity());
        AuditReport report = AuditVerifier.verify(file, trust(), Optional.of(ex.exercise()));
        assertThat(report.problem()).get().extracting(AuditReport.Problem::line).isEqualTo(line);
    }
}
