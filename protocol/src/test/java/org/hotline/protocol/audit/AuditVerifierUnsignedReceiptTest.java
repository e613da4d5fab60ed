package org.hotline.protocol.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hotline.protocol.pki.RelayCredential;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An accepted receipt without a signature is evidence only where something else authenticates it
 * (PROTOCOL.md §6 step 1, §12.5): in a {@code relay-inclusion} entry (its proof) and in the relay's
 * own {@code relay-accepted} entries (its log). Anywhere else in a log, {@code log verify} refuses it
 * at its line (review A-L7).
 */
@Timeout(60)
class AuditVerifierUnsignedReceiptTest extends LeadersLogFixture {

    Receipt unsignedAccepted() throws Exception {
        RelayCredential relay = ex.relay();
        return Receipt.unsigned(new Receipt.Fields(Receipt.Type.ACCEPTED, relay.exerciseId(),
                MessageId.random(new SecureRandom()), Receipt.RELAY, "in.pm", "leaders", Instant.now(), Hash32.ZERO));
    }

    /** in.pm's log with {@code entry} after the relay's certificate; returns the entry's line number. */
    int inPmLogWith(Path file, AuditEvent entry) throws Exception {
        try (AuditLog log = AuditLog.open(file, "in.pm", inPm.identity(), inPm.identityCertificate(),
                inPm.caCertificate(), Clock.systemUTC(), 64)) {
            log.ensureCertificate(Receipt.RELAY, ex.relay().identityCertificate());
            log.append(entry);
        }
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("\"type\":\"" + entry.type() + "\"")) {
                return i + 1;
            }
        }
        throw new AssertionError("entry not written");
    }

    @Test
    void anUnsignedReceiptInAReceiptEntry_failsAtItsLine_onTheSignature() throws Exception {
        Path file = tmp.resolve("receipt.jsonl");
        int line = inPmLogWith(file, AuditEvent.ReceiptRecorded.byClient(unsignedAccepted()));
        var report = AuditVerifier.verify(file, trust(), Optional.of(ex.exercise()));
        assertThat(report.problem()).get().extracting(AuditReport.Problem::line).isEqualTo(line);
        assertThat(report.problem().get().message()).containsIgnoringCase("signature");
    }

    @Test
    void anUnsignedRelayAcceptedEntry_inAClientsLog_failsAtItsLine_onTheSignature() throws Exception {
        Path file = tmp.resolve("relay-accepted.jsonl");
        int line = inPmLogWith(file, new AuditEvent.RelayAccepted(unsignedAccepted(), "leaders",
                List.of(new BoxMetadata("pk.pm", 64, new byte[32]))));
        var report = AuditVerifier.verify(file, trust(), Optional.of(ex.exercise()));
        assertThat(report.problem()).get().extracting(AuditReport.Problem::line).isEqualTo(line);
        assertThat(report.problem().get().message()).containsIgnoringCase("signature");
    }
}
