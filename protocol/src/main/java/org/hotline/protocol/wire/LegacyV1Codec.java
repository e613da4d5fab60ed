package org.hotline.protocol.wire;

import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * The read-only decoders for signed objects of protocol version 1 (PROTOCOL.md §8.1), kept so that
 * audit logs written by version-1 builds still verify. Nothing here encodes or signs: version 1 is
 * refused on the wire ({@link ProtocolVersion#MINIMUM} is 2), and these decoders are reachable only
 * through {@link SignedMessage#decodeRecorded} and {@link Receipt#decodeRecorded}.
 *
 * <p>Version 1 differs from version 2 only in what it lacks: the message header has no exercise id;
 * the receipt has no exercise id, channel or subject hash. The body and the signed-message wrapper
 * are the same. Objects decoded here carry {@link ExerciseId#NONE} and empty options, and are
 * verified under the version-1 context strings ({@code crypto.SignatureContext}).
 */
final class LegacyV1Codec {

    private LegacyV1Codec() {
    }

    /**
     * Version-1 header: {@code u8 version=1 || messageId || sender || recipients || channel || counter
     * || sentAt || previousSent || lastReceived || catalogVersion || inReplyTo? || answerBy?}.
     */
    static MessageHeader decodeHeader(byte[] bytes) throws FrameDecodeException {
        WireReader r = new WireReader(bytes);
        int version = r.u8("header.version");
        if (version != ProtocolVersion.LEGACY_V1) {
            throw new IllegalArgumentException("not a version-1 header");
        }
        return MessageHeader.readAfterExercise(r, ExerciseId.NONE);
    }

    /**
     * Version-1 receipt after its version byte: {@code u8 type || messageId || asserter || sender ||
     * at || signature[64]}; the signature covers everything before it, version byte included.
     */
    static Receipt readReceipt(WireReader r, byte[] bytes) throws FrameDecodeException {
        Receipt.Type type = Receipt.Type.fromCode(r.u8("receipt.type"));
        if (type == Receipt.Type.REJECTED) {
            throw WireReader.malformed("receipt.type", "version 1 has no rejected receipts");
        }
        if (type == Receipt.Type.DELIVERED_THROUGH) {
            throw WireReader.malformed("receipt.type", "version 1 has no delivered-through receipts");
        }
        MessageId id = MessageId.read(r, "receipt.messageId");
        String asserter = Names.read(r, "receipt.asserter");
        String sender = Names.read(r, "receipt.sender");
        Instant at = Instant.ofEpochMilli(r.u64("receipt.at"));
        int signedLength = r.position();
        byte[] signature = r.fixed(SignedMessage.SIGNATURE_LENGTH, "receipt.signature");
        r.expectEnd("receipt");
        return new Receipt(ProtocolVersion.LEGACY_V1, type, ExerciseId.NONE, id, asserter, sender, Optional.empty(),
                at, Optional.empty(), Optional.empty(), Arrays.copyOf(bytes, signedLength), signature);
    }
}
