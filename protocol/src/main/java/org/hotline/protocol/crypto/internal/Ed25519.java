package org.hotline.protocol.crypto.internal;

import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * Adapter over BouncyCastle's Ed25519 (RFC 8032, pure Ed25519). BouncyCastle's implementation is
 * used instead of the JDK's because it is about 20x faster on this hardware. Callers pass the
 * domain-separation prefix and the message parts; this class only concatenates and calls BC.
 *
 * <p>Signing goes through a {@link SigningKey}, which derives its public key once, and verification
 * through a {@link VerifyingKey} whose point was decoded once: BouncyCastle otherwise re-derives
 * the public key on every signature and decompresses the point on every verification, a large
 * share of the relay's CPU under load (docs/benchmarks.md, "Load generator").
 */
public final class Ed25519 {

    private static final int SIGNATURE_LENGTH = org.bouncycastle.math.ec.rfc8032.Ed25519.SIGNATURE_SIZE;

    private Ed25519() {
    }

    /** A public key decoded and fully validated once, for repeated verification. */
    public static final class VerifyingKey {
        private final org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint point;

        private VerifyingKey(org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint point) {
            this.point = point;
        }
    }

    public static byte[] generatePrivateKey(SecureRandom random) {
        return new Ed25519PrivateKeyParameters(random).getEncoded();
    }

    public static byte[] publicKeyOf(byte[] privateKey) {
        return new Ed25519PrivateKeyParameters(privateKey, 0).generatePublicKey().getEncoded();
    }

    /**
     * Decodes and fully validates (on the curve, in the prime-order subgroup, not small order)
     * a 32-byte public key; null if it is not a valid key.
     */
    public static VerifyingKey verifyingKey(byte[] raw) {
        if (raw.length != org.bouncycastle.math.ec.rfc8032.Ed25519.PUBLIC_KEY_SIZE) {
            return null;
        }
        try {
            var point = org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyFullExport(raw, 0);
            return point == null ? null : new VerifyingKey(point);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * A private key with the public key derived from it, once. The two travel together so that no
     * caller can ever sign with a mismatched public key (which would leak the private key).
     */
    public static final class SigningKey {
        private final byte[] privateKey;
        private final byte[] publicKey;

        private SigningKey(byte[] privateKey) {
            this.privateKey = privateKey.clone();
            this.publicKey = publicKeyOf(privateKey);
        }

        public static SigningKey of(byte[] privateKey) {
            return new SigningKey(privateKey);
        }

        public byte[] publicKey() {
            return publicKey.clone();
        }

        /** The private key, for encrypted storage only. */
        public byte[] privateKey() {
            return privateKey.clone();
        }

        public byte[] sign(byte[] prefix, byte[]... parts) {
            byte[] message = concat(prefix, parts);
            byte[] signature = new byte[SIGNATURE_LENGTH];
            org.bouncycastle.math.ec.rfc8032.Ed25519.sign(privateKey, 0, publicKey, 0, message, 0, message.length,
                    signature, 0);
            return signature;
        }

        @Override
        public String toString() {
            return "Ed25519.SigningKey[private]";
        }
    }

    public static boolean verify(VerifyingKey key, byte[] signature, byte[] prefix, byte[]... parts) {
        if (signature.length != SIGNATURE_LENGTH) {
            return false;
        }
        byte[] message = concat(prefix, parts);
        return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(signature, 0, key.point, message, 0, message.length);
    }

    private static byte[] concat(byte[] prefix, byte[]... parts) {
        int length = prefix.length;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] message = new byte[length];
        System.arraycopy(prefix, 0, message, 0, prefix.length);
        int at = prefix.length;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, message, at, p.length);
            at += p.length;
        }
        return message;
    }
}
