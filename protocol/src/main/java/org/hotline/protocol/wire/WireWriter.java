package org.hotline.protocol.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Writes the primitive encodings of PROTOCOL.md §2: big-endian integers, length-prefixed bytes and UTF-8. */
public final class WireWriter {

    /**
     * The bytes written so far are {@code buf[0..count)}. A plain array, not a
     * {@code ByteArrayOutputStream}, whose every one-byte write is a synchronized call: a relay
     * encodes two or three frames of about 2 KiB per message on its event loops.
     */
    private byte[] buf;
    private int count;

    public WireWriter() {
        this(256);
    }

    public WireWriter(int initialCapacity) {
        this.buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int more) {
        if (count + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
        }
    }

    private void put(int b) {
        ensure(1);
        buf[count++] = (byte) b;
    }

    public WireWriter u8(int v) {
        if (v < 0 || v > 0xff) {
            throw new IllegalArgumentException("u8 out of range: " + v);
        }
        put(v);
        return this;
    }

    public WireWriter u16(int v) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException("u16 out of range: " + v);
        }
        ensure(2);
        buf[count++] = (byte) (v >>> 8);
        buf[count++] = (byte) v;
        return this;
    }

    public WireWriter u32(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("u32 out of range: " + v);
        }
        ensure(4);
        buf[count++] = (byte) (v >>> 24);
        buf[count++] = (byte) (v >>> 16);
        buf[count++] = (byte) (v >>> 8);
        buf[count++] = (byte) v;
        return this;
    }

    public WireWriter u64(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[count++] = (byte) (v >>> shift);
        }
        return this;
    }

    public WireWriter fixed(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, count, bytes.length);
        count += bytes.length;
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
        return Arrays.copyOf(buf, count);
    }
}
