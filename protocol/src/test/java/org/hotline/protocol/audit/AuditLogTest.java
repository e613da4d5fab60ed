package org.hotline.protocol.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.hotline.protocol.crypto.IdentityKeyPair;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.crypto.ReceiptSigner;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.testing.Messages;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SignedMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest extends LeadersLogFixture {

    /** A realistic closed log: a sent and a received message, receipts, link events, two checkpoints. */
    Path writeLog(String name) throws Exception {
        Path file = tmp.resolve(name);
        SecureRandom r = new SecureRandom();
        try (AuditLog log = AuditLog.open(file, "in.pm", inPm.identity(), inPm.identityCertificate(),
                inPm.caCertificate(), Clock.systemUTC(), 4)) {
            log.append(new AuditEvent.LinkUp("connected"));
            SignedMessage sent = MessageSigner.sign(inPm.identity(),
                    Messages.header(inPm.exerciseId(), "in.pm", "pk.pm", 1, r), Messages.readinessSignal());
            log.append(new AuditEvent.MessageSent(sent, "readiness"));
            log.ensureCertificate("pk.pm", pkPm.identityCertificate());
            SignedMessage received = MessageSigner.sign(pkPm.identity(),
                    Messages.header(pkPm.exerciseId(), "pk.pm", "in.pm", 1, r), Messages.readinessSignal());
            log.append(new AuditEvent.MessageReceived(received, "readiness", Instant.now()));
            Receipt d = ReceiptSigner.sign(pkPm.identity(), Receipt.Type.DELIVERED, sent, "pk.pm", Instant.now());
            log.append(AuditEvent.ReceiptRecorded.byClient(d));
            log.append(new AuditEvent.LinkDown("closed"));
        }
        return file;
    }

    @Test
    void closedLog_verifiesWithTheCa() throws Exception {
        var report = AuditVerifier.verify(writeLog("a.jsonl"), trust());
        assertThat(report.problem()).isEmpty();
        assertThat(report.authenticated()).isTrue();
        assertThat(report.owner()).isEqualTo("in.pm");
        assertThat(report.checkpoints()).isGreaterThanOrEqualTo(2);
        assertThat(report.signedItemsVerified()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void withoutTrustAnchor_integrityOnly_andSaysSo() throws Exception {
        var report = AuditVerifier.verify(writeLog("b.jsonl"), Optional.empty());
        assertThat(report.intact()).isTrue();
        assertThat(report.authenticated()).isFalse();
        assertThat(report.caFingerprint()).isEqualTo(CertificateValidator.fingerprint(inPm.caCertificate()));
        assertThat(report.warnings()).anyMatch(w -> w.contains("authenticity NOT checked"));
    }

    @Test
    void logFromAnotherExercise_isRejectedUnderThisCa(@TempDir Path other) throws Exception {
        Path file = writeLog("c.jsonl");
        TestExercise foreign = TestExercise.create(other);
        var report = AuditVerifier.verify(file, Optional.of(foreign.directory().validator()));
        assertThat(report.problem()).get().extracting(AuditReport.Problem::line).isEqualTo(1);
        assertThat(report.problem().get().message()).contains("another CA");
    }

    @Test
    void flippingTheByteAtEvery11thOffset_andEveryLineBreak_isDetected() throws Exception {
        byte[] original = Files.readAllBytes(writeLog("d.jsonl"));
        Path target = tmp.resolve("flipped.jsonl");
        int checked = 0;
        for (int i = 0; i < original.length; i += 11) {
            byte[] copy = original.clone();
            copy[i] ^= 0x01;
            Files.write(target, copy);
            var report = AuditVerifier.verify(target, trust());
            assertThat(report.intact()).as("byte " + i + " flipped").isFalse();
            checked++;
        }
        assertThat(checked).isGreaterThan(100);
        // Every line break too: merging two lines must not hide either of them.
        for (int i = 0; i < original.length; i++) {
            if (original[i] == '\n') {
                byte[] copy = original.clone();
                copy[i] ^= 0x01;
                Files.write(target, copy);
                assertThat(AuditVerifier.verify(target, trust()).intact()).as("newline at " + i).isFalse();
            }
        }
    }

    @Test
    void droppingALine_isDetectedAtThatLine() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(writeLog("e.jsonl")));
        lines.remove(2);
        Path target = tmp.resolve("dropped.jsonl");
        Files.write(target, lines);
        var report = AuditVerifier.verify(target, trust());
        assertThat(report.problem()).get().extracting(AuditReport.Problem::line).isEqualTo(3);
        assertThat(report.problem().get().message()).contains("sequence number");
    }

    @Test
    void swappingTwoLines_isDetected() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(writeLog("f.jsonl")));
        String two = lines.get(1);
        lines.set(1, lines.get(2));
        lines.set(2, two);
        Path target = tmp.resolve("swapped.jsonl");
        Files.write(target, lines);
        assertThat(AuditVerifier.verify(target, trust()).problem()).get()
                .extracting(AuditReport.Problem::line).isEqualTo(2);
    }

    @Test
    void forgedCheckpointSignature_isDetected() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(writeLog("g.jsonl")));
        int last = lines.size() - 1;
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) AuditLog.JSON.readTree(lines.get(last));
        IdentityKeyPair mallory = IdentityKeyPair.generate(new SecureRandom());
        byte[] prev = AuditLog.HEX.parseHex(node.get("prev").asText());
        byte[] root = AuditLog.HEX.parseHex(node.get("root").asText());
        byte[] forged = mallory.sign(org.hotline.protocol.crypto.SignatureContext.AUDIT_CHECKPOINT,
                AuditLog.checkpointSignedBytes(node.get("seq").asLong(), node.get("time").asText(), prev, "in.pm",
                        node.get("treeSize").asLong(), root));
        node.put("signature", Base64.getEncoder().encodeToString(forged));
        lines.set(last, AuditLog.JSON.writeValueAsString(node));
        Path target = tmp.resolve("forged.jsonl");
        Files.write(target, lines);
        var report = AuditVerifier.verify(target, trust());
        assertThat(report.problem()).get().extracting(AuditReport.Problem::line).isEqualTo(last + 1);
        assertThat(report.problem().get().message()).contains("signature does not verify");
    }

    @Test
    void truncatedMidLine_isDetected() throws Exception {
        byte[] all = Files.readAllBytes(writeLog("h.jsonl"));
        Path target = tmp.resolve("truncated.jsonl");
        Files.write(target, java.util.Arrays.copyOf(all, all.length - 20));
        assertThat(AuditVerifier.verify(target, trust()).problem()).get()
                .extracting(AuditReport.Problem::message).asString().contains("incomplete last line");
    }

    @Test
    void tornLineAfterACrash_isRecordedOnReopen_andTheLogGoesOn() throws Exception {
        Path file = writeLog("i.jsonl");
        Files.write(file, "{\"seq\":99,\"time\":\"2026-".getBytes(StandardCharsets.UTF_8),
                java.nio.file.StandardOpenOption.APPEND);
        assertThat(AuditVerifier.verify(file, trust()).intact()).isFalse();
        try (AuditLog log = AuditLog.open(file, "in.pm", inPm.identity(), inPm.identityCertificate(),
                inPm.caCertificate(), Clock.systemUTC(), 4)) {
            log.append(new AuditEvent.LinkUp("connected"));
        }
        var report = AuditVerifier.verify(file, trust());
        assertThat(report.problem()).isEmpty();
        assertThat(report.warnings()).anyMatch(w -> w.contains("torn by a crash"));
    }

    @Test
    void logOfAnotherOwner_cannotBeAppendedTo() throws Exception {
        Path file = writeLog("j.jsonl");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AuditLog.open(file, "pk.pm", pkPm.identity(),
                pkPm.identityCertificate(), pkPm.caCertificate(), Clock.systemUTC(), 4))
                .hasMessageContaining("audit log of in.pm");
    }

    /** A peer's certificate is logged once, and again when it changes, so receipts under a reissued key still verify offline. */
    @Test
    void aReissuedPeerCertificate_isLoggedAgain_andReceiptsUnderBothKeysVerify() throws Exception {
        TestExercise own = TestExercise.create(tmp.resolve("own"));
        RoleCredential me = own.role("in.pm");
        RoleCredential before = own.role("pk.pm");
        Path file = tmp.resolve("reissue.jsonl");
        try (AuditLog log = AuditLog.open(file, "in.pm", me.identity(), me.identityCertificate(), me.caCertificate(),
                Clock.systemUTC(), 4)) {
            log.ensureCertificate("pk.pm", before.identityCertificate());
            log.ensureCertificate("pk.pm", before.identityCertificate());
            log.append(AuditEvent.ReceiptRecorded.byClient(receiptEntry(before)));
        }
        own.pki().reissue(own.dir(), "pk.pm", TestExercise.PASSPHRASE.toCharArray(),
                Optional.of(TestExercise.PASSPHRASE.toCharArray()));
        RoleCredential after = own.role("pk.pm");
        try (AuditLog log = AuditLog.open(file, "in.pm", me.identity(), me.identityCertificate(), me.caCertificate(),
                Clock.systemUTC(), 4)) {
            log.ensureCertificate("pk.pm", before.identityCertificate());
            log.ensureCertificate("pk.pm", after.identityCertificate());
            log.ensureCertificate("pk.pm", after.identityCertificate());
            log.append(AuditEvent.ReceiptRecorded.byClient(receiptEntry(after)));
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.stream().filter(l -> l.contains("\"" + AuditEntryType.PEER_CERTIFICATE + "\"")).count())
                .as("the first certificate once (also after reopening), the reissued one once").isEqualTo(2);
        AuditReport report = AuditVerifier.verify(file, Optional.of(own.directory().validator()));
        assertThat(report.problem()).isEmpty();
        assertThat(report.signedItemsVerified()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void theOwnersReissuedCertificate_isLogged_soLaterCheckpointsVerify() throws Exception {
        TestExercise own = TestExercise.create(tmp.resolve("own"));
        RoleCredential before = own.role("in.pm");
        Path file = tmp.resolve("owner-reissue.jsonl");
        try (AuditLog log = AuditLog.open(file, "in.pm", before.identity(), before.identityCertificate(),
                before.caCertificate(), Clock.systemUTC(), 4)) {
            log.append(new AuditEvent.LinkUp("connected"));
        }
        own.pki().reissue(own.dir(), "in.pm", TestExercise.PASSPHRASE.toCharArray(),
                Optional.of(TestExercise.PASSPHRASE.toCharArray()));
        RoleCredential after = own.role("in.pm");
        try (AuditLog log = AuditLog.open(file, "in.pm", after.identity(), after.identityCertificate(),
                after.caCertificate(), Clock.systemUTC(), 4)) {
            log.append(new AuditEvent.LinkUp("connected"));
        }
        AuditReport report = AuditVerifier.verify(file, Optional.of(own.directory().validator()));
        assertThat(report.problem()).isEmpty();
        try (AuditLog log = AuditLog.open(file, "in.pm", after.identity(), after.identityCertificate(),
                after.caCertificate(), Clock.systemUTC(), 4)) {
            log.append(new AuditEvent.LinkDown("closed"));
        }
        assertThat(Files.readAllLines(file).stream().filter(l -> l.contains("\"" + AuditEntryType.PEER_CERTIFICATE + "\""))
                .count()).as("logged once, not at every reopen").isEqualTo(1);
    }

    private static Receipt receiptEntry(RoleCredential by) {
        SignedMessage m = MessageSigner.sign(inPm.identity(), Messages.header(by.exerciseId(), "in.pm", "pk.pm", 1,
                new SecureRandom()), Messages.readinessSignal());
        return ReceiptSigner.sign(by.identity(), Receipt.Type.DELIVERED, m, "pk.pm", Instant.now());
    }

    @Test
    void merkleRoot_matchesRfc9162Structure() {
        List<byte[]> leaves = new ArrayList<>();
        MerkleTree tree = new MerkleTree();
        assertThat(tree.root()).isEqualTo(org.hotline.protocol.crypto.Hashes.sha256());
        for (int i = 0; i < 5; i++) {
            leaves.add(MerkleTree.leafHash(new byte[] {(byte) i}));
            tree.append(leaves.get(i));
            if (i == 0) {
                assertThat(tree.root()).isEqualTo(leaves.get(0));
            }
        }
        byte[] ab = org.hotline.protocol.crypto.Hashes.sha256(new byte[] {1}, leaves.get(0), leaves.get(1));
        byte[] cd = org.hotline.protocol.crypto.Hashes.sha256(new byte[] {1}, leaves.get(2), leaves.get(3));
        byte[] abcd = org.hotline.protocol.crypto.Hashes.sha256(new byte[] {1}, ab, cd);
        byte[] expected = org.hotline.protocol.crypto.Hashes.sha256(new byte[] {1}, abcd, leaves.get(4));
        assertThat(tree.root()).isEqualTo(expected);
        assertThat(tree.size()).isEqualTo(5);
    }

    /** Property: the incremental tree agrees with RFC 9162's recursive definition at every size. */
    @Test
    void incrementalMerkleRoot_equalsRecursiveDefinition_forEverySizeUpTo300() {
        java.util.Random random = new java.util.Random(9162);
        List<byte[]> leaves = new ArrayList<>();
        MerkleTree tree = new MerkleTree();
        for (int n = 1; n <= 300; n++) {
            byte[] entry = new byte[random.nextInt(40)];
            random.nextBytes(entry);
            leaves.add(MerkleTree.leafHash(entry));
            tree.append(leaves.get(n - 1));
            assertThat(tree.root()).as("root of %d leaves", n).isEqualTo(recursiveRoot(leaves, 0, n));
        }
    }

    /** RFC 9162 §2.1.1, literally: MTH(D[n]) = HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n])). */
    private static byte[] recursiveRoot(List<byte[]> leaves, int from, int to) {
        if (to - from == 1) {
            return leaves.get(from);
        }
        int k = Integer.highestOneBit(to - from - 1);
        return org.hotline.protocol.crypto.Hashes.sha256(new byte[] {1}, recursiveRoot(leaves, from, from + k),
                recursiveRoot(leaves, from + k, to));
    }
}
