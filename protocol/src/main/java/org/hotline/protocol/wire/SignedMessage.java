package org.hotline.protocol.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * A signed end-to-end message as it travels inside a sealed box and as it is stored and logged
 * (PROTOCOL.md §4.3). It keeps the exact bytes it was parsed from: the signature covers those
 * bytes, never a re-encoding. Verification lives in {@code crypto.MessageSigner}.
 */
public final class SignedMessage {

    public static final int SIGNATURE_LENGTH = 64;

    private final byte[] headerBytes;
    private final byte[] bodyBytes;
    private final byte[] signature;
    private final MessageHeader header;
    private final Content content;

    private SignedMessage(byte[] headerBytes, byte[] bodyBytes, byte[] signature, MessageHeader header,
                          Content content) {
        this.headerBytes = headerBytes;
        this.bodyBytes = bodyBytes;
        this.signature = signature;
        this.header = header;
        this.content = content;
    }

    /** Assembles a message from its parts; used by the signer after computing the signature. */
    public static SignedMessage of(MessageHeader header, Content content, byte[] headerBytes, byte[] bodyBytes,
                                   byte[] signature) {
        if (signature.length != SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("signature must be " + SIGNATURE_LENGTH + " bytes");
        }
        return new SignedMessage(headerBytes.clone(), bodyBytes.clone(), signature.clone(),
                Objects.requireNonNull(header), Objects.requireNonNull(content));
    }

    /**
     * Decodes a signed message of the current version, as received from a peer (inside a sealed box)
     * or stored by this build. Any other header version is refused.
     */
    public static SignedMessage decode(byte[] bytes) throws FrameDecodeException {
        return decode(bytes, false);
    }

    /**
     * Decodes a signed message found in a record written by this or an earlier build (an audit
     * log): the current version, or version 1 through the read-only legacy decoder
     * (PROTOCOL.md §8.1). Never for bytes received from a peer: on the wire version 1 is too old.
     * {@link #version()} tells which; a version-1 header carries {@link ExerciseId#NONE}.
     */
    public static SignedMessage decodeRecorded(byte[] bytes) throws FrameDecodeException {
        return decode(bytes, true);
    }

    private static SignedMessage decode(byte[] bytes, boolean recorded) throws FrameDecodeException {
        if (bytes.length > WireLimits.MAX_SIGNED_MESSAGE_BYTES) {
            throw new FrameDecodeException(FrameDecodeException.Reason.TOO_LARGE,
                    "signed message of " + bytes.length + " bytes exceeds " + WireLimits.MAX_SIGNED_MESSAGE_BYTES);
        }
        WireReader r = new WireReader(bytes);
        byte[] headerBytes = r.bytes32(WireLimits.MAX_SIGNED_MESSAGE_BYTES, "message.header");
        byte[] bodyBytes = r.bytes32(WireLimits.MAX_SIGNED_MESSAGE_BYTES, "message.body");
        byte[] signature = r.fixed(SIGNATURE_LENGTH, "message.signature");
        r.expectEnd("signed message");
        MessageHeader header = recorded && headerBytes.length > 0 && headerBytes[0] == ProtocolVersion.LEGACY_V1
                ? LegacyV1Codec.decodeHeader(headerBytes) : MessageHeader.decode(headerBytes);
        return new SignedMessage(headerBytes, bodyBytes, signature, header, Content.decode(bodyBytes));
    }

    /**
     * The protocol version of this message: its header's version byte. {@link ProtocolVersion#CURRENT}
     * except for a message read by {@link #decodeRecorded} from a version-1 record.
     */
    public int version() {
        return headerBytes[0] & 0xff;
    }

    public byte[] encode() {
        return new WireWriter(headerBytes.length + bodyBytes.length + 80)
                .bytes32(headerBytes).bytes32(bodyBytes).fixed(signature).toByteArray();
    }

    public MessageHeader header() {
        return header;
    }

    public Content content() {
        return content;
    }

    public byte[] headerBytes() {
        return headerBytes.clone();
    }

    public byte[] bodyBytes() {
        return bodyBytes.clone();
    }

    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedMessage m && Arrays.equals(headerBytes, m.headerBytes)
                && Arrays.equals(bodyBytes, m.bodyBytes) && Arrays.equals(signature, m.signature);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(headerBytes) + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "SignedMessage[" + header.messageId().shortForm() + " " + header.sender() + " -> "
                + header.recipients() + " #" + header.counter() + "]";
    }
}
