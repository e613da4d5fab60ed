package org.hotline.protocol.audit;

import java.util.ArrayList;
import java.util.List;
import org.hotline.protocol.tlog.MerkleHashes;

/**
 * An append-only RFC 9162 (Certificate Transparency 2.0) Merkle tree, §2.1.1: a leaf hash is
 * SHA-256(0x00 || entry), an interior node SHA-256(0x01 || left || right), and a tree of n
 * leaves splits at the largest power of two smaller than n.
 *
 * <p>It keeps only the roots of the perfect subtrees that make up the tree (one per set bit of the
 * size, largest first), so appending costs amortised O(1) hashes and the root O(log n): a log with
 * a checkpoint every k entries costs time linear in its length to write and to verify, where
 * rehashing every leaf at each checkpoint would be quadratic (docs/benchmarks.md, "Load generator").
 */
public final class MerkleTree {

    private static final byte[] EMPTY = MerkleHashes.emptyRoot();

    private final List<byte[]> perfectSubtrees = new ArrayList<>();
    private long size;

    public static byte[] leafHash(byte[] entry) {
        return MerkleHashes.leafHash(entry);
    }

    static byte[] nodeHash(byte[] left, byte[] right) {
        return MerkleHashes.nodeHash(left, right);
    }

    /** Appends the leaf hash of the next entry. */
    public void append(byte[] leafHash) {
        byte[] carry = leafHash;
        // Each trailing one bit of the old size is a perfect subtree of the new leaf's size: merge.
        for (long s = size; (s & 1) == 1; s >>>= 1) {
            carry = nodeHash(perfectSubtrees.remove(perfectSubtrees.size() - 1), carry);
        }
        perfectSubtrees.add(carry);
        size++;
    }

    public long size() {
        return size;
    }

    /** The Merkle Tree Hash over every leaf appended so far. */
    public byte[] root() {
        if (size == 0) {
            return EMPTY.clone();
        }
        int last = perfectSubtrees.size() - 1;
        byte[] root = perfectSubtrees.get(last);
        for (int i = last - 1; i >= 0; i--) {
            root = nodeHash(perfectSubtrees.get(i), root);
        }
        return root;
    }
}
