package org.hotline.protocol.wire;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Where an accepted message sits in the relay's log (PROTOCOL.md §12.3): its leaf index, the
 * RFC 9162 inclusion proof (leaf to root) and the relay's signed checkpoint the proof leads to,
 * as the note's bytes. The wire only carries these; {@code tlog} parses the checkpoint and checks
 * the proof and the signature.
 */
public record LogInclusion(long leafIndex, List<Hash32> path, byte[] checkpoint) {

    public LogInclusion {
        requireSize(leafIndex, "leafIndex");
        path = List.copyOf(path);
        if (path.size() > WireLimits.MAX_PROOF_HASHES) {
            throw new IllegalArgumentException("at most " + WireLimits.MAX_PROOF_HASHES + " proof hashes");
        }
        Objects.requireNonNull(checkpoint);
        if (checkpoint.length > WireLimits.MAX_CHECKPOINT_BYTES) {
            throw new IllegalArgumentException("checkpoint longer than " + WireLimits.MAX_CHECKPOINT_BYTES);
        }
        checkpoint = checkpoint.clone();
    }

    @Override
    public byte[] checkpoint() {
        return checkpoint.clone();
    }

    static void requireSize(long v, String field) {
        if (v < 0) {
            throw new IllegalArgumentException(field + " must be 0..2^63-1");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogInclusion l && leafIndex == l.leafIndex && path.equals(l.path)
                && Arrays.equals(checkpoint, l.checkpoint);
    }

    @Override
    public int hashCode() {
        return Objects.hash(leafIndex, path, Arrays.hashCode(checkpoint));
    }
}
