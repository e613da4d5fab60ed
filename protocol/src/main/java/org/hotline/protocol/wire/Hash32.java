package org.hotline.protocol.wire;

import java.util.Arrays;
import java.util.HexFormat;

/** A 32-byte SHA-256 value used for hash links. {@link #ZERO} marks "no previous message". */
public final class Hash32 {

    public static final int LENGTH = 32;
    public static final Hash32 ZERO = new Hash32(new byte[LENGTH]);

    private final byte[] bytes;

    private Hash32(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Hash32 of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("hash must be " + LENGTH + " bytes");
        }
        return new Hash32(bytes.clone());
    }

    public static Hash32 read(WireReader in, String field) throws FrameDecodeException {
        return new Hash32(in.fixed(LENGTH, field));
    }

    public void write(WireWriter out) {
        out.fixed(bytes);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public boolean isZero() {
        return equals(ZERO);
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hash32 other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
