package org.hotline.protocol.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
     * What a {@code rejected} receipt commits to (PROTOCOL.md §6), and what the relay's
     * {@code relay-accepted} entry lists per box (§11.3): SHA-256 over the box's encapsulation
     * followed by its ciphertext, the bytes a recipient that cannot open the box still holds.
     */
    public static Hash32 boxHash(SealedBox box) {
        return Hash32.of(sha256(box.encapsulation(), box.ciphertext()));
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
