package org.hotline.protocol.wire;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The exercise a signed object belongs to (PROTOCOL.md §2.1, §9.1): the SHA-256 of the exercise CA
 * certificate's DER encoding, 32 bytes. Nobody can choose it freely (it covers the CA's fresh
 * public key and random serial), so every signed object names one exercise PKI and cannot be
 * replayed into another exercise, not even one given the same name or label.
 *
 * <p>{@link #NONE} stands for "no exercise id": objects of protocol version 1, read from old
 * records, carry none (§8.1). It is not 32 bytes, so it is never encoded, never decoded and equal
 * to no real exercise id: an exercise check on such an object always fails.
 */
public final class ExerciseId {

    public static final int LENGTH = 32;
    /** The marker of a version-1 object, which names no exercise. */
    public static final ExerciseId NONE = new ExerciseId(new byte[0]);

    private final byte[] bytes;

    private ExerciseId(byte[] bytes) {
        this.bytes = bytes;
    }

    /** @param sha256OfCaCertificate the SHA-256 of the exercise CA certificate's DER encoding */
    public static ExerciseId of(byte[] sha256OfCaCertificate) {
        if (sha256OfCaCertificate.length != LENGTH) {
            throw new IllegalArgumentException("exercise id must be " + LENGTH + " bytes");
        }
        return new ExerciseId(sha256OfCaCertificate.clone());
    }

    public static ExerciseId read(WireReader in, String field) throws FrameDecodeException {
        return new ExerciseId(in.fixed(LENGTH, field));
    }

    public void write(WireWriter out) {
        if (this == NONE || bytes.length != LENGTH) {
            throw new IllegalStateException("a version-1 object has no exercise id to encode");
        }
        out.fixed(bytes);
    }

    public boolean isNone() {
        return bytes.length == 0;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** 64 lowercase hex digits, or {@code none}. */
    public String hex() {
        return isNone() ? "none" : HexFormat.of().formatHex(bytes);
    }

    /** The first 8 hex digits, for messages to people. */
    public String shortForm() {
        return isNone() ? "none" : hex().substring(0, 8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExerciseId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "ExerciseId[" + shortForm() + "]";
    }
}
