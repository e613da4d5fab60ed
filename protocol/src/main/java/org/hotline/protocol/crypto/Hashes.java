package org.hotline.protocol.crypto;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.FrameCodec;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.SealedBox;
import org.hotline.protocol.wire.SignedMessage;

/** SHA-256, the only hash function in the protocol (message hash links, fingerprints, audit log). */
public final class Hashes {

    private Hashes() {
    }

    public static byte[] sha256(byte[]... parts) {
        MessageDigest md = newSha256();
        for (byte[] p : parts) {
            md.update(p);
        }
        return md.digest();
    }

    /** The hash that links messages: SHA-256 over the complete signed-message encoding. */
    public static Hash32 messageHash(SignedMessage message) {
        return Hash32.of(sha256(message.encode()));
    }

    /**
     * What an {@code accepted} receipt commits to (PROTOCOL.md §6): SHA-256 over the complete
     * {@code SEND} payload, from its version byte to the end of its last box, without the u32 frame
     * length. The encoding is canonical (§2.4), so this equals the hash of the bytes received.
     */
    public static Hash32 sendHash(Frame.Send send) {
        return sendHash(FrameCodec.encode(send));
    }

    /** As {@link #sendHash(Frame.Send)}, over payload bytes kept as they were sent. */
    public static Hash32 sendHash(byte[] sendPayload) {
        return Hash32.of(sha256(sendPayload));
    }

    /**
     * What the relay's {@code relay-accepted} entry lists per box (PROTOCOL.md §11.3): SHA-256 over
     * the box's encapsulation followed by its ciphertext. (A {@code rejected} receipt commits to
     * {@link #copyHash}, which also covers the prekey id and {@code acceptedAt}.)
     */
    public static Hash32 boxHash(SealedBox box) {
        return Hash32.of(sha256(box.encapsulation(), box.ciphertext()));
    }

    /** Domain tag of {@link #copyHash}, with its 0x00 terminator (PROTOCOL.md §6 field 9). */
    private static final byte[] COPY_CONTEXT = "hotline/v2 copy\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * What a {@code rejected} receipt commits to (PROTOCOL.md §6 field 9): one relay's copy of a box
     * as the recipient was delivered it, SHA-256 over "hotline/v2 copy" 0x00 ‖ prekey id (u32) ‖
     * the relay's {@code acceptedAt} (u64 milliseconds, as in {@code DELIVER}) ‖ u16 length ‖
     * encapsulation ‖ u32 length ‖ ciphertext. The lengths fix the boundary between encapsulation and
     * ciphertext, so a box with bytes shifted across it has another copy hash (review R2); the tag
     * keeps the hash apart from every other SHA-256 of the protocol. A relay that changes only the
     * prekey id or {@code acceptedAt} of a genuine box gets a rejection that names its copy alone.
     */
    public static Hash32 copyHash(SealedBox box, Instant acceptedAt) {
        byte[] encapsulation = box.encapsulation();
        byte[] ciphertext = box.ciphertext();
        byte[] head = ByteBuffer.allocate(COPY_CONTEXT.length + 14).put(COPY_CONTEXT).putInt(box.prekeyId())
                .putLong(acceptedAt.toEpochMilli()).putShort((short) encapsulation.length).array();
        byte[] ciphertextLength = ByteBuffer.allocate(4).putInt(ciphertext.length).array();
        return Hash32.of(sha256(head, encapsulation, ciphertextLength, ciphertext));
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
