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
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hotline.protocol.audit.AuditCodec;
import org.hotline.protocol.audit.AuditEntry;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.audit.AuditLog;
import org.hotline.protocol.audit.AuditVerifier;
import org.hotline.protocol.audit.DisplayText;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.Pem;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.testing.LogForger;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.SignedMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code deadline-missed} vector (PROTOCOL.md §11.3, §11.6): {@code audit-deadline.json} describes
 * {@code audit-log-deadline.jsonl}, a log of in.pm in which its request to pk.pm passes its answer-by
 * time unanswered (one {@code deadline-missed} entry) while pk.pm's own request, answered in time,
 * gets none; and copies that MUST be rejected. Written only when asked
 * ({@code -Dtest=DeadlineAuditVectorTest -Dhotline.vectors.regenerateAudit=true}); the keys and
 * certificates are fresh each run, so the files are data, replayed on every build.
 */
@Timeout(60)
class DeadlineAuditVectorTest {

    static final Instant T = Instant.parse("2026-05-10T14:00:00Z");
    static final String FILE = "audit-log-deadline.jsonl";

    @TempDir
    Path tmp;

    @Test
    void regenerate() throws Exception {
        assumeTrue(Boolean.getBoolean("hotline.vectors.regenerateAudit"), "set -Dhotline.vectors.regenerateAudit=true");
        AuditLogVectorFixture fx = AuditLogVectorFixture.create(tmp, T, FILE);
        RoleCredential in = fx.in;
        RoleCredential pk = fx.pk;

        // in.pm asks for details by 14:30; nobody answers. pk.pm asks in.pm something by 14:10; in.pm answers at 14:05.
        Content.Signal ask = Content.Signal.of("clarify.request-details", Map.of("ref", "3f2a91c0"));
        SignedMessage asked = MessageSigner.sign(in.identity(), new MessageHeader(in.exerciseId(),
                MessageId.of(VectorGeneratorTest.bytes(4, 16)), "in.pm", List.of("pk.pm"), "leaders", 1, T.plusSeconds(1),
                Hash32.ZERO, Hash32.ZERO, fx.catalog.version(), Optional.empty(), Optional.of(T.plus(Duration.ofMinutes(30)))),
                ask);
        SignedMessage theirs = MessageSigner.sign(pk.identity(), new MessageHeader(pk.exerciseId(),
                MessageId.of(VectorGeneratorTest.bytes(5, 16)), "pk.pm", List.of("in.pm"), "leaders", 1, T.plusSeconds(2),
                Hash32.ZERO, Hashes.messageHash(asked), fx.catalog.version(), Optional.empty(),
                Optional.of(T.plus(Duration.ofMinutes(10)))), new Content.Text("Please confirm the call at 16:00 UTC."));
        SignedMessage answer = MessageSigner.sign(in.identity(), new MessageHeader(in.exerciseId(),
                MessageId.of(VectorGeneratorTest.bytes(6, 16)), "in.pm", List.of("pk.pm"), "leaders", 2,
                T.plus(Duration.ofMinutes(5)), Hashes.messageHash(asked), Hashes.messageHash(theirs), fx.catalog.version(),
                Optional.of(theirs.header().messageId()), Optional.empty()), new Content.Text("Confirmed: 16:00 UTC."));
        AuditEvent.DeadlineMissed missed = new AuditEvent.DeadlineMissed(asked, AuditEvent.DeadlineMissed.WALL,
                asked.header().answerBy().orElseThrow());
        try (AuditLog a = fx.openLog()) {
            fx.clock.set(T.plusSeconds(1));
            a.append(new AuditEvent.MessageSent(asked, DisplayText.render(ask, fx.catalog, fx.exercise.exercise().parties())));
            fx.clock.set(T.plusSeconds(3));
            a.ensureCertificate("pk.pm", pk.identityCertificate());
            a.append(new AuditEvent.MessageReceived(theirs, "Please confirm the call at 16:00 UTC.", T.plusSeconds(3)));
            fx.clock.set(T.plus(Duration.ofMinutes(5)));
            a.append(new AuditEvent.MessageSent(answer, "Confirmed: 16:00 UTC."));
            fx.clock.set(T.plus(Duration.ofMinutes(30)).plusSeconds(1));
            a.append(missed);
        }
        List<String> lines = Files.readAllLines(fx.log, StandardCharsets.UTF_8);
        int missedLine = LogForger.lineContaining(fx.log, "\"type\":\"deadline-missed\"");
        ObjectNode v = Vectors.JSON.createObjectNode();
        v.put("description", "A client's audit log (PROTOCOL.md §11.3 deadline-missed): in.pm's request to pk.pm "
                + "asked for an answer by 14:30 UTC and had none, so in.pm logged deadline-missed at 14:30:01; pk.pm's "
                + "request, answered by in.pm at 14:05, has no such entry. Verify with caCertificate as the trust anchor.");
        v.put("file", FILE);
        v.put("owner", "in.pm");
        v.put("caCertificate", Pem.certificate(in.caCertificate()));
        ObjectNode expect = v.putObject("expect");
        expect.put("entries", lines.size());
        expect.put("deadlineMissedEntries", 1);
        ObjectNode entry = v.putObject("deadlineMissed");
        entry.put("lineNumber", missedLine);
        entry.put("line", lines.get(missedLine - 1));
        entry.put("id", asked.header().messageId().hex());
        entry.put("from", "in.pm");
        entry.put("channel", "leaders");
        entry.put("answerBy", "2026-05-10T14:30:00Z");
        entry.put("clock", "wall");
        entry.put("deadline", "2026-05-10T14:30:00Z");
        entry.put("signedMessage", Vectors.HEX.formatHex(asked.encode()));

        ArrayNode negative = v.putArray("negative");
        fx.negative(negative, "audit-log-deadline-moved.jsonl", missedLine, "\"deadline\"",
                "the owner moved a wall-clock deadline away from the signed answerBy, re-chained and re-signed",
                f -> LogForger.rewrite(f, missedLine, l -> l.replace("\"deadline\":\"2026-05-10T14:30:00Z\"",
                        "\"deadline\":\"2026-05-10T14:20:00Z\""), in.identity()));
        fx.negative(negative, "audit-log-deadline-answerby.jsonl", missedLine, "\"answerBy\"",
                "the answerBy field differs from the embedded signed header, re-chained and re-signed",
                f -> LogForger.rewrite(f, missedLine, l -> l.replace("\"answerBy\":\"2026-05-10T14:30:00Z\"",
                        "\"answerBy\":\"2026-05-10T14:00:00Z\""), in.identity()));
        fx.negative(negative, "audit-log-deadline-early.jsonl", missedLine, "before the deadline",
                "the entry is dated before the deadline it says passed, re-chained and re-signed",
                f -> LogForger.rewrite(f, missedLine, l -> l.replace("\"time\":\"2026-05-10T14:30:01Z\"",
                        "\"time\":\"2026-05-10T14:29:01Z\""), in.identity()));
        int answerLine = LogForger.lineContaining(fx.log, "Confirmed: 16:00 UTC.");
        fx.negative(negative, "audit-log-deadline-answered.jsonl", answerLine + 1, "reply to it",
                "a deadline-missed entry for pk.pm's request after in.pm's own reply to it, signed by the owner",
                f -> {
                    // Re-encode the real entry for the answered message, insert it after the reply, re-chain.
                    AuditEvent.DeadlineMissed wrong = new AuditEvent.DeadlineMissed(theirs, AuditEvent.DeadlineMissed.WALL,
                            theirs.header().answerBy().orElseThrow());
                    List<String> l = new java.util.ArrayList<>(Files.readAllLines(f, StandardCharsets.UTF_8));
                    String inserted = new String(AuditCodec.encode(answerLine, T.plus(Duration.ofMinutes(11)), new byte[32],
                            wrong), StandardCharsets.UTF_8);
                    l.add(answerLine, inserted);
                    Files.write(f, LogForger.rechain(l, in.identity()));
                });
        Vectors.JSON.writeValue(Vectors.SOURCE_DIR.resolve("audit-deadline.json").toFile(), v);
    }

    // ------------------------------------------------------------------ replay

    Path copy(String name) throws Exception {
        Path f = tmp.resolve(name);
        try (InputStream in = DeadlineAuditVectorTest.class.getResourceAsStream(Vectors.RESOURCE_DIR + name)) {
            assertThat(in).as(name).isNotNull();
            Files.copy(in, f, StandardCopyOption.REPLACE_EXISTING);
        }
        return f;
    }

    static Optional<CertificateValidator> anchor(JsonNode v) throws Exception {
        return Optional.of(CertificateValidator.withoutRevocation(
                Pem.parseCertificate(v.get("caCertificate").asText().getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void log_verifiesWithOneDeadlineMissedEntry() throws Exception {
        JsonNode v = Vectors.load("audit-deadline.json");
        var report = AuditVerifier.verify(copy(v.get("file").asText()), anchor(v));
        assertThat(report.problem()).isEmpty();
        assertThat(report.authenticated()).isTrue();
        assertThat(report.entries()).isEqualTo(v.get("expect").get("entries").asInt());
        assertThat(report.accepted().stream().filter(e -> e.event() instanceof AuditEvent.DeadlineMissed))
                .hasSize(v.get("expect").get("deadlineMissedEntries").asInt());
    }

    @Test
    void deadlineMissedLine_decodesToItsFields_andReEncodesByteForByte() throws Exception {
        JsonNode d = Vectors.load("audit-deadline.json").get("deadlineMissed");
        byte[] line = d.get("line").asText().getBytes(StandardCharsets.UTF_8);
        AuditEntry e = AuditCodec.decode(line);
        assertThat(AuditCodec.encode(e)).isEqualTo(line);
        AuditEvent.DeadlineMissed m = (AuditEvent.DeadlineMissed) e.event();
        assertThat(m.id().hex()).isEqualTo(d.get("id").asText());
        assertThat(m.message().header().sender()).isEqualTo(d.get("from").asText());
        assertThat(m.message().header().channel()).isEqualTo(d.get("channel").asText());
        assertThat(m.answerBy()).isEqualTo(Instant.parse(d.get("answerBy").asText()));
        assertThat(m.clock()).isEqualTo(d.get("clock").asText());
        assertThat(m.deadline()).isEqualTo(Instant.parse(d.get("deadline").asText()));
        assertThat(m.message().encode()).isEqualTo(Vectors.HEX.parseHex(d.get("signedMessage").asText()));
        JsonNode json = Vectors.JSON.readTree(line);
        assertThat(Base64.getDecoder().decode(json.get("message").asText())).isEqualTo(m.message().encode());
    }

    @Test
    void negatives_areRejectedAtTheirLine_forTheirReason() throws Exception {
        JsonNode v = Vectors.load("audit-deadline.json");
        assertThat(v.get("negative")).hasSize(4);
        for (JsonNode n : v.get("negative")) {
            var report = AuditVerifier.verify(copy(n.get("file").asText()), anchor(v));
            assertThat(report.problem()).as(n.get("file").asText()).isPresent();
            assertThat(report.problem().get().line()).as(n.get("file").asText()).isEqualTo(n.get("line").asInt());
            assertThat(report.problem().get().message()).as(n.get("file").asText()).contains(n.get("reason").asText());
        }
    }
}
