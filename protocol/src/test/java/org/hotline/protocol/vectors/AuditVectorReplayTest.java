package org.hotline.protocol.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotline.protocol.vectors.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.hotline.protocol.audit.AuditCodec;
import org.hotline.protocol.audit.AuditEntry;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.audit.AuditVerifier;
import org.hotline.protocol.audit.MerkleTree;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.crypto.IdentityPublicKey;
import org.hotline.protocol.crypto.SignatureContext;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.Pem;
import org.hotline.protocol.wire.WireWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Replays {@code audit.json} and its log files (PROTOCOL.md §11.6; README.md beside them). */
@Timeout(60)
class AuditVectorReplayTest {

    @TempDir
    Path tmp;

    static JsonNode vector() throws Exception {
        return Vectors.load("audit.json");
    }

    Path copy(String name) throws Exception {
        Path f = tmp.resolve(name);
        try (InputStream in = AuditVectorReplayTest.class.getResourceAsStream(Vectors.RESOURCE_DIR + name)) {
            assertThat(in).as(name).isNotNull();
            Files.copy(in, f);
        }
        return f;
    }

    static List<byte[]> lines(Path f) throws Exception {
        List<byte[]> out = new ArrayList<>();
        for (String l : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            out.add(l.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    static Optional<CertificateValidator> anchor(JsonNode v) throws Exception {
        return Optional.of(CertificateValidator.withoutRevocation(
                Pem.parseCertificate(v.get("caCertificate").asText().getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void log_verifiesUnderItsCa_withTheTornLineAsAWarning() throws Exception {
        JsonNode v = vector();
        var report = AuditVerifier.verify(copy(v.get("file").asText()), anchor(v));
        JsonNode expect = v.get("expect");
        assertThat(report.problem()).isEmpty();
        assertThat(report.authenticated()).isTrue();
        assertThat(report.owner()).isEqualTo(v.get("owner").asText());
        assertThat(report.caFingerprint()).isEqualTo(v.get("caFingerprint").asText())
                .matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(report.entries()).isEqualTo(expect.get("entries").asInt());
        assertThat(report.checkpoints()).isEqualTo(expect.get("checkpoints").asInt());
        assertThat(report.signedItemsVerified()).isEqualTo(expect.get("signedItemsVerified").asInt());
        int torn = v.get("torn").get("lineNumber").asInt();
        assertThat(report.warnings()).anyMatch(w -> w.startsWith("line " + torn + " was torn by a crash"));
    }

    @Test
    void everyLineButTheTornOne_reEncodesByteForByte() throws Exception {
        JsonNode v = vector();
        List<byte[]> lines = lines(copy(v.get("file").asText()));
        int torn = v.get("torn").get("lineNumber").asInt();
        for (int i = 0; i < lines.size(); i++) {
            if (i + 1 != torn) {
                AuditEntry e = AuditCodec.decode(lines.get(i));
                assertThat(AuditCodec.encode(e)).as("line " + (i + 1)).isEqualTo(lines.get(i));
            }
        }
    }

    @Test
    void checkpoints_leavesRootSignedBytesAndSignature() throws Exception {
        JsonNode v = vector();
        List<byte[]> lines = lines(copy(v.get("file").asText()));
        IdentityPublicKey owner = IdentityPublicKey.of(hex(v, "ownerIdentityPublicKey"));
        int torn = v.get("torn").get("lineNumber").asInt();
        for (JsonNode c : v.get("checkpoints")) {
            int lineNo = c.get("lineNumber").asInt();
            MerkleTree tree = new MerkleTree();
            byte[] prev = new byte[32];
            List<String> leaves = new ArrayList<>();
            for (int i = 0; i < lineNo - 1; i++) {
                if (i + 1 != torn) {
                    byte[] leaf = MerkleTree.leafHash(lines.get(i));
                    tree.append(leaf);
                    leaves.add(Vectors.HEX.formatHex(leaf));
                    prev = Hashes.sha256(lines.get(i));
                }
            }
            List<String> expectedLeaves = new ArrayList<>();
            c.get("leafHashes").forEach(x -> expectedLeaves.add(x.asText()));
            assertThat(leaves).isEqualTo(expectedLeaves);
            assertThat(tree.size()).isEqualTo(c.get("treeSize").asLong());
            assertThat(Vectors.HEX.formatHex(tree.root())).isEqualTo(c.get("root").asText());
            AuditEntry e = AuditCodec.decode(lines.get(lineNo - 1));
            AuditEvent.Checkpoint cp = (AuditEvent.Checkpoint) e.event();
            assertThat(e.seq()).isEqualTo(c.get("seq").asLong()).isEqualTo(cp.treeSize());
            assertThat(cp.root()).isEqualTo(tree.root());
            assertThat(e.prev()).isEqualTo(prev);
            byte[] signed = new WireWriter(128).u64(e.seq()).string(e.time().toString()).fixed(prev).string(cp.signer())
                    .u64(cp.treeSize()).fixed(cp.root()).toByteArray();
            assertThat(signed).isEqualTo(hex(c, "signedBytes"));
            assertThat(owner.verify(SignatureContext.AUDIT_CHECKPOINT, cp.signature(), signed)).isTrue();
            assertThat(new String(lines.get(lineNo - 1), StandardCharsets.UTF_8))
                    .contains("\"signature\":\"" + Base64.getEncoder().encodeToString(cp.signature()) + "\"");
        }
    }

    @Test
    void tornLine_hashIsRecordedByTheRecoveredEntry() throws Exception {
        JsonNode v = vector();
        JsonNode t = v.get("torn");
        List<byte[]> lines = lines(copy(v.get("file").asText()));
        byte[] torn = lines.get(t.get("lineNumber").asInt() - 1);
        assertThat(torn).isEqualTo(hex(t, "bytes"));
        assertThat(Hashes.sha256(torn)).isEqualTo(hex(t, "tornBytesSha256"));
        AuditEvent.Recovered r = (AuditEvent.Recovered) AuditCodec.decode(
                lines.get(t.get("recoveredLineNumber").asInt() - 1)).event();
        assertThat(r.tornLine()).isEqualTo(t.get("lineNumber").asLong());
        assertThat(r.tornBytesSha256()).isEqualTo(hex(t, "tornBytesSha256"));
    }

    @Test
    void negativeCopies_areRejectedAtTheLineAndForTheReasonGiven() throws Exception {
        JsonNode v = vector();
        assertThat(v.get("negative").size()).isGreaterThanOrEqualTo(7);
        for (JsonNode n : v.get("negative")) {
            var report = AuditVerifier.verify(copy(n.get("file").asText()), anchor(v));
            assertThat(report.problem()).as(n.get("what").asText()).isPresent();
            assertThat(report.problem().get().line()).as(n.get("what").asText()).isEqualTo(n.get("line").asInt());
            assertThat(report.problem().get().message()).as(n.get("what").asText()).contains(n.get("reason").asText());
        }
    }
}
