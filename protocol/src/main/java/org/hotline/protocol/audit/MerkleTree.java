package org.hotline.protocol.audit;

import java.util.List;
import org.hotline.protocol.crypto.Hashes;

/**
 * RFC 9162 (Certificate Transparency 2.0) Merkle tree hashing, §2.1.1: a leaf hash is
 * SHA-256(0x00 || entry), an interior node SHA-256(0x01 || left || right), and a tree of n
 * leaves splits at the largest power of two smaller than n.
 */
public final class MerkleTree {

    private static final byte[] LEAF = {0x00};
    private static final byte[] NODE = {0x01};
    private static final byte[] EMPTY = Hashes.sha256();

    private MerkleTree() {
    }

    public static byte[] leafHash(byte[] entry) {
        return Hashes.sha256(LEAF, entry);
    }

    /** The Merkle Tree Hash over the first {@code n} leaf hashes. */
    public static byte[] root(List<byte[]> leafHashes, int n) {
        if (n == 0) {
            return EMPTY.clone();
        }
        return hash(leafHashes, 0, n);
    }

    private static byte[] hash(List<byte[]> leaves, int from, int to) {
        int n = to - from;
        if (n == 1) {
            return leaves.get(from);
        }
        int k = Integer.highestOneBit(n - 1);
        return Hashes.sha256(NODE, hash(leaves, from, from + k), hash(leaves, from + k, to));
    }
}
