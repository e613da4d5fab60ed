package org.hotline.protocol.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.hotline.protocol.vectors.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Base64;
import org.hotline.protocol.audit.AuditCodec;
import org.hotline.protocol.audit.AuditEntry;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.audit.AuditFormatException;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.crypto.IdentityKeyPair;
import org.hotline.protocol.crypto.SignatureContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code evaluator-note.json} (PROTOCOL.md §11.3 {@code evaluator-note}, §10): exercise control's
 * signed observation as one audit-log line. Regenerate with
 * {@code ./mvnw -pl protocol test -Dtest=EvaluatorNoteVectorTest -Dhotline.vectors.regenerate=true}.
 */
@Timeout(20)
class EvaluatorNoteVectorTest {

    static final String FILE = "evaluator-note.json";

    @Test
    void regenerate() throws Exception {
        assumeTrue(Boolean.getBoolean("hotline.vectors.regenerate"), "set -Dhotline.vectors.regenerate=true");
        var hex = Vectors.HEX;
        byte[] sk = VectorGeneratorTest.bytes(11, 32);
        IdentityKeyPair key = IdentityKeyPair.fromPrivateKey(sk);
        Instant observedAt = Instant.parse("2026-05-10T14:07:12.345Z");
        Instant scenarioTime = Instant.parse("2026-05-07T01:42:00Z");
        // Non-ASCII on purpose: the signed bytes and the line carry raw UTF-8 (§2.1, §11.1).
        String text = "Both leaders asked for facts before replying \u2014 in.pm within 4 min, pk.pm within 9.";
        byte[] signedBytes = AuditEvent.EvaluatorNote.signedBytes("control", observedAt, scenarioTime, text);
        byte[] signature = key.sign(SignatureContext.EVALUATOR_NOTE, signedBytes);
        AuditEvent.EvaluatorNote note = new AuditEvent.EvaluatorNote("control", observedAt, scenarioTime, text, signature);
        byte[] prev = VectorGeneratorTest.bytes(8, 32);
        byte[] line = AuditCodec.encode(12, Instant.parse("2026-05-10T14:07:12.346Z"), prev, note);

        ObjectNode root = Vectors.JSON.createObjectNode();
        root.put("description", "An evaluator-note audit entry (log format 1): exercise control's signed, timestamped "
                + "observation, entry 13 (seq 12) of control's audit log");
        ObjectNode v = root.putArray("vectors").addObject();
        v.put("identityPrivateKey", hex.formatHex(sk));
        v.put("identityPublicKey", hex.formatHex(key.publicKey().encoded()));
        v.put("author", note.author());
        v.put("observedAt", note.observedAt().toString());
        v.put("scenarioTime", note.scenarioTime().toString());
        v.put("text", note.text());
        v.put("signedBytes", hex.formatHex(signedBytes));
        v.put("signature", hex.formatHex(signature));
        v.put("line", new String(line, StandardCharsets.UTF_8));
        v.put("lineSha256", hex.formatHex(Hashes.sha256(line)));
        String good = new String(line, StandardCharsets.UTF_8);
        String sigB64 = Base64.getEncoder().encodeToString(signature);
        byte[] flipped = signature.clone();
        flipped[0] ^= 0x01;
        var neg = root.putArray("negative");
        neg.addObject().put("line", good.replace(sigB64, Base64.getEncoder().encodeToString(flipped)))
                .put("reason", "signature does not verify");
        neg.addObject().put("line", good.replace("within 9", "within 8"))
                .put("reason", "signature does not verify");
        neg.addObject().put("line", good.replace("\"observedAt\":\"2026-05-10T14:07:12.345Z\"",
                "\"observedAt\":\"2026-05-10T14:07:12.345000Z\"")).put("reason", "not in canonical ISO-8601 UTC form");
        neg.addObject().put("line", good.replace(sigB64, Base64.getEncoder().encodeToString(new byte[63])))
                .put("reason", "signature");
        neg.addObject().put("line", good.replace(",\"scenarioTime\":\"2026-05-07T01:42:00Z\"", ""))
                .put("reason", "scenarioTime");
        Files.createDirectories(Vectors.SOURCE_DIR);
        Vectors.JSON.writeValue(Vectors.SOURCE_DIR.resolve(FILE).toFile(), root);
    }

    @Test
    void evaluatorNote_vectorsReproduceByteForByte() throws Exception {
        JsonNode root = Vectors.load(FILE);
        JsonNode v = root.get("vectors").get(0);
        IdentityKeyPair key = IdentityKeyPair.fromPrivateKey(hex(v, "identityPrivateKey"));
        assertThat(key.publicKey().encoded()).isEqualTo(hex(v, "identityPublicKey"));
        byte[] line = v.get("line").asText().getBytes(StandardCharsets.UTF_8);
        assertThat(Hashes.sha256(line)).isEqualTo(hex(v, "lineSha256"));
        AuditEntry entry = AuditCodec.decode(line);
        assertThat(entry.event()).isInstanceOf(AuditEvent.EvaluatorNote.class);
        AuditEvent.EvaluatorNote note = (AuditEvent.EvaluatorNote) entry.event();
        assertThat(note.author()).isEqualTo(v.get("author").asText());
        assertThat(note.observedAt()).hasToString(v.get("observedAt").asText());
        assertThat(note.scenarioTime()).hasToString(v.get("scenarioTime").asText());
        assertThat(note.text()).isEqualTo(v.get("text").asText());
        assertThat(note.signedBytes()).isEqualTo(hex(v, "signedBytes"));
        assertThat(note.signature()).isEqualTo(hex(v, "signature"));
        assertThat(note.verifies(key.publicKey())).isTrue();
        // Ed25519 is deterministic: re-signing and re-encoding give the same bytes.
        assertThat(key.sign(SignatureContext.EVALUATOR_NOTE, note.signedBytes())).isEqualTo(hex(v, "signature"));
        assertThat(AuditCodec.encode(entry)).isEqualTo(line);
        for (JsonNode n : root.get("negative")) {
            byte[] bad = n.get("line").asText().getBytes(StandardCharsets.UTF_8);
            String reason = n.get("reason").asText();
            if (reason.equals("signature does not verify")) {
                AuditEvent.EvaluatorNote forged = (AuditEvent.EvaluatorNote) AuditCodec.decode(bad).event();
                assertThat(forged.verifies(key.publicKey())).as(reason).isFalse();
            } else {
                assertThatThrownBy(() -> AuditCodec.decode(bad)).as(reason).isInstanceOf(AuditFormatException.class)
                        .hasMessageContaining(reason);
            }
        }
    }
}
