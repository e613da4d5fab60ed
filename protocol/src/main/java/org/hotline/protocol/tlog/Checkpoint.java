package org.hotline.protocol.tlog;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.Receipt;

/**
 * The note text of a relay log checkpoint (C2SP tlog-checkpoint, PROTOCOL.md §12.2): the origin
 * line, the tree size in decimal and the base64 root hash, each ending in a newline. This profile
 * has no extension lines.
 */
public record Checkpoint(String origin, long treeSize, Hash32 root) {

    /** Longest origin accepted: {@code relay/} and 64 hex digits is 70 bytes. */
    static final int MAX_ORIGIN_BYTES = 256;

    public Checkpoint {
        Objects.requireNonNull(root);
        if (!validOrigin(origin)) {
            throw new IllegalArgumentException("origin must be 1.." + MAX_ORIGIN_BYTES
                    + " printable ASCII bytes without spaces or '+'");
        }
        if (treeSize < 0) {
            throw new IllegalArgumentException("tree size must not be negative");
        }
    }

    /** The origin of the relay's log in an exercise: the relay's name, a slash, the exercise id in hex. */
    public static String originOf(ExerciseId exercise) {
        return originOf(Receipt.RELAY, exercise);
    }

    /**
     * The origin of the log of the relay named {@code relayName} (PROTOCOL.md §12.2): {@code relay/<id>}
     * for the one relay of an exercise, {@code relay-in/<id>} for a relay of a multi-relay exercise.
     */
    public static String originOf(String relayName, ExerciseId exercise) {
        if (!Receipt.isRelayName(relayName)) {
            throw new IllegalArgumentException("not a relay name: " + relayName);
        }
        return relayName + "/" + exercise.hex();
    }

    /** The relay named by this checkpoint's origin (the part before the slash). */
    public String relayName() {
        int slash = origin.indexOf('/');
        return slash < 0 ? origin : origin.substring(0, slash);
    }

    /** The note text: {@code origin \n size \n base64(root) \n}. */
    public byte[] text() {
        return (origin + "\n" + treeSize + "\n" + Base64.getEncoder().encodeToString(root.bytes()) + "\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Parses a note text strictly: exactly three lines, a canonical decimal size (no sign, no
     * leading zero unless it is 0), canonical padded base64 of exactly 32 bytes.
     */
    static Checkpoint parseText(String text) throws CheckpointException {
        if (!text.endsWith("\n")) {
            throw new CheckpointException("checkpoint text does not end with a newline");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (lines.length != 3) {
            throw new CheckpointException("checkpoint text has " + lines.length + " lines, expected 3 (origin, size, root)");
        }
        if (!validOrigin(lines[0])) {
            throw new CheckpointException("checkpoint origin is not valid");
        }
        String size = lines[1];
        if (size.isEmpty() || size.length() > 19 || !size.chars().allMatch(c -> c >= '0' && c <= '9')
                || (size.length() > 1 && size.charAt(0) == '0')) {
            throw new CheckpointException("checkpoint tree size is not a canonical decimal number");
        }
        long treeSize;
        try {
            treeSize = Long.parseLong(size);
        } catch (NumberFormatException e) {
            throw new CheckpointException("checkpoint tree size is out of range");
        }
        return new Checkpoint(lines[0], treeSize, Hash32.of(decodeCanonical(lines[2], MerkleHashes.LENGTH, "root hash")));
    }

    /** Standard padded base64 that re-encodes to the same text (so no two texts mean the same bytes). */
    static byte[] decodeCanonical(String b64, int expectedLength, String what) throws CheckpointException {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("checkpoint " + what + " is not base64");
        }
        if (expectedLength >= 0 && raw.length != expectedLength) {
            throw new CheckpointException("checkpoint " + what + " is " + raw.length + " bytes, expected " + expectedLength);
        }
        if (!Base64.getEncoder().encodeToString(raw).equals(b64)) {
            throw new CheckpointException("checkpoint " + what + " is not canonical base64");
        }
        return raw;
    }

    private static boolean validOrigin(String origin) {
        if (origin == null || origin.isEmpty() || origin.length() > MAX_ORIGIN_BYTES) {
            return false;
        }
        return origin.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '+');
    }
}
