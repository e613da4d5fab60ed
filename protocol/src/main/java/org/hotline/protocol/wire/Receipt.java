package org.hotline.protocol.wire;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A signed statement about a message's delivery state, signed by whoever asserts it
 * (PROTOCOL.md §6): {@code accepted} by the relay, {@code delivered} and {@code acknowledged} by
 * the recipient. {@link #toBeSigned()} are the exact bytes the signature covers.
 */
public final class Receipt {

    public enum Type {
        ACCEPTED(1), DELIVERED(2), ACKNOWLEDGED(3);

        private final int code;

        Type(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public static Type fromCode(int code) throws FrameDecodeException {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            throw WireReader.malformed("receipt.type", "unknown receipt type " + code);
        }
    }

    /** The asserter name used by the relay in the receipts it signs. */
    public static final String RELAY = "relay";

    private final Type type;
    private final MessageId messageId;
    private final String asserter;
    private final String sender;
    private final Instant at;
    private final byte[] toBeSigned;
    private final byte[] signature;

    private Receipt(Type type, MessageId messageId, String asserter, String sender, Instant at, byte[] toBeSigned,
                    byte[] signature) {
        this.type = type;
        this.messageId = messageId;
        this.asserter = asserter;
        this.sender = sender;
        this.at = at;
        this.toBeSigned = toBeSigned;
        this.signature = signature;
    }

    /** The bytes to sign for a new receipt. */
    public static byte[] toBeSigned(Type type, MessageId messageId, String asserter, String sender, Instant at) {
        WireWriter w = new WireWriter(64).u8(ProtocolVersion.CURRENT).u8(type.code());
        messageId.write(w);
        return w.string(Names.require(asserter, "asserter")).string(Names.require(sender, "sender"))
                .u64(at.toEpochMilli()).toByteArray();
    }

    public static Receipt of(Type type, MessageId messageId, String asserter, String sender, Instant at,
                             byte[] signature) {
        if (signature.length != SignedMessage.SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("signature must be 64 bytes");
        }
        Instant ms = Instant.ofEpochMilli(at.toEpochMilli());
        return new Receipt(type, messageId, asserter, sender, ms,
                toBeSigned(type, messageId, asserter, sender, ms), signature.clone());
    }

    public static Receipt decode(byte[] bytes) throws FrameDecodeException {
        WireReader r = new WireReader(bytes);
        ProtocolVersion.check(r.u8("receipt.version"), "receipt");
        Type type = Type.fromCode(r.u8("receipt.type"));
        MessageId id = MessageId.read(r, "receipt.messageId");
        String asserter = Names.read(r, "receipt.asserter");
        String sender = Names.read(r, "receipt.sender");
        Instant at = Instant.ofEpochMilli(r.u64("receipt.at"));
        int signedLength = r.position();
        byte[] signature = r.fixed(SignedMessage.SIGNATURE_LENGTH, "receipt.signature");
        r.expectEnd("receipt");
        return new Receipt(type, id, asserter, sender, at, Arrays.copyOf(bytes, signedLength), signature);
    }

    public byte[] encode() {
        return new WireWriter(toBeSigned.length + 64).fixed(toBeSigned).fixed(signature).toByteArray();
    }

    public Type type() {
        return type;
    }

    public MessageId messageId() {
        return messageId;
    }

    /** Who asserts this: {@link #RELAY} or a recipient role. */
    public String asserter() {
        return asserter;
    }

    /** The role that sent the message this receipt is about (the receipt's addressee). */
    public String sender() {
        return sender;
    }

    public Instant at() {
        return at;
    }

    public byte[] toBeSigned() {
        return toBeSigned.clone();
    }

    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Receipt r && Arrays.equals(toBeSigned, r.toBeSigned) && Arrays.equals(signature, r.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(toBeSigned), Arrays.hashCode(signature));
    }

    @Override
    public String toString() {
        return "Receipt[" + type + " " + messageId.shortForm() + " by " + asserter + "]";
    }
}
