package org.hotline.protocol.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.hotline.protocol.vectors.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hotline.protocol.audit.AuditLog;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.crypto.IdentityKeyPair;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.crypto.SignatureContext;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.FrameDecodeException;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.SignedMessage;
import org.junit.jupiter.api.Test;

/**
 * {@code log-checkpoint.json} (PROTOCOL.md §4.2 LogCheckpoint, §10): a signed checkpoint of an audit
 * log carried as message content. Regenerate with
 * {@code ./mvnw -pl protocol test -Dtest=LogCheckpointVectorTest -Dhotline.vectors.regenerate=true}.
 */
class LogCheckpointVectorTest {

    static final String FILE = "log-checkpoint.json";
    static final Instant T = Instant.parse("2026-05-10T14:00:00Z");

    @Test
    void regenerate() throws Exception {
        assumeTrue(Boolean.getBoolean("hotline.vectors.regenerate"), "set -Dhotline.vectors.regenerate=true");
        var hex = Vectors.HEX;
        byte[] sk = VectorGeneratorTest.bytes(1, 32);
        IdentityKeyPair key = IdentityKeyPair.fromPrivateKey(sk);
        // The checkpoint line of in.pm's log after 31 entries (it is entry 32, seq 31).
        Content.LogCheckpoint unsigned = new Content.LogCheckpoint("in.pm", 31, "2026-05-10T14:05:00.123Z",
                Hash32.of(VectorGeneratorTest.bytes(8, 32)), Hash32.of(VectorGeneratorTest.bytes(9, 32)), new byte[64]);
        byte[] signedBytes = AuditLog.signedBytes(unsigned);
        byte[] signature = key.sign(SignatureContext.AUDIT_CHECKPOINT, signedBytes);
        Content.LogCheckpoint cp = new Content.LogCheckpoint(unsigned.owner(), unsigned.treeSize(), unsigned.time(),
                unsigned.prev(), unsigned.root(), signature);
        MessageHeader header = new MessageHeader(VectorGeneratorTest.EXERCISE, MessageId.of(VectorGeneratorTest.bytes(10, 16)), "in.pm",
                List.of("pk.pm"), "leaders", 7, T.plusSeconds(300), Hash32.ZERO, Hash32.ZERO, "2026.11-1",
                Optional.empty(), Optional.empty());
        SignedMessage m = MessageSigner.sign(key, header, cp);

        ObjectNode root = Vectors.JSON.createObjectNode();
        root.put("description", "LogCheckpoint content (type 0x06): in.pm's signed checkpoint of the first 31 "
                + "entries of its audit log, carried in a signed message (protocol version 2, exercise id as in signing.json) to pk.pm");
        ObjectNode v = root.putArray("vectors").addObject();
        v.put("exerciseId", VectorGeneratorTest.EXERCISE.hex());
        v.put("identityPrivateKey", hex.formatHex(sk));
        v.put("identityPublicKey", hex.formatHex(key.publicKey().encoded()));
        v.put("owner", cp.owner());
        v.put("treeSize", cp.treeSize());
        v.put("time", cp.time());
        v.put("prev", cp.prev().hex());
        v.put("root", cp.root().hex());
        v.put("checkpointSignedBytes", hex.formatHex(signedBytes));
        v.put("checkpointSignature", hex.formatHex(signature));
        v.put("body", hex.formatHex(m.bodyBytes()));
        v.put("signedMessage", hex.formatHex(m.encode()));
        v.put("messageHash", Hashes.messageHash(m).hex());
        ObjectNode neg = root.putArray("negative").addObject();
        byte[] flipped = m.bodyBytes().clone();
        flipped[flipped.length - 1] ^= 0x01;
        neg.put("body", hex.formatHex(flipped));
        neg.put("reason", "checkpoint signature does not verify");
        ObjectNode neg2 = root.withArray("negative").addObject();
        Content.LogCheckpoint shortTime = new Content.LogCheckpoint("in.pm", 31, "2026-05-10T14:05:00.1230Z",
                cp.prev(), cp.root(), signature);
        neg2.put("body", hex.formatHex(bodyOf(shortTime)));
        neg2.put("reason", "MALFORMED: body.time");
        ObjectNode neg3 = root.withArray("negative").addObject();
        byte[] zeroSize = bodyOf(cp);
        int sizeAt = 1 + 2 + "in.pm".length();
        for (int i = 0; i < 8; i++) {
            zeroSize[sizeAt + i] = 0;
        }
        neg3.put("body", hex.formatHex(zeroSize));
        neg3.put("reason", "MALFORMED: body.treeSize");
        Files.createDirectories(Vectors.SOURCE_DIR);
        Vectors.JSON.writeValue(Vectors.SOURCE_DIR.resolve(FILE).toFile(), root);
    }

    /** The body encoding through the real writer, with the given (possibly non-canonical) time. */
    private static byte[] bodyOf(Content.LogCheckpoint c) throws Exception {
        IdentityKeyPair any = IdentityKeyPair.fromPrivateKey(VectorGeneratorTest.bytes(1, 32));
        MessageHeader h = new MessageHeader(VectorGeneratorTest.EXERCISE, MessageId.of(VectorGeneratorTest.bytes(10, 16)), "in.pm", List.of("pk.pm"),
                "leaders", 7, T, Hash32.ZERO, Hash32.ZERO, "", Optional.empty(), Optional.empty());
        return MessageSigner.sign(any, h, c).bodyBytes();
    }

    @Test
    void logCheckpoint_vectorsReproduceByteForByte() throws Exception {
        JsonNode root = Vectors.load(FILE);
        for (JsonNode v : root.get("vectors")) {
            IdentityKeyPair key = IdentityKeyPair.fromPrivateKey(hex(v, "identityPrivateKey"));
            assertThat(key.publicKey().encoded()).isEqualTo(hex(v, "identityPublicKey"));
            SignedMessage m = SignedMessage.decode(hex(v, "signedMessage"));
            ExerciseId exercise = ExerciseId.of(hex(v, "exerciseId"));
            MessageSigner.verify(m, key.publicKey(), exercise);
            assertThat(m.bodyBytes()).isEqualTo(hex(v, "body"));
            assertThat(Hashes.messageHash(m).hex()).isEqualTo(v.get("messageHash").asText());
            assertThat(m.content()).isInstanceOf(Content.LogCheckpoint.class);
            Content.LogCheckpoint cp = (Content.LogCheckpoint) m.content();
            assertThat(cp.owner()).isEqualTo(v.get("owner").asText()).isEqualTo(m.header().sender());
            assertThat(cp.treeSize()).isEqualTo(v.get("treeSize").asLong());
            assertThat(cp.time()).isEqualTo(v.get("time").asText());
            assertThat(cp.prev().hex()).isEqualTo(v.get("prev").asText());
            assertThat(cp.root().hex()).isEqualTo(v.get("root").asText());
            assertThat(AuditLog.signedBytes(cp)).isEqualTo(hex(v, "checkpointSignedBytes"));
            assertThat(cp.signature()).isEqualTo(hex(v, "checkpointSignature"));
            assertThat(AuditLog.verifies(cp, key.publicKey())).isTrue();
            assertThat(key.sign(SignatureContext.AUDIT_CHECKPOINT, AuditLog.signedBytes(cp)))
                    .isEqualTo(hex(v, "checkpointSignature"));
            assertThat(MessageSigner.sign(key, m.header(), cp).encode()).isEqualTo(hex(v, "signedMessage"));
        }
        IdentityKeyPair key = IdentityKeyPair.fromPrivateKey(hex(root.get("vectors").get(0), "identityPrivateKey"));
        for (JsonNode n : root.get("negative")) {
            String reason = n.get("reason").asText();
            if (reason.startsWith("MALFORMED")) {
                String field = reason.substring("MALFORMED: ".length());
                assertThatThrownBy(() -> decodeBody(hex(n, "body"))).isInstanceOf(FrameDecodeException.class)
                        .hasMessageContaining(field);
            } else {
                Content.LogCheckpoint cp = (Content.LogCheckpoint) decodeBody(hex(n, "body"));
                assertThat(AuditLog.verifies(cp, key.publicKey())).as(reason).isFalse();
            }
        }
    }

    /** A body alone, decoded as a receiver would after the header (PROTOCOL.md §4.2). */
    private static Content decodeBody(byte[] body) throws Exception {
        IdentityKeyPair any = IdentityKeyPair.fromPrivateKey(VectorGeneratorTest.bytes(1, 32));
        MessageHeader h = new MessageHeader(VectorGeneratorTest.EXERCISE, MessageId.of(VectorGeneratorTest.bytes(10, 16)), "in.pm", List.of("pk.pm"),
                "leaders", 7, T, Hash32.ZERO, Hash32.ZERO, "", Optional.empty(), Optional.empty());
        SignedMessage carrier = MessageSigner.sign(any, h, new Content.Text("x"));
        byte[] enc = carrier.encode();
        byte[] headerBytes = carrier.headerBytes();
        // Re-assemble header || body with a zero signature: decode checks layout, not signatures.
        var w = new org.hotline.protocol.wire.WireWriter(enc.length + body.length);
        w.u32(headerBytes.length).fixed(headerBytes).u32(body.length).fixed(body).fixed(new byte[64]);
        return SignedMessage.decode(w.toByteArray()).content();
    }
}
