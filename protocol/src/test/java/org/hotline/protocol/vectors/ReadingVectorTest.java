package org.hotline.protocol.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hotline.protocol.vectors.Vectors.hex;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hotline.protocol.audit.AuditCodec;
import org.hotline.protocol.audit.AuditEntry;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.audit.DisplayText;
import org.hotline.protocol.crypto.CryptoException;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.crypto.IdentityKeyPair;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.crypto.ReadingSigner;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.FrameDecodeException;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.Intent;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.ReadAs;
import org.hotline.protocol.wire.ReadingFields;
import org.hotline.protocol.wire.SignedMessage;
import org.hotline.protocol.wire.WireWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code reading.json} (PROTOCOL.md §4.2 Text intent and Reading 0x08, §11.3 {@code reading}, §10):
 * free text from {@code in.pm} to {@code pk.pm} signed with the intent "reassure"; the same text
 * without an intent (the encoding of every Text before the field existed); {@code pk.pm}'s signed
 * reading of it ("concerning", with a note); the message carrying that reading to exercise control
 * alone on {@code control.pk.pm}; and the {@code reading} audit line. Regenerate with
 * {@code ./mvnw -pl protocol test -Dtest=ReadingVectorTest -Dhotline.vectors.regenerate=true}.
 */
@Timeout(20)
class ReadingVectorTest {

    static final String FILE = "reading.json";
    static final Instant T = Instant.parse("2026-05-10T14:00:00Z");
    static final String TEXT = "Our aircraft remain on our side of the line; nothing is planned tonight.";

    private static final IdentityKeyPair SENDER = IdentityKeyPair.fromPrivateKey(VectorGeneratorTest.bytes(1, 32));
    private static final IdentityKeyPair READER = IdentityKeyPair.fromPrivateKey(VectorGeneratorTest.bytes(2, 32));

    static SignedMessage intentMessage() {
        MessageHeader h = new MessageHeader(VectorGeneratorTest.EXERCISE, MessageId.of(VectorGeneratorTest.bytes(30, 16)),
                "in.pm", List.of("pk.pm"), "leaders", 1, T, Hash32.ZERO, Hash32.ZERO, "2026.12-1",
                Optional.empty(), Optional.empty());
        return MessageSigner.sign(SENDER, h, new Content.Text(TEXT, Intent.REASSURE));
    }

    static Content.Reading reading(SignedMessage read) {
        return ReadingSigner.sign(READER, "pk.pm", read, T.plusSeconds(2), T.plusSeconds(95), ReadAs.CONCERNING,
                "Why say \"tonight\"? What about tomorrow?");
    }

    static SignedMessage carrier(Content.Reading r) {
        MessageHeader h = new MessageHeader(VectorGeneratorTest.EXERCISE, MessageId.of(VectorGeneratorTest.bytes(31, 16)),
                "pk.pm", List.of("control"), "control.pk.pm", 1, T.plusSeconds(95), Hash32.ZERO, Hash32.ZERO, "2026.12-1",
                Optional.empty(), Optional.empty());
        return MessageSigner.sign(READER, h, r);
    }

    static byte[] auditLine(Content.Reading r) {
        return AuditCodec.encode(7, T.plusSeconds(95), new byte[32], new AuditEvent.ReadingRecorded(r));
    }

    @Test
    void regenerate() throws Exception {
        assumeTrue(Boolean.getBoolean("hotline.vectors.regenerate"), "set -Dhotline.vectors.regenerate=true");
        var hexf = Vectors.HEX;
        SignedMessage m = intentMessage();
        Content.Reading r = reading(m);
        SignedMessage c = carrier(r);
        ObjectNode root = Vectors.JSON.createObjectNode();
        root.put("description", "Free text with a signed intent (PROTOCOL.md §4.2, Text), a recipient's signed reading "
                + "of it (Reading 0x08, context hotline/v2 reading), the message carrying it to exercise control only, "
                + "and its audit line (§11.3 reading). Exercise id as in signing.json.");
        root.put("exerciseId", VectorGeneratorTest.EXERCISE.hex());
        root.put("senderPrivateKey", hexf.formatHex(VectorGeneratorTest.bytes(1, 32)));
        root.put("senderPublicKey", hexf.formatHex(SENDER.publicKey().encoded()));
        root.put("readerPrivateKey", hexf.formatHex(VectorGeneratorTest.bytes(2, 32)));
        root.put("readerPublicKey", hexf.formatHex(READER.publicKey().encoded()));
        root.put("intent", "reassure");
        root.put("textBody", hexf.formatHex(m.bodyBytes()));
        root.put("textBodyWithoutIntent", hexf.formatHex(bodyOf(new Content.Text(TEXT))));
        root.put("signedMessage", hexf.formatHex(m.encode()));
        root.put("messageHash", Hashes.messageHash(m).hex());
        root.put("readingSignedBytes", hexf.formatHex(r.fields().toBeSigned()));
        root.put("readingSignature", hexf.formatHex(r.signature()));
        root.put("readingBody", hexf.formatHex(Content.encode(r)));
        root.put("readingDisplayText", DisplayText.render(r, null, List.of()));
        root.put("carrierSignedMessage", hexf.formatHex(c.encode()));
        root.put("carrierMessageHash", Hashes.messageHash(c).hex());
        root.put("auditLine", new String(auditLine(r), StandardCharsets.UTF_8));
        var neg = root.putArray("negative");
        byte[] text = m.bodyBytes();
        byte[] badIntent = text.clone();
        badIntent[badIntent.length - 1] = 7;
        neg.addObject().put("body", hexf.formatHex(badIntent)).put("reason", "MALFORMED: body.intent");
        byte[] twoIntents = java.util.Arrays.copyOf(text, text.length + 1);
        twoIntents[text.length] = 2;
        neg.addObject().put("body", hexf.formatHex(twoIntents)).put("reason", "MALFORMED: message body");
        byte[] body = Content.encode(r);
        byte[] badReadAs = body.clone();
        badReadAs[readAsOffset(r)] = 6;
        neg.addObject().put("body", hexf.formatHex(badReadAs)).put("reason", "MALFORMED: body.readAs");
        byte[] badVersion = body.clone();
        badVersion[1] = 1;
        neg.addObject().put("body", hexf.formatHex(badVersion)).put("reason", "MALFORMED: body.version");
        byte[] flipped = body.clone();
        flipped[flipped.length - 1] ^= 1;
        neg.addObject().put("reading", hexf.formatHex(flipped)).put("reason", "BAD_SIGNATURE");
        Content.Reading other = ReadingSigner.sign(READER, new ReadingFields(VectorGeneratorTest.OTHER_EXERCISE, "pk.pm",
                r.fields().messageId(), "in.pm", "leaders", r.fields().subjectHash(), r.fields().receivedAt(),
                r.fields().readAt(), ReadAs.CONCERNING, r.fields().note()));
        neg.addObject().put("reading", hexf.formatHex(Content.encode(other))).put("reason", "WRONG_EXERCISE");
        Files.createDirectories(Vectors.SOURCE_DIR);
        Vectors.JSON.writeValue(Vectors.SOURCE_DIR.resolve(FILE).toFile(), root);
    }

    /** Type byte, then the fields up to readAs (PROTOCOL.md §4.2 Reading): its offset in the body. */
    private static int readAsOffset(Content.Reading r) {
        var f = r.fields();
        return 1 + 1 + 32 + 2 + f.reader().length() + 16 + 2 + f.sender().length() + 2 + f.channel().length() + 32 + 8 + 8;
    }

    private static byte[] bodyOf(Content c) {
        return Content.encode(c);
    }

    @Test
    void reading_vectorsReproduceByteForByte() throws Exception {
        JsonNode v = Vectors.load(FILE);
        var exercise = org.hotline.protocol.wire.ExerciseId.of(hex(v, "exerciseId"));
        IdentityKeyPair sender = IdentityKeyPair.fromPrivateKey(hex(v, "senderPrivateKey"));
        IdentityKeyPair reader = IdentityKeyPair.fromPrivateKey(hex(v, "readerPrivateKey"));
        assertThat(reader.publicKey().encoded()).isEqualTo(hex(v, "readerPublicKey"));

        SignedMessage m = SignedMessage.decode(hex(v, "signedMessage"));
        MessageSigner.verify(m, sender.publicKey(), exercise);
        assertThat(m.bodyBytes()).isEqualTo(hex(v, "textBody"));
        assertThat(m.content()).isEqualTo(new Content.Text(TEXT, Intent.REASSURE));
        assertThat(((Content.Text) m.content()).intent().map(Intent::label)).contains(v.get("intent").asText());
        assertThat(Hashes.messageHash(m).hex()).isEqualTo(v.get("messageHash").asText());
        assertThat(MessageSigner.sign(sender, m.header(), m.content()).encode()).isEqualTo(hex(v, "signedMessage"));
        // The old encoding, without the intent byte, still decodes, as free text of no stated intent.
        assertThat(decodeBody(hex(v, "textBodyWithoutIntent"))).isEqualTo(new Content.Text(TEXT));

        Content.Reading r = (Content.Reading) decodeBody(hex(v, "readingBody"));
        assertThat(r.fields().toBeSigned()).isEqualTo(hex(v, "readingSignedBytes"));
        assertThat(r.signature()).isEqualTo(hex(v, "readingSignature"));
        ReadingSigner.verify(r, reader.publicKey(), exercise);
        assertThat(r.fields().messageId()).isEqualTo(m.header().messageId());
        assertThat(r.fields().subjectHash()).isEqualTo(Hashes.messageHash(m));
        assertThat(r.fields().readAs()).isEqualTo(ReadAs.CONCERNING);
        assertThat(ReadingSigner.sign(reader, r.fields())).isEqualTo(r);
        assertThat(DisplayText.render(r, null, List.of())).isEqualTo(v.get("readingDisplayText").asText());

        SignedMessage c = SignedMessage.decode(hex(v, "carrierSignedMessage"));
        MessageSigner.verify(c, reader.publicKey(), exercise);
        assertThat(c.header().recipients()).containsExactly("control");
        assertThat(c.content()).isEqualTo(r);
        assertThat(Hashes.messageHash(c).hex()).isEqualTo(v.get("carrierMessageHash").asText());

        byte[] line = v.get("auditLine").asText().getBytes(StandardCharsets.UTF_8);
        AuditEntry e = AuditCodec.decode(line);
        assertThat(e.event()).isEqualTo(new AuditEvent.ReadingRecorded(r));
        assertThat(AuditCodec.encode(e)).isEqualTo(line);

        int n = 0;
        for (JsonNode neg : v.get("negative")) {
            String reason = neg.get("reason").asText();
            if (neg.has("body")) {
                String field = reason.substring("MALFORMED: ".length());
                assertThatThrownBy(() -> decodeBody(hex(neg, "body"))).isInstanceOf(FrameDecodeException.class)
                        .hasMessageContaining(field);
            } else {
                Content.Reading bad = (Content.Reading) decodeBody(hex(neg, "reading"));
                assertThatThrownBy(() -> ReadingSigner.verify(bad, reader.publicKey(), exercise))
                        .isInstanceOf(CryptoException.class)
                        .satisfies(ex -> assertThat(((CryptoException) ex).reason().name()).isEqualTo(reason));
            }
            n++;
        }
        assertThat(n).isEqualTo(6);
    }

    @Test
    void readingLine_whoseDisplayedCopyDisagrees_isRejected() {
        Content.Reading r = reading(intentMessage());
        String line = new String(auditLine(r), StandardCharsets.UTF_8);
        String forged = line.replace("\"readAs\":\"concerning\"", "\"readAs\":\"reassuring\"");
        assertThat(forged).isNotEqualTo(line);
        assertThatThrownBy(() -> AuditCodec.decode(forged.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("readAs");
    }

    /** A body alone, decoded as a receiver would after the header (PROTOCOL.md §4.2). */
    private static Content decodeBody(byte[] body) throws Exception {
        SignedMessage any = intentMessage();
        byte[] headerBytes = any.headerBytes();
        var w = new WireWriter(headerBytes.length + body.length + 80);
        w.u32(headerBytes.length).fixed(headerBytes).u32(body.length).fixed(body).fixed(new byte[64]);
        return SignedMessage.decode(w.toByteArray()).content();
    }
}
