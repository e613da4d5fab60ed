package org.hotline.protocol.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hotline.protocol.vectors.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import org.hotline.protocol.crypto.CryptoException;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.crypto.IdentityKeyPair;
import org.hotline.protocol.crypto.IdentityPublicKey;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.crypto.ReceiptSigner;
import org.hotline.protocol.crypto.SignatureContext;
import org.hotline.protocol.testing.Messages;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.FrameCodec;
import org.hotline.protocol.wire.FrameDecodeException;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SignedMessage;
import org.hotline.protocol.wire.SignedPrekeyBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * The protocol-version-1 vectors ({@code vectors/v1/}, written by the version-1 build and never
 * regenerated) are the compatibility fixture of PROTOCOL.md §8.1: this build refuses every one of
 * them on the wire as too old, and still reads and verifies their signed messages and receipts
 * through the record path that audit logs of version-1 builds need.
 */
@Timeout(60)
class LegacyV1VectorsTest {

    @Test
    void v1SignedMessage_isReadFromRecords_andVerifiesUnderTheV1Context() throws Exception {
        JsonNode v = Vectors.load("v1/signing.json").get("vectors").get(0);
        IdentityPublicKey key = IdentityPublicKey.of(hex(v, "identityPublicKey"));
        SignedMessage m = SignedMessage.decodeRecorded(hex(v, "signedMessage"));
        assertThat(m.version()).isEqualTo(1);
        assertThat(m.header().exerciseId()).isEqualTo(ExerciseId.NONE);
        assertThat(m.header().sender()).isEqualTo("in.pm");
        assertThat(m.header().channel()).isEqualTo("leaders");
        assertThat(m.headerBytes()).isEqualTo(hex(v, "header"));
        assertThat(m.encode()).isEqualTo(hex(v, "signedMessage"));
        assertThat(Hashes.messageHash(m).hex()).isEqualTo(v.get("messageHash").asText());
        MessageSigner.verifyRecorded(m, key, Messages.EXERCISE);
        // The v1 body is read as it is in v2: the same content types.
        assertThat(m.content()).isEqualTo(Messages.readinessSignal());
    }

    @Test
    void v1SignedMessage_isTooOldOnTheWire_andOnTheLivePath() throws Exception {
        JsonNode v = Vectors.load("v1/signing.json").get("vectors").get(0);
        byte[] bytes = hex(v, "signedMessage");
        assertTooOld(() -> SignedMessage.decode(bytes));
        SignedMessage recorded = SignedMessage.decodeRecorded(bytes);
        assertThatThrownBy(() -> MessageSigner.verify(recorded, IdentityPublicKey.of(hex(v, "identityPublicKey")),
                Messages.EXERCISE)).isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.MALFORMED))
                .hasMessageContaining("only read from old records");
        assertThatThrownBy(recorded.header()::encode).isInstanceOf(IllegalStateException.class);
    }

    /** A v1 signature does not verify under the v2 context, nor a v2 one under v1: the contexts separate versions. */
    @Test
    void v1AndV2Contexts_neverVerifyEachOthersSignatures() throws Exception {
        JsonNode v = Vectors.load("v1/signing.json").get("vectors").get(0);
        IdentityKeyPair key = IdentityKeyPair.fromPrivateKey(hex(v, "identityPrivateKey"));
        SignedMessage m = SignedMessage.decodeRecorded(hex(v, "signedMessage"));
        byte[] input = new org.hotline.protocol.wire.WireWriter().bytes32(m.headerBytes()).bytes32(m.bodyBytes())
                .toByteArray();
        assertThat(key.publicKey().verify(SignatureContext.LEGACY_V1_MESSAGE, m.signature(), input)).isTrue();
        assertThat(key.publicKey().verify(SignatureContext.MESSAGE, m.signature(), input)).isFalse();
        assertThat(key.publicKey().verify(SignatureContext.LEGACY_V1_MESSAGE,
                key.sign(SignatureContext.MESSAGE, input), input)).isFalse();
    }

    @Test
    void v1Receipt_isReadFromRecords_verifies_andIsTooOldOnTheWire() throws Exception {
        JsonNode r = Vectors.load("v1/signing.json").get("receipts").get(0);
        byte[] bytes = hex(r, "receipt");
        IdentityPublicKey key = IdentityPublicKey.of(hex(r, "asserterPublicKey"));
        Receipt receipt = Receipt.decodeRecorded(bytes);
        assertThat(receipt.version()).isEqualTo(1);
        assertThat(receipt.type()).isEqualTo(Receipt.Type.ACKNOWLEDGED);
        assertThat(receipt.asserter()).isEqualTo("in.pm");
        assertThat(receipt.sender()).isEqualTo("pk.pm");
        assertThat(receipt.exerciseId()).isEqualTo(ExerciseId.NONE);
        assertThat(receipt.channel()).isEmpty();
        assertThat(receipt.subjectHash()).isEmpty();
        assertThat(receipt.encode()).isEqualTo(bytes);
        ReceiptSigner.verifyRecorded(receipt, key, Messages.EXERCISE);
        assertTooOld(() -> Receipt.decode(bytes));
        assertThatThrownBy(() -> ReceiptSigner.verify(receipt, key, Messages.EXERCISE))
                .isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.MALFORMED));
    }

    @Test
    void v1RecordedObjects_withAForgedSignature_doNotVerify() throws Exception {
        JsonNode v = Vectors.load("v1/signing.json").get("vectors").get(0);
        byte[] m = hex(v, "signedMessage");
        m[m.length - 1] ^= 1;
        SignedMessage forged = SignedMessage.decodeRecorded(m);
        assertThatThrownBy(() -> MessageSigner.verifyRecorded(forged, IdentityPublicKey.of(hex(v, "identityPublicKey")),
                Messages.EXERCISE)).isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.BAD_SIGNATURE));
        JsonNode r = Vectors.load("v1/signing.json").get("receipts").get(0);
        byte[] rb = hex(r, "receipt");
        rb[10] ^= 1;
        Receipt forgedReceipt = Receipt.decodeRecorded(rb);
        assertThatThrownBy(() -> ReceiptSigner.verifyRecorded(forgedReceipt,
                IdentityPublicKey.of(hex(r, "asserterPublicKey")), Messages.EXERCISE))
                .isInstanceOfSatisfying(CryptoException.class,
                        e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.BAD_SIGNATURE));
    }

    @Test
    void everyV1Frame_isRefusedAsTooOld() throws Exception {
        int n = 0;
        for (JsonNode v : Vectors.load("v1/frames.json").get("vectors")) {
            byte[] payload = hex(v, "payload");
            assertTooOld(() -> FrameCodec.decode(payload));
            n++;
        }
        assertThat(n).isEqualTo(15);
    }

    @Test
    void v1SealingVector_itsSendFrameAndPrekey_areTooOld_itsPlaintextIsARecordedV1Message() throws Exception {
        JsonNode v = Vectors.load("v1/sealing.json").get("vectors").get(0);
        assertTooOld(() -> FrameCodec.decode(hex(v, "sendFrame")));
        assertTooOld(() -> SignedPrekeyBytes.decode(hex(v, "signedPrekey")));
        assertThat(SignedMessage.decodeRecorded(hex(v, "plaintext")).version()).isEqualTo(1);
    }

    /** Nothing in the v1 negative file is accepted by this build either, except the frame of version 2. */
    @Test
    void v1NegativeInputs_remainRejected() throws Exception {
        JsonNode signing = Vectors.load("v1/signing.json").get("vectors").get(0);
        IdentityPublicKey key = IdentityPublicKey.of(hex(signing, "identityPublicKey"));
        for (JsonNode v : Vectors.load("v1/negative.json").get("vectors")) {
            if (v.get("name").asText().equals("version 2 is unknown")) {
                // Unknown to a version-1 build; this build speaks it.
                assertThat(FrameCodec.decode(hex(v, "hex"))).isEqualTo(new Frame.Ping(1));
                continue;
            }
            switch (v.get("input").asText()) {
                case "frame" -> assertThatThrownBy(() -> FrameCodec.decode(hex(v, "hex")))
                        .isInstanceOf(FrameDecodeException.class);
                case "signed-message" -> {
                    assertThatThrownBy(() -> SignedMessage.decode(hex(v, "hex")))
                            .isInstanceOf(FrameDecodeException.class);
                    IdentityPublicKey k = v.has("verifyWith") ? IdentityPublicKey.of(hex(v, "verifyWith")) : key;
                    assertThatThrownBy(() -> MessageSigner.verifyRecorded(SignedMessage.decodeRecorded(hex(v, "hex")),
                            k, Messages.EXERCISE)).isInstanceOfAny(FrameDecodeException.class, CryptoException.class);
                }
                default -> {
                    // sealed boxes and certificates: covered by the v2 negative vectors
                }
            }
        }
    }

    private static void assertTooOld(Executable decode) {
        assertThatThrownBy(decode::execute).isInstanceOfSatisfying(FrameDecodeException.class,
                e -> assertThat(e.reason()).isEqualTo(FrameDecodeException.Reason.VERSION_TOO_OLD));
    }
}
