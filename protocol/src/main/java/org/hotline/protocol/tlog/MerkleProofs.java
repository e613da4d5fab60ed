package org.hotline.protocol.tlog;

import java.security.MessageDigest;
import java.util.List;

/**
 * Verification of RFC 9162 inclusion proofs (§2.1.3.2) and consistency proofs (§2.1.4.2), the
 * algorithms a verifier of the relay's log runs (PROTOCOL.md §12.3). Both return false for every
 * malformed input (wrong hash length, index out of range, a path of the wrong length) rather than
 * throwing: to a verifier a malformed proof is simply a proof that does not verify.
 */
public final class MerkleProofs {

    private MerkleProofs() {
    }

    /**
     * True if {@code proof} shows that the leaf with hash {@code leafHash} is leaf number
     * {@code index} (0-based) of the tree of {@code treeSize} leaves whose root is {@code root}.
     */
    public static boolean verifyInclusion(byte[] leafHash, long index, long treeSize, List<byte[]> proof, byte[] root) {
        if (index < 0 || index >= treeSize || !allHashes(proof) || leafHash.length != MerkleHashes.LENGTH
                || root.length != MerkleHashes.LENGTH) {
            return false;
        }
        long fn = index;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = MerkleHashes.nodeHash(p, r);
                if ((fn & 1) == 0) {
                    // Skip the levels where this node is a right-edge node without a sibling.
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                r = MerkleHashes.nodeHash(r, p);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(r, root);
    }

    /**
     * True if {@code proof} shows that the tree of {@code oldSize} leaves with root {@code oldRoot}
     * is a prefix of the tree of {@code newSize} leaves with root {@code newRoot}. For equal sizes
     * the proof must be empty and the roots equal; an old size of 0 is consistent with everything
     * only with an empty proof (RFC 9162 §2.1.4.2 step 1 leaves it to the caller; we accept it,
     * since the empty tree is a prefix of every tree).
     */
    public static boolean verifyConsistency(long oldSize, long newSize, List<byte[]> proof, byte[] oldRoot,
                                            byte[] newRoot) {
        if (oldSize < 0 || oldSize > newSize || !allHashes(proof) || oldRoot.length != MerkleHashes.LENGTH
                || newRoot.length != MerkleHashes.LENGTH) {
            return false;
        }
        if (oldSize == newSize) {
            return proof.isEmpty() && MessageDigest.isEqual(oldRoot, newRoot);
        }
        if (oldSize == 0) {
            return proof.isEmpty();
        }
        if (proof.isEmpty()) {
            return false;
        }
        int next = 0;
        byte[] first;
        // Step 2: when the old tree is a perfect, leftmost subtree, its root is the first node.
        if (Long.bitCount(oldSize) == 1) {
            first = oldRoot;
        } else {
            first = proof.get(next++);
        }
        long fn = oldSize - 1;
        long sn = newSize - 1;
        // Step 4: drop the levels where the old tree's last leaf is a right child.
        while ((fn & 1) == 1) {
            fn >>>= 1;
            sn >>>= 1;
        }
        byte[] fr = first;
        byte[] sr = first;
        for (; next < proof.size(); next++) {
            byte[] c = proof.get(next);
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = MerkleHashes.nodeHash(c, fr);
                sr = MerkleHashes.nodeHash(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                sr = MerkleHashes.nodeHash(sr, c);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(fr, oldRoot) && MessageDigest.isEqual(sr, newRoot);
    }

    private static boolean allHashes(List<byte[]> proof) {
        for (byte[] h : proof) {
            if (h == null || h.length != MerkleHashes.LENGTH) {
                return false;
            }
        }
        return true;
    }
}
