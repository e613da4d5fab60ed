package org.hotline.protocol.audit;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a relay log records of one sealed box (PROTOCOL.md §11.3, {@code relay-accepted}): the
 * recipient, the size and SHA-256 of encapsulation ‖ ciphertext. Never content.
 */
public record BoxMetadata(String recipient, int size, byte[] ciphertextSha256) {
    public BoxMetadata {
        Objects.requireNonNull(recipient, "recipient");
        if (ciphertextSha256.length != 32) {
            throw new IllegalArgumentException("ciphertextSha256 is 32 bytes");
        }
        ciphertextSha256 = ciphertextSha256.clone();
    }

    @Override
    public byte[] ciphertextSha256() {
        return ciphertextSha256.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BoxMetadata b && b.recipient.equals(recipient) && b.size == size
                && Arrays.equals(b.ciphertextSha256, ciphertextSha256);
    }

    @Override
    public int hashCode() {
        return Objects.hash(recipient, size, Arrays.hashCode(ciphertextSha256));
    }
}
