package org.hotline.protocol.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hotline.protocol.vectors.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hotline.protocol.crypto.CryptoException;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.crypto.IdentityKeyPair;
import org.hotline.protocol.crypto.IdentityPublicKey;
import org.hotline.protocol.crypto.MessageSealer;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.crypto.PrekeyPair;
import org.hotline.protocol.crypto.ReceiptSigner;
import org.hotline.protocol.crypto.ReceiptSubject;
import org.hotline.protocol.crypto.VerifiedPrekey;
import org.hotline.protocol.pki.CertificatePurpose;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.Pem;
import org.hotline.protocol.pki.PkiException;
import org.hotline.protocol.testing.FixedRandom;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.FrameCodec;
import org.hotline.protocol.wire.FrameDecodeException;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SealedBox;
import org.hotline.protocol.wire.SignedMessage;
import org.hotline.protocol.wire.SignedPrekeyBytes;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Replays every vector file (README.md beside them says how they were made). */
class VectorReplayTest {

    static final Instant T = Instant.parse("2026-05-10T14:00:00Z");

    @Test
    void signing_vectorsReproduceByteForByte() throws Exception {
        JsonNode root = Vectors.load("signing.json");
        for (JsonNode v : root.get("vectors")) {
            ExerciseId exercise = ExerciseId.of(hex(v, "exerciseId"));
            IdentityKeyPair key = IdentityKeyPair.fromPrivateKey(hex(v, "identityPrivateKey"));
            assertThat(key.publicKey().encoded()).isEqualTo(hex(v, "identityPublicKey"));
            SignedMessage m = SignedMessage.decode(hex(v, "signedMessage"));
            assertThat(m.version()).isEqualTo(2);
            assertThat(m.header().exerciseId()).isEqualTo(exercise);
            assertThat(m.headerBytes()).isEqualTo(hex(v, "header"));
            assertThat(m.bodyBytes()).isEqualTo(hex(v, "body"));
            assertThat(m.header().encode()).isEqualTo(hex(v, "header"));
            MessageSigner.verify(m, key.publicKey(), exercise);
            assertThat(MessageSigner.sign(key, m.header(), m.content()).signature()).isEqualTo(hex(v, "signature"));
            assertThat(Hashes.messageHash(m).hex()).isEqualTo(v.get("messageHash").asText());
        }
    }

    @Test
    void sealing_vectorsReproduceByteForByte_andOpen() throws Exception {
        for (JsonNode v : Vectors.load("sealing.json").get("vectors")) {
            ExerciseId exercise = ExerciseId.of(hex(v, "exerciseId"));
            IdentityKeyPair recipient = IdentityKeyPair.fromPrivateKey(hex(v, "recipientIdentityPrivateKey"));
            PrekeyPair prekey = PrekeyPair.generate(recipient, exercise, "pk.pm", 1, T, Duration.ofDays(30),
                    new FixedRandom(hex(v, "prekeyDeriveKeyPairIkm")));
            assertThat(prekey.signed().publicKey()).isEqualTo(hex(v, "prekeyPublicKey"));
            assertThat(prekey.exportPrivateKeyForStorage()).isEqualTo(hex(v, "prekeyPrivateKey"));
            assertThat(prekey.signed().encode()).isEqualTo(hex(v, "signedPrekey"));
            assertThat(SignedPrekeyBytes.decode(hex(v, "signedPrekey"))).isEqualTo(prekey.signed());
            SignedMessage plaintext = SignedMessage.decode(hex(v, "plaintext"));
            VerifiedPrekey vp = VerifiedPrekey.verify(prekey.signed(), "pk.pm", recipient.publicKey(), exercise, T);
            Frame.Send send = MessageSealer.seal(plaintext, List.of(vp), new FixedRandom(hex(v, "encapsulationRandomness")));
            assertThat(FrameCodec.encode(send)).isEqualTo(hex(v, "sendFrame"));
            assertThat(send.boxes().get(0).encapsulation()).isEqualTo(hex(v, "encapsulation"));
            assertThat(send.boxes().get(0).ciphertext()).isEqualTo(hex(v, "ciphertext"));
            SignedMessage opened = MessageSealer.open(deliverOf(send, send.boxes().get(0)), prekey);
            assertThat(opened).isEqualTo(plaintext);
        }
    }

    @Test
    void receipts_vectorsReproduceByteForByte_andMatchTheirSubject() throws Exception {
        JsonNode root = Vectors.load("receipts.json");
        ExerciseId exercise = ExerciseId.of(hex(root, "exerciseId"));
        SignedMessage message = SignedMessage.decode(hex(root, "signedMessage"));
        byte[] sendPayload = hex(root, "sendFrame");
        // The relay ("relay") accepted it at the accepted vector's time: its copy is what a rejection names.
        Instant acceptedAt = Instant.parse(root.get("acceptedAt").asText());
        ReceiptSubject subject = ReceiptSubject.of(message, sendPayload).withAcceptances(Map.of("relay", acceptedAt));
        assertThat(subject.messageHash().hex()).isEqualTo(root.get("messageHash").asText());
        assertThat(subject.sendHash().hex()).isEqualTo(root.get("sendHash").asText());
        List<String> types = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (JsonNode r : root.get("vectors")) {
            Receipt receipt = Receipt.decode(hex(r, "receipt"));
            assertThat(receipt.type().name()).isEqualTo(r.get("type").asText());
            assertThat(receipt.subjectHash().orElseThrow().hex()).isEqualTo(r.get("subjectHash").asText());
            IdentityKeyPair asserter = IdentityKeyPair.fromPrivateKey(hex(r, "asserterPrivateKey"));
            assertThat(asserter.publicKey().encoded()).isEqualTo(hex(r, "asserterPublicKey"));
            ReceiptSigner.verify(receipt, asserter.publicKey(), subject);
            Instant at = Instant.parse(r.get("at").asText());
            Frame.Send send = (Frame.Send) FrameCodec.decode(sendPayload);
            Receipt again;
            if (receipt.type() == Receipt.Type.ACCEPTED) {
                again = ReceiptSigner.signAccepted(asserter, exercise, send, at);
            } else if (receipt.type() == Receipt.Type.REJECTED) {
                assertThat(receipt.reason().orElseThrow().name()).isEqualTo(r.get("reason").asText());
                reasons.add(receipt.reason().orElseThrow().name() + "=" + receipt.reason().orElseThrow().code());
                assertThat(r.get("subjectHash").asText()).isEqualTo(root.get("copyHash").asText());
                assertThat(Hashes.copyHash(send.boxes().get(0), acceptedAt).hex()).isEqualTo(root.get("copyHash").asText());
                assertThat(subject.copyOf(receipt.asserter(), receipt.subjectHash().orElseThrow())).contains("relay");
                again = ReceiptSigner.signRejected(asserter, exercise, new Frame.Deliver(send.messageId(), send.sender(),
                        send.channel(), acceptedAt, send.boxes().get(0)), receipt.asserter(), receipt.reason().orElseThrow(), at);
            } else {
                again = ReceiptSigner.sign(asserter, receipt.type(), message, receipt.asserter(), at);
            }
            assertThat(again.encode()).isEqualTo(hex(r, "receipt"));
            types.add(receipt.type().name());
        }
        assertThat(types).containsExactly("ACCEPTED", "DELIVERED", "ACKNOWLEDGED", "REJECTED", "REJECTED", "REJECTED");
        // The reasons added within version 2 (PROTOCOL.md §6, §8) each have a vector, with their codes.
        assertThat(reasons).containsExactly("DECRYPTION_FAILED=2", "EQUIVOCATION=9", "SENDER_REVOKED=10");
    }

    @Test
    void frames_decodeAndReencodeIdentically() throws Exception {
        List<String> kinds = new ArrayList<>();
        for (JsonNode v : Vectors.load("frames.json").get("vectors")) {
            byte[] payload = hex(v, "payload");
            Frame f = FrameCodec.decode(payload);
            assertThat(f.kind().name()).isEqualTo(v.get("kind").asText());
            assertThat(FrameCodec.encode(f)).isEqualTo(payload);
            kinds.add(f.kind().name());
        }
        assertThat(kinds).containsAll(Stream.of(org.hotline.protocol.wire.FrameKind.values()).map(Enum::name).toList());
    }

    static Stream<Named<JsonNode>> negativeVectors() throws Exception {
        List<Named<JsonNode>> out = new ArrayList<>();
        for (JsonNode v : Vectors.load("negative.json").get("vectors")) {
            out.add(Named.of(v.get("input").asText() + ": " + v.get("name").asText(), v));
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("negativeVectors")
    void negative_isRejectedForTheNamedReason(JsonNode v) throws Exception {
        String expect = v.get("expect").asText();
        switch (v.get("input").asText()) {
            case "frame" -> assertThatThrownBy(() -> FrameCodec.decode(hex(v, "hex")))
                    .isInstanceOfSatisfying(FrameDecodeException.class,
                            e -> assertThat(e.reason().name()).isEqualTo(expect));
            case "signed-message" -> {
                JsonNode signing = Vectors.load("signing.json").get("vectors").get(0);
                IdentityPublicKey key = IdentityPublicKey.of(v.has("verifyWith") ? hex(v, "verifyWith")
                        : hex(signing, "identityPublicKey"));
                ExerciseId exercise = ExerciseId.of(hex(signing, "exerciseId"));
                assertThatThrownBy(() -> MessageSigner.verify(SignedMessage.decode(hex(v, "hex")), key, exercise))
                        .satisfies(e -> {
                            // "rejected" leaves the reason open (a flipped header bit may fail the
                            // parse or the signature), not the kind: a refusal, never a crash.
                            assertThat(e).isInstanceOfAny(FrameDecodeException.class, CryptoException.class);
                            if (!expect.equals("rejected")) {
                                assertThat(reasonOf(e)).isEqualTo(expect);
                            }
                        });
            }
            case "sealed-box" -> {
                JsonNode sealing = Vectors.load("sealing.json").get("vectors").get(0);
                IdentityKeyPair recipient = IdentityKeyPair.fromPrivateKey(hex(sealing, "recipientIdentityPrivateKey"));
                byte[] ikm = v.has("prekeyDeriveKeyPairIkm") ? hex(v, "prekeyDeriveKeyPairIkm")
                        : hex(sealing, "prekeyDeriveKeyPairIkm");
                PrekeyPair prekey = PrekeyPair.generate(recipient, ExerciseId.of(hex(sealing, "exerciseId")), "pk.pm", 1, T,
                        Duration.ofDays(30), new FixedRandom(ikm));
                Frame.Send send = (Frame.Send) FrameCodec.decode(hex(sealing, "sendFrame"));
                SealedBox original = send.boxes().get(0);
                SealedBox altered = new SealedBox(original.recipient(), original.prekeyId(), original.encapsulation(),
                        hex(v, "hex"));
                assertThatThrownBy(() -> MessageSealer.open(deliverOf(send, altered), prekey))
                        .isInstanceOfSatisfying(CryptoException.class, e -> assertThat(e.reason().name()).isEqualTo(expect));
            }
            case "receipt" -> {
                JsonNode receipts = Vectors.load("receipts.json");
                ReceiptSubject subject = ReceiptSubject.of(SignedMessage.decode(hex(receipts, "signedMessage")),
                        hex(receipts, "sendFrame")).withAcceptances(Map.of("relay",
                        Instant.parse(receipts.get("acceptedAt").asText())));
                IdentityPublicKey key = IdentityPublicKey.of(hex(v, "verifyWith"));
                assertThatThrownBy(() -> ReceiptSigner.verify(Receipt.decode(hex(v, "hex")), key, subject))
                        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(expect));
            }
            case "signed-prekey" -> {
                JsonNode sealing = Vectors.load("sealing.json").get("vectors").get(0);
                IdentityKeyPair owner = IdentityKeyPair.fromPrivateKey(hex(sealing, "recipientIdentityPrivateKey"));
                ExerciseId exercise = ExerciseId.of(hex(sealing, "exerciseId"));
                assertThatThrownBy(() -> VerifiedPrekey.verify(SignedPrekeyBytes.decode(hex(v, "hex")), "pk.pm",
                        owner.publicKey(), exercise, T))
                        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(expect));
            }
            case "certificate" -> {
                var cert = Pem.parseCertificate(v.get("certificate").asText().getBytes(StandardCharsets.US_ASCII));
                var ca = Pem.parseCertificate(v.get("ca").asText().getBytes(StandardCharsets.US_ASCII));
                var crl = (java.security.cert.X509CRL) java.security.cert.CertificateFactory.getInstance("X.509")
                        .generateCRL(new java.io.ByteArrayInputStream(v.get("crl").asText().getBytes(StandardCharsets.US_ASCII)));
                CertificateValidator validator = CertificateValidator.of(ca, crl);
                assertThatThrownBy(() -> validator.validate(cert, CertificatePurpose.valueOf(v.get("purpose").asText()),
                        Instant.parse(v.get("validateAt").asText())))
                        .isInstanceOfSatisfying(PkiException.class, e -> assertThat(e.reason().name()).isEqualTo(expect));
            }
            default -> throw new AssertionError("unknown vector input " + v.get("input"));
        }
    }

    private static String reasonOf(Throwable e) {
        if (e instanceof FrameDecodeException f) {
            return f.reason().name();
        }
        if (e instanceof CryptoException c) {
            return c.reason().name();
        }
        return e.getClass().getSimpleName();
    }

    private static Frame.Deliver deliverOf(Frame.Send send, SealedBox box) {
        return new Frame.Deliver(send.messageId(), send.sender(), send.channel(), T, box);
    }
}
