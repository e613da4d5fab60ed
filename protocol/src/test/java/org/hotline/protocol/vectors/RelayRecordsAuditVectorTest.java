package org.hotline.protocol.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.hotline.protocol.audit.AuditCodec;
import org.hotline.protocol.audit.AuditEntry;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.audit.AuditLog;
import org.hotline.protocol.audit.AuditVerifier;
import org.hotline.protocol.crypto.CumulativeReceiptSigner;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.ExerciseDirectory;
import org.hotline.protocol.pki.ExercisePki;
import org.hotline.protocol.pki.Pem;
import org.hotline.protocol.pki.RelayCredential;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.testing.LogForger;
import org.hotline.protocol.testing.SettableClock;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.tlog.Checkpoint;
import org.hotline.protocol.tlog.MerkleLog;
import org.hotline.protocol.tlog.RelayLogProofs;
import org.hotline.protocol.tlog.SignedCheckpoint;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.CumulativeReceipt;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SignedMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The records of several relays and of the relay's log in a client's audit log (PROTOCOL.md §11.3,
 * §11.6, §12.5, §13): {@code audit-relays.json} describes {@code audit-log-relays.jsonl}, in.pm's log
 * in an exercise with relays {@code relay-in} and {@code relay-pk}: a {@code relay-inclusion} entry,
 * pk.pm's {@code delivered-through} receipt, a {@code message-received} naming the relay of its first
 * copy ({@code via}) and one {@code duplicate} through the other relay; and copies that MUST be
 * rejected. Written only when asked ({@code -Dtest=RelayRecordsAuditVectorTest
 * -Dhotline.vectors.regenerateAudit=true}); keys and certificates are fresh each run, so the files
 * are data, replayed on every build.
 */
@Timeout(60)
class RelayRecordsAuditVectorTest {

    static final Instant T = Instant.parse("2026-05-10T14:00:00Z");
    static final String FILE = "audit-log-relays.jsonl";
    static final String DESCRIPTION = "audit-relays.json";

    @TempDir
    Path tmp;

    @Test
    void regenerate() throws Exception {
        assumeTrue(Boolean.getBoolean("hotline.vectors.regenerateAudit"), "set -Dhotline.vectors.regenerateAudit=true");
        char[] pass = TestExercise.PASSPHRASE.toCharArray();
        Path dir = tmp.resolve("exercise");
        new ExercisePki(Clock.fixed(T.minus(Duration.ofDays(1)), ZoneOffset.UTC), new SecureRandom(),
                TestExercise.TEST_KDF_ITERATIONS).init(dir, "south-asia", Optional.of(pass), 2);
        ExerciseDirectory ed = new ExerciseDirectory(dir);
        RoleCredential in = ed.loadRole("in.pm", pass, T);
        RoleCredential pk = ed.loadRole("pk.pm", pass, T);
        RelayCredential relayIn = ed.loadRelay("relay-in", pass, T);
        RelayCredential relayPk = ed.loadRelay("relay-pk", pass, T);
        Path log = Vectors.SOURCE_DIR.resolve(FILE);
        Files.deleteIfExists(log);
        SettableClock clock = new SettableClock(T);

        // Three hash-linked messages in.pm -> pk.pm on leaders, and one from pk.pm back.
        List<SignedMessage> sent = new ArrayList<>();
        Hash32 previous = Hash32.ZERO;
        for (int n = 1; n <= 3; n++) {
            SignedMessage m = MessageSigner.sign(in.identity(), new MessageHeader(in.exerciseId(),
                    MessageId.of(VectorGeneratorTest.bytes(60 + n, 16)), "in.pm", List.of("pk.pm"), "leaders", n,
                    T.plusSeconds(n), previous, Hash32.ZERO, "2026.12-1", Optional.empty(), Optional.empty()),
                    new Content.Text("Message " + n + " of three."));
            sent.add(m);
            previous = Hashes.messageHash(m);
        }
        SignedMessage theirs = MessageSigner.sign(pk.identity(), new MessageHeader(pk.exerciseId(),
                MessageId.of(VectorGeneratorTest.bytes(70, 16)), "pk.pm", List.of("in.pm"), "leaders", 1,
                T.plusSeconds(20), Hash32.ZERO, previous, "2026.12-1", Optional.empty(), Optional.empty()),
                new Content.Text("Received all three."));

        // relay-in's log of two leaves: the acceptances of messages 1 and 2; message 1's inclusion at size 2.
        List<Receipt> accepted = new ArrayList<>();
        MerkleLog tree = new MerkleLog();
        for (int n = 0; n < 2; n++) {
            Receipt r = Receipt.unsigned(new Receipt.Fields(Receipt.Type.ACCEPTED, in.exerciseId(),
                    sent.get(n).header().messageId(), "relay-in", "in.pm", "leaders", T.plusSeconds(n + 1),
                    Hash32.of(VectorGeneratorTest.bytes(80 + n, 32)), Optional.empty()));
            accepted.add(r);
            tree.append(RelayLogProofs.leafHashOf(r));
        }
        SignedCheckpoint cp = SignedCheckpoint.sign(new Checkpoint(Checkpoint.originOf("relay-in", in.exerciseId()),
                2, Hash32.of(tree.root(2))), relayIn.identity());
        AuditEvent.RelayInclusion inclusion = new AuditEvent.RelayInclusion(accepted.get(0), 0,
                RelayLogProofs.hashes(tree.inclusionProof(0, 2)), cp);
        CumulativeReceipt through = CumulativeReceiptSigner.sign(pk.identity(), new CumulativeReceipt.Fields(
                pk.exerciseId(), "pk.pm", "in.pm", "leaders", 1, 3, previous, T.plusSeconds(10),
                sent.stream().map(m -> m.header().messageId()).toList()));

        try (AuditLog a = AuditLog.open(log, "in.pm", in.identity(), in.identityCertificate(), in.caCertificate(), clock,
                64)) {
            for (SignedMessage m : sent) {
                clock.set(m.header().sentAt());
                a.append(new AuditEvent.MessageSent(m, ((Content.Text) m.content()).text()));
            }
            clock.set(T.plusSeconds(4));
            a.ensureCertificate("relay-in", relayIn.identityCertificate());
            a.append(inclusion);
            clock.set(T.plusSeconds(11));
            a.ensureCertificate("pk.pm", pk.identityCertificate());
            a.append(new AuditEvent.DeliveredThrough(through));
            clock.set(T.plusSeconds(21));
            a.append(new AuditEvent.MessageReceived(theirs, "Received all three.", T.plusSeconds(21),
                    Optional.of("relay-pk")));
            clock.set(T.plusSeconds(22));
            a.append(new AuditEvent.DuplicateCopy(theirs.header().messageId(), "relay-in"));
        }
        // relay-pk signs nothing in this log: its name is all a duplicate needs.
        assertThat(relayPk.name()).isEqualTo("relay-pk");

        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        int inclusionLine = LogForger.lineContaining(log, "\"type\":\"relay-inclusion\"");
        int throughLine = LogForger.lineContaining(log, "\"type\":\"delivered-through\"");
        int receivedLine = LogForger.lineContaining(log, "\"type\":\"message-received\"");
        int duplicateLine = LogForger.lineContaining(log, "\"type\":\"duplicate\"");
        ObjectNode v = Vectors.JSON.createObjectNode();
        v.put("description", "A client's audit log in an exercise with two relays (PROTOCOL.md §11.3, §12.5, §13): "
                + "in.pm sent three messages to pk.pm; relay-in proved the first in its log (relay-inclusion, leaf 0 "
                + "of a tree of 2); pk.pm's delivered-through receipt settled all three; pk.pm's reply arrived first "
                + "through relay-pk (via) and again through relay-in (duplicate). Verify with caCertificate as the "
                + "trust anchor.");
        v.put("file", FILE);
        v.put("owner", "in.pm");
        v.put("caCertificate", Pem.certificate(in.caCertificate()));
        v.put("exerciseId", in.exerciseId().hex());
        // The exercise's relays: a verifier given the exercise refuses a via or duplicate naming another.
        v.putArray("relays").add("relay-in").add("relay-pk");
        ObjectNode expect = v.putObject("expect");
        expect.put("entries", lines.size());
        ObjectNode inc = v.putObject("relayInclusion");
        inc.put("lineNumber", inclusionLine);
        inc.put("line", lines.get(inclusionLine - 1));
        inc.put("id", sent.get(0).header().messageId().hex());
        inc.put("relay", "relay-in");
        inc.put("leafIndex", 0);
        inc.put("treeSize", 2);
        inc.put("leaf", Vectors.HEX.formatHex(RelayLogProofs.leafOf(accepted.get(0))));
        ArrayNode proof = inc.putArray("proof");
        inclusion.proof().forEach(h -> proof.add(h.hex()));
        inc.put("checkpoint", new String(cp.encode(), StandardCharsets.UTF_8));
        inc.put("relayIdentityCertificate", Pem.certificate(relayIn.identityCertificate()));
        ObjectNode dt = v.putObject("deliveredThrough");
        dt.put("lineNumber", throughLine);
        dt.put("line", lines.get(throughLine - 1));
        dt.put("from", "in.pm");
        dt.put("channel", "leaders");
        dt.put("by", "pk.pm");
        dt.put("throughCounter", 3);
        dt.put("receipt", Vectors.HEX.formatHex(through.encode()));
        ObjectNode rec = v.putObject("messageReceived");
        rec.put("lineNumber", receivedLine);
        rec.put("line", lines.get(receivedLine - 1));
        rec.put("id", theirs.header().messageId().hex());
        rec.put("via", "relay-pk");
        ObjectNode dup = v.putObject("duplicate");
        dup.put("lineNumber", duplicateLine);
        dup.put("line", lines.get(duplicateLine - 1));
        dup.put("id", theirs.header().messageId().hex());
        dup.put("via", "relay-in");
        dup.put("time", T.plusSeconds(22).toString());

        ArrayNode negative = v.putArray("negative");
        negative(negative, log, "audit-log-relays-through-counter.jsonl", throughLine, "\"throughCounter\"",
                "the owner changed the delivered-through line's throughCounter from 3 to 2, re-chained and re-signed",
                f -> LogForger.rewrite(f, throughLine, l -> l.replace("\"throughCounter\":3", "\"throughCounter\":2"),
                        in.identity()));
        negative(negative, log, "audit-log-relays-through-receipt.jsonl", throughLine, "bad signature",
                "the owner flipped a bit of pk.pm's embedded cumulative receipt (its time), re-chained and re-signed",
                f -> LogForger.rewrite(f, throughLine, l -> replaceBase64(l, "receipt", b -> b[b.length - 80] ^= 0x01),
                        in.identity()));
        negative(negative, log, "audit-log-relays-inclusion-proof.jsonl", inclusionLine, "inclusion proof",
                "the owner flipped a bit of the inclusion proof, re-chained and re-signed",
                f -> LogForger.rewrite(f, inclusionLine, l -> {
                    int at = l.indexOf("\"proof\":[\"") + "\"proof\":[\"".length();
                    return l.substring(0, at) + (l.charAt(at) == '0' ? '1' : '0') + l.substring(at + 1);
                }, in.identity()));
        negative(negative, log, "audit-log-relays-second-duplicate.jsonl", duplicateLine + 1, "second duplicate",
                "a second duplicate of the same message through relay-in, chained and signed by the owner",
                f -> insertAfter(f, duplicateLine, lines.get(duplicateLine - 1), in));
        negative(negative, log, "audit-log-relays-duplicate-first-relay.jsonl", duplicateLine, "its first copy",
                "the duplicate names relay-pk, the relay of the first copy, re-chained and re-signed",
                f -> LogForger.rewrite(f, duplicateLine, l -> l.replace("\"via\":\"relay-in\"", "\"via\":\"relay-pk\""),
                        in.identity()));
        negative(negative, log, "audit-log-relays-duplicate-unknown.jsonl", duplicateLine, "no earlier message-received",
                "the duplicate names message 1, which the owner sent and never received, re-chained and re-signed",
                f -> LogForger.rewrite(f, duplicateLine, l -> l.replace(theirs.header().messageId().hex(),
                        sent.get(0).header().messageId().hex()), in.identity()));
        Vectors.JSON.writeValue(Vectors.SOURCE_DIR.resolve(DESCRIPTION).toFile(), v);
    }

    interface Edit {
        void apply(Path file) throws Exception;
    }

    interface BytesEdit {
        void apply(byte[] b);
    }

    private static String replaceBase64(String line, String field, BytesEdit edit) {
        String b64 = line.replaceAll(".*\"" + field + "\":\"([^\"]*)\".*", "$1");
        byte[] b = Base64.getDecoder().decode(b64);
        edit.apply(b);
        return line.replace("\"" + field + "\":\"" + b64 + "\"",
                "\"" + field + "\":\"" + Base64.getEncoder().encodeToString(b) + "\"");
    }

    /** Inserts a copy of {@code line} after line {@code after} (1-based), then re-chains and re-signs. */
    private static void insertAfter(Path f, int after, String line, RoleCredential owner) throws Exception {
        List<String> l = new ArrayList<>(Files.readAllLines(f, StandardCharsets.UTF_8));
        l.add(after, line.replaceFirst("\"seq\":\\d+", "\"seq\":" + after));
        // Sequence numbers after it move up by one.
        for (int i = after + 1; i < l.size(); i++) {
            l.set(i, l.get(i).replaceFirst("\"seq\":\\d+", "\"seq\":" + i));
        }
        Files.write(f, LogForger.rechain(l, owner.identity()));
    }

    private static void negative(ArrayNode out, Path log, String name, int line, String reason, String what, Edit edit)
            throws Exception {
        Path f = Vectors.SOURCE_DIR.resolve(name);
        Files.copy(log, f, StandardCopyOption.REPLACE_EXISTING);
        edit.apply(f);
        ObjectNode n = out.addObject();
        n.put("file", name);
        n.put("what", what);
        n.put("line", line);
        n.put("reason", reason);
    }

    // ------------------------------------------------------------------ replay

    Path copy(String name) throws Exception {
        Path f = tmp.resolve(name);
        try (InputStream in = RelayRecordsAuditVectorTest.class.getResourceAsStream(Vectors.RESOURCE_DIR + name)) {
            assertThat(in).as(name).isNotNull();
            Files.copy(in, f, StandardCopyOption.REPLACE_EXISTING);
        }
        return f;
    }

    static Optional<CertificateValidator> anchor(JsonNode v) throws Exception {
        return Optional.of(CertificateValidator.withoutRevocation(
                Pem.parseCertificate(v.get("caCertificate").asText().getBytes(StandardCharsets.US_ASCII))));
    }

    static AuditEntry line(JsonNode entry) throws Exception {
        byte[] line = entry.get("line").asText().getBytes(StandardCharsets.UTF_8);
        AuditEntry e = AuditCodec.decode(line);
        assertThat(AuditCodec.encode(e)).isEqualTo(line);
        return e;
    }

    @Test
    void log_verifies() throws Exception {
        JsonNode v = Vectors.load(DESCRIPTION);
        var report = AuditVerifier.verify(copy(v.get("file").asText()), anchor(v));
        assertThat(report.problem()).isEmpty();
        assertThat(report.authenticated()).isTrue();
        assertThat(report.entries()).isEqualTo(v.get("expect").get("entries").asInt());
    }

    @Test
    void relayInclusionLine_decodesToItsFields_andItsProofLeadsToTheCheckpoint() throws Exception {
        JsonNode d = Vectors.load(DESCRIPTION).get("relayInclusion");
        AuditEvent.RelayInclusion in = (AuditEvent.RelayInclusion) line(d).event();
        assertThat(in.receipt().messageId().hex()).isEqualTo(d.get("id").asText());
        assertThat(in.receipt().asserter()).isEqualTo(d.get("relay").asText());
        assertThat(in.receipt().isSigned()).isFalse();
        assertThat(in.leafIndex()).isEqualTo(d.get("leafIndex").asLong());
        assertThat(in.checkpoint().treeSize()).isEqualTo(d.get("treeSize").asLong());
        assertThat(RelayLogProofs.leafOf(in.receipt())).isEqualTo(Vectors.HEX.parseHex(d.get("leaf").asText()));
        List<String> proof = new ArrayList<>();
        d.get("proof").forEach(h -> proof.add(h.asText()));
        assertThat(in.proof()).extracting(Hash32::hex).containsExactlyElementsOf(proof);
        assertThat(new String(in.checkpoint().encode(), StandardCharsets.UTF_8)).isEqualTo(d.get("checkpoint").asText());
        var relayKey = CertificateValidator.identityKeyOf(Pem.parseCertificate(
                d.get("relayIdentityCertificate").asText().getBytes(StandardCharsets.US_ASCII)));
        var exercise = org.hotline.protocol.wire.ExerciseId.of(Vectors.HEX.parseHex(
                Vectors.load(DESCRIPTION).get("exerciseId").asText()));
        RelayLogProofs.verifyInclusion(in.receipt(), new org.hotline.protocol.wire.LogInclusion(in.leafIndex(),
                in.proof(), in.checkpoint().encode()), exercise, relayKey);
    }

    @Test
    void deliveredThroughLine_decodesToItsFields_andReEncodesByteForByte() throws Exception {
        JsonNode d = Vectors.load(DESCRIPTION).get("deliveredThrough");
        AuditEvent.DeliveredThrough t = (AuditEvent.DeliveredThrough) line(d).event();
        assertThat(t.receipt().sender()).isEqualTo(d.get("from").asText());
        assertThat(t.receipt().channel()).isEqualTo(d.get("channel").asText());
        assertThat(t.receipt().asserter()).isEqualTo(d.get("by").asText());
        assertThat(t.receipt().throughCounter()).isEqualTo(d.get("throughCounter").asLong());
        assertThat(t.receipt().encode()).isEqualTo(Vectors.HEX.parseHex(d.get("receipt").asText()));
    }

    @Test
    void receivedAndDuplicateLines_nameTheirRelays() throws Exception {
        JsonNode v = Vectors.load(DESCRIPTION);
        AuditEvent.MessageReceived r = (AuditEvent.MessageReceived) line(v.get("messageReceived")).event();
        assertThat(r.message().header().messageId().hex()).isEqualTo(v.get("messageReceived").get("id").asText());
        assertThat(r.via()).contains(v.get("messageReceived").get("via").asText());
        AuditEntry e = line(v.get("duplicate"));
        AuditEvent.DuplicateCopy d = (AuditEvent.DuplicateCopy) e.event();
        assertThat(d.id().hex()).isEqualTo(v.get("duplicate").get("id").asText());
        assertThat(d.via()).isEqualTo(v.get("duplicate").get("via").asText());
        assertThat(e.time()).isEqualTo(Instant.parse(v.get("duplicate").get("time").asText()));
        List<String> relays = new ArrayList<>();
        v.get("relays").forEach(n -> relays.add(n.asText()));
        assertThat(relays).as("every relay the log names is one of the exercise's relays the vector lists")
                .containsExactlyInAnyOrder("relay-in", "relay-pk")
                .contains(r.via().orElseThrow(), d.via(), v.get("relayInclusion").get("relay").asText());
    }

    @Test
    void negatives_areRejectedAtTheirLine_forTheirReason() throws Exception {
        JsonNode v = Vectors.load(DESCRIPTION);
        assertThat(v.get("negative")).hasSize(6);
        for (JsonNode n : v.get("negative")) {
            var report = AuditVerifier.verify(copy(n.get("file").asText()), anchor(v));
            assertThat(report.problem()).as(n.get("file").asText()).isPresent();
            assertThat(report.problem().get().line()).as(n.get("file").asText()).isEqualTo(n.get("line").asInt());
            assertThat(report.problem().get().message()).as(n.get("file").asText()).contains(n.get("reason").asText());
        }
    }
}
