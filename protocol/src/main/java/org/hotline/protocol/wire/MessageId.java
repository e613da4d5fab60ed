package org.hotline.protocol.wire;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/** A 128-bit random message identifier. Displayed as 32 lowercase hex digits; {@link #shortForm()} is the first 8. */
public final class MessageId implements Comparable<MessageId> {

    public static final int LENGTH = 16;
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;

    private MessageId(byte[] bytes) {
        this.bytes = bytes;
    }

    public static MessageId random(SecureRandom random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        return new MessageId(b);
    }

    public static MessageId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("message id must be " + LENGTH + " bytes");
        }
        return new MessageId(bytes.clone());
    }

    /** Parses the 32-hex-digit form; throws {@link IllegalArgumentException} if it is not one. */
    public static MessageId parse(String hex) {
        if (hex == null || hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("a message id has 32 hex digits: " + hex);
        }
        return new MessageId(HEX.parseHex(hex.toLowerCase()));
    }

    public static MessageId read(WireReader in, String field) throws FrameDecodeException {
        return new MessageId(in.fixed(LENGTH, field));
    }

    public void write(WireWriter out) {
        out.fixed(bytes);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return HEX.formatHex(bytes);
    }

    public String shortForm() {
        return hex().substring(0, 8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(MessageId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
