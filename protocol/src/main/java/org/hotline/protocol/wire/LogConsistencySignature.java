package org.hotline.protocol.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * The relay's signature on a consistency answer (PROTOCOL.md §3.4.17, §12.4): the roots of its log
 * at the two sizes asked for, and its Ed25519 signature over both checkpoint texts and the proof.
 * The wire only carries these; {@code tlog.SignedConsistency} rebuilds the signed input and checks it.
 */
public record LogConsistencySignature(Hash32 oldRoot, Hash32 newRoot, byte[] signature) {

    public static final int SIGNATURE_BYTES = 64;

    public LogConsistencySignature {
        Objects.requireNonNull(oldRoot, "oldRoot");
        Objects.requireNonNull(newRoot, "newRoot");
        if (signature.length != SIGNATURE_BYTES) {
            throw new IllegalArgumentException("an Ed25519 signature is " + SIGNATURE_BYTES + " bytes");
        }
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogConsistencySignature s && oldRoot.equals(s.oldRoot) && newRoot.equals(s.newRoot)
                && Arrays.equals(signature, s.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(oldRoot, newRoot, Arrays.hashCode(signature));
    }

    @Override
    public String toString() {
        return "LogConsistencySignature[oldRoot=" + oldRoot.hex() + ", newRoot=" + newRoot.hex() + "]";
    }
}
