package org.hotline.protocol.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.Pem;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SignedMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Logs written by a version-1 build still verify (PROTOCOL.md §8.1): their signed messages and
 * receipts are read by the legacy decoders and verified under the version-1 contexts. The fixture
 * ({@code v1-logs/}, README there) is the output of a real version-1 run.
 */
@Timeout(60)
class LegacyV1LogTest {

    private static final String DIR = "/org/hotline/protocol/audit/v1-logs/";

    @TempDir
    Path tmp;

    private Path copy(String name) throws IOException {
        Path p = tmp.resolve(name);
        try (InputStream in = LegacyV1LogTest.class.getResourceAsStream(DIR + name)) {
            Files.copy(in, p);
        }
        return p;
    }

    private Optional<CertificateValidator> trust() throws Exception {
        return Optional.of(CertificateValidator.of(Pem.readCertificate(copy("ca.crt")), Pem.readCrl(copy("crl.pem"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"in.pm-audit.jsonl", "pk.pm-audit.jsonl", "relay-audit.jsonl"})
    void v1Log_isIntactAndAuthentic(String name) throws Exception {
        Path log = copy(name);
        AuditReport report = AuditVerifier.verify(log, trust());
        assertThat(report.problem()).isEmpty();
        assertThat(report.authenticated()).isTrue();
        assertThat(report.signedItemsVerified()).isGreaterThan(9);
    }

    /** The fixture really is version 1: otherwise the test above would not exercise the legacy path. */
    @ParameterizedTest
    @ValueSource(strings = {"in.pm-audit.jsonl", "relay-audit.jsonl"})
    void v1Log_holdsOnlyVersion1SignedObjects(String name) throws Exception {
        int seen = 0;
        for (String line : Files.readAllLines(copy(name), StandardCharsets.UTF_8)) {
            var e = AuditLog.JSON.readTree(line);
            if (e.hasNonNull("message")) {
                assertThat(SignedMessage.decodeRecorded(Base64.getDecoder().decode(e.get("message").asText())).version())
                        .isEqualTo(1);
                seen++;
            }
            if (e.hasNonNull("receipt")) {
                assertThat(Receipt.decodeRecorded(Base64.getDecoder().decode(e.get("receipt").asText())).version())
                        .isEqualTo(1);
                seen++;
            }
        }
        assertThat(seen).isGreaterThan(9);
    }

    /** An altered v1 receipt or message is still caught: the legacy path verifies, it does not wave through. */
    @Test
    void v1Log_withAnAlteredSignedObject_failsAtItsLine() throws Exception {
        Path log = copy("in.pm-audit.jsonl");
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        int target = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("\"type\":\"receipt\"")) {
                target = i;
                break;
            }
        }
        var e = (com.fasterxml.jackson.databind.node.ObjectNode) AuditLog.JSON.readTree(lines.get(target));
        byte[] receipt = Base64.getDecoder().decode(e.get("receipt").asText());
        receipt[receipt.length - 1] ^= 1;
        lines.set(target, lines.get(target).replace(e.get("receipt").asText(),
                Base64.getEncoder().encodeToString(receipt)));
        Files.write(log, lines, StandardCharsets.UTF_8);
        AuditReport report = AuditVerifier.verify(log, trust());
        assertThat(report.problem()).isPresent();
        assertThat(report.problem().get().line()).isEqualTo(target + 1);
        assertThat(report.problem().get().message()).contains("bad signature");
    }
}
