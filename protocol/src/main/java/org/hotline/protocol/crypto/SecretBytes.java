package org.hotline.protocol.crypto;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Secret key material. No {@code toString} leak, constant-time {@link #equalsSecret}, and
 * {@link #destroy()} to zero the bytes when a key is erased (prekey retention).
 */
public final class SecretBytes {

    private final byte[] bytes;
    private volatile boolean destroyed;

    private SecretBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    public static SecretBytes copyOf(byte[] bytes) {
        return new SecretBytes(bytes.clone());
    }

    /** A copy of the secret. Callers keep it as briefly as they can. */
    byte[] reveal() {
        if (destroyed) {
            throw new IllegalStateException("secret was destroyed");
        }
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    public boolean equalsSecret(SecretBytes other) {
        return MessageDigest.isEqual(bytes, other.bytes);
    }

    public void destroy() {
        Arrays.fill(bytes, (byte) 0);
        destroyed = true;
    }

    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "SecretBytes[" + bytes.length + " bytes, redacted]";
    }
}
