package org.hotline.protocol.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.testing.Messages;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.SignedMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The relay names of {@code via} and {@code duplicate} (PROTOCOL.md §11.3, §11.4 step 10, §13):
 * checked against the exercise's relays when the exercise is given (this exercise has the one relay
 * {@code relay}); and a duplicate in a log whose received message names no relay is refused.
 */
@Timeout(20)
class DuplicateCopyAuditTest extends LeadersLogFixture {

    Path log(Optional<String> via, String duplicateVia) throws Exception {
        SignedMessage m = MessageSigner.sign(pkPm.identity(), Messages.header(pkPm.exerciseId(), "pk.pm", "in.pm", 1,
                new SecureRandom()), new Content.Text("hello"));
        Path file = tmp.resolve("in.jsonl");
        try (AuditLog log = AuditLog.open(file, "in.pm", inPm.identity(), inPm.identityCertificate(),
                inPm.caCertificate(), Clock.systemUTC(), 64)) {
            log.ensureCertificate("pk.pm", pkPm.identityCertificate());
            log.append(new AuditEvent.MessageReceived(m, "hello", Instant.now(), via));
            log.append(new AuditEvent.DuplicateCopy(m.header().messageId(), duplicateVia));
        }
        return file;
    }

    @Test
    void relaysTheExerciseDoesNotHave_areRefusedGivenTheExercise_only() throws Exception {
        Path file = log(Optional.of("relay-in"), "relay-pk");
        assertThat(AuditVerifier.verify(file, trust(), Optional.empty()).problem()).isEmpty();
        AuditReport report = AuditVerifier.verify(file, trust(), Optional.of(ex.exercise()));
        assertThat(report.problem()).get().extracting(AuditReport.Problem::line).isEqualTo(3);
        assertThat(report.problem().get().message()).contains("\"via\" names relay-in, which is not a relay of the "
                + "exercise");
    }

    @Test
    void aDuplicateOfAMessageWhoseFirstCopyNamesNoRelay_isRefused() throws Exception {
        Path file = log(Optional.empty(), "relay");
        AuditReport report = AuditVerifier.verify(file, trust(), Optional.empty());
        assertThat(report.problem()).get().extracting(AuditReport.Problem::line).isEqualTo(4);
        assertThat(report.problem().get().message()).contains("names no relay");
    }
}
