package org.hotline.protocol.wire;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reads the primitive encodings of PROTOCOL.md §2 from untrusted bytes. Every read names the field
 * it reads, so a truncated or malformed input produces an error like
 * {@code missing field 'channel'} rather than an index exception.
 */
public final class WireReader {

    private final byte[] data;
    private int position;
    private final int end;

    public WireReader(byte[] data) {
        this(data, 0, data.length);
    }

    public WireReader(byte[] data, int offset, int length) {
        this.data = data;
        this.position = offset;
        this.end = offset + length;
    }

    public int position() {
        return position;
    }

    public int remaining() {
        return end - position;
    }

    private void require(int n, String field) throws FrameDecodeException {
        if (n < 0 || end - position < n) {
            throw new FrameDecodeException(FrameDecodeException.Reason.MISSING_FIELD,
                    "truncated: missing field '" + field + "'");
        }
    }

    public int u8(String field) throws FrameDecodeException {
        require(1, field);
        return data[position++] & 0xff;
    }

    public int u16(String field) throws FrameDecodeException {
        require(2, field);
        int v = ((data[position] & 0xff) << 8) | (data[position + 1] & 0xff);
        position += 2;
        return v;
    }

    /** An unsigned 32-bit value; values above {@link Integer#MAX_VALUE} are refused as malformed. */
    public int u32(String field) throws FrameDecodeException {
        require(4, field);
        long v = ((long) (data[position] & 0xff) << 24) | ((data[position + 1] & 0xff) << 16)
                | ((data[position + 2] & 0xff) << 8) | (data[position + 3] & 0xff);
        position += 4;
        if (v > Integer.MAX_VALUE) {
            throw malformed(field, "value out of range");
        }
        return (int) v;
    }

    public long u64(String field) throws FrameDecodeException {
        require(8, field);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (data[position + i] & 0xff);
        }
        position += 8;
        return v;
    }

    public byte[] fixed(int length, String field) throws FrameDecodeException {
        require(length, field);
        byte[] out = Arrays.copyOfRange(data, position, position + length);
        position += length;
        return out;
    }

    /** Bytes prefixed by a u32 length, at most {@code maxLength}. */
    public byte[] bytes32(int maxLength, String field) throws FrameDecodeException {
        int length = u32(field + ".length");
        if (length > maxLength) {
            throw malformed(field, "length " + length + " exceeds limit " + maxLength);
        }
        return fixed(length, field);
    }

    /** Bytes prefixed by a u16 length. */
    public byte[] bytes16(String field) throws FrameDecodeException {
        int length = u16(field + ".length");
        return fixed(length, field);
    }

    /** A UTF-8 string prefixed by a u16 byte length, at most {@code maxBytes}; invalid UTF-8 is refused. */
    public String string(int maxBytes, String field) throws FrameDecodeException {
        int length = u16(field + ".length");
        if (length > maxBytes) {
            throw malformed(field, "length " + length + " exceeds limit " + maxBytes);
        }
        require(length, field);
        String s = decodeUtf8(data, position, length, field);
        position += length;
        return s;
    }

    /** A UTF-8 string prefixed by a u32 byte length (long free text). */
    public String longString(int maxBytes, String field) throws FrameDecodeException {
        byte[] raw = bytes32(maxBytes, field);
        return decodeUtf8(raw, 0, raw.length, field);
    }

    /** A presence flag: 0 absent, 1 present, anything else malformed. */
    public boolean flag(String field) throws FrameDecodeException {
        int v = u8(field + ".present");
        if (v > 1) {
            throw malformed(field, "presence flag must be 0 or 1, was " + v);
        }
        return v == 1;
    }

    /** Called after the last field: trailing bytes are refused so each value has one encoding. */
    public void expectEnd(String what) throws FrameDecodeException {
        if (position != end) {
            throw new FrameDecodeException(FrameDecodeException.Reason.MALFORMED,
                    "malformed " + what + ": " + (end - position) + " trailing bytes");
        }
    }

    public static FrameDecodeException malformed(String field, String why) {
        return new FrameDecodeException(FrameDecodeException.Reason.MALFORMED,
                "malformed field '" + field + "': " + why);
    }

    private static String decodeUtf8(byte[] bytes, int offset, int length, String field)
            throws FrameDecodeException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw malformed(field, "invalid UTF-8");
        }
    }
}
