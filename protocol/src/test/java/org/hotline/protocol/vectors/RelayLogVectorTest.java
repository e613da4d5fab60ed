package org.hotline.protocol.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.hotline.protocol.vectors.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.crypto.IdentityKeyPair;
import org.hotline.protocol.crypto.IdentityPublicKey;
import org.hotline.protocol.crypto.ReceiptSigner;
import org.hotline.protocol.crypto.SignatureContext;
import org.hotline.protocol.tlog.Checkpoint;
import org.hotline.protocol.tlog.CheckpointException;
import org.hotline.protocol.tlog.MerkleHashes;
import org.hotline.protocol.tlog.MerkleLog;
import org.hotline.protocol.tlog.RelayLogProofs;
import org.hotline.protocol.tlog.SignedCheckpoint;
import org.hotline.protocol.tlog.SignedConsistency;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.FrameCodec;
import org.hotline.protocol.wire.FrameDecodeException;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.LogConsistencySignature;
import org.hotline.protocol.wire.LogInclusion;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code relay-log.json} (PROTOCOL.md §12, §10): five accepted receipts as the leaves of a relay
 * log, the roots, signed checkpoints at sizes 3 and 5 (C2SP signed notes), every inclusion proof at
 * size 5, the consistency proof 3 → 5, the frames that carry them, and negatives. Regenerate with
 * {@code ./mvnw -pl protocol test -Dtest=RelayLogVectorTest -Dhotline.vectors.regenerate=true}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RelayLogVectorTest {

    static final String FILE = "relay-log.json";
    static final Instant T = Instant.parse("2026-05-10T14:00:00Z");
    static final int LEAVES = 5;

    /** The relay key of receipts.json (seed 9) and the exercise of signing.json. */
    private static IdentityKeyPair relay() {
        return IdentityKeyPair.fromPrivateKey(VectorGeneratorTest.bytes(9, 32));
    }

    private static List<Receipt> receipts(IdentityKeyPair relay, ExerciseId exercise) {
        List<Receipt> out = new ArrayList<>();
        for (int i = 0; i < LEAVES; i++) {
            Receipt.Fields f = new Receipt.Fields(Receipt.Type.ACCEPTED, exercise,
                    MessageId.of(VectorGeneratorTest.bytes(20 + i, 16)), Receipt.RELAY, i % 2 == 0 ? "in.pm" : "pk.pm",
                    "leaders", T.plusSeconds(i), Hash32.of(VectorGeneratorTest.bytes(40 + i, 32)));
            out.add(ReceiptSigner.sign(relay, f));
        }
        return out;
    }

    @Test
    void regenerate() throws Exception {
        assumeTrue(Boolean.getBoolean("hotline.vectors.regenerate"), "set -Dhotline.vectors.regenerate=true");
        var hx = Vectors.HEX;
        IdentityKeyPair relay = relay();
        ExerciseId exercise = VectorGeneratorTest.EXERCISE;
        List<Receipt> receipts = receipts(relay, exercise);
        MerkleLog log = new MerkleLog();
        receipts.forEach(r -> log.append(RelayLogProofs.leafHashOf(r)));
        String origin = Checkpoint.originOf(exercise);

        ObjectNode root = Vectors.JSON.createObjectNode();
        root.put("description", "The relay's log (PROTOCOL.md §12): leaves = accepted receipts without signature, "
                + "RFC 9162 hashing, checkpoints as C2SP signed notes signed by the relay key of receipts.json");
        root.put("exerciseId", exercise.hex());
        root.put("relayPrivateKey", hx.formatHex(VectorGeneratorTest.bytes(9, 32)));
        root.put("relayPublicKey", hx.formatHex(relay.publicKey().encoded()));
        root.put("origin", origin);
        root.put("keyId", String.format("%08x", SignedCheckpoint.keyId(origin, relay.publicKey())));
        ArrayNode leaves = root.putArray("leaves");
        for (Receipt r : receipts) {
            ObjectNode o = leaves.addObject();
            o.put("receipt", hx.formatHex(r.encode()));
            o.put("leaf", hx.formatHex(RelayLogProofs.leafOf(r)));
            o.put("leafHash", hx.formatHex(RelayLogProofs.leafHashOf(r)));
        }
        ArrayNode roots = root.putArray("roots");
        for (int n = 0; n <= LEAVES; n++) {
            roots.add(hx.formatHex(log.root(n)));
        }
        ArrayNode cps = root.putArray("checkpoints");
        for (int n : new int[] {3, LEAVES}) {
            SignedCheckpoint cp = SignedCheckpoint.sign(new Checkpoint(origin, n, Hash32.of(log.root(n))), relay);
            ObjectNode o = cps.addObject();
            o.put("treeSize", n);
            o.put("text", new String(cp.text(), StandardCharsets.UTF_8));
            o.put("signature", hx.formatHex(cp.signatures().get(0).signature()));
            o.put("note", new String(cp.encode(), StandardCharsets.UTF_8));
            o.put("noteHex", hx.formatHex(cp.encode()));
        }
        SignedCheckpoint cp5 = SignedCheckpoint.sign(new Checkpoint(origin, LEAVES, Hash32.of(log.root(LEAVES))), relay);
        ArrayNode inclusion = root.putArray("inclusion");
        for (int i = 0; i < LEAVES; i++) {
            ObjectNode o = inclusion.addObject();
            o.put("leafIndex", i);
            o.put("treeSize", LEAVES);
            ArrayNode p = o.putArray("proof");
            log.inclusionProof(i, LEAVES).forEach(h -> p.add(hx.formatHex(h)));
        }
        ObjectNode consistency = root.putObject("consistency");
        consistency.put("oldSize", 3);
        consistency.put("newSize", LEAVES);
        ArrayNode cproof = consistency.putArray("proof");
        log.consistencyProof(3, LEAVES).forEach(h -> cproof.add(hx.formatHex(h)));
        ObjectNode frames = root.putObject("frames");
        frames.put("acceptedInLog", hx.formatHex(FrameCodec.encode(new Frame.Accepted(receipts.get(4).withoutSignature(), Optional.of(
                new LogInclusion(4, RelayLogProofs.hashes(log.inclusionProof(4, LEAVES)), cp5.encode()))))));
        frames.put("logConsistencyFetch", hx.formatHex(FrameCodec.encode(new Frame.LogConsistencyFetch(3, LEAVES))));
        frames.put("logConsistency", hx.formatHex(FrameCodec.encode(new Frame.LogConsistency(3, LEAVES,
                RelayLogProofs.hashes(log.consistencyProof(3, LEAVES))))));

        // A forked history: the same first two leaves, then a different third; sizes 3 and 5 signed by the same key.
        List<Receipt> forkedReceipts = new ArrayList<>(receipts);
        Receipt.Fields other = new Receipt.Fields(Receipt.Type.ACCEPTED, exercise, MessageId.of(VectorGeneratorTest.bytes(30, 16)),
                Receipt.RELAY, "in.pm", "leaders", T.plusSeconds(2), Hash32.of(VectorGeneratorTest.bytes(50, 32)));
        forkedReceipts.set(2, ReceiptSigner.sign(relay, other));
        MerkleLog forked = new MerkleLog();
        forkedReceipts.forEach(r -> forked.append(RelayLogProofs.leafHashOf(r)));
        SignedCheckpoint forked5 = SignedCheckpoint.sign(new Checkpoint(origin, LEAVES, Hash32.of(forked.root(LEAVES))), relay);
        ObjectNode fork = root.putObject("fork");
        fork.put("description", "checkpoint 5 of a history whose leaf 2 differs, and its own consistency proof 3 -> 5: "
                + "against checkpoint 3 above it must fail with 'relay log forked: checkpoint 5 is not consistent with 3'");
        fork.put("note", new String(forked5.encode(), StandardCharsets.UTF_8));
        ArrayNode fp = fork.putArray("proof");
        forked.consistencyProof(3, LEAVES).forEach(h -> fp.add(hx.formatHex(h)));

        // The relay's signed consistency answers (PROTOCOL.md §12.4): the honest one 3 -> 5, and two of a relay
        // that forked: its answer from the forked tree, and one that keeps both roots the client holds and
        // signs a proof that cannot lead from one to the other.
        List<Hash32> proof35 = RelayLogProofs.hashes(log.consistencyProof(3, LEAVES));
        SignedConsistency honest = SignedConsistency.sign(new Checkpoint(origin, 3, Hash32.of(log.root(3))),
                new Checkpoint(origin, LEAVES, Hash32.of(log.root(LEAVES))), proof35, relay);
        signedConsistency(root.putObject("signedConsistency"), honest,
                "the honest relay's signed answer 3 -> 5: consistent with checkpoints 3 and 5 above");
        frames.put("logConsistencyFetchSigned", hx.formatHex(FrameCodec.encode(new Frame.LogConsistencyFetch(3, LEAVES,
                true))));
        frames.put("logConsistencySigned", hx.formatHex(FrameCodec.encode(new Frame.LogConsistency(3, LEAVES, proof35,
                Optional.of(honest.wire())))));
        SignedConsistency fromFork = SignedConsistency.sign(new Checkpoint(origin, 3, Hash32.of(forked.root(3))),
                new Checkpoint(origin, LEAVES, Hash32.of(forked.root(LEAVES))),
                RelayLogProofs.hashes(forked.consistencyProof(3, LEAVES)), relay);
        ObjectNode sf = fork.putObject("signedFromForkedTree");
        signedConsistency(sf, fromFork, "the forked relay's signed answer 3 -> 5: with checkpoint 3 above and the "
                + "forked checkpoint 5 it proves the fork");
        sf.put("reason", "it signed two roots for size 3");
        SignedConsistency falseProof = SignedConsistency.sign(new Checkpoint(origin, 3, Hash32.of(log.root(3))),
                new Checkpoint(origin, LEAVES, Hash32.of(forked.root(LEAVES))), proof35, relay);
        ObjectNode fpf = fork.putObject("signedFalseProof");
        signedConsistency(fpf, falseProof, "a signed answer with the roots of checkpoint 3 above and of the forked "
                + "checkpoint 5, and a proof that fails between them: it proves the fork");
        fpf.put("reason", "its signed consistency proof from 3 to 5 does not verify");
        // Review M2: the relay signs the held root 3, the root 5 of a third history that extends it (leaves 3
        // and 4 differ), and the proof between those two, which holds: only step 3 of §12.4 catches it.
        List<Receipt> thirdReceipts = new ArrayList<>(receipts.subList(0, 3));
        thirdReceipts.add(ReceiptSigner.sign(relay, new Receipt.Fields(Receipt.Type.ACCEPTED, exercise,
                MessageId.of(VectorGeneratorTest.bytes(31, 16)), Receipt.RELAY, "in.pm", "leaders", T.plusSeconds(3),
                Hash32.of(VectorGeneratorTest.bytes(51, 32)))));
        thirdReceipts.add(ReceiptSigner.sign(relay, new Receipt.Fields(Receipt.Type.ACCEPTED, exercise,
                MessageId.of(VectorGeneratorTest.bytes(32, 16)), Receipt.RELAY, "in.pm", "leaders", T.plusSeconds(4),
                Hash32.of(VectorGeneratorTest.bytes(52, 32)))));
        MerkleLog third = new MerkleLog();
        thirdReceipts.forEach(r -> third.append(RelayLogProofs.leafHashOf(r)));
        SignedConsistency newRootOnly = SignedConsistency.sign(new Checkpoint(origin, 3, Hash32.of(log.root(3))),
                new Checkpoint(origin, LEAVES, Hash32.of(third.root(LEAVES))),
                RelayLogProofs.hashes(third.consistencyProof(3, LEAVES)), relay);
        ObjectNode nro = fork.putObject("signedNewRootOnly");
        signedConsistency(nro, newRootOnly, "a signed answer with the root of checkpoint 3 above, the root 5 of a "
                + "third history that extends it, and the proof between those two (it holds): against checkpoint 3 "
                + "and the forked checkpoint 5 it proves the fork");
        nro.put("reason", "it signed two roots for size 5");

        // Statements that must not verify as the honest answer 3 -> 5 of this log (PROTOCOL.md §4.4, §12.4): the
        // same roots and proof signed for another log's origin, and the same bytes under another context.
        ArrayNode sneg = root.putArray("negativeSignedConsistency");
        addSignedNeg(sneg, "signed for another exercise's relay log", SignedConsistency.sign(
                new Checkpoint(Checkpoint.originOf(VectorGeneratorTest.OTHER_EXERCISE), 3, Hash32.of(log.root(3))),
                new Checkpoint(Checkpoint.originOf(VectorGeneratorTest.OTHER_EXERCISE), LEAVES,
                        Hash32.of(log.root(LEAVES))), proof35, relay).signature(), honest);
        addSignedNeg(sneg, "signed for the log of relay-in of this exercise", SignedConsistency.sign(
                new Checkpoint(Checkpoint.originOf("relay-in", exercise), 3, Hash32.of(log.root(3))),
                new Checkpoint(Checkpoint.originOf("relay-in", exercise), LEAVES, Hash32.of(log.root(LEAVES))),
                proof35, relay).signature(), honest);
        addSignedNeg(sneg, "the statement's bytes signed under the receipt context",
                relay.sign(SignatureContext.RECEIPT, honest.toBeSigned()), honest);
        addSignedNeg(sneg, "the statement's bytes signed under the message context",
                relay.sign(SignatureContext.MESSAGE, honest.toBeSigned()), honest);

        ArrayNode neg = root.putArray("negative");
        String good = new String(cp5.encode(), StandardCharsets.UTF_8);
        String text = new String(cp5.text(), StandardCharsets.UTF_8);
        String sigLine = good.substring(text.length() + 1);
        byte[] flipped = cp5.encode();
        flipped[flipped.length - 4] ^= 0x01;
        addNeg(neg, "signature byte flipped", new String(flipped, StandardCharsets.UTF_8), "signature does not verify");
        addNeg(neg, "size with a leading zero", good.replaceFirst("\n5\n", "\n05\n"), "canonical decimal");
        String b64Root = Base64.getEncoder().encodeToString(log.root(LEAVES));
        char last = b64Root.charAt(42);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        String dirty = b64Root.substring(0, 42) + alphabet.charAt(alphabet.indexOf(last) ^ 0x01) + "=";
        addNeg(neg, "root in non-canonical base64 (unused bits set)", good.replace(b64Root, dirty), "not canonical base64");
        addNeg(neg, "an extension line", text + "ext\n\n" + sigLine, "expected 3");
        addNeg(neg, "no blank line before the signature", text + sigLine, "no blank line");
        SignedCheckpoint otherLog = SignedCheckpoint.sign(new Checkpoint(Checkpoint.originOf(VectorGeneratorTest.OTHER_EXERCISE),
                LEAVES, Hash32.of(log.root(LEAVES))), relay);
        addNeg(neg, "validly signed checkpoint of another exercise's relay log",
                new String(otherLog.encode(), StandardCharsets.UTF_8), "is of log");
        ObjectNode badProof = root.putObject("negativeInclusion");
        List<byte[]> p4 = log.inclusionProof(4, LEAVES);
        p4.get(0)[0] ^= 0x01;
        badProof.put("leafIndex", 4);
        ArrayNode bp = badProof.putArray("proof");
        p4.forEach(h -> bp.add(hx.formatHex(h)));
        badProof.put("reason", "does not lead to the root of checkpoint 5");

        Files.createDirectories(Vectors.SOURCE_DIR);
        Vectors.JSON.writeValue(Vectors.SOURCE_DIR.resolve(FILE).toFile(), root);
    }

    private static void signedConsistency(ObjectNode o, SignedConsistency s, String description) {
        var hx = Vectors.HEX;
        o.put("description", description);
        o.put("context", SignatureContext.RELAY_LOG_CONSISTENCY.label());
        o.put("oldSize", s.older().treeSize());
        o.put("oldRoot", s.older().root().hex());
        o.put("newSize", s.newer().treeSize());
        o.put("newRoot", s.newer().root().hex());
        ArrayNode p = o.putArray("proof");
        s.proof().forEach(h -> p.add(h.hex()));
        o.put("toBeSigned", hx.formatHex(s.toBeSigned()));
        o.put("signature", hx.formatHex(s.signature()));
    }

    /** The statement of a {@link #signedConsistency} object, checked against its own fields and the relay key. */
    private static SignedConsistency signedConsistency(JsonNode o, String origin, IdentityPublicKey key) {
        assertThat(o.get("context").asText()).isEqualTo(SignatureContext.RELAY_LOG_CONSISTENCY.label());
        SignedConsistency s = SignedConsistency.of(origin, o.get("oldSize").asLong(), o.get("newSize").asLong(),
                proof(o.get("proof")), new LogConsistencySignature(Hash32.of(hex(o, "oldRoot")),
                        Hash32.of(hex(o, "newRoot")), hex(o, "signature")));
        assertThat(s.toBeSigned()).isEqualTo(hex(o, "toBeSigned"));
        assertThat(s.verify(key)).as("signature of " + o.get("description").asText()).isTrue();
        return s;
    }

    /** A signature that must not verify as {@code honest}'s (its roots and proof, this log's origin). */
    private static void addSignedNeg(ArrayNode neg, String name, byte[] signature, SignedConsistency honest) {
        ObjectNode o = neg.addObject();
        o.put("name", name);
        o.put("oldSize", honest.older().treeSize());
        o.put("oldRoot", honest.older().root().hex());
        o.put("newSize", honest.newer().treeSize());
        o.put("newRoot", honest.newer().root().hex());
        ArrayNode p = o.putArray("proof");
        honest.proof().forEach(h -> p.add(h.hex()));
        o.put("signature", Vectors.HEX.formatHex(signature));
    }

    private static void addNeg(ArrayNode neg, String name, String note, String reason) {
        ObjectNode o = neg.addObject();
        o.put("name", name);
        o.put("note", note);
        o.put("reason", reason);
    }

    private static List<Hash32> proof(JsonNode array) {
        List<Hash32> out = new ArrayList<>();
        array.forEach(h -> out.add(Hash32.of(Vectors.HEX.parseHex(h.asText()))));
        return out;
    }

    @Test
    void relayLog_vectorsReproduceAndVerify() throws Exception {
        JsonNode v = Vectors.load(FILE);
        ExerciseId exercise = ExerciseId.of(hex(v, "exerciseId"));
        IdentityKeyPair relay = IdentityKeyPair.fromPrivateKey(hex(v, "relayPrivateKey"));
        IdentityPublicKey key = relay.publicKey();
        assertThat(key.encoded()).isEqualTo(hex(v, "relayPublicKey"));
        assertThat(Checkpoint.originOf(exercise)).isEqualTo(v.get("origin").asText());
        assertThat(String.format("%08x", SignedCheckpoint.keyId(v.get("origin").asText(), key))).isEqualTo(v.get("keyId").asText());

        MerkleLog log = new MerkleLog();
        List<Receipt> receipts = new ArrayList<>();
        for (JsonNode l : v.get("leaves")) {
            Receipt r = Receipt.decode(hex(l, "receipt"));
            ReceiptSigner.verify(r, key, exercise);
            assertThat(RelayLogProofs.leafOf(r)).isEqualTo(hex(l, "leaf"));
            assertThat(MerkleHashes.leafHash(hex(l, "leaf"))).isEqualTo(hex(l, "leafHash"));
            log.append(hex(l, "leafHash"));
            receipts.add(r);
        }
        for (int n = 0; n < v.get("roots").size(); n++) {
            assertThat(Vectors.HEX.formatHex(log.root(n))).isEqualTo(v.get("roots").get(n).asText());
        }
        List<SignedCheckpoint> cps = new ArrayList<>();
        for (JsonNode c : v.get("checkpoints")) {
            byte[] note = c.get("note").asText().getBytes(StandardCharsets.UTF_8);
            assertThat(note).isEqualTo(hex(c, "noteHex"));
            SignedCheckpoint cp = RelayLogProofs.verifyCheckpoint(note, exercise, key);
            assertThat(cp.treeSize()).isEqualTo(c.get("treeSize").asLong());
            assertThat(cp.checkpoint().root().bytes()).isEqualTo(log.root(cp.treeSize()));
            assertThat(new String(cp.text(), StandardCharsets.UTF_8)).isEqualTo(c.get("text").asText());
            assertThat(cp.signatures().get(0).signature()).isEqualTo(hex(c, "signature"));
            // Ed25519 is deterministic: signing again gives the same note.
            assertThat(SignedCheckpoint.sign(cp.checkpoint(), relay).encode()).isEqualTo(note);
            cps.add(cp);
        }
        SignedCheckpoint cp3 = cps.get(0);
        SignedCheckpoint cp5 = cps.get(1);
        for (JsonNode in : v.get("inclusion")) {
            int i = in.get("leafIndex").asInt();
            List<Hash32> p = proof(in.get("proof"));
            assertThat(p).isEqualTo(RelayLogProofs.hashes(log.inclusionProof(i, in.get("treeSize").asLong())));
            RelayLogProofs.verifyInclusion(receipts.get(i), new LogInclusion(i, p, cp5.encode()), exercise, key);
        }
        JsonNode c = v.get("consistency");
        List<Hash32> cproof = proof(c.get("proof"));
        assertThat(cproof).isEqualTo(RelayLogProofs.hashes(log.consistencyProof(3, 5)));
        RelayLogProofs.verifyConsistency(cp3, cp5, cproof);

        JsonNode f = v.get("frames");
        for (String name : List.of("acceptedInLog", "logConsistencyFetch", "logConsistency", "logConsistencyFetchSigned",
                "logConsistencySigned")) {
            byte[] payload = hex(f, name);
            assertThat(FrameCodec.encode(FrameCodec.decode(payload))).as(name).isEqualTo(payload);
        }
        Frame.Accepted accepted = (Frame.Accepted) FrameCodec.decode(hex(f, "acceptedInLog"));
        RelayLogProofs.verifyInclusion(accepted.receipt(), accepted.inclusion().orElseThrow(), exercise, key);
        Frame.LogConsistency lc = (Frame.LogConsistency) FrameCodec.decode(hex(f, "logConsistency"));
        assertThat(lc.proof()).isEqualTo(cproof);

        String origin = v.get("origin").asText();
        SignedConsistency honest = signedConsistency(v.get("signedConsistency"), origin, key);
        assertThat(honest.contradiction(cp3.checkpoint(), cp5.checkpoint())).isEmpty();
        assertThat(honest.proof()).isEqualTo(cproof);
        // Deterministic: the relay signs the same answer again byte for byte.
        assertThat(SignedConsistency.sign(honest.older(), honest.newer(), honest.proof(), relay)).isEqualTo(honest);
        Frame.LogConsistency signedFrame = (Frame.LogConsistency) FrameCodec.decode(hex(f, "logConsistencySigned"));
        assertThat(signedFrame.signature()).contains(honest.wire());
        assertThat(((Frame.LogConsistencyFetch) FrameCodec.decode(hex(f, "logConsistencyFetchSigned"))).signed()).isTrue();
        assertThat(((Frame.LogConsistencyFetch) FrameCodec.decode(hex(f, "logConsistencyFetch"))).signed()).isFalse();
        assertThat(lc.signature()).isEmpty();

        JsonNode fork = v.get("fork");
        SignedCheckpoint forked5 = RelayLogProofs.verifyCheckpoint(fork.get("note").asText().getBytes(StandardCharsets.UTF_8),
                exercise, key);
        for (String evidence : List.of("signedFromForkedTree", "signedFalseProof", "signedNewRootOnly")) {
            JsonNode e = fork.get(evidence);
            assertThat(signedConsistency(e, origin, key).contradiction(forked5.checkpoint(), cp3.checkpoint()))
                    .as(evidence).contains(e.get("reason").asText());
        }
        SignedConsistency newRootOnly = signedConsistency(fork.get("signedNewRootOnly"), origin, key);
        assertThat(newRootOnly.proofHolds()).as("the proof holds between the signed roots").isTrue();
        assertThat(newRootOnly.older().root()).isEqualTo(cp3.checkpoint().root());
        for (JsonNode n : v.get("negativeSignedConsistency")) {
            SignedConsistency s = SignedConsistency.of(origin, n.get("oldSize").asLong(), n.get("newSize").asLong(),
                    proof(n.get("proof")), new LogConsistencySignature(Hash32.of(hex(n, "oldRoot")),
                            Hash32.of(hex(n, "newRoot")), hex(n, "signature")));
            assertThat(s.verify(key)).as(n.get("name").asText()).isFalse();
            assertThatThrownBy(() -> RelayLogProofs.verifySignedConsistency(s.older().treeSize(), s.newer().treeSize(),
                    s.proof(), s.wire(), Receipt.RELAY, exercise, key)).as(n.get("name").asText())
                    .isInstanceOf(CheckpointException.class).hasMessageContaining("signature does not verify");
        }
        assertThat(v.get("negativeSignedConsistency")).hasSize(4);
        assertThatThrownBy(() -> RelayLogProofs.verifyConsistency(cp3, forked5, proof(fork.get("proof"))))
                .isInstanceOf(CheckpointException.class)
                .hasMessage("relay log forked: checkpoint 5 is not consistent with 3");
        assertThatThrownBy(() -> RelayLogProofs.verifyConsistency(cp3, forked5, cproof))
                .hasMessage("relay log forked: checkpoint 5 is not consistent with 3");

        for (JsonNode n : v.get("negative")) {
            byte[] note = n.get("note").asText().getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> RelayLogProofs.verifyCheckpoint(note, exercise, key)).as(n.get("name").asText())
                    .isInstanceOf(CheckpointException.class).hasMessageContaining(n.get("reason").asText());
        }
        JsonNode bad = v.get("negativeInclusion");
        assertThatThrownBy(() -> RelayLogProofs.verifyInclusion(receipts.get(4),
                new LogInclusion(bad.get("leafIndex").asLong(), proof(bad.get("proof")), cp5.encode()), exercise, key))
                .isInstanceOf(CheckpointException.class).hasMessageContaining(bad.get("reason").asText());
    }

    /**
     * The receipt in ACCEPTED_IN_LOG has no signature (PROTOCOL.md §3.4.14, §12.3): the proof is all
     * that authenticates it, so every single-bit change of the frame, in the receipt (the leaf), the
     * leaf index, the path or the checkpoint, must make it fail to decode or fail the proof.
     */
    @Test
    void everyBitOfAnAcceptedInLogFrame_matters() throws Exception {
        JsonNode v = Vectors.load(FILE);
        ExerciseId exercise = ExerciseId.of(hex(v, "exerciseId"));
        IdentityPublicKey key = IdentityKeyPair.fromPrivateKey(hex(v, "relayPrivateKey")).publicKey();
        byte[] payload = hex(v.get("frames"), "acceptedInLog");
        Frame.Accepted genuine = (Frame.Accepted) FrameCodec.decode(payload);
        assertThat(genuine.receipt().isSigned()).isFalse();
        RelayLogProofs.verifyInclusion(genuine.receipt(), genuine.inclusion().orElseThrow(), exercise, key);
        int accepted = 0;
        for (int i = 2; i < payload.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] changed = payload.clone();
                changed[i] ^= (byte) (1 << bit);
                Frame f;
                try {
                    f = FrameCodec.decode(changed);
                } catch (FrameDecodeException refused) {
                    continue;
                }
                if (f instanceof Frame.Accepted a && a.inclusion().isPresent()) {
                    try {
                        RelayLogProofs.verifyInclusion(a.receipt(), a.inclusion().get(), exercise, key);
                        accepted++;
                    } catch (CheckpointException refused) {
                        // expected
                    }
                }
            }
        }
        assertThat(accepted).as("bit flips of ACCEPTED_IN_LOG that still verify").isZero();
    }

    /**
     * A signed consistency answer is evidence against the relay only if nobody else can make one:
     * every single-bit change of the frame (sizes, proof, roots, signature) fails to decode or to
     * verify under the relay key (PROTOCOL.md §12.4).
     */
    @Test
    void everyBitOfASignedLogConsistencyFrame_matters() throws Exception {
        JsonNode v = Vectors.load(FILE);
        ExerciseId exercise = ExerciseId.of(hex(v, "exerciseId"));
        IdentityPublicKey key = IdentityKeyPair.fromPrivateKey(hex(v, "relayPrivateKey")).publicKey();
        byte[] payload = hex(v.get("frames"), "logConsistencySigned");
        Frame.LogConsistency genuine = (Frame.LogConsistency) FrameCodec.decode(payload);
        RelayLogProofs.verifySignedConsistency(genuine.oldSize(), genuine.newSize(), genuine.proof(),
                genuine.signature().orElseThrow(), Receipt.RELAY, exercise, key);
        int accepted = 0;
        for (int i = 2; i < payload.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] changed = payload.clone();
                changed[i] ^= (byte) (1 << bit);
                Frame f;
                try {
                    f = FrameCodec.decode(changed);
                } catch (FrameDecodeException refused) {
                    continue;
                }
                if (f instanceof Frame.LogConsistency c && c.signature().isPresent()) {
                    try {
                        RelayLogProofs.verifySignedConsistency(c.oldSize(), c.newSize(), c.proof(), c.signature().get(),
                                Receipt.RELAY, exercise, key);
                        accepted++;
                    } catch (CheckpointException refused) {
                        // expected
                    }
                }
            }
        }
        assertThat(accepted).as("bit flips of a signed LOG_CONSISTENCY that still verify").isZero();
    }

    /** Every single-byte change of a signed checkpoint is refused (parse or signature). */
    @Test
    void everyByteOfASignedCheckpoint_matters() throws Exception {
        JsonNode v = Vectors.load(FILE);
        ExerciseId exercise = ExerciseId.of(hex(v, "exerciseId"));
        IdentityPublicKey key = IdentityKeyPair.fromPrivateKey(hex(v, "relayPrivateKey")).publicKey();
        byte[] note = hex(v.get("checkpoints").get(1), "noteHex");
        for (int i = 0; i < note.length; i++) {
            for (int bit : new int[] {0x01, 0x80}) {
                byte[] changed = note.clone();
                changed[i] ^= (byte) bit;
                int at = i;
                assertThatThrownBy(() -> RelayLogProofs.verifyCheckpoint(changed, exercise, key))
                        .as("byte %d bit %02x", at, bit).isInstanceOf(CheckpointException.class);
            }
        }
    }
}
