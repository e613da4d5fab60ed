package org.hotline.protocol.tlog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An append-only RFC 9162 Merkle tree that can prove what it holds: the root of any earlier size,
 * inclusion proofs (§2.1.3.1) and consistency proofs (§2.1.4.1) between any two sizes. The relay
 * keeps its log in one (PROTOCOL.md §12); verifiers use {@link MerkleProofs}.
 *
 * <p>It keeps the hash of every aligned perfect subtree (level k holds the subtrees of 2^k
 * leaves), about two hashes per leaf, so a root or a proof costs O(log² n) hashes instead of
 * rehashing the leaves. Thread-safe: the relay appends on its mailbox writer thread and proves on
 * other threads; the nodes below a size never change once appended, so a proof for a committed
 * size is unaffected by leaves appended after it.
 */
public final class MerkleLog {

    private static final int H = MerkleHashes.LENGTH;

    /** levels.get(k): the hashes of the aligned perfect subtrees of 2^k leaves, 32 bytes each, in order. */
    private final List<byte[]> levels = new ArrayList<>();
    private long size;

    /** Appends the leaf hash ({@link MerkleHashes#leafHash}) of the next entry; returns its index. */
    public synchronized long append(byte[] leafHash) {
        if (leafHash.length != H) {
            throw new IllegalArgumentException("a leaf hash is " + H + " bytes");
        }
        long index = size;
        put(0, index, leafHash);
        byte[] carry = leafHash;
        // Each trailing one bit of the old size completes a perfect subtree one level up.
        long at = index;
        for (int k = 0; (at & 1) == 1; k++) {
            carry = MerkleHashes.nodeHash(get(k, at - 1), carry);
            at >>>= 1;
            put(k + 1, at, carry);
        }
        size = index + 1;
        return index;
    }

    public synchronized long size() {
        return size;
    }

    /**
     * Forgets every leaf from {@code newSize} on: for a store that rolled back a commit whose
     * leaves were already appended here.
     */
    public synchronized void truncate(long newSize) {
        if (newSize < 0 || newSize > size) {
            throw new IllegalArgumentException("cannot truncate a tree of " + size + " leaves to " + newSize);
        }
        size = newSize;
    }

    /** The leaf hash at {@code index}. */
    public synchronized byte[] leafHash(long index) {
        check(index, size - 1);
        return get(0, index);
    }

    /** The Merkle Tree Hash of the first {@code treeSize} leaves. */
    public synchronized byte[] root(long treeSize) {
        check(treeSize, size);
        return treeSize == 0 ? MerkleHashes.emptyRoot() : hash(0, treeSize);
    }

    /** RFC 9162 PATH(index, D[0:treeSize]), leaf to root. */
    public synchronized List<byte[]> inclusionProof(long index, long treeSize) {
        check(treeSize, size);
        if (index < 0 || index >= treeSize) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + treeSize);
        }
        List<byte[]> out = new ArrayList<>();
        path(index, 0, treeSize, out);
        return out;
    }

    /** RFC 9162 PROOF(oldSize, D[0:newSize]); empty when the sizes are equal or the old tree is empty. */
    public synchronized List<byte[]> consistencyProof(long oldSize, long newSize) {
        check(newSize, size);
        if (oldSize < 0 || oldSize > newSize) {
            throw new IllegalArgumentException("no consistency proof from " + oldSize + " to " + newSize);
        }
        List<byte[]> out = new ArrayList<>();
        if (oldSize > 0 && oldSize < newSize) {
            subproof(oldSize, 0, newSize, true, out);
        }
        return out;
    }

    private void path(long m, long start, long n, List<byte[]> out) {
        if (n == 1) {
            return;
        }
        long k = MerkleHashes.split(n);
        if (m < k) {
            path(m, start, k, out);
            out.add(hash(start + k, n - k));
        } else {
            path(m - k, start + k, n - k, out);
            out.add(hash(start, k));
        }
    }

    private void subproof(long m, long start, long n, boolean whole, List<byte[]> out) {
        if (m == n) {
            if (!whole) {
                out.add(hash(start, n));
            }
            return;
        }
        long k = MerkleHashes.split(n);
        if (m <= k) {
            subproof(m, start, k, whole, out);
            out.add(hash(start + k, n - k));
        } else {
            subproof(m - k, start + k, n - k, false, out);
            out.add(hash(start, k));
        }
    }

    /** MTH(D[start:start+n]), from stored perfect subtrees. */
    private byte[] hash(long start, long n) {
        if (Long.bitCount(n) == 1 && start % n == 0) {
            return get(Long.numberOfTrailingZeros(n), start / n);
        }
        long k = MerkleHashes.split(n);
        return MerkleHashes.nodeHash(hash(start, k), hash(start + k, n - k));
    }

    private byte[] get(int level, long index) {
        byte[] a = levels.get(level);
        int off = Math.toIntExact(index * H);
        return Arrays.copyOfRange(a, off, off + H);
    }

    private void put(int level, long index, byte[] hash) {
        while (levels.size() <= level) {
            levels.add(new byte[H * 64]);
        }
        byte[] a = levels.get(level);
        long end = (index + 1) * H;
        if (end > a.length) {
            // Doubles, so appending stays amortised O(1); beyond 2^31 bytes per level toIntExact throws.
            a = Arrays.copyOf(a, Math.toIntExact(Math.max(end, Math.min((long) a.length * 2, Integer.MAX_VALUE - 8))));
            levels.set(level, a);
        }
        System.arraycopy(hash, 0, a, Math.toIntExact(index * H), H);
    }

    private static void check(long value, long max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(value + " is out of range 0.." + max);
        }
    }
}
