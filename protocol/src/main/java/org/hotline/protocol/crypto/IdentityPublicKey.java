package org.hotline.protocol.crypto;

import java.util.Arrays;
import java.util.HexFormat;
import org.hotline.protocol.crypto.internal.Ed25519;

/**
 * A role's (or the relay's) Ed25519 identity verification key. Obtained from a certificate that
 * chains to the exercise CA; never from the peer's own say-so.
 */
public final class IdentityPublicKey {

    public static final int LENGTH = 32;

    private final byte[] encoded;
    private final Ed25519.VerifyingKey verifyingKey;

    private IdentityPublicKey(byte[] encoded, Ed25519.VerifyingKey verifyingKey) {
        this.encoded = encoded;
        this.verifyingKey = verifyingKey;
    }

    /** @throws CryptoException if the bytes are not a valid Ed25519 public key */
    public static IdentityPublicKey of(byte[] raw) throws CryptoException {
        Ed25519.VerifyingKey key = raw.length == LENGTH ? Ed25519.verifyingKey(raw) : null;
        if (key == null) {
            throw new CryptoException(CryptoException.Reason.MALFORMED, "not an Ed25519 public key");
        }
        return new IdentityPublicKey(raw.clone(), key);
    }

    /** Verifies {@code signature} over {@code context || parts}. Constant-time inside BouncyCastle. */
    public boolean verify(SignatureContext context, byte[] signature, byte[]... parts) {
        return Ed25519.verify(verifyingKey, signature, context.prefix(), parts);
    }

    /**
     * Verifies an Ed25519 signature over a C2SP signed note's text, without a context prefix
     * (see {@link IdentityKeyPair#signNote}). Constant-time inside BouncyCastle.
     */
    public boolean verifyNote(byte[] signature, byte[] noteText) {
        return Ed25519.verify(verifyingKey, signature, new byte[0], noteText);
    }

    public byte[] encoded() {
        return encoded.clone();
    }

    /** SHA-256 of the raw key, hex: what a participant compares out of band. */
    public String fingerprint() {
        return HexFormat.of().formatHex(Hashes.sha256(encoded));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdentityPublicKey k && Arrays.equals(encoded, k.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "IdentityPublicKey[" + fingerprint().substring(0, 16) + "]";
    }
}
