package org.hotline.protocol.crypto;

import java.io.IOException;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.hotline.protocol.crypto.internal.KeyEncodings;
import org.hotline.protocol.wire.SignedPrekeyBytes;

/**
 * The standard containers our keys are stored in, for the PKI code that writes PKCS#12 files and
 * X.509 certificates: identity keys as Ed25519 per RFC 8410 (PKCS#8 private key, SubjectPublicKeyInfo
 * public key), prekeys as X-Wing private seeds under BouncyCastle's X-Wing OID (certs/PROFILE.md).
 * This is the one public door to {@code crypto.internal} for key formats; the raw key bytes never
 * leave {@code crypto} except inside these containers.
 */
public final class KeyFormats {

    private KeyFormats() {
    }

    /** An identity public key as the SubjectPublicKeyInfo of an identity certificate. */
    public static SubjectPublicKeyInfo identityPublicKeyInfo(IdentityPublicKey key) {
        return KeyEncodings.ed25519PublicKeyInfo(key.encoded());
    }

    /**
     * The identity key in a DER SubjectPublicKeyInfo (as {@code X509Certificate.getPublicKey().getEncoded()}).
     *
     * @throws IllegalArgumentException if it does not hold an Ed25519 key
     * @throws CryptoException if the key bytes are not a valid Ed25519 public key
     */
    public static IdentityPublicKey identityPublicKey(byte[] subjectPublicKeyInfoDer) throws CryptoException {
        return IdentityPublicKey.of(KeyEncodings.rawEd25519PublicKey(subjectPublicKeyInfoDer));
    }

    /** An identity private key as PKCS#8, for an encrypted PKCS#12 credential only. */
    public static PrivateKeyInfo identityPrivateKeyInfo(IdentityKeyPair key) throws IOException {
        return KeyEncodings.ed25519PrivateKeyInfo(key.exportPrivateKeyForStorage());
    }

    /** True if the PKCS#8 structure is labelled as an Ed25519 (identity) key. Checks the label only. */
    public static boolean holdsIdentityKey(PrivateKeyInfo info) {
        return KeyEncodings.isEd25519(info.getPrivateKeyAlgorithm());
    }

    /**
     * The identity key pair in a PKCS#8 structure. Does NOT check the algorithm label: call
     * {@link #holdsIdentityKey} first.
     *
     * @throws IOException if the structure does not wrap an octet string
     * @throws IllegalArgumentException if the octets are not an Ed25519 private key
     */
    public static IdentityKeyPair identityKeyPair(PrivateKeyInfo info) throws IOException {
        return IdentityKeyPair.fromPrivateKey(KeyEncodings.rawPrivateKey(info));
    }

    /** A prekey's private seed as PKCS#8, for an encrypted PKCS#12 file only. */
    public static PrivateKeyInfo prekeyPrivateKeyInfo(PrekeyPair prekey) throws IOException {
        return KeyEncodings.xwingPrivateKeyInfo(prekey.exportPrivateKeyForStorage());
    }

    /** True if the PKCS#8 structure is labelled as an X-Wing (prekey) key. Checks the label only. */
    public static boolean holdsPrekey(PrivateKeyInfo info) {
        return KeyEncodings.isXWing(info.getPrivateKeyAlgorithm());
    }

    /**
     * A prekey pair from its signed public part and its PKCS#8 private seed. Does NOT check the
     * algorithm label (call {@link #holdsPrekey} first where the file may hold other keys) nor the
     * signature on {@code signed}.
     *
     * @throws IOException if the structure does not wrap an octet string
     * @throws IllegalArgumentException if the seed does not match {@code signed}
     */
    public static PrekeyPair prekeyPair(SignedPrekeyBytes signed, PrivateKeyInfo info) throws IOException {
        return PrekeyPair.restore(signed, KeyEncodings.rawPrivateKey(info));
    }
}
