package org.hotline.protocol.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hotline.protocol.vectors.Vectors.hex;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hotline.protocol.audit.DisplayText;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.crypto.IdentityKeyPair;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.FrameDecodeException;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.SignedMessage;
import org.hotline.protocol.wire.WireWriter;
import org.junit.jupiter.api.Test;

/**
 * {@code exercise-control.json} (PROTOCOL.md §4.2 Inject 0x10 and ExerciseClock 0x11, §10): an
 * inject and a clock message signed by exercise control to {@code in.pm} on their private channel.
 * Regenerate with
 * {@code ./mvnw -pl protocol test -Dtest=ExerciseControlVectorTest -Dhotline.vectors.regenerate=true}.
 */
class ExerciseControlVectorTest {

    static final String FILE = "exercise-control.json";
    static final Instant T = Instant.parse("2026-05-10T14:00:00Z");
    static final Instant SCENARIO = Instant.parse("2026-05-07T01:00:00Z");

    static final Content.Inject INJECT = new Content.Inject("I-03", Content.InjectKind.MEDIA, SCENARIO.plusSeconds(720),
            "Evening bulletin: heated studio debate",
            "A national news channel runs a studio debate under the banner \"Time to answer\". "
                    + "Two guests call for immediate retaliation; the host does not correct an unverified casualty figure.");
    static final Content.ExerciseClock CLOCK = new Content.ExerciseClock(Content.ClockAction.PAUSE,
            SCENARIO.plusSeconds(1500), 60_000, false);

    @Test
    void regenerate() throws Exception {
        assumeTrue(Boolean.getBoolean("hotline.vectors.regenerate"), "set -Dhotline.vectors.regenerate=true");
        var hexf = Vectors.HEX;
        byte[] sk = VectorGeneratorTest.bytes(11, 32);
        IdentityKeyPair control = IdentityKeyPair.fromPrivateKey(sk);
        ObjectNode root = Vectors.JSON.createObjectNode();
        root.put("description", "Exercise control content (protocol version 2, exercise id as in signing.json): "
                + "an Inject (0x10) and an ExerciseClock (0x11) message from control to in.pm on channel control.in.pm");
        ArrayNode vectors = root.putArray("vectors");
        int counter = 1;
        Hash32 previous = Hash32.ZERO;
        for (Content c : List.of(INJECT, CLOCK)) {
            MessageHeader h = header(counter, previous);
            SignedMessage m = MessageSigner.sign(control, h, c);
            ObjectNode v = vectors.addObject();
            v.put("exerciseId", VectorGeneratorTest.EXERCISE.hex());
            v.put("identityPrivateKey", hexf.formatHex(sk));
            v.put("identityPublicKey", hexf.formatHex(control.publicKey().encoded()));
            v.put("type", c.type());
            v.put("displayText", DisplayText.render(c, null, List.of()));
            v.put("kind", DisplayText.kind(c));
            v.put("body", hexf.formatHex(m.bodyBytes()));
            v.put("signedMessage", hexf.formatHex(m.encode()));
            v.put("messageHash", Hashes.messageHash(m).hex());
            previous = Hashes.messageHash(m);
            counter++;
        }
        ArrayNode neg = root.putArray("negative");
        byte[] inject = body(INJECT);
        byte[] badKind = inject.clone();
        badKind[1 + 2 + "I-03".length()] = 7;
        neg.addObject().put("body", hexf.formatHex(badKind)).put("reason", "MALFORMED: body.kind");
        byte[] emptyId = new WireWriter().u8(Content.TYPE_INJECT).string("").u8(1).u64(0).string("t").longString("x")
                .toByteArray();
        neg.addObject().put("body", hexf.formatHex(emptyId)).put("reason", "MALFORMED: body.injectId");
        byte[] clock = body(CLOCK);
        byte[] zeroSpeed = clock.clone();
        for (int i = 0; i < 4; i++) {
            zeroSpeed[1 + 1 + 8 + i] = 0;
        }
        neg.addObject().put("body", hexf.formatHex(zeroSpeed)).put("reason", "MALFORMED: body.speedPermille");
        byte[] badAction = clock.clone();
        badAction[1] = 9;
        neg.addObject().put("body", hexf.formatHex(badAction)).put("reason", "MALFORMED: body.action");
        byte[] badFlag = clock.clone();
        badFlag[badFlag.length - 1] = 2;
        neg.addObject().put("body", hexf.formatHex(badFlag)).put("reason", "MALFORMED: body.running");
        Files.createDirectories(Vectors.SOURCE_DIR);
        Vectors.JSON.writeValue(Vectors.SOURCE_DIR.resolve(FILE).toFile(), root);
    }

    private static MessageHeader header(long counter, Hash32 previous) {
        return new MessageHeader(VectorGeneratorTest.EXERCISE, MessageId.of(VectorGeneratorTest.bytes(20 + (int) counter, 16)),
                "control", List.of("in.pm"), "control.in.pm", counter, T.plusSeconds(60 * counter), previous, Hash32.ZERO,
                "2026.11-1", Optional.empty(), Optional.empty());
    }

    private static byte[] body(Content c) throws Exception {
        IdentityKeyPair any = IdentityKeyPair.fromPrivateKey(VectorGeneratorTest.bytes(11, 32));
        return MessageSigner.sign(any, header(1, Hash32.ZERO), c).bodyBytes();
    }

    @Test
    void exerciseControl_vectorsReproduceByteForByte() throws Exception {
        JsonNode root = Vectors.load(FILE);
        List<Content> expected = List.of(INJECT, CLOCK);
        int i = 0;
        for (JsonNode v : root.get("vectors")) {
            IdentityKeyPair key = IdentityKeyPair.fromPrivateKey(hex(v, "identityPrivateKey"));
            assertThat(key.publicKey().encoded()).isEqualTo(hex(v, "identityPublicKey"));
            SignedMessage m = SignedMessage.decode(hex(v, "signedMessage"));
            MessageSigner.verify(m, key.publicKey(), ExerciseId.of(hex(v, "exerciseId")));
            assertThat(m.header().sender()).isEqualTo("control");
            assertThat(m.bodyBytes()).isEqualTo(hex(v, "body"));
            assertThat(m.content()).isEqualTo(expected.get(i));
            assertThat(m.content().type()).isEqualTo(v.get("type").asInt());
            assertThat(DisplayText.render(m.content(), null, List.of())).isEqualTo(v.get("displayText").asText());
            assertThat(DisplayText.kind(m.content())).isEqualTo(v.get("kind").asText());
            assertThat(Hashes.messageHash(m).hex()).isEqualTo(v.get("messageHash").asText());
            assertThat(MessageSigner.sign(key, m.header(), m.content()).encode()).isEqualTo(hex(v, "signedMessage"));
            i++;
        }
        assertThat(i).isEqualTo(2);
        for (JsonNode n : root.get("negative")) {
            String field = n.get("reason").asText().substring("MALFORMED: ".length());
            assertThatThrownBy(() -> decodeBody(hex(n, "body"))).isInstanceOf(FrameDecodeException.class)
                    .hasMessageContaining(field);
        }
    }

    @Test
    void clock_scenarioTimeRunsAtItsSpeedAndStandsStillWhenPaused() {
        Instant setAt = T;
        var running = new Content.ExerciseClock(Content.ClockAction.RESUME, SCENARIO, 60_000, true);
        assertThat(running.scenarioAt(setAt, T.plusSeconds(10))).isEqualTo(SCENARIO.plusSeconds(600));
        assertThat(CLOCK.scenarioAt(setAt, T.plusSeconds(10))).isEqualTo(CLOCK.scenarioTime());
        assertThat(DisplayText.speed(1500)).isEqualTo("1.5x");
        assertThat(DisplayText.speed(60_000)).isEqualTo("60x");
    }

    /** A body alone, decoded as a receiver would after the header (PROTOCOL.md §4.2). */
    private static Content decodeBody(byte[] body) throws Exception {
        IdentityKeyPair any = IdentityKeyPair.fromPrivateKey(VectorGeneratorTest.bytes(11, 32));
        SignedMessage carrier = MessageSigner.sign(any, header(1, Hash32.ZERO), new Content.Text("x"));
        byte[] headerBytes = carrier.headerBytes();
        var w = new WireWriter(headerBytes.length + body.length + 80);
        w.u32(headerBytes.length).fixed(headerBytes).u32(body.length).fixed(body).fixed(new byte[64]);
        return SignedMessage.decode(w.toByteArray()).content();
    }
}
