package org.hotline.protocol.tlog;

import org.hotline.protocol.crypto.Hashes;

/**
 * RFC 9162 §2.1.1 hashing, shared by the audit log's checkpoints (PROTOCOL.md §11.2) and the
 * relay's log (§12): a leaf hash is SHA-256(0x00 || entry), an interior node
 * SHA-256(0x01 || left || right); the hash of the empty tree is SHA-256().
 */
public final class MerkleHashes {

    /** Bytes in every hash of the tree. */
    public static final int LENGTH = 32;

    private static final byte[] LEAF = {0x00};
    private static final byte[] NODE = {0x01};

    private MerkleHashes() {
    }

    public static byte[] leafHash(byte[] entry) {
        return Hashes.sha256(LEAF, entry);
    }

    public static byte[] nodeHash(byte[] left, byte[] right) {
        return Hashes.sha256(NODE, left, right);
    }

    public static byte[] emptyRoot() {
        return Hashes.sha256();
    }

    /** The largest power of two smaller than {@code n} (n ≥ 2): where RFC 9162 splits a tree of n leaves. */
    static long split(long n) {
        return Long.highestOneBit(n - 1);
    }
}
