package org.hotline.protocol.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.signals.SignalCatalog;
import org.hotline.protocol.testing.LogForger;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.SignedMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The verifier binds every displayed word to signed bytes and reads strictly (issue 13 point 5,
 * issue 14 item 1): each test is a log its owner (who holds its key) rewrote, re-chained and
 * re-signed, or a torn line someone replaced, and each must fail at the line it names.
 */
@Timeout(60)
class AuditVerifierStrictTest extends LeadersLogFixture {

    static final String GENUINE = "We accept talks at 16:00 UTC.";
    static final String FORGED = "We reject your proposal and will respond with force.";


    static Optional<Exercise> exercise(boolean given) {
        return given ? Optional.of(ex.exercise()) : Optional.empty();
    }

    static SignedMessage fromIn(String channel, Content content, int counter) {
        MessageHeader h = new MessageHeader(inPm.exerciseId(), MessageId.random(new SecureRandom()), "in.pm",
                List.of("pk.pm"), channel,
                counter, Instant.now(), Hash32.ZERO, Hash32.ZERO, "2026.11-1", Optional.empty(), Optional.empty());
        return MessageSigner.sign(inPm.identity(), h, content);
    }

    /** pk.pm's log: it received a free-text message and a signal from in.pm. */
    Path receiverLog(String name) throws Exception {
        Path file = tmp.resolve(name);
        Content.Signal signal = Content.Signal.of("posture.normal-readiness", Map.of("asOf", "2026-05-10T14:00:00Z"));
        String wording = DisplayText.render(signal, SignalCatalog.builtIn(), ex.exercise().parties());
        try (AuditLog log = AuditLog.open(file, "pk.pm", pkPm.identity(), pkPm.identityCertificate(),
                pkPm.caCertificate(), Clock.systemUTC(), 64)) {
            log.append(new AuditEvent.LinkUp("connected"));
            log.ensureCertificate("in.pm", inPm.identityCertificate());
            log.append(new AuditEvent.MessageReceived(fromIn("leaders", new Content.Text(GENUINE), 1), GENUINE,
                    Instant.now()));
            log.append(new AuditEvent.MessageReceived(fromIn("leaders", signal, 2), wording, Instant.now()));
        }
        return file;
    }

    @Test
    void untouchedLog_verifiesWithTheExercise() throws Exception {
        var report = AuditVerifier.verify(receiverLog("ok.jsonl"), trust(), exercise(true));
        assertThat(report.problem()).isEmpty();
        assertThat(report.accepted()).hasSize(report.entries());
    }

    /** Issue 13's demonstration: the owner makes a peer's message read differently and re-signs. */
    @Test
    void ownerRewritesAPeersWords_reChainedAndReSigned_failsNamingLineAndField() throws Exception {
        Path file = receiverLog("forged.jsonl");
        int line = LogForger.lineContaining(file, GENUINE);
        LogForger.rewrite(file, line, l -> l.replace(GENUINE, FORGED), pkPm.identity());
        assertThat(Files.readString(file)).contains(FORGED);
        for (boolean withExercise : new boolean[] {true, false}) {
            var report = AuditVerifier.verify(file, trust(), exercise(withExercise));
            assertThat(report.problem()).get().extracting(AuditReport.Problem::line).isEqualTo(line);
            assertThat(report.problem().get().message()).contains("\"text\"").doesNotContain(FORGED);
            assertThat(report.accepted()).noneMatch(e -> e.event() instanceof AuditEvent.MessageEntry m
                    && m.loggedText().contains("reject"));
        }
    }

    /** Replacing the embedded message itself needs the peer's key: the owner's own signature does not verify. */
    @Test
    void ownerReplacesTheEmbeddedMessage_signedWithItsOwnKey_failsTheSignature() throws Exception {
        Path file = receiverLog("resigned.jsonl");
        int line = LogForger.lineContaining(file, GENUINE);
        String original = Files.readAllLines(file).get(line - 1);
        SignedMessage genuine = ((AuditEvent.MessageEntry) AuditCodec.decode(
                original.getBytes(StandardCharsets.UTF_8)).event()).message();
        SignedMessage forged = MessageSigner.sign(pkPm.identity(), genuine.header(), new Content.Text(FORGED));
        LogForger.rewrite(file, line, l -> l.replace(GENUINE, FORGED).replace(
                Base64.getEncoder().encodeToString(genuine.encode()), Base64.getEncoder().encodeToString(forged.encode())),
                pkPm.identity());
        var report = AuditVerifier.verify(file, trust(), exercise(true));
        assertThat(report.problem()).get().extracting(AuditReport.Problem::line).isEqualTo(line);
        assertThat(report.problem().get().message()).containsIgnoringCase("signature");
    }

    @Test
    void ownerRewritesASignalsWording_failsWithTheExercise_andIsNeverShownWithout() throws Exception {
        Path file = receiverLog("signal.jsonl");
        int line = LogForger.lineContaining(file, "posture.normal-readiness");
        LogForger.rewrite(file, line, l -> l.replaceFirst("\"text\":\"[^\"]*\"", "\"text\":\"" + FORGED + "\""),
                pkPm.identity());
        var withExercise = AuditVerifier.verify(file, trust(), exercise(true));
        assertThat(withExercise.problem()).get().extracting(AuditReport.Problem::line).isEqualTo(line);
        assertThat(withExercise.problem().get().message()).contains("\"text\"");
        // With only the CA the wording cannot be re-rendered (time zones come from the exercise): the
        // verifier says so, and readers render from the signed signal, never from this field.
        var caOnly = AuditVerifier.verify(file, trust(), Optional.empty());
        assertThat(caOnly.warnings()).anyMatch(w -> w.contains("signal wordings were not re-rendered"));
        for (AuditEntry e : caOnly.accepted()) {
            if (e.event() instanceof AuditEvent.MessageEntry m) {
                assertThat(DisplayText.render(m.content(), SignalCatalog.builtIn(), List.of())).doesNotContain("reject");
            }
        }
    }

    @Test
    void wrongCaFingerprint_isRejectedAtLineOne() throws Exception {
        Path file = receiverLog("fp.jsonl");
        String real = CertificateValidator.fingerprint(pkPm.caCertificate());
        String other = real.substring(0, real.length() - 2) + (real.endsWith("00") ? "01" : "00");
        LogForger.rewrite(file, 1, l -> l.replace(real, other), pkPm.identity());
        for (Optional<CertificateValidator> anchor : List.of(trust(), Optional.<CertificateValidator>empty())) {
            var report = AuditVerifier.verify(file, anchor);
            assertThat(report.problem()).get().extracting(AuditReport.Problem::line).isEqualTo(1);
            assertThat(report.problem().get().message()).contains("caFingerprint");
        }
    }

    @Test
    void unknownEntryType_isRejectedByName() throws Exception {
        Path file = receiverLog("type.jsonl");
        LogForger.rewrite(file, 2, l -> l.replace("\"link-up\"", "\"link-sideways\""), pkPm.identity());
        var report = AuditVerifier.verify(file, trust());
        assertThat(report.problem()).get().extracting(AuditReport.Problem::line).isEqualTo(2);
        assertThat(report.problem().get().message()).contains("unknown entry type \"link-sideways\"");
    }

    @Test
    void duplicateKey_isRejected_evenWhenEitherReadingWouldVerify() throws Exception {
        Path file = receiverLog("dup.jsonl");
        int line = LogForger.lineContaining(file, GENUINE);
        LogForger.rewrite(file, line, l -> l.replace("\"kind\":", "\"text\":\"" + FORGED + "\",\"kind\":"),
                pkPm.identity());
        var report = AuditVerifier.verify(file, trust());
        assertThat(report.problem()).get().extracting(AuditReport.Problem::line).isEqualTo(line);
        assertThat(report.problem().get().message()).contains("duplicate key");
    }

    @Test
    void messageOnAChannelItsSenderIsNotAMemberOf_isRejectedGivenTheExercise() throws Exception {
        Path file = tmp.resolve("channel.jsonl");
        try (AuditLog log = AuditLog.open(file, "in.pm", inPm.identity(), inPm.identityCertificate(),
                inPm.caCertificate(), Clock.systemUTC(), 64)) {
            log.append(new AuditEvent.MessageSent(fromIn("nsa", new Content.Text(GENUINE), 1), GENUINE));
        }
        var report = AuditVerifier.verify(file, trust(), exercise(true));
        assertThat(report.problem()).get().extracting(AuditReport.Problem::line).isEqualTo(2);
        assertThat(report.problem().get().message()).contains("in.pm is not a member of channel 'nsa'");
        var caOnly = AuditVerifier.verify(file, trust(), Optional.empty());
        assertThat(caOnly.intact()).isTrue();
        assertThat(caOnly.warnings()).anyMatch(w -> w.contains("channel membership") && w.contains("not checked"));
    }

    @Test
    void receivedMessageNotAddressedToTheOwner_isRejected() throws Exception {
        Path file = tmp.resolve("addressed.jsonl");
        try (AuditLog log = AuditLog.open(file, "in.pm", inPm.identity(), inPm.identityCertificate(),
                inPm.caCertificate(), Clock.systemUTC(), 64)) {
            log.append(new AuditEvent.MessageReceived(fromIn("leaders", new Content.Text(GENUINE), 1), GENUINE,
                    Instant.now()));
        }
        var report = AuditVerifier.verify(file, trust());
        assertThat(report.problem()).get().extracting(AuditReport.Problem::line).isEqualTo(2);
        assertThat(report.problem().get().message()).contains("not addressed to the log's owner");
    }

    // ------------------------------------------------------------- torn lines (issue 14 item 1)

    /** A closed log, then a crash mid-line, then the owner reopens it (writing its recovered entry). */
    Path tornLog(String name) throws Exception {
        Path file = receiverLog(name);
        Files.write(file, "{\"seq\":9,\"time\":\"2026-".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        try (AuditLog log = AuditLog.open(file, "pk.pm", pkPm.identity(), pkPm.identityCertificate(),
                pkPm.caCertificate(), Clock.systemUTC(), 64)) {
            log.append(new AuditEvent.LinkUp("connected again"));
        }
        return file;
    }

    @Test
    void tornLine_untouched_verifiesWithAWarning_andIsNeverAnEntry() throws Exception {
        Path file = tornLog("torn.jsonl");
        int torn = LogForger.lineContaining(file, "\"seq\":9,\"time\":\"2026-");
        var report = AuditVerifier.verify(file, trust());
        assertThat(report.problem()).isEmpty();
        assertThat(report.warnings()).anyMatch(w -> w.contains("line " + torn + " was torn"));
        assertThat(report.accepted()).hasSize(Files.readAllLines(file).size() - 1);
    }

    @Test
    void tornLine_replacedWithAWellFormedMessage_isRejected() throws Exception {
        Path file = tornLog("replaced.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        int torn = LogForger.lineContaining(file, "\"seq\":9,\"time\":\"2026-");
        String messageLine = lines.get(LogForger.lineContaining(file, GENUINE) - 1);
        lines.set(torn - 1, messageLine.replace(GENUINE, FORGED));
        Files.write(file, lines);
        var report = AuditVerifier.verify(file, trust());
        assertThat(report.problem()).get().extracting(AuditReport.Problem::line).isEqualTo(torn);
        assertThat(report.problem().get().message()).contains("tornBytesSha256");
        assertThat(report.accepted()).noneMatch(e -> e.event() instanceof AuditEvent.MessageEntry m
                && m.loggedText().contains("reject"));
    }

    @Test
    void tornLine_editedByOneByte_isRejected() throws Exception {
        Path file = tornLog("edited.jsonl");
        int torn = LogForger.lineContaining(file, "\"seq\":9,\"time\":\"2026-");
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(torn - 1, lines.get(torn - 1).replace("2026-", "2027-"));
        Files.write(file, lines);
        var report = AuditVerifier.verify(file, trust());
        assertThat(report.problem()).get().extracting(AuditReport.Problem::line).isEqualTo(torn);
        assertThat(report.problem().get().message()).contains("tornBytesSha256");
    }

    /**
     * Second-reader finding: a torn first line let a log skip log-opened, and the next entry then
     * crashed the verifier with a NullPointerException. Now it is one problem at line 1.
     */
    @Test
    void tornFirstLine_isRejectedAtLine1_notACrash() throws Exception {
        Path file = tmp.resolve("torn-first.jsonl");
        byte[] junk = "{\"seq\":0,\"ti".getBytes(StandardCharsets.UTF_8);
        Instant t = Instant.parse("2026-05-10T14:00:00Z");
        byte[] recovered = AuditCodec.encode(0, t, new byte[32],
                new AuditEvent.Recovered(1, org.hotline.protocol.crypto.Hashes.sha256(junk)));
        byte[] certificate = AuditCodec.encode(1, t, new byte[32], new AuditEvent.PeerCertificate("pk.pm",
                "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] line : List.of(junk, recovered, certificate)) {
            out.write(line);
            out.write('\n');
        }
        Files.write(file, out.toByteArray());
        var report = AuditVerifier.verify(file, trust());
        assertThat(report.problem()).get().extracting(AuditReport.Problem::line).isEqualTo(1);
        assertThat(report.problem().get().message()).contains("first line cannot be torn");
    }
}
