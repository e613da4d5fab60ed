package org.hotline.protocol.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes the primitive encodings of PROTOCOL.md §2: big-endian integers, length-prefixed bytes and UTF-8. */
public final class WireWriter {

    private final ByteArrayOutputStream out;

    public WireWriter() {
        this(256);
    }

    public WireWriter(int initialCapacity) {
        this.out = new ByteArrayOutputStream(initialCapacity);
    }

    public WireWriter u8(int v) {
        if (v < 0 || v > 0xff) {
            throw new IllegalArgumentException("u8 out of range: " + v);
        }
        out.write(v);
        return this;
    }

    public WireWriter u16(int v) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException("u16 out of range: " + v);
        }
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    public WireWriter u32(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("u32 out of range: " + v);
        }
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    public WireWriter u64(long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (v >>> shift));
        }
        return this;
    }

    public WireWriter fixed(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    public WireWriter bytes32(byte[] bytes) {
        u32(bytes.length);
        return fixed(bytes);
    }

    public WireWriter bytes16(byte[] bytes) {
        u16(bytes.length);
        return fixed(bytes);
    }

    public WireWriter string(String s) {
        return bytes16(s.getBytes(StandardCharsets.UTF_8));
    }

    public WireWriter longString(String s) {
        return bytes32(s.getBytes(StandardCharsets.UTF_8));
    }

    public WireWriter flag(boolean present) {
        return u8(present ? 1 : 0);
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
