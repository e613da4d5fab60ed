package org.hotline.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hotline.app.HotlineMain;
import org.hotline.app.testing.RelayClients;
import org.hotline.protocol.testing.LogForger;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code log verify} on the relay-log evidence a client keeps (PROTOCOL.md §12.5): every single
 * byte flipped in a stored {@code relay-inclusion} entry (its proof and checkpoint included) and in
 * a {@code relay-checkpoint} entry makes it exit 5; so does a proof or checkpoint altered by the
 * log's owner, who re-chains and re-signs the log, since the relay's signature and the proof are
 * checked on their own.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RelayLogVerifyTest {

    @TempDir
    Path tmp;
    Path log;
    String exercise;
    RelayFixture relay;

    static int verify(Path file, String exercise) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        return HotlineMain.run(new String[] {"log", "verify", file.toString(), "--exercise", exercise}, Map.of(),
                new PrintWriter(out, true), new PrintWriter(err, true));
    }

    static String verifyOut(Path file, String exercise) {
        StringWriter out = new StringWriter();
        HotlineMain.run(new String[] {"log", "verify", file.toString(), "--exercise", exercise}, Map.of(),
                new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
        return out.toString();
    }

    @BeforeEach
    void aLogWithRelayEvidence() throws Exception {
        relay = new RelayFixture(tmp, c -> c);
        try (RelayFixture running = relay) {
            HotlineClient in = RelayClients.open(relay, "in.pm", tmp.resolve("in.pm"));
            in.start();
            for (String text : new String[] {"one", "two", "three"}) {
                var id = in.sendText("pk.pm", text).get(30, TimeUnit.SECONDS);
                in.whenState(id, DeliveryState.ACCEPTED).get(30, TimeUnit.SECONDS);
            }
            // Let the last consistency answer arrive before closing.
            Path stored = tmp.resolve("in.pm").resolve("relay-log-checkpoint");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(Files.exists(stored) && Files.readString(stored).contains("\n3\n")) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            in.close();
        }
        log = tmp.resolve("in.pm").resolve("audit.jsonl");
        exercise = tmp.resolve("exercise").toString();
        assertThat(verify(log, exercise)).isZero();
    }

    private void everyByteFlipped_failsWith5(String type) throws Exception {
        byte[] file = Files.readAllBytes(log);
        String text = new String(file, StandardCharsets.UTF_8);
        // The last such entry: it holds a non-empty proof (the first message's tree had one leaf).
        int start = text.lastIndexOf("\"type\":\"" + type + "\"");
        assertThat(start).as(type + " entry in the log").isPositive();
        start = text.lastIndexOf('\n', start) + 1;
        int end = text.indexOf('\n', start);
        // Byte offsets equal char offsets: the line is ASCII (JSON, base64 and hex; the note's em dash is inside base64).
        for (byte b : Arrays.copyOfRange(file, start, end)) {
            assertThat(b >= 0x20 && b < 0x7f).as("the line is printable ASCII").isTrue();
        }
        Path copy = tmp.resolve(type + ".jsonl");
        for (int i = start; i <= end; i++) {
            byte[] changed = file.clone();
            changed[i] ^= 0x01;
            Files.write(copy, changed);
            assertThat(verify(copy, exercise)).as("%s: byte %d of the line flipped", type, i - start).isEqualTo(5);
        }
    }

    private int lastLineContaining(String marker) throws Exception {
        var lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).contains(marker)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line with " + marker);
    }

    @Test
    void everyByteOfAStoredInclusionProofEntry_flipped_failsWith5() throws Exception {
        everyByteFlipped_failsWith5("relay-inclusion");
    }

    @Test
    void everyByteOfAStoredRelayCheckpointEntry_flipped_failsWith5() throws Exception {
        everyByteFlipped_failsWith5("relay-checkpoint");
    }

    @Test
    void proofAlteredAndLogReSignedByItsOwner_failsOnTheProof() throws Exception {
        var key = relay.exercise().role("in.pm").identity();
        int line = lastLineContaining("\"type\":\"relay-inclusion\"");
        LogForger.rewrite(log, line, l -> {
            int at = l.indexOf("\"proof\":[\"") + "\"proof\":[\"".length();
            char flipped = l.charAt(at) == '0' ? '1' : '0';
            return l.substring(0, at) + flipped + l.substring(at + 1);
        }, key);
        String out = verifyOut(log, exercise);
        assertThat(verify(log, exercise)).as(out).isEqualTo(5);
        assertThat(out).contains("line " + line).contains("inclusion proof");
    }

    /**
     * Review A-L7: the stored accepted receipt is unsigned, authenticated by the proof alone; its
     * subject hash (the SEND bytes it commits to) altered and the log re-chained and re-signed by its
     * owner, {@code log verify} fails on the inclusion proof.
     */
    @Test
    void receiptAlteredAndLogReSignedByItsOwner_failsOnTheInclusionProof() throws Exception {
        var key = relay.exercise().role("in.pm").identity();
        int line = lastLineContaining("\"type\":\"relay-inclusion\"");
        LogForger.rewrite(log, line, l -> {
            String b64 = l.replaceAll(".*\"receipt\":\"([^\"]*)\".*", "$1");
            byte[] receipt = java.util.Base64.getDecoder().decode(b64);
            receipt[receipt.length - 1] ^= 0x01; // the subject hash's last byte
            return l.replace("\"receipt\":\"" + b64 + "\"",
                    "\"receipt\":\"" + java.util.Base64.getEncoder().encodeToString(receipt) + "\"");
        }, key);
        String out = verifyOut(log, exercise);
        assertThat(verify(log, exercise)).as(out).isEqualTo(5);
        assertThat(out).contains("line " + line).contains("inclusion proof");
    }

    @Test
    void checkpointRootAlteredAndLogReSignedByItsOwner_failsOnTheRelaySignature() throws Exception {
        var key = relay.exercise().role("in.pm").identity();
        int line = lastLineContaining("\"type\":\"relay-checkpoint\"");
        // Another root, displayed and in the embedded note alike: only the relay's signature can tell.
        String original = Files.readAllLines(log, StandardCharsets.UTF_8).get(line - 1);
        String b64 = original.replaceAll(".*\"checkpoint\":\"([^\"]*)\".*", "$1");
        String note = new String(java.util.Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
        String[] parts = note.split("\n");
        byte[] root = java.util.Base64.getDecoder().decode(parts[2]);
        root[0] ^= 0x01;
        String forgedNote = note.replace(parts[2], java.util.Base64.getEncoder().encodeToString(root));
        String hexRoot = java.util.HexFormat.of().formatHex(root);
        LogForger.rewrite(log, line, l -> l.replace(b64, java.util.Base64.getEncoder().encodeToString(
                forgedNote.getBytes(StandardCharsets.UTF_8))).replaceFirst("\"root\":\"[0-9a-f]{64}\"", "\"root\":\"" + hexRoot + "\""), key);
        String out = verifyOut(log, exercise);
        assertThat(verify(log, exercise)).as(out).isEqualTo(5);
        assertThat(out).contains("line " + line).contains("signature does not verify");
    }

    // --- H1: only the relay's own signatures prove a fork (PROTOCOL.md §12.5) ---

    private static String out(Path file, String exercise, StringWriter err) {
        StringWriter out = new StringWriter();
        int code = HotlineMain.run(new String[] {"log", "verify", file.toString(), "--exercise", exercise}, Map.of(),
                new PrintWriter(out, true), new PrintWriter(err, true));
        return code + "\n" + out;
    }

    /** Inserts {@code line} before 1-based line {@code before}, renumbers seq and re-chains and re-signs. */
    private void insertAndReSign(int before, String line) throws Exception {
        var lines = new java.util.ArrayList<>(Files.readAllLines(log, StandardCharsets.UTF_8));
        lines.add(before - 1, line);
        for (int i = 0; i < lines.size(); i++) {
            lines.set(i, lines.get(i).replaceFirst("\"seq\":\\d+", "\"seq\":" + i));
        }
        Files.write(log, LogForger.rechain(lines, relay.exercise().role("in.pm").identity()), StandardCharsets.UTF_8);
    }

    private String lineText(int line) throws Exception {
        return Files.readAllLines(log, StandardCharsets.UTF_8).get(line - 1);
    }

    /** A relay-fork line built from a relay-checkpoint line: the same checkpoint, another previous size and proof. */
    private static String asFork(String relayCheckpointLine, long previousSize, String consistencyJson) {
        return relayCheckpointLine.replace("\"type\":\"relay-checkpoint\"", "\"type\":\"relay-fork\"")
                .replaceFirst("\"previousSize\":\\d+", "\"previousSize\":" + previousSize)
                .replaceFirst("\"consistency\":\\[[^\\]]*\\]", "\"consistency\":" + consistencyJson);
    }

    private static final String EXTRA_HASH = "[\"" + "ab".repeat(32) + "\"]";

    @Test
    void forkEntryForgedByTheOwner_equalSizeWithAnExtraHash_isAWarningNotAFork() throws Exception {
        int line = lastLineContaining("\"type\":\"relay-checkpoint\"");
        String cp = lineText(line);
        long size = Long.parseLong(cp.replaceAll(".*\"treeSize\":(\\d+).*", "$1"));
        // The relay's own checkpoint, copied: the same size as the recorded one, so any non-empty proof fails.
        insertAndReSign(line + 1, asFork(cp, size, EXTRA_HASH));
        StringWriter err = new StringWriter();
        String out = out(log, exercise, err);
        assertThat(out).doesNotContain("RELAY LOG FORKED").startsWith("0\n");
        assertThat(err.toString()).contains("relay gave no valid consistency proof for checkpoint " + size + " against "
                + size + " (the log owner's account, not proof)");
    }

    @Test
    void forkEntryForgedByTheOwner_emptyProof_isAWarningNotAFork() throws Exception {
        int line = lastLineContaining("\"type\":\"relay-checkpoint\"");
        String cp = lineText(line);
        long previous = Long.parseLong(cp.replaceAll(".*\"previousSize\":(\\d+).*", "$1"));
        assertThat(previous).isPositive();
        insertAndReSign(line + 1, asFork(cp, previous, "[]"));
        StringWriter err = new StringWriter();
        String out = out(log, exercise, err);
        assertThat(out).doesNotContain("RELAY LOG FORKED").startsWith("0\n");
        assertThat(err.toString()).contains("relay gave no valid consistency proof");
    }

    /** A relay-fork line holding a checkpoint the relay really signed: its size, another root. */
    private String genuineFork(String relayCheckpointLine, long size) throws Exception {
        var relayKey = relay.exercise().relay().identity();
        var origin = org.hotline.protocol.tlog.Checkpoint.originOf(relay.exercise().relay().exerciseId());
        byte[] other = new byte[32];
        other[0] = 7;
        var forked = org.hotline.protocol.tlog.SignedCheckpoint.sign(new org.hotline.protocol.tlog.Checkpoint(origin,
                size, org.hotline.protocol.wire.Hash32.of(other)), relayKey);
        String b64 = relayCheckpointLine.replaceAll(".*\"checkpoint\":\"([^\"]*)\".*", "$1");
        return asFork(relayCheckpointLine, size, "[]").replace(b64,
                        java.util.Base64.getEncoder().encodeToString(forked.encode()))
                .replaceFirst("\"root\":\"[0-9a-f]{64}\"", "\"root\":\"" + java.util.HexFormat.of().formatHex(other) + "\"");
    }

    @Test
    void twoRelaySignedRootsForOneSize_areAProvenFork_exit6() throws Exception {
        int line = lastLineContaining("\"type\":\"relay-checkpoint\"");
        String cp = lineText(line);
        long size = Long.parseLong(cp.replaceAll(".*\"treeSize\":(\\d+).*", "$1"));
        insertAndReSign(line + 1, genuineFork(cp, size));
        String out = out(log, exercise, new StringWriter());
        assertThat(out).startsWith("6\n").contains("RELAY LOG FORKED").contains("line " + (line + 1))
                .contains("signed two inconsistent histories: checkpoint " + size + " is not consistent with " + size);
    }

    /** Review L6: a proven fork is still reported, but a log that is not intact wins: exit 5, not 6. */
    @Test
    void aProvenFork_withAnotherLogNotIntact_exits5() throws Exception {
        int line = lastLineContaining("\"type\":\"relay-checkpoint\"");
        String cp = lineText(line);
        long size = Long.parseLong(cp.replaceAll(".*\"treeSize\":(\\d+).*", "$1"));
        insertAndReSign(line + 1, genuineFork(cp, size));
        Path broken = tmp.resolve("broken.jsonl");
        Files.writeString(broken, "not an audit log line\n", StandardCharsets.UTF_8);
        StringWriter out = new StringWriter();
        int code = HotlineMain.run(new String[] {"log", "verify", log.toString(), broken.toString(), "--exercise",
                exercise}, Map.of(), new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
        assertThat(code).as(out.toString()).isEqualTo(5);
        assertThat(out.toString()).contains("RELAY LOG FORKED");
    }

    // --- A relay-fork holding the relay's signed consistency answer (PROTOCOL.md §12.4, §12.5) ---

    /**
     * A relay-fork line built from the last relay-checkpoint line (sizes M → N): the relay's signed
     * statement over its roots at M and N and {@code proof} appended.
     */
    private String signedFork(String relayCheckpointLine, java.util.List<org.hotline.protocol.wire.Hash32> proof)
            throws Exception {
        long size = Long.parseLong(relayCheckpointLine.replaceAll(".*\"treeSize\":(\\d+).*", "$1"));
        long previous = Long.parseLong(relayCheckpointLine.replaceAll(".*\"previousSize\":(\\d+).*", "$1"));
        String previousLine = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains("\"type\":\"relay-checkpoint\"") && l.contains("\"treeSize\":" + previous + ","))
                .reduce((a, b) -> b).orElseThrow();
        var hex = java.util.HexFormat.of();
        var origin = org.hotline.protocol.tlog.Checkpoint.originOf(relay.exercise().relay().exerciseId());
        var older = new org.hotline.protocol.tlog.Checkpoint(origin, previous, org.hotline.protocol.wire.Hash32.of(
                hex.parseHex(previousLine.replaceAll(".*\"root\":\"([0-9a-f]{64})\".*", "$1"))));
        var newer = new org.hotline.protocol.tlog.Checkpoint(origin, size, org.hotline.protocol.wire.Hash32.of(
                hex.parseHex(relayCheckpointLine.replaceAll(".*\"root\":\"([0-9a-f]{64})\".*", "$1"))));
        var signed = org.hotline.protocol.tlog.SignedConsistency.sign(older, newer, proof,
                relay.exercise().relay().identity());
        StringBuilder json = new StringBuilder("[");
        for (var h : proof) {
            json.append(json.length() > 1 ? "," : "").append('"').append(h.hex()).append('"');
        }
        String fork = asFork(relayCheckpointLine, previous, json.append(']').toString());
        assertThat(fork).endsWith("\"}");
        return fork.substring(0, fork.length() - 1) + ",\"oldRoot\":\"" + older.root().hex() + "\",\"newRoot\":\""
                + newer.root().hex() + "\",\"consistencySignature\":\""
                + java.util.Base64.getEncoder().encodeToString(signed.signature()) + "\"}";
    }

    private static java.util.List<org.hotline.protocol.wire.Hash32> consistencyOf(String relayCheckpointLine) {
        String array = relayCheckpointLine.replaceAll(".*\"consistency\":\\[([^\\]]*)\\].*", "$1");
        java.util.List<org.hotline.protocol.wire.Hash32> out = new java.util.ArrayList<>();
        for (String h : array.replace("\"", "").split(",")) {
            if (!h.isEmpty()) {
                out.add(org.hotline.protocol.wire.Hash32.of(java.util.HexFormat.of().parseHex(h)));
            }
        }
        return out;
    }

    @Test
    void relaySignedFalseProof_isAProvenFork_exit6() throws Exception {
        int line = lastLineContaining("\"type\":\"relay-checkpoint\"");
        String cp = lineText(line);
        var proof = new java.util.ArrayList<>(consistencyOf(cp));
        assertThat(proof).isNotEmpty();
        byte[] bad = proof.get(0).bytes();
        bad[0] ^= 0x01;
        proof.set(0, org.hotline.protocol.wire.Hash32.of(bad));
        insertAndReSign(line + 1, signedFork(cp, proof));
        String out = out(log, exercise, new StringWriter());
        assertThat(out).startsWith("6\n").contains("RELAY LOG FORKED").contains("line " + (line + 1))
                .contains("relay relay signed two inconsistent histories").contains("signed consistency proof from");
    }

    /**
     * Review H1: a relay-fork of one size holding the relay's signed answer (written by clients that
     * asked a forking relay for a proof of one size) is proof, not a bad line: the relay signed one
     * root for that size and its checkpoint another. Reported once for the line.
     */
    @Test
    void relaySignedAnswerOfOneSize_againstAnotherRootItSigned_isAProvenFork_exit6() throws Exception {
        int line = lastLineContaining("\"type\":\"relay-checkpoint\"");
        String cp = lineText(line);
        long size = Long.parseLong(cp.replaceAll(".*\"treeSize\":(\\d+).*", "$1"));
        var origin = org.hotline.protocol.tlog.Checkpoint.originOf(relay.exercise().relay().exerciseId());
        var genuine = new org.hotline.protocol.tlog.Checkpoint(origin, size, org.hotline.protocol.wire.Hash32.of(
                java.util.HexFormat.of().parseHex(cp.replaceAll(".*\"root\":\"([0-9a-f]{64})\".*", "$1"))));
        // The relay honestly signs its root for the size, against the other root it signed as a checkpoint.
        var signed = org.hotline.protocol.tlog.SignedConsistency.sign(genuine, genuine, java.util.List.of(),
                relay.exercise().relay().identity());
        String fork = genuineFork(cp, size);
        assertThat(fork).endsWith("\"}");
        insertAndReSign(line + 1, fork.substring(0, fork.length() - 1) + ",\"oldRoot\":\"" + genuine.root().hex()
                + "\",\"newRoot\":\"" + genuine.root().hex() + "\",\"consistencySignature\":\""
                + java.util.Base64.getEncoder().encodeToString(signed.signature()) + "\"}");
        String out = out(log, exercise, new StringWriter());
        assertThat(out).startsWith("6\n").doesNotContain("NOT INTACT")
                .contains("signed two inconsistent histories: checkpoint " + size + " is not consistent with " + size);
        assertThat(out.split("RELAY LOG FORKED", -1)).as(out).hasSize(2);
    }

    /** The relay's signed answer that shows the two consistent accuses it falsely: the line fails. */
    @Test
    void relaySignedProofThatHolds_inAForkEntry_failsTheLine_exit5() throws Exception {
        int line = lastLineContaining("\"type\":\"relay-checkpoint\"");
        String cp = lineText(line);
        insertAndReSign(line + 1, signedFork(cp, consistencyOf(cp)));
        String out = out(log, exercise, new StringWriter());
        assertThat(out).startsWith("5\n").contains("line " + (line + 1)).contains("shows the checkpoints consistent")
                .doesNotContain("RELAY LOG FORKED");
    }

    @Test
    void anUncoveredAppendedForkLine_isNotAProvenFork() throws Exception {
        int line = lastLineContaining("\"type\":\"relay-checkpoint\"");
        String cp = lineText(line);
        long size = Long.parseLong(cp.replaceAll(".*\"treeSize\":(\\d+).*", "$1"));
        var lines = new java.util.ArrayList<>(Files.readAllLines(log, StandardCharsets.UTF_8));
        // Appended after the last signed checkpoint, chained but covered by no signature of the owner.
        String last = lines.get(lines.size() - 1);
        long seq = Long.parseLong(last.replaceAll(".*?\"seq\":(\\d+).*", "$1"));
        String fork = genuineFork(cp, size).replaceFirst("\"seq\":\\d+", "\"seq\":" + (seq + 1))
                .replaceFirst("\"prev\":\"[0-9a-f]{64}\"", "\"prev\":\"" + java.util.HexFormat.of().formatHex(
                        org.hotline.protocol.crypto.Hashes.sha256(last.getBytes(StandardCharsets.UTF_8))) + "\"");
        Files.writeString(log, fork + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        String out = out(log, exercise, new StringWriter());
        assertThat(out).contains("NOT INTACT (unsigned tail").doesNotContain("RELAY LOG FORKED");
    }
}
