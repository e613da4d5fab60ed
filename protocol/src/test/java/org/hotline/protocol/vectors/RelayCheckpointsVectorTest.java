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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.hotline.protocol.audit.DisplayText;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.crypto.IdentityKeyPair;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.tlog.Checkpoint;
import org.hotline.protocol.tlog.CheckpointException;
import org.hotline.protocol.tlog.RelayLogProofs;
import org.hotline.protocol.tlog.SignedCheckpoint;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.FrameDecodeException;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.SignedMessage;
import org.hotline.protocol.wire.WireLimits;
import org.hotline.protocol.wire.WireWriter;
import org.junit.jupiter.api.Test;

/**
 * {@code relay-checkpoints.json} (PROTOCOL.md §4.2 RelayCheckpoints, §10): a client's newest
 * checkpoint of each relay, carried end to end to its peer for split-view detection. Regenerate with
 * {@code ./mvnw -pl protocol test -Dtest=RelayCheckpointsVectorTest -Dhotline.vectors.regenerate=true}.
 */
class RelayCheckpointsVectorTest {

    static final String FILE = "relay-checkpoints.json";
    static final Instant T = Instant.parse("2026-05-10T14:00:00Z");
    /** Key seeds of the two relays (the relay of {@code relay-log.json} is seed 9). */
    static final int RELAY_IN_SEED = 11;
    static final int RELAY_PK_SEED = 12;

    @Test
    void regenerate() throws Exception {
        assumeTrue(Boolean.getBoolean("hotline.vectors.regenerate"), "set -Dhotline.vectors.regenerate=true");
        var hex = Vectors.HEX;
        byte[] sk = VectorGeneratorTest.bytes(1, 32);
        IdentityKeyPair key = IdentityKeyPair.fromPrivateKey(sk);
        IdentityKeyPair relayIn = IdentityKeyPair.fromPrivateKey(VectorGeneratorTest.bytes(RELAY_IN_SEED, 32));
        IdentityKeyPair relayPk = IdentityKeyPair.fromPrivateKey(VectorGeneratorTest.bytes(RELAY_PK_SEED, 32));
        SignedCheckpoint in = note("relay-in", 12, VectorGeneratorTest.bytes(13, 32), relayIn);
        SignedCheckpoint pk = note("relay-pk", 9, VectorGeneratorTest.bytes(14, 32), relayPk);
        Content.RelayCheckpoints body = new Content.RelayCheckpoints(List.of(
                new Content.RelayNote("relay-in", in.encode()), new Content.RelayNote("relay-pk", pk.encode())));
        MessageHeader header = header(8);
        SignedMessage m = MessageSigner.sign(key, header, body);

        ObjectNode root = Vectors.JSON.createObjectNode();
        root.put("description", "RelayCheckpoints content (type 0x07): in.pm's newest verified checkpoint of relay-in "
                + "(size 12) and of relay-pk (size 9), carried in a signed message (protocol version 2, exercise id "
                + "as in signing.json) to pk.pm on leaders");
        ObjectNode v = root.putArray("vectors").addObject();
        v.put("exerciseId", VectorGeneratorTest.EXERCISE.hex());
        v.put("identityPrivateKey", hex.formatHex(sk));
        v.put("identityPublicKey", hex.formatHex(key.publicKey().encoded()));
        var relays = v.putArray("relays");
        relay(relays.addObject(), "relay-in", RELAY_IN_SEED, relayIn, in);
        relay(relays.addObject(), "relay-pk", RELAY_PK_SEED, relayPk, pk);
        v.put("body", hex.formatHex(m.bodyBytes()));
        v.put("kind", DisplayText.kind(body));
        v.put("text", DisplayText.render(body, null, List.of()));
        v.put("signedMessage", hex.formatHex(m.encode()));
        v.put("messageHash", Hashes.messageHash(m).hex());

        var neg = root.putArray("negative");
        byte[] inNote = in.encode();
        byte[] pkNote = pk.encode();
        addNeg(neg, rawBody(0, List.of()), "MALFORMED: body.count");
        List<Raw> nine = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            nine.add(new Raw("relay-" + (char) ('a' + i), inNote));
        }
        addNeg(neg, rawBody(9, nine), "MALFORMED: body.count");
        addNeg(neg, rawBody(2, List.of(new Raw("relay-pk", pkNote), new Raw("relay-in", inNote))),
                "MALFORMED: body.relays");
        addNeg(neg, rawBody(2, List.of(new Raw("relay-in", inNote), new Raw("relay-in", inNote))),
                "MALFORMED: body.relays");
        addNeg(neg, rawBody(1, List.of(new Raw("in.pm", inNote))), "MALFORMED: body.relays[0].relay");
        addNeg(neg, rawBody(1, List.of(new Raw("relay-in", new byte[0]))), "MALFORMED: body.relays[0].note");
        addNeg(neg, rawBody(1, List.of(new Raw("relay-in", new byte[WireLimits.MAX_CHECKPOINT_BYTES + 1]))),
                "MALFORMED: body.relays[0].note");
        byte[] trailing = Arrays.copyOf(m.bodyBytes(), m.bodyBytes().length + 1);
        addNeg(neg, trailing, "MALFORMED: message body");
        byte[] flipped = inNote.clone();
        flipped[flipped.length - 2] ^= 0x01; // inside the base64 signature, before the final newline
        addNeg(neg, rawBody(1, List.of(new Raw("relay-in", flipped))), "not verified: relay-in");
        addNeg(neg, rawBody(1, List.of(new Raw("relay-in", pkNote))), "not verified: relay-in");
        Files.createDirectories(Vectors.SOURCE_DIR);
        Vectors.JSON.writeValue(Vectors.SOURCE_DIR.resolve(FILE).toFile(), root);
    }

    /** One entry of a body as bytes, whatever the record would refuse. */
    private record Raw(String relay, byte[] note) {
    }

    private static void relay(ObjectNode n, String name, int seed, IdentityKeyPair key, SignedCheckpoint cp) {
        n.put("relay", name);
        n.put("relayPrivateKey", Vectors.HEX.formatHex(VectorGeneratorTest.bytes(seed, 32)));
        n.put("relayPublicKey", Vectors.HEX.formatHex(key.publicKey().encoded()));
        n.put("treeSize", cp.treeSize());
        n.put("note", new String(cp.encode(), StandardCharsets.UTF_8));
    }

    private static void addNeg(com.fasterxml.jackson.databind.node.ArrayNode neg, byte[] body, String reason) {
        ObjectNode n = neg.addObject();
        n.put("body", Vectors.HEX.formatHex(body));
        n.put("reason", reason);
    }

    private static SignedCheckpoint note(String relay, long size, byte[] root, IdentityKeyPair key) {
        return SignedCheckpoint.sign(new Checkpoint(Checkpoint.originOf(relay, VectorGeneratorTest.EXERCISE), size,
                Hash32.of(root)), key);
    }

    /** A body written field by field, so the negatives can break what the record would refuse. */
    private static byte[] rawBody(int count, List<Raw> entries) {
        WireWriter w = new WireWriter(64);
        w.u8(Content.TYPE_RELAY_CHECKPOINTS);
        w.u8(count);
        for (Raw e : entries) {
            w.string(e.relay());
            w.bytes16(e.note());
        }
        return w.toByteArray();
    }

    private static MessageHeader header(long counter) {
        return new MessageHeader(VectorGeneratorTest.EXERCISE, MessageId.of(VectorGeneratorTest.bytes(10, 16)), "in.pm",
                List.of("pk.pm"), "leaders", counter, T.plusSeconds(300), Hash32.ZERO, Hash32.ZERO, "2026.11-1",
                Optional.empty(), Optional.empty());
    }

    @Test
    void relayCheckpoints_vectorsReproduceByteForByte() throws Exception {
        JsonNode root = Vectors.load(FILE);
        JsonNode v = root.get("vectors").get(0);
        IdentityKeyPair key = IdentityKeyPair.fromPrivateKey(hex(v, "identityPrivateKey"));
        assertThat(key.publicKey().encoded()).isEqualTo(hex(v, "identityPublicKey"));
        ExerciseId exercise = ExerciseId.of(hex(v, "exerciseId"));
        SignedMessage m = SignedMessage.decode(hex(v, "signedMessage"));
        MessageSigner.verify(m, key.publicKey(), exercise);
        assertThat(m.bodyBytes()).isEqualTo(hex(v, "body"));
        assertThat(Hashes.messageHash(m).hex()).isEqualTo(v.get("messageHash").asText());
        assertThat(m.content()).isInstanceOf(Content.RelayCheckpoints.class);
        Content.RelayCheckpoints body = (Content.RelayCheckpoints) m.content();
        assertThat(DisplayText.kind(body)).isEqualTo(v.get("kind").asText());
        assertThat(DisplayText.render(body, null, List.of())).isEqualTo(v.get("text").asText());
        assertThat(body.notes()).hasSize(v.get("relays").size());
        for (int i = 0; i < body.notes().size(); i++) {
            JsonNode r = v.get("relays").get(i);
            Content.RelayNote n = body.notes().get(i);
            assertThat(n.relay()).isEqualTo(r.get("relay").asText());
            assertThat(new String(n.note(), StandardCharsets.UTF_8)).isEqualTo(r.get("note").asText());
            IdentityKeyPair relayKey = IdentityKeyPair.fromPrivateKey(hex(r, "relayPrivateKey"));
            assertThat(relayKey.publicKey().encoded()).isEqualTo(hex(r, "relayPublicKey"));
            SignedCheckpoint cp = RelayLogProofs.verifyCheckpoint(n.note(), n.relay(), exercise, relayKey.publicKey());
            assertThat(cp.treeSize()).isEqualTo(r.get("treeSize").asLong());
            // Ed25519 is deterministic: the relay's note re-signs to the same bytes.
            assertThat(SignedCheckpoint.sign(cp.checkpoint(), relayKey).encode()).isEqualTo(n.note());
        }
        assertThat(MessageSigner.sign(key, m.header(), body).encode()).isEqualTo(hex(v, "signedMessage"));

        IdentityKeyPair relayIn = IdentityKeyPair.fromPrivateKey(hex(v.get("relays").get(0), "relayPrivateKey"));
        for (JsonNode n : root.get("negative")) {
            String reason = n.get("reason").asText();
            if (reason.startsWith("MALFORMED")) {
                String field = reason.substring("MALFORMED: ".length());
                assertThatThrownBy(() -> decodeBody(hex(n, "body"))).as(reason).isInstanceOf(FrameDecodeException.class)
                        .hasMessageContaining(field);
            } else {
                // Well-formed, but the note is not relay-in's checkpoint of this exercise's log: a receiver refuses it.
                Content.RelayCheckpoints c = (Content.RelayCheckpoints) decodeBody(hex(n, "body"));
                assertThatThrownBy(() -> RelayLogProofs.verifyCheckpoint(c.notes().get(0).note(), "relay-in", exercise,
                        relayIn.publicKey())).as(reason).isInstanceOf(CheckpointException.class);
            }
        }
    }

    @Test
    void theLargestBody_eightRelaysOfLongestNotes_fitsASignedMessage() throws Exception {
        List<Content.RelayNote> notes = new ArrayList<>();
        for (int i = 0; i < Content.MAX_RELAY_CHECKPOINTS; i++) {
            notes.add(new Content.RelayNote("relay-" + (char) ('a' + i), new byte[WireLimits.MAX_CHECKPOINT_BYTES]));
        }
        IdentityKeyPair key = IdentityKeyPair.fromPrivateKey(VectorGeneratorTest.bytes(1, 32));
        SignedMessage m = MessageSigner.sign(key, header(1), new Content.RelayCheckpoints(notes));
        assertThat(m.encode().length).isLessThanOrEqualTo(WireLimits.MAX_SIGNED_MESSAGE_BYTES);
        assertThat(SignedMessage.decode(m.encode()).content()).isEqualTo(new Content.RelayCheckpoints(notes));
    }

    @Test
    void theRecord_refusesWhatTheDecoderRefuses() {
        byte[] note = {'x'};
        assertThatThrownBy(() -> new Content.RelayCheckpoints(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Content.RelayCheckpoints(List.of(new Content.RelayNote("relay-pk", note),
                new Content.RelayNote("relay-in", note)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Content.RelayNote("in.pm", note)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Content.RelayNote("relay", new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Content.RelayNote("relay", new byte[WireLimits.MAX_CHECKPOINT_BYTES + 1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A body alone, decoded as a receiver would after the header (PROTOCOL.md §4.2). */
    private static Content decodeBody(byte[] body) throws Exception {
        IdentityKeyPair any = IdentityKeyPair.fromPrivateKey(VectorGeneratorTest.bytes(1, 32));
        SignedMessage carrier = MessageSigner.sign(any, header(7), new Content.Text("x"));
        byte[] headerBytes = carrier.headerBytes();
        // Header || body with a zero signature: decode checks layout, not signatures.
        var w = new WireWriter(headerBytes.length + body.length + 72);
        w.u32(headerBytes.length).fixed(headerBytes).u32(body.length).fixed(body).fixed(new byte[64]);
        return SignedMessage.decode(w.toByteArray()).content();
    }
}
