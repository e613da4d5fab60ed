package org.hotline.protocol.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hotline.protocol.vectors.Vectors.hex;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hotline.protocol.crypto.CryptoException;
import org.hotline.protocol.crypto.CumulativeReceiptSigner;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.crypto.IdentityKeyPair;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.CumulativeReceipt;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.FrameCodec;
import org.hotline.protocol.wire.FrameDecodeException;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.SignedMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code cumulative-receipts.json} (PROTOCOL.md §6.1, §3.4.15, §10): three messages from
 * {@code in.pm} to {@code pk.pm} on {@code leaders}, numbered 1 to 3 and hash-linked, and
 * {@code pk.pm}'s {@code delivered-through} receipt over them, with negatives. Regenerate with
 * {@code ./mvnw -pl protocol test -Dtest=CumulativeReceiptVectorTest -Dhotline.vectors.regenerate=true}.
 */
@Timeout(20)
class CumulativeReceiptVectorTest {

    static final String FILE = "cumulative-receipts.json";
    static final Instant T = Instant.parse("2026-05-10T14:00:00Z");

    private static final IdentityKeyPair SENDER = IdentityKeyPair.fromPrivateKey(VectorGeneratorTest.bytes(1, 32));
    private static final IdentityKeyPair RECIPIENT = IdentityKeyPair.fromPrivateKey(VectorGeneratorTest.bytes(2, 32));

    static List<SignedMessage> messages() {
        List<SignedMessage> out = new ArrayList<>();
        Hash32 previous = Hash32.ZERO;
        for (int n = 1; n <= 3; n++) {
            MessageHeader h = new MessageHeader(VectorGeneratorTest.EXERCISE,
                    MessageId.of(VectorGeneratorTest.bytes(40 + n, 16)), "in.pm", List.of("pk.pm"), "leaders", n,
                    T.plusSeconds(n), previous, Hash32.ZERO, "2026.12-1", Optional.empty(), Optional.empty());
            SignedMessage m = MessageSigner.sign(SENDER, h, new Content.Text("Message " + n + " of three."));
            out.add(m);
            previous = Hashes.messageHash(m);
        }
        return out;
    }

    static CumulativeReceipt.Fields fields(ExerciseId exercise, List<SignedMessage> ms, Hash32 head, List<MessageId> ids) {
        return new CumulativeReceipt.Fields(exercise, "pk.pm", "in.pm", "leaders", 1, 3, head, T.plusSeconds(10), ids);
    }

    static CumulativeReceipt.Fields fields(String asserter, String channel, Hash32 head, List<MessageId> ids) {
        return new CumulativeReceipt.Fields(VectorGeneratorTest.EXERCISE, asserter, "in.pm", channel, 1, 3, head,
                T.plusSeconds(10), ids);
    }

    private static void negative(com.fasterxml.jackson.databind.node.ArrayNode neg, String name, byte[] receipt,
                                 String reason) {
        neg.addObject().put("name", name).put("receipt", Vectors.HEX.formatHex(receipt)).put("reason", reason);
    }

    static List<MessageId> ids(List<SignedMessage> ms) {
        return ms.stream().map(m -> m.header().messageId()).toList();
    }

    @Test
    void regenerate() throws Exception {
        assumeTrue(Boolean.getBoolean("hotline.vectors.regenerate"), "set -Dhotline.vectors.regenerate=true");
        var hexf = Vectors.HEX;
        List<SignedMessage> ms = messages();
        Hash32 head = Hashes.messageHash(ms.get(2));
        CumulativeReceipt r = CumulativeReceiptSigner.sign(RECIPIENT,
                fields(VectorGeneratorTest.EXERCISE, ms, head, ids(ms)));
        ObjectNode root = Vectors.JSON.createObjectNode();
        root.put("description", "Three hash-linked messages from in.pm to pk.pm on leaders (counters 1 to 3) and "
                + "pk.pm's delivered-through receipt over them (PROTOCOL.md §6.1, context hotline/v2 cumulative "
                + "receipt), with its DELIVERED_THROUGH frame payload (§3.4.15). Exercise id as in signing.json.");
        root.put("exerciseId", VectorGeneratorTest.EXERCISE.hex());
        root.put("senderPrivateKey", hexf.formatHex(VectorGeneratorTest.bytes(1, 32)));
        root.put("senderPublicKey", hexf.formatHex(SENDER.publicKey().encoded()));
        root.put("recipientPrivateKey", hexf.formatHex(VectorGeneratorTest.bytes(2, 32)));
        root.put("recipientPublicKey", hexf.formatHex(RECIPIENT.publicKey().encoded()));
        var arr = root.putArray("messages");
        for (SignedMessage m : ms) {
            arr.addObject().put("counter", m.header().counter()).put("id", m.header().messageId().hex())
                    .put("signedMessage", hexf.formatHex(m.encode())).put("messageHash", Hashes.messageHash(m).hex());
        }
        root.put("asserter", "pk.pm");
        root.put("sender", "in.pm");
        root.put("channel", "leaders");
        root.put("fromCounter", 1);
        root.put("throughCounter", 3);
        root.put("chainHead", head.hex());
        root.put("at", r.at().toString());
        root.put("signedBytes", hexf.formatHex(r.toBeSigned()));
        root.put("signature", hexf.formatHex(r.signature()));
        root.put("receipt", hexf.formatHex(r.encode()));
        root.put("framePayload", hexf.formatHex(FrameCodec.encode(new Frame.DeliveredThrough(r))));
        var neg = root.putArray("negative");
        byte[] flipped = r.encode();
        flipped[flipped.length - 1] ^= 1;
        negative(neg, "signature bit flipped", flipped, "BAD_SIGNATURE");
        negative(neg, "another exercise", CumulativeReceiptSigner.sign(RECIPIENT,
                fields(VectorGeneratorTest.OTHER_EXERCISE, ms, head, ids(ms))).encode(), "WRONG_EXERCISE");
        negative(neg, "all-zero exercise id", CumulativeReceiptSigner.sign(RECIPIENT,
                fields(ExerciseId.of(new byte[32]), ms, head, ids(ms))).encode(), "WRONG_EXERCISE");
        negative(neg, "chain head is the hash of message 2, not 3", CumulativeReceiptSigner.sign(RECIPIENT,
                fields(VectorGeneratorTest.EXERCISE, ms, Hashes.messageHash(ms.get(1)), ids(ms))).encode(),
                "RECEIPT_MISMATCH");
        List<MessageId> swapped = new ArrayList<>(ids(ms));
        java.util.Collections.swap(swapped, 0, 1);
        negative(neg, "ids 1 and 2 swapped", CumulativeReceiptSigner.sign(RECIPIENT,
                fields(VectorGeneratorTest.EXERCISE, ms, head, swapped)).encode(), "RECEIPT_MISMATCH");
        negative(neg, "asserter pk.nsa is not a recipient", CumulativeReceiptSigner.sign(RECIPIENT,
                fields("pk.nsa", "leaders", head, ids(ms))).encode(), "RECEIPT_MISMATCH");
        List<MessageId> unsent = new ArrayList<>(ids(ms));
        unsent.set(1, MessageId.of(VectorGeneratorTest.bytes(99, 16)));
        negative(neg, "id of counter 2 was never sent", CumulativeReceiptSigner.sign(RECIPIENT,
                fields(VectorGeneratorTest.EXERCISE, ms, head, unsent)).encode(), "RECEIPT_MISMATCH");
        negative(neg, "another channel", CumulativeReceiptSigner.sign(RECIPIENT,
                fields("pk.pm", "others", head, ids(ms))).encode(), "RECEIPT_MISMATCH");
        // Structural negatives: the signed bytes altered, so they fail in the decoder, before any signature.
        int fromOffset = 2 + 32 + (2 + 5) + (2 + 5) + (2 + 7);
        int countOffset = r.toBeSigned().length - 3 * 16 - 2;
        byte[] badCount = r.encode();
        badCount[countOffset + 1] = 2;
        negative(neg, "count 2 for counters 1 to 3", badCount, "MALFORMED");
        byte[] zeroFrom = r.encode();
        zeroFrom[fromOffset + 7] = 0;
        negative(neg, "fromCounter 0", zeroFrom, "MALFORMED");
        byte[] otherType = r.encode();
        otherType[1] = 2;
        negative(neg, "type 2, not 5", otherType, "MALFORMED");
        byte[] trailing = java.util.Arrays.copyOf(r.encode(), r.encode().length + 1);
        negative(neg, "one trailing byte", trailing, "MALFORMED");
        byte[] backwards = r.encode();
        backwards[fromOffset + 7] = 4;
        backwards[fromOffset + 8 + 7] = 3;
        negative(neg, "throughCounter 3 below fromCounter 4", backwards, "MALFORMED");
        byte[] topBit = r.encode();
        topBit[fromOffset] = (byte) 0x80;
        negative(neg, "fromCounter with the top bit set", topBit, "MALFORMED");
        byte[] twice = r.encode();
        System.arraycopy(twice, countOffset + 2, twice, countOffset + 2 + 16, 16);
        negative(neg, "id of counter 1 listed again as counter 2", twice, "MALFORMED");
        byte[] tooMany = r.encode();
        tooMany[countOffset] = 0x01;
        tooMany[countOffset + 1] = 0x01;
        negative(neg, "257 ids", tooMany, "MALFORMED");
        var frames = root.putArray("negativeFrames");
        byte[] longField = new byte[2 + 2 + 8193];
        longField[0] = 0x02;
        longField[1] = 0x27;
        longField[2] = (byte) (8193 >> 8);
        longField[3] = (byte) 8193;
        frames.addObject().put("name", "DELIVERED_THROUGH receipt field of 8 193 bytes")
                .put("framePayload", hexf.formatHex(longField)).put("reason", "MALFORMED");
        byte[] ackType6 = FrameCodec.encode(Frame.ReceiptAck.of(r));
        ackType6[2 + 16] = 6;
        frames.addObject().put("name", "RECEIPT_ACK of type 6")
                .put("framePayload", hexf.formatHex(ackType6)).put("reason", "MALFORMED");
        Files.createDirectories(Vectors.SOURCE_DIR);
        Vectors.JSON.writeValue(Vectors.SOURCE_DIR.resolve(FILE).toFile(), root);
    }

    @Test
    void cumulativeReceipt_vectorsReproduceByteForByte_andNegativesFailForTheirReason() throws Exception {
        JsonNode v = Vectors.load(FILE);
        ExerciseId exercise = ExerciseId.of(hex(v, "exerciseId"));
        IdentityKeyPair sender = IdentityKeyPair.fromPrivateKey(hex(v, "senderPrivateKey"));
        IdentityKeyPair recipient = IdentityKeyPair.fromPrivateKey(hex(v, "recipientPrivateKey"));
        assertThat(recipient.publicKey().encoded()).isEqualTo(hex(v, "recipientPublicKey"));

        Map<MessageId, SignedMessage> sent = new HashMap<>();
        Hash32 previous = Hash32.ZERO;
        for (JsonNode m : v.get("messages")) {
            SignedMessage s = SignedMessage.decode(hex(m, "signedMessage"));
            MessageSigner.verify(s, sender.publicKey(), exercise);
            assertThat(s.header().previousSent()).isEqualTo(previous);
            previous = Hashes.messageHash(s);
            assertThat(previous.hex()).isEqualTo(m.get("messageHash").asText());
            sent.put(s.header().messageId(), s);
        }

        CumulativeReceipt r = CumulativeReceipt.decode(hex(v, "receipt"));
        assertThat(r.toBeSigned()).isEqualTo(hex(v, "signedBytes"));
        assertThat(r.signature()).isEqualTo(hex(v, "signature"));
        assertThat(r.asserter()).isEqualTo(v.get("asserter").asText());
        assertThat(r.fromCounter()).isEqualTo(v.get("fromCounter").asLong());
        assertThat(r.throughCounter()).isEqualTo(v.get("throughCounter").asLong());
        assertThat(r.chainHead().hex()).isEqualTo(v.get("chainHead").asText());
        CumulativeReceiptSigner.verify(r, recipient.publicKey(), exercise, sent);
        assertThat(CumulativeReceiptSigner.sign(recipient, r.fields()).encode()).isEqualTo(hex(v, "receipt"));
        assertThat(FrameCodec.decode(hex(v, "framePayload"))).isEqualTo(new Frame.DeliveredThrough(r));
        assertThat(FrameCodec.encode(new Frame.DeliveredThrough(r))).isEqualTo(hex(v, "framePayload"));

        List<String> names = new ArrayList<>();
        for (JsonNode neg : v.get("negative")) {
            String name = neg.get("name").asText();
            String reason = neg.get("reason").asText();
            byte[] bytes = hex(neg, "receipt");
            if (reason.equals("MALFORMED")) {
                assertThatThrownBy(() -> CumulativeReceipt.decode(bytes)).as(name).isInstanceOf(FrameDecodeException.class)
                        .satisfies(ex -> assertThat(((FrameDecodeException) ex).reason()).as(name)
                                .isEqualTo(FrameDecodeException.Reason.MALFORMED));
            } else {
                CumulativeReceipt bad = CumulativeReceipt.decode(bytes);
                assertThatThrownBy(() -> CumulativeReceiptSigner.verify(bad, recipient.publicKey(), exercise, sent))
                        .as(name).isInstanceOf(CryptoException.class)
                        .satisfies(ex -> assertThat(((CryptoException) ex).reason().name()).as(name).isEqualTo(reason));
            }
            names.add(name);
        }
        assertThat(names).hasSize(16).doesNotHaveDuplicates();
        int frames = 0;
        for (JsonNode neg : v.get("negativeFrames")) {
            String name = neg.get("name").asText();
            byte[] payload = hex(neg, "framePayload");
            assertThatThrownBy(() -> FrameCodec.decode(payload)).as(name).isInstanceOf(FrameDecodeException.class)
                    .satisfies(ex -> assertThat(((FrameDecodeException) ex).reason()).as(name)
                            .isEqualTo(FrameDecodeException.Reason.valueOf(neg.get("reason").asText())));
            frames++;
        }
        assertThat(frames).isEqualTo(2);
    }
}
