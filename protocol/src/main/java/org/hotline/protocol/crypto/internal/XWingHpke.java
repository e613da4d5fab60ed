package org.hotline.protocol.crypto.internal;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * Adapter over BouncyCastle's HPKE (RFC 9180) fixed to one suite: base mode, KEM X-Wing
 * (X25519 + ML-KEM-768, 0x647a), KDF HKDF-SHA256 (0x0001), AEAD ChaCha20-Poly1305 (0x0003).
 * No KEM combining happens here: X-Wing is BouncyCastle's.
 */
public final class XWingHpke {

    public static final short KEM_ID = HPKE.kem_X_WING;
    public static final short KDF_ID = HPKE.kdf_HKDF_SHA256;
    public static final short AEAD_ID = HPKE.aead_CHACHA20_POLY1305;
    public static final int PUBLIC_KEY_BYTES = 1216;
    public static final int PRIVATE_KEY_BYTES = 32;
    public static final int ENCAPSULATION_BYTES = 1120;
    /** Randomness consumed by one encapsulation (ML-KEM message + X25519 ephemeral). */
    public static final int ENCAPSULATION_RANDOMNESS_BYTES = 64;

    /**
     * Clamped scalar 2^254 + 8. Every clamped scalar is a multiple of the cofactor 8, so it maps each
     * low-order point (of the curve or its twist) to zero; this one is smaller than both large prime
     * orders times their cofactor, so it maps no other point to zero.
     */
    private static final byte[] LOW_ORDER_PROBE_SCALAR = lowOrderProbeScalar();

    /** A sealed result: HPKE {@code enc} and the AEAD ciphertext. */
    public record Sealed(byte[] encapsulation, byte[] ciphertext) {
    }

    /** A key pair as bytes: the 32-byte X-Wing seed and the 1216-byte public key. */
    public record KeyPair(byte[] privateKey, byte[] publicKey) {
    }

    private XWingHpke() {
    }

    private static byte[] lowOrderProbeScalar() {
        byte[] k = new byte[X25519.SCALAR_SIZE];
        k[0] = 8;
        k[31] = 0x40;
        return k;
    }

    private static HPKE suite() {
        return new HPKE(HPKE.mode_base, KEM_ID, KDF_ID, AEAD_ID);
    }

    /** Derives a key pair from 32 bytes of fresh randomness (RFC 9180 DeriveKeyPair). */
    public static KeyPair deriveKeyPair(byte[] ikm) {
        HPKE hpke = suite();
        AsymmetricCipherKeyPair kp = hpke.deriveKeyPair(ikm);
        return new KeyPair(hpke.serializePrivateKey(kp.getPrivate()), hpke.serializePublicKey(kp.getPublic()));
    }

    /**
     * Validates a public key encoding, or throws {@link IllegalArgumentException}: the length, the
     * ML-KEM-768 half's modulus check (FIPS 203 §7.2, done by BouncyCastle on decoding) and that the
     * X25519 half is not a low-order point. BouncyCastle's X-Wing does not check the last one when it
     * decodes a key but throws an unchecked exception when it later seals to it (its X25519 agreement
     * refuses an all-zero shared secret), so such a key must be refused here, where the caller expects
     * a rejection (tested against Project Wycheproof's X25519 low-order points).
     */
    public static void checkPublicKey(byte[] publicKey) {
        if (publicKey.length != PUBLIC_KEY_BYTES) {
            throw new IllegalArgumentException("X-Wing public key must be " + PUBLIC_KEY_BYTES + " bytes");
        }
        suite().deserializePublicKey(publicKey);
        byte[] shared = new byte[X25519.POINT_SIZE];
        if (!X25519.calculateAgreement(LOW_ORDER_PROBE_SCALAR, 0, publicKey, PUBLIC_KEY_BYTES - X25519.POINT_SIZE,
                shared, 0)) {
            throw new IllegalArgumentException("X-Wing public key has a low-order X25519 point");
        }
    }

    /**
     * Seals {@code plaintext} to {@code publicKey}.
     *
     * @param randomness {@link #ENCAPSULATION_RANDOMNESS_BYTES} fresh random bytes
     */
    public static Sealed seal(byte[] publicKey, byte[] info, byte[] aad, byte[] plaintext, byte[] randomness) {
        HPKE hpke = suite();
        HPKEContextWithEncapsulation ctx = hpke.setupBaseS(hpke.deserializePublicKey(publicKey), info, randomness);
        try {
            return new Sealed(ctx.getEncapsulation(), ctx.seal(aad, plaintext));
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("sealing cannot fail for valid inputs", e);
        }
    }

    /**
     * A private key expanded from its 32-byte seed into BouncyCastle's decapsulation key (the ML-KEM-768
     * and X25519 halves), checked against its public key. Expanding is most of the cost of opening a
     * box, so the holder of a prekey keeps one of these instead of expanding the seed per message.
     * Opaque: no accessor and no {@code toString} leak. BouncyCastle's key parameters cannot be
     * zeroed, so whoever erases the seed must drop its reference to this too.
     */
    public static final class DecapsulationKey {

        private final AsymmetricCipherKeyPair keyPair;

        private DecapsulationKey(AsymmetricCipherKeyPair keyPair) {
            this.keyPair = keyPair;
        }

        @Override
        public String toString() {
            return "DecapsulationKey[redacted]";
        }
    }

    /**
     * Expands {@code seed} (a {@link #PRIVATE_KEY_BYTES}-byte X-Wing private key) and checks that it
     * yields {@code publicKey}.
     *
     * @throws IllegalArgumentException the seed has the wrong length or does not belong to {@code publicKey}
     */
    public static DecapsulationKey expand(byte[] seed, byte[] publicKey) {
        if (seed.length != PRIVATE_KEY_BYTES) {
            throw new IllegalArgumentException("X-Wing private key must be " + PRIVATE_KEY_BYTES + " bytes");
        }
        return new DecapsulationKey(suite().deserializePrivateKey(seed, publicKey));
    }

    /** Opens a sealed box; empty if anything was altered or the key is wrong (no detail, by design). */
    public static java.util.Optional<byte[]> open(byte[] privateKey, byte[] publicKey, byte[] encapsulation,
                                                  byte[] info, byte[] aad, byte[] ciphertext) {
        DecapsulationKey key;
        try {
            key = expand(privateKey, publicKey);
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
        return open(key, encapsulation, info, aad, ciphertext);
    }

    /**
     * Opens a sealed box with an already expanded key; empty if anything was altered or the key is
     * wrong (no detail, by design).
     */
    public static java.util.Optional<byte[]> open(DecapsulationKey key, byte[] encapsulation, byte[] info, byte[] aad,
                                                  byte[] ciphertext) {
        if (encapsulation.length != ENCAPSULATION_BYTES) {
            return java.util.Optional.empty();
        }
        try {
            HPKEContext ctx = suite().setupBaseR(encapsulation, key.keyPair, info);
            return java.util.Optional.of(ctx.open(aad, ciphertext));
        } catch (InvalidCipherTextException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}
