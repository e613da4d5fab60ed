package org.hotline.protocol.crypto.internal;

import java.io.IOException;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.bc.BCObjectIdentifiers;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * Standard ASN.1 containers for our raw keys, so they can live in PKCS#12 files and X.509
 * certificates: Ed25519 per RFC 8410, X-Wing private seeds under BouncyCastle's X-Wing OID.
 */
public final class KeyEncodings {

    private KeyEncodings() {
    }

    public static PrivateKeyInfo ed25519PrivateKeyInfo(byte[] rawPrivateKey) throws IOException {
        return new PrivateKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519),
                new DEROctetString(rawPrivateKey));
    }

    public static SubjectPublicKeyInfo ed25519PublicKeyInfo(byte[] rawPublicKey) {
        return new SubjectPublicKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), rawPublicKey);
    }

    public static PrivateKeyInfo xwingPrivateKeyInfo(byte[] seed) throws IOException {
        return new PrivateKeyInfo(new AlgorithmIdentifier(BCObjectIdentifiers.xwing), new DEROctetString(seed));
    }

    public static boolean isEd25519(AlgorithmIdentifier alg) {
        return EdECObjectIdentifiers.id_Ed25519.equals(alg.getAlgorithm());
    }

    public static boolean isXWing(AlgorithmIdentifier alg) {
        return BCObjectIdentifiers.xwing.equals(alg.getAlgorithm());
    }

    /** The raw private key inside a PKCS#8 structure (RFC 8410 wraps it in an OCTET STRING). */
    public static byte[] rawPrivateKey(PrivateKeyInfo info) throws IOException {
        return ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
    }

    /** The raw Ed25519 public key of a certificate, or throws if it is not Ed25519. */
    public static byte[] rawEd25519PublicKey(byte[] subjectPublicKeyInfoDer) {
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(subjectPublicKeyInfoDer);
        if (!isEd25519(spki.getAlgorithm())) {
            throw new IllegalArgumentException("not an Ed25519 key");
        }
        return spki.getPublicKeyData().getOctets();
    }
}
