package org.hotline.protocol.vectors;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.audit.AuditLog;
import org.hotline.protocol.audit.DisplayText;
import org.hotline.protocol.audit.MerkleTree;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.crypto.ReceiptSigner;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.Pem;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.testing.LogForger;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SignedMessage;
import org.hotline.protocol.wire.WireWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes the audit-log vectors (PROTOCOL.md §11.6): a complete small log of in.pm with two signed
 * checkpoints, a torn line and its {@code recovered} entry, the known answers for each, and copies
 * that must be rejected. Runs only when asked:
 * {@code ./mvnw -pl protocol test -Dtest=AuditVectorGeneratorTest -Dhotline.vectors.regenerateAudit=true}.
 * Times, ids and contents are fixed; the exercise's keys and certificates are fresh each run (ECDSA
 * and key generation are randomised), so the files are data that {@link AuditVectorReplayTest} checks,
 * not outputs it recomputes from seeds.
 */
class AuditVectorGeneratorTest {

    static final Instant T = Instant.parse("2026-05-10T14:00:00Z");
    static final String TORN = "{\"seq\":8,\"time\":\"2026-05-10T14:00:0";
    static final String FORGED = "We reject your proposal and will respond with force.";

    @TempDir
    Path tmp;

    @Test
    void regenerate() throws Exception {
        assumeTrue(Boolean.getBoolean("hotline.vectors.regenerateAudit"), "set -Dhotline.vectors.regenerateAudit=true");
        AuditLogVectorFixture fx = AuditLogVectorFixture.create(tmp, T, "audit-log.jsonl");
        RoleCredential in = fx.in;
        RoleCredential pk = fx.pk;

        Content.Signal signal = Content.Signal.of("posture.normal-readiness", Map.of("asOf", "2026-05-10T14:00:00Z"));
        SignedMessage sent = MessageSigner.sign(in.identity(), new MessageHeader(in.exerciseId(),
                MessageId.of(VectorGeneratorTest.bytes(2, 16)),
                "in.pm", List.of("pk.pm"), "leaders", 1, T.plusSeconds(2), Hash32.ZERO, Hash32.ZERO, fx.catalog.version(),
                Optional.empty(), Optional.empty()), signal);
        SignedMessage received = MessageSigner.sign(pk.identity(), new MessageHeader(pk.exerciseId(),
                MessageId.of(VectorGeneratorTest.bytes(3, 16)), "pk.pm", List.of("in.pm"), "leaders", 1, T.plusSeconds(3),
                Hash32.ZERO, Hashes.messageHash(sent), fx.catalog.version(), Optional.of(sent.header().messageId()),
                Optional.empty()), new Content.Text("Received. We will call at 16:00 UTC."));
        try (AuditLog a = fx.openLog()) {
            fx.clock.set(T.plusSeconds(1));
            a.append(new AuditEvent.LinkUp("connected to 127.0.0.1:7443"));
            fx.clock.set(T.plusSeconds(2));
            a.append(new AuditEvent.MessageSent(sent, DisplayText.render(signal, fx.catalog, fx.exercise.exercise().parties())));
            fx.clock.set(T.plusSeconds(4));
            a.ensureCertificate("pk.pm", pk.identityCertificate());
            a.append(AuditEvent.ReceiptRecorded.byClient(ReceiptSigner.sign(pk.identity(), Receipt.Type.DELIVERED, sent,
                    "pk.pm", T.plusMillis(3500))));
            a.append(new AuditEvent.MessageReceived(received, "Received. We will call at 16:00 UTC.", T.plusSeconds(4)));
            fx.clock.set(T.plusSeconds(9));
            a.append(new AuditEvent.Acknowledged(ReceiptSigner.sign(in.identity(), Receipt.Type.ACKNOWLEDGED, received,
                    "in.pm", T.plusSeconds(9))));
        }
        // A crash in the middle of writing line 9, then the owner reopens the log.
        Files.write(fx.log, TORN.getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        fx.clock.set(T.plusSeconds(60));
        try (AuditLog a = fx.openLog()) {
            a.append(new AuditEvent.LinkUp("connected to 127.0.0.1:7443"));
        }

        List<String> lines = Files.readAllLines(fx.log, StandardCharsets.UTF_8);
        int tornLine = lines.indexOf(TORN) + 1;
        ObjectNode v = Vectors.JSON.createObjectNode();
        v.put("description", "A client's audit log (PROTOCOL.md §11): log-opened, link-up, message-sent, "
                + "peer-certificate, receipt, message-received, acknowledged, checkpoint, a torn line, recovered, "
                + "link-up, checkpoint. Verify with caCertificate as the trust anchor.");
        v.put("file", "audit-log.jsonl");
        v.put("owner", "in.pm");
        v.put("caCertificate", Pem.certificate(in.caCertificate()));
        v.put("caFingerprint", CertificateValidator.fingerprint(in.caCertificate()));
        v.put("ownerIdentityPublicKey", Vectors.HEX.formatHex(in.identity().publicKey().encoded()));
        ObjectNode expect = v.putObject("expect");
        expect.put("intact", true);
        expect.put("entries", lines.size() - 1);
        expect.put("checkpoints", 2);
        expect.put("signedItemsVerified", 6);
        ArrayNode checkpoints = v.putArray("checkpoints");
        MerkleTree tree = new MerkleTree();
        List<String> leaves = new ArrayList<>();
        byte[] prev = new byte[32];
        for (int i = 0; i < lines.size(); i++) {
            if (i + 1 == tornLine) {
                continue; // a torn line is not a leaf and not in the hash chain
            }
            byte[] line = lines.get(i).getBytes(StandardCharsets.UTF_8);
            var node = Vectors.JSON.readTree(line);
            if (node.path("type").asText().equals("checkpoint")) {
                ObjectNode c = checkpoints.addObject();
                c.put("lineNumber", i + 1);
                c.put("seq", node.path("seq").asLong());
                c.put("treeSize", tree.size());
                ArrayNode leafHashes = c.putArray("leafHashes");
                leaves.forEach(leafHashes::add);
                c.put("root", Vectors.HEX.formatHex(tree.root()));
                c.put("signedBytes", Vectors.HEX.formatHex(new WireWriter(128).u64(node.path("seq").asLong())
                        .string(node.path("time").asText()).fixed(prev).string("in.pm").u64(tree.size())
                        .fixed(tree.root()).toByteArray()));
            }
            byte[] leaf = MerkleTree.leafHash(line);
            tree.append(leaf);
            leaves.add(Vectors.HEX.formatHex(leaf));
            prev = Hashes.sha256(line);
        }
        ObjectNode torn = v.putObject("torn");
        torn.put("lineNumber", tornLine);
        torn.put("bytes", Vectors.HEX.formatHex(TORN.getBytes(StandardCharsets.UTF_8)));
        torn.put("tornBytesSha256", Vectors.HEX.formatHex(Hashes.sha256(TORN.getBytes(StandardCharsets.UTF_8))));
        torn.put("recoveredLineNumber", tornLine + 1);

        // Copies that MUST be rejected, each at the line given, for the reason given.
        ArrayNode negative = v.putArray("negative");
        int receivedLine = LogForger.lineContaining(fx.log, "Received. We will call");
        fx.negative(negative, "audit-log-forged-text.jsonl", receivedLine, "\"text\"",
                "the owner changed a peer's words, re-chained and re-signed every checkpoint with its own key",
                f -> LogForger.rewrite(f, receivedLine, l -> l.replace("Received. We will call at 16:00 UTC.", FORGED),
                        in.identity()));
        fx.negative(negative, "audit-log-forged-from.jsonl", receivedLine, "\"from\"",
                "the owner changed who a message is from, re-chained and re-signed",
                f -> LogForger.rewrite(f, receivedLine, l -> l.replace("\"from\":\"pk.pm\"", "\"from\":\"pk.nsa\""),
                        in.identity()));
        fx.negative(negative, "audit-log-torn-replaced.jsonl", tornLine, "tornBytesSha256",
                "the torn line was replaced with a well-formed message-received entry",
                f -> {
                    List<String> l = new ArrayList<>(Files.readAllLines(f));
                    l.set(tornLine - 1, l.get(receivedLine - 1).replace("Received. We will call at 16:00 UTC.", FORGED));
                    Files.write(f, l);
                });
        fx.negative(negative, "audit-log-torn-edited.jsonl", tornLine, "tornBytesSha256",
                "one byte of the torn line was changed",
                f -> {
                    List<String> l = new ArrayList<>(Files.readAllLines(f));
                    l.set(tornLine - 1, l.get(tornLine - 1).replace("2026-", "2027-"));
                    Files.write(f, l);
                });
        String fp = CertificateValidator.fingerprint(in.caCertificate());
        fx.negative(negative, "audit-log-wrong-ca-fingerprint.jsonl", 1, "caFingerprint",
                "caFingerprint names another CA, re-chained and re-signed",
                f -> LogForger.rewrite(f, 1, l -> l.replace(fp, fp.substring(0, fp.length() - 1)
                        + (fp.endsWith("0") ? "1" : "0")), in.identity()));
        fx.negative(negative, "audit-log-duplicate-key.jsonl", receivedLine, "duplicate key",
                "a second \"text\" key holds other words, re-chained and re-signed",
                f -> LogForger.rewrite(f, receivedLine, l -> l.replace("\"kind\":", "\"text\":\"" + FORGED + "\",\"kind\":"),
                        in.identity()));
        fx.negative(negative, "audit-log-unknown-type.jsonl", 2, "unknown entry type",
                "an entry type this version does not define, re-chained and re-signed",
                f -> LogForger.rewrite(f, 2, l -> l.replace("\"link-up\"", "\"link-sideways\""), in.identity()));
        Vectors.JSON.writeValue(Vectors.SOURCE_DIR.resolve("audit.json").toFile(), v);
    }

}
