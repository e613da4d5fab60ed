package org.hotline.protocol.vectors;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.crypto.IdentityKeyPair;
import org.hotline.protocol.crypto.MessageSealer;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.crypto.PrekeyPair;
import org.hotline.protocol.crypto.ReceiptSigner;
import org.hotline.protocol.crypto.VerifiedPrekey;
import org.hotline.protocol.pki.CertificateAuthority;
import org.hotline.protocol.pki.CertificatePurpose;
import org.hotline.protocol.pki.Pem;
import org.hotline.protocol.testing.FixedRandom;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.FrameCodec;
import org.hotline.protocol.wire.FrameCodecTest;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SealedBox;
import org.hotline.protocol.wire.SignedMessage;
import org.hotline.protocol.wire.SignedPrekeyBytes;
import org.hotline.protocol.wire.WireWriter;
import org.junit.jupiter.api.Test;

/**
 * Writes the vector files under src/test/resources. Runs only when asked:
 * {@code ./mvnw -pl protocol test -Dtest=VectorGeneratorTest -Dhotline.vectors.regenerate=true}.
 * Every input (keys, randomness) is fixed and written into the files, so {@link VectorReplayTest}
 * can reproduce every output byte for byte.
 */
class VectorGeneratorTest {

    static final Instant T = Instant.parse("2026-05-10T14:00:00Z");

    static byte[] bytes(int seed, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i * 7);
        }
        return b;
    }

    /** A stand-in for the SHA-256 of an exercise CA certificate (PROTOCOL.md §2.1). */
    static final ExerciseId EXERCISE = ExerciseId.of(bytes(8, 32));
    static final ExerciseId OTHER_EXERCISE = ExerciseId.of(bytes(10, 32));

    @Test
    void regenerate() throws Exception {
        assumeTrue(Boolean.getBoolean("hotline.vectors.regenerate"), "set -Dhotline.vectors.regenerate=true");
        Files.createDirectories(Vectors.SOURCE_DIR);
        var json = Vectors.JSON;
        var hex = Vectors.HEX;

        // --- signing: a fixed identity key signs a fixed header and body.
        byte[] senderSk = bytes(1, 32);
        IdentityKeyPair sender = IdentityKeyPair.fromPrivateKey(senderSk);
        Content content = Content.Signal.of("posture.normal-readiness", Map.of("asOf", "2026-05-10T14:00:00Z"));
        SignedMessage signed = MessageSigner.sign(sender, header(EXERCISE), content);
        ObjectNode signing = json.createObjectNode();
        signing.put("description", "Ed25519 over 'hotline/v2 message' NUL u32(len h) h u32(len b) b");
        ObjectNode s1 = signing.putArray("vectors").addObject();
        s1.put("exerciseId", EXERCISE.hex());
        s1.put("identityPrivateKey", hex.formatHex(senderSk));
        s1.put("identityPublicKey", hex.formatHex(sender.publicKey().encoded()));
        s1.put("header", hex.formatHex(signed.headerBytes()));
        s1.put("body", hex.formatHex(signed.bodyBytes()));
        s1.put("signature", hex.formatHex(signed.signature()));
        s1.put("signedMessage", hex.formatHex(signed.encode()));
        s1.put("messageHash", Hashes.messageHash(signed).hex());
        json.writeValue(Vectors.SOURCE_DIR.resolve("signing.json").toFile(), signing);

        // --- sealing: fixed recipient prekey seed and fixed encapsulation randomness.
        byte[] recipientSk = bytes(4, 32);
        IdentityKeyPair recipient = IdentityKeyPair.fromPrivateKey(recipientSk);
        byte[] prekeyIkm = bytes(5, 32);
        PrekeyPair prekey = PrekeyPair.generate(recipient, EXERCISE, "pk.pm", 1, T, Duration.ofDays(30),
                new FixedRandom(prekeyIkm));
        byte[] encRandomness = bytes(6, 64);
        VerifiedPrekey vp = VerifiedPrekey.verify(prekey.signed(), "pk.pm", recipient.publicKey(), EXERCISE, T);
        Frame.Send send = MessageSealer.seal(signed, List.of(vp), new FixedRandom(encRandomness));
        SealedBox box = send.boxes().get(0);
        byte[] sendPayload = FrameCodec.encode(send);
        ObjectNode sealing = json.createObjectNode();
        sealing.put("description", "HPKE base mode, KEM X-Wing 0x647a, KDF HKDF-SHA256 0x0001, AEAD ChaCha20-Poly1305 0x0003");
        ObjectNode v = sealing.putArray("vectors").addObject();
        v.put("exerciseId", EXERCISE.hex());
        v.put("recipientIdentityPrivateKey", hex.formatHex(recipientSk));
        v.put("prekeyDeriveKeyPairIkm", hex.formatHex(prekeyIkm));
        v.put("prekeyPublicKey", hex.formatHex(prekey.signed().publicKey()));
        v.put("prekeyPrivateKey", hex.formatHex(prekey.exportPrivateKeyForStorage()));
        v.put("signedPrekey", hex.formatHex(prekey.signed().encode()));
        v.put("encapsulationRandomness", hex.formatHex(encRandomness));
        v.put("plaintext", hex.formatHex(signed.encode()));
        v.put("sendFrame", hex.formatHex(sendPayload));
        v.put("encapsulation", hex.formatHex(box.encapsulation()));
        v.put("ciphertext", hex.formatHex(box.ciphertext()));
        json.writeValue(Vectors.SOURCE_DIR.resolve("sealing.json").toFile(), sealing);

        // --- receipts: one of each type about the message of signing.json and the SEND of sealing.json.
        byte[] relaySk = bytes(9, 32);
        IdentityKeyPair relay = IdentityKeyPair.fromPrivateKey(relaySk);
        Receipt accepted = ReceiptSigner.signAccepted(relay, EXERCISE, send, T.plusSeconds(1));
        Receipt delivered = ReceiptSigner.sign(recipient, Receipt.Type.DELIVERED, signed, "pk.pm", T.plusSeconds(2));
        Receipt acknowledged = ReceiptSigner.sign(recipient, Receipt.Type.ACKNOWLEDGED, signed, "pk.pm",
                T.plusSeconds(60));
        Receipt rejected = ReceiptSigner.signRejected(recipient, EXERCISE, new Frame.Deliver(send.messageId(),
                send.sender(), send.channel(), accepted.at(), box), "pk.pm", Receipt.RejectReason.DECRYPTION_FAILED, T.plusSeconds(3));
        // The reason added within version 2 (PROTOCOL.md §6): a copy contradicting one the recipient holds.
        Receipt equivocation = ReceiptSigner.signRejected(recipient, EXERCISE, new Frame.Deliver(send.messageId(),
                send.sender(), send.channel(), accepted.at(), box), "pk.pm", Receipt.RejectReason.EQUIVOCATION, T.plusSeconds(4));
        // Also added within version 2 (PROTOCOL.md §4.4, §6): signed under a sender certificate revoked
        // before the relay accepted it.
        Receipt senderRevoked = ReceiptSigner.signRejected(recipient, EXERCISE, new Frame.Deliver(send.messageId(),
                send.sender(), send.channel(), accepted.at(), box), "pk.pm", Receipt.RejectReason.SENDER_REVOKED, T.plusSeconds(5));
        ObjectNode receipts = json.createObjectNode();
        receipts.put("description", "Ed25519 over 'hotline/v2 receipt' NUL fields 1-9 (1-10 for rejected); "
                + "accepted commits to SHA-256(SEND payload), delivered and acknowledged to the message hash, "
                + "rejected to the copy hash SHA-256(u32 prekeyId || u64 acceptedAt ms || encapsulation || ciphertext) "
                + "of the box delivered to its asserter, with the acceptedAt of the accepted receipt (the relay's copy)");
        receipts.put("exerciseId", EXERCISE.hex());
        receipts.put("signedMessage", hex.formatHex(signed.encode()));
        receipts.put("messageHash", Hashes.messageHash(signed).hex());
        receipts.put("sendFrame", hex.formatHex(sendPayload));
        receipts.put("sendHash", Hashes.sendHash(sendPayload).hex());
        ArrayNode ra = receipts.putArray("vectors");
        receipts.put("boxHash", Hashes.boxHash(box).hex());
        receipts.put("acceptedAt", accepted.at().toString());
        receipts.put("copyHash", Hashes.copyHash(box, accepted.at()).hex());
        for (var e : List.of(Map.entry(accepted, relay), Map.entry(delivered, recipient),
                Map.entry(acknowledged, recipient), Map.entry(rejected, recipient), Map.entry(equivocation, recipient),
                Map.entry(senderRevoked, recipient))) {
            ObjectNode o = ra.addObject();
            o.put("type", e.getKey().type().name());
            o.put("asserterPrivateKey", hex.formatHex(e.getValue() == relay ? relaySk : recipientSk));
            o.put("asserterPublicKey", hex.formatHex(e.getValue().publicKey().encoded()));
            o.put("at", e.getKey().at().toString());
            o.put("subjectHash", e.getKey().subjectHash().orElseThrow().hex());
            e.getKey().reason().ifPresent(why -> o.put("reason", why.name()));
            o.put("receipt", hex.formatHex(e.getKey().encode()));
        }
        json.writeValue(Vectors.SOURCE_DIR.resolve("receipts.json").toFile(), receipts);

        // --- frames: the wire encoding of every frame kind (also the protocol-v2 compatibility fixture).
        ObjectNode frames = json.createObjectNode();
        frames.put("description", "payloads after the u32 length prefix: version | kind | fields");
        ArrayNode fa = frames.putArray("vectors");
        for (Frame f : FrameCodecTest.everyFrameKind().toList()) {
            ObjectNode o = fa.addObject();
            o.put("kind", f.kind().name());
            o.put("payload", hex.formatHex(FrameCodec.encode(f)));
        }
        json.writeValue(Vectors.SOURCE_DIR.resolve("frames.json").toFile(), frames);

        // --- negative: every one must be rejected, with the named reason.
        ObjectNode negative = json.createObjectNode();
        negative.put("description", "inputs that must be rejected; 'expect' is the rejection reason");
        ArrayNode na = negative.putArray("vectors");
        byte[] sm = signed.encode();
        int headerStart = 4;
        // version, exercise id, id, sender length, sender
        int[][] headerFields = {{0, 1}, {1, 32}, {33, 16}, {49, 2}, {51, 5}};
        String[] headerNames = {"header.version", "header.exerciseId", "header.messageId", "header.sender.length",
                "header.sender"};
        for (int i = 0; i < headerFields.length; i++) {
            byte[] c = sm.clone();
            c[headerStart + headerFields[i][0]] ^= 0x01;
            addNegative(na, "signed-message", "flip low bit of " + headerNames[i], c, "rejected");
        }
        byte[] bodyFlip = sm.clone();
        bodyFlip[4 + signed.headerBytes().length + 4 + 3] ^= 0x20;
        addNegative(na, "signed-message", "flip a bit in the body (signal id)", bodyFlip, "BAD_SIGNATURE");
        byte[] sigFlip = sm.clone();
        sigFlip[sm.length - 1] ^= 0x80;
        addNegative(na, "signed-message", "flip a bit in the signature", sigFlip, "BAD_SIGNATURE");
        addNegative(na, "signed-message", "truncated by one byte", java.util.Arrays.copyOf(sm, sm.length - 1), "MISSING_FIELD");
        ObjectNode wrongSigner = addNegative(na, "signed-message", "verified under another identity key", sm, "BAD_SIGNATURE");
        wrongSigner.put("verifyWith", hex.formatHex(recipient.publicKey().encoded()));
        addNegative(na, "signed-message", "validly signed for another exercise",
                MessageSigner.sign(sender, header(OTHER_EXERCISE), content).encode(), "WRONG_EXERCISE");
        byte[] v1Message = hex.parseHex(Vectors.load("v1/signing.json").get("vectors").get(0).get("signedMessage")
                .asText());
        addNegative(na, "signed-message", "a version-1 message (v1/signing.json)", v1Message, "VERSION_TOO_OLD");
        byte[] ct = box.ciphertext();
        ct[ct.length - 1] ^= 0x01;
        addNegative(na, "sealed-box", "flip a bit in the AEAD tag", ct, "DECRYPTION_FAILED");
        ObjectNode wrongRecipient = addNegative(na, "sealed-box", "opened with another recipient's prekey",
                box.ciphertext(), "DECRYPTION_FAILED");
        byte[] otherIkm = bytes(7, 32);
        wrongRecipient.put("prekeyDeriveKeyPairIkm", hex.formatHex(otherIkm));

        // Receipts: each bound field changed and the receipt validly re-signed; checked against receipts.json.
        Receipt.Fields d = fieldsOf(delivered);
        Hash32 otherHash = Hash32.of(bytes(11, 32));
        addReceiptNegative(na, recipient, "delivered receipt of another exercise", new Receipt.Fields(d.type(),
                OTHER_EXERCISE, d.messageId(), d.asserter(), d.sender(), d.channel(), d.at(), d.subjectHash()),
                "WRONG_EXERCISE");
        addReceiptNegative(na, recipient, "delivered receipt naming another channel", new Receipt.Fields(d.type(),
                d.exerciseId(), d.messageId(), d.asserter(), d.sender(), "nsa", d.at(), d.subjectHash()),
                "RECEIPT_MISMATCH");
        addReceiptNegative(na, recipient, "delivered receipt with another message hash", new Receipt.Fields(d.type(),
                d.exerciseId(), d.messageId(), d.asserter(), d.sender(), d.channel(), d.at(), otherHash),
                "RECEIPT_MISMATCH");
        addReceiptNegative(na, recipient, "delivered receipt about another message id", new Receipt.Fields(d.type(),
                d.exerciseId(), MessageId.of(bytes(12, 16)), d.asserter(), d.sender(), d.channel(), d.at(),
                d.subjectHash()), "RECEIPT_MISMATCH");
        Receipt.Fields a = fieldsOf(accepted);
        ObjectNode acceptedOther = addReceiptNegative(na, relay, "accepted receipt committing to other SEND bytes",
                new Receipt.Fields(a.type(), a.exerciseId(), a.messageId(), a.asserter(), a.sender(), a.channel(),
                        a.at(), otherHash), "RECEIPT_MISMATCH");
        acceptedOther.put("verifyWith", hex.formatHex(relay.publicKey().encoded()));
        Receipt.Fields j = fieldsOf(rejected);
        addReceiptNegative(na, recipient, "rejected receipt about another box", new Receipt.Fields(j.type(),
                j.exerciseId(), j.messageId(), j.asserter(), j.sender(), j.channel(), j.at(), otherHash, j.reason()),
                "RECEIPT_MISMATCH");
        // One relay's copy of the genuine box, changed only where the box hash does not look
        // (PROTOCOL.md §13): another acceptedAt than the relay signed, another prekey id.
        addReceiptNegative(na, recipient, "rejected receipt about the box delivered with another acceptedAt",
                new Receipt.Fields(j.type(), j.exerciseId(), j.messageId(), j.asserter(), j.sender(), j.channel(),
                        j.at(), Hashes.copyHash(box, T), j.reason()), "RECEIPT_MISMATCH");
        addReceiptNegative(na, recipient, "rejected receipt about the box delivered with another prekey id",
                new Receipt.Fields(j.type(), j.exerciseId(), j.messageId(), j.asserter(), j.sender(), j.channel(),
                        j.at(), Hashes.copyHash(new SealedBox(box.recipient(), box.prekeyId() + 1, box.encapsulation(),
                                box.ciphertext()), accepted.at()), j.reason()), "RECEIPT_MISMATCH");
        // The same encapsulation ‖ ciphertext bytes with their boundary moved by one byte (review R2):
        // the copy hash's length fields make it another copy.
        byte[] shiftEnc = box.encapsulation();
        byte[] shiftCt = box.ciphertext();
        byte[] shiftedEnc = java.util.Arrays.copyOf(shiftEnc, shiftEnc.length + 1);
        shiftedEnc[shiftEnc.length] = shiftCt[0];
        addReceiptNegative(na, recipient, "rejected receipt about a boundary-shifted box (same concatenation)",
                new Receipt.Fields(j.type(), j.exerciseId(), j.messageId(), j.asserter(), j.sender(), j.channel(),
                        j.at(), Hashes.copyHash(new SealedBox(box.recipient(), box.prekeyId(), shiftedEnc,
                                java.util.Arrays.copyOfRange(shiftCt, 1, shiftCt.length)), accepted.at()), j.reason()),
                "RECEIPT_MISMATCH");
        addReceiptNegative(na, recipient, "rejected receipt of another exercise", new Receipt.Fields(j.type(),
                OTHER_EXERCISE, j.messageId(), j.asserter(), j.sender(), j.channel(), j.at(), j.subjectHash(),
                j.reason()), "WRONG_EXERCISE");
        byte[] receiptSigFlip = delivered.encode();
        receiptSigFlip[receiptSigFlip.length - 1] ^= 0x01;
        addNegative(na, "receipt", "flip a bit in a receipt's signature", receiptSigFlip, "BAD_SIGNATURE")
                .put("verifyWith", hex.formatHex(recipient.publicKey().encoded()));
        byte[] v1Receipt = hex.parseHex(Vectors.load("v1/signing.json").get("receipts").get(0).get("receipt").asText());
        addNegative(na, "receipt", "a version-1 receipt (v1/signing.json)", v1Receipt, "VERSION_TOO_OLD")
                .put("verifyWith", hex.formatHex(recipient.publicKey().encoded()));

        // Signed prekeys: checked as pk.pm's with the recipient identity of sealing.json, at T.
        PrekeyPair foreignPrekey = PrekeyPair.generate(recipient, OTHER_EXERCISE, "pk.pm", 1, T, Duration.ofDays(30),
                new FixedRandom(prekeyIkm));
        addNegative(na, "signed-prekey", "prekey of another exercise", foreignPrekey.signed().encode(),
                "WRONG_EXERCISE");
        byte[] prekeyExerciseFlip = prekey.signed().encode();
        prekeyExerciseFlip[1] ^= 0x01;
        addNegative(na, "signed-prekey", "flip a bit in the prekey's exercise id", prekeyExerciseFlip, "BAD_SIGNATURE");
        byte[] v1Prekey = hex.parseHex(Vectors.load("v1/sealing.json").get("vectors").get(0).get("signedPrekey")
                .asText());
        addNegative(na, "signed-prekey", "a version-1 prekey (v1/sealing.json)", v1Prekey, "VERSION_TOO_OLD");

        addNegative(na, "frame", "version 0 is too old", new byte[] {0, 0x40, 0, 0, 0, 0, 0, 0, 0, 1}, "VERSION_TOO_OLD");
        addNegative(na, "frame", "version 1 is too old", new byte[] {1, 0x40, 0, 0, 0, 0, 0, 0, 0, 1}, "VERSION_TOO_OLD");
        addNegative(na, "frame", "version 3 is unknown", new byte[] {3, 0x40, 0, 0, 0, 0, 0, 0, 0, 1}, "VERSION_UNKNOWN");
        addNegative(na, "frame", "unknown kind 0x99", new byte[] {2, (byte) 0x99}, "UNKNOWN_KIND");
        addNegative(na, "frame", "ping truncated", new byte[] {2, 0x40, 0, 0}, "MISSING_FIELD");
        addNegative(na, "frame", "pong with trailing byte", new byte[] {2, 0x41, 0, 0, 0, 0, 0, 0, 0, 1, 9}, "MALFORMED");
        // The unsigned receipt of ACCEPTED_IN_LOG (PROTOCOL.md §3.4.14, §12.3), from relay-log.json's frame:
        // kept signed (64 bytes more in the receipt field), of another type, or sent in a plain ACCEPTED.
        byte[] inLog = java.util.HexFormat.of().parseHex(Vectors.load("relay-log.json").get("frames")
                .get("acceptedInLog").asText());
        int receiptLength = ((inLog[2] & 0xff) << 8) | (inLog[3] & 0xff);
        byte[] unsignedReceipt = java.util.Arrays.copyOfRange(inLog, 4, 4 + receiptLength);
        byte[] afterReceipt = java.util.Arrays.copyOfRange(inLog, 4 + receiptLength, inLog.length);
        byte[] signature = new byte[64];
        for (int i = 0; i < signature.length; i++) {
            signature[i] = (byte) i;
        }
        byte[] typeTwo = unsignedReceipt.clone();
        typeTwo[1] = 2;
        addNegative(na, "frame", "ACCEPTED_IN_LOG whose receipt keeps a 64-byte signature",
                frame(0x26, concat(unsignedReceipt, signature), afterReceipt), "MALFORMED");
        addNegative(na, "frame", "ACCEPTED_IN_LOG whose unsigned receipt is of type 2",
                frame(0x26, typeTwo, afterReceipt), "MALFORMED");
        addNegative(na, "frame", "ACCEPTED (0x21) with an unsigned receipt", frame(0x21, unsignedReceipt, new byte[0]),
                "MISSING_FIELD");
        // The consistency frames (PROTOCOL.md §3.4.16, §3.4.17): the fetch's signed flag is required and
        // 0 or 1; a signed answer carries both roots and the whole signature.
        byte[] fetch = FrameCodec.encode(new Frame.LogConsistencyFetch(3, 5, true));
        addNegative(na, "frame", "LOG_CONSISTENCY_FETCH without its signed flag",
                java.util.Arrays.copyOf(fetch, fetch.length - 1), "MISSING_FIELD");
        byte[] flagTwo = fetch.clone();
        flagTwo[flagTwo.length - 1] = 2;
        addNegative(na, "frame", "LOG_CONSISTENCY_FETCH with signed flag 2", flagTwo, "MALFORMED");
        byte[] signedAnswer = java.util.HexFormat.of().parseHex(Vectors.load("relay-log.json").get("frames")
                .get("logConsistencySigned").asText());
        addNegative(na, "frame", "LOG_CONSISTENCY whose signature is cut short",
                java.util.Arrays.copyOf(signedAnswer, signedAnswer.length - 1), "MISSING_FIELD");
        addNegative(na, "frame", "LOG_CONSISTENCY with a byte after its signature",
                java.util.Arrays.copyOf(signedAnswer, signedAnswer.length + 1), "MALFORMED");
        byte[] unsignedAnswer = java.util.HexFormat.of().parseHex(Vectors.load("relay-log.json").get("frames")
                .get("logConsistency").asText());
        addNegative(na, "frame", "LOG_CONSISTENCY without its signed flag",
                java.util.Arrays.copyOf(unsignedAnswer, unsignedAnswer.length - 1), "MISSING_FIELD");
        byte[] answerFlagTwo = unsignedAnswer.clone();
        answerFlagTwo[answerFlagTwo.length - 1] = 2;
        addNegative(na, "frame", "LOG_CONSISTENCY with signed flag 2", answerFlagTwo, "MALFORMED");

        // Certificates: expired, and from another CA, validated at a fixed time.
        Clock clock = Clock.fixed(T, ZoneOffset.UTC);
        SecureRandom rnd = new SecureRandom();
        CertificateAuthority ca = CertificateAuthority.create("ex-vectors", clock, rnd);
        CertificateAuthority other = CertificateAuthority.create("ex-vectors", clock, rnd);
        KeyPair k = CertificateAuthority.newP256KeyPair(rnd);
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(k.getPublic().getEncoded());
        X509Certificate expired = ca.issue(CertificatePurpose.ROLE_TLS, "in.pm", "India", spki,
                T.minus(Duration.ofDays(10)), T.minus(Duration.ofDays(1)));
        X509Certificate foreign = other.issue(CertificatePurpose.ROLE_TLS, "in.pm", "India", spki, Duration.ofDays(10));
        String crl = Pem.crl(ca.crl(List.of(), java.math.BigInteger.ONE));
        for (var c : List.of(Map.entry("expired TLS certificate", Map.entry(expired, "EXPIRED")),
                Map.entry("certificate from another CA with the same name", Map.entry(foreign, "UNTRUSTED_ISSUER")))) {
            ObjectNode o = na.addObject();
            o.put("input", "certificate");
            o.put("name", c.getKey());
            o.put("certificate", Pem.certificate(c.getValue().getKey()));
            o.put("ca", Pem.certificate(ca.certificate()));
            o.put("crl", crl);
            o.put("validateAt", T.toString());
            o.put("purpose", "ROLE_TLS");
            o.put("expect", c.getValue().getValue());
        }
        json.writeValue(Vectors.SOURCE_DIR.resolve("negative.json").toFile(), negative);

        writeFuzzSeeds(signed, delivered, prekey.signed());
    }

    private static MessageHeader header(ExerciseId exercise) {
        return new MessageHeader(exercise, MessageId.of(bytes(2, 16)), "in.pm", List.of("pk.pm"), "leaders", 1, T,
                Hash32.ZERO, Hash32.ZERO, "2026.11-1", Optional.empty(), Optional.of(T.plusSeconds(3600)));
    }

    private static Receipt.Fields fieldsOf(Receipt r) {
        return new Receipt.Fields(r.type(), r.exerciseId(), r.messageId(), r.asserter(), r.sender(),
                r.channel().orElseThrow(), r.at(), r.subjectHash().orElseThrow(), r.reason());
    }

    private static ObjectNode addReceiptNegative(ArrayNode a, IdentityKeyPair signer, String name, Receipt.Fields f,
                                                 String expect) {
        ObjectNode o = addNegative(a, "receipt", name, ReceiptSigner.sign(signer, f).encode(), expect);
        o.put("verifyWith", Vectors.HEX.formatHex(signer.publicKey().encoded()));
        return o;
    }

    /**
     * The fuzz seed corpus of {@code DecoderFuzzTest} follows the vectors: every frame kind (bare and
     * length-prefixed), the three signed structures, and the negative frames.
     */
    private static void writeFuzzSeeds(SignedMessage message, Receipt receipt, SignedPrekeyBytes prekey)
            throws Exception {
        Path seeds = Path.of("src/test/resources/org/hotline/protocol/wire/DecoderFuzzTestInputs");
        Path frameCodec = Files.createDirectories(seeds.resolve("frameCodec"));
        Path streamFraming = Files.createDirectories(seeds.resolve("streamFraming"));
        Path structures = Files.createDirectories(seeds.resolve("signedStructures"));
        List<Frame> frames = FrameCodecTest.everyFrameKind().toList();
        for (int i = 0; i < frames.size(); i++) {
            byte[] payload = FrameCodec.encode(frames.get(i));
            String name = String.format("%02d-%s", i, frames.get(i).kind().name().toLowerCase());
            Files.write(frameCodec.resolve(name), payload);
            Files.write(streamFraming.resolve(name),
                    new WireWriter().u32(payload.length).fixed(payload).toByteArray());
        }
        for (JsonNode n : Vectors.JSON.readTree(Vectors.SOURCE_DIR.resolve("negative.json").toFile()).get("vectors")) {
            if (n.get("input").asText().equals("frame")) {
                String name = "neg-" + n.get("name").asText().replaceAll("[^a-z0-9]+", "-");
                Files.write(frameCodec.resolve(name), Vectors.HEX.parseHex(n.get("hex").asText()));
            }
        }
        Files.write(structures.resolve("signed-message"), message.encode());
        Files.write(structures.resolve("receipt"), receipt.encode());
        Files.write(structures.resolve("signed-prekey"), prekey.encode());
    }

    private static ObjectNode addNegative(ArrayNode a, String input, String name, byte[] bytes, String expect) {
        ObjectNode o = a.addObject();
        o.put("input", input);
        o.put("name", name);
        o.put("hex", Vectors.HEX.formatHex(bytes));
        o.put("expect", expect);
        return o;
    }

    /** A version-2 frame of {@code kind}: the receipt as a bytes16 field, then {@code rest} as is. */
    private static byte[] frame(int kind, byte[] receipt, byte[] rest) {
        return concat(new byte[] {2, (byte) kind, (byte) (receipt.length >> 8), (byte) receipt.length},
                concat(receipt, rest));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
