package org.hotline.client.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hotline.protocol.audit.AuditVerifier;
import org.hotline.protocol.pki.CertificateValidator;

/**
 * One loaded audit log: its verification report and its entries. A log that fails verification
 * is still read, but everything it says is marked untrusted rather than silently used.
 */
public record LogSource(Path file, AuditVerifier.Report report, String owner, List<JsonNode> entries) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public LogSource {
        entries = List.copyOf(entries);
    }

    public boolean trusted() {
        return report.intact();
    }

    /** "in.pm: intact, authentic" or "in.pm: FAILED at line 12: ..." */
    public String integrity() {
        if (report.intact()) {
            return owner + ": intact" + (report.authenticated() ? ", authentic under the exercise CA" : " (authenticity not checked)");
        }
        return owner + ": FAILED verification, " + report.problem().get() + " (its entries are marked untrusted)";
    }

    public static LogSource load(Path file, Optional<CertificateValidator> trust) throws IOException {
        AuditVerifier.Report report = AuditVerifier.verify(file, trust);
        List<JsonNode> entries = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            try {
                JsonNode n = JSON.readTree(line);
                if (n != null && n.isObject()) {
                    entries.add(n);
                }
            } catch (IOException unreadable) {
                // The verifier has already reported it; a replay shows what can be read.
            }
        }
        String owner = entries.isEmpty() ? file.getFileName().toString() : entries.get(0).path("owner").asText("?");
        return new LogSource(file, report, owner, entries);
    }
}
