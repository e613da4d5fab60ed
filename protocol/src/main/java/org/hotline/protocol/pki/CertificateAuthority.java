package org.hotline.protocol.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.hotline.protocol.crypto.IdentityPublicKey;
import org.hotline.protocol.crypto.KeyFormats;

/**
 * The exercise certificate authority: an ECDSA P-256 key that certifies every role's TLS and
 * identity keys and the relay's keys, and signs the CRL. Profile: certs/PROFILE.md.
 */
public final class CertificateAuthority {

    public static final Duration CA_VALIDITY = Duration.ofDays(365);
    public static final Duration LEAF_VALIDITY = Duration.ofDays(180);
    public static final Duration CRL_VALIDITY = Duration.ofDays(30);
    /** Backdating of notBefore so a peer whose clock is a little behind still accepts new certificates. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

    private final PrivateKey caKey;
    private final X509Certificate caCertificate;
    private final Clock clock;
    private final SecureRandom random;

    private CertificateAuthority(PrivateKey caKey, X509Certificate caCertificate, Clock clock, SecureRandom random) {
        this.caKey = caKey;
        this.caCertificate = caCertificate;
        this.clock = clock;
        this.random = random;
    }

    /** Creates a new CA for exercise {@code exerciseId}. */
    public static CertificateAuthority create(String exerciseId, Clock clock, SecureRandom random) {
        KeyPair kp = newP256KeyPair(random);
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, "Hotline exercise CA " + exerciseId)
                .addRDN(BCStyle.O, "Hotline").build();
        Instant now = clock.instant();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new X509v3CertificateBuilder(name, serial(random),
                    Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(CA_VALIDITY)), name,
                    SubjectPublicKeyInfo.getInstance(kp.getPublic().getEncoded()))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            X509Certificate cert = toCertificate(b, signer(kp.getPrivate()));
            return new CertificateAuthority(kp.getPrivate(), cert, clock, random);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("CA creation failed", e);
        }
    }

    public static CertificateAuthority restore(PrivateKey caKey, X509Certificate caCertificate, Clock clock,
                                               SecureRandom random) {
        return new CertificateAuthority(caKey, caCertificate, clock, random);
    }

    public static KeyPair newP256KeyPair(SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 unavailable", e);
        }
    }

    public X509Certificate certificate() {
        return caCertificate;
    }

    PrivateKey privateKey() {
        return caKey;
    }

    /** A role's TLS client certificate (ECDSA P-256, EKU clientAuth). */
    public X509Certificate issueRoleTls(String role, String party, PublicKey tlsKey) {
        return issue(CertificatePurpose.ROLE_TLS, role, party,
                SubjectPublicKeyInfo.getInstance(tlsKey.getEncoded()), LEAF_VALIDITY);
    }

    /** The relay's TLS server certificate (ECDSA P-256, EKU serverAuth, SAN localhost and 127.0.0.1). */
    public X509Certificate issueRelayTls(PublicKey tlsKey) {
        return issueRelayTls(ExercisePki.RELAY_NAME, tlsKey);
    }

    /** The TLS server certificate of the relay named {@code relayName} (CN = its name, PROTOCOL.md §13). */
    public X509Certificate issueRelayTls(String relayName, PublicKey tlsKey) {
        return issue(CertificatePurpose.RELAY_TLS, relayName, "Relay",
                SubjectPublicKeyInfo.getInstance(tlsKey.getEncoded()), LEAF_VALIDITY);
    }

    /** An identity (signing) certificate for a role or for the relay (CN {@code relay}). */
    public X509Certificate issueIdentity(String role, String party, IdentityPublicKey key) {
        return issue(CertificatePurpose.IDENTITY, role, party, KeyFormats.identityPublicKeyInfo(key),
                LEAF_VALIDITY);
    }

    /** Issues with an explicit validity window (tests use this for expired and not-yet-valid certificates). */
    public X509Certificate issue(CertificatePurpose purpose, String cn, String party, SubjectPublicKeyInfo key,
                                 Duration validity) {
        Instant now = clock.instant();
        return issue(purpose, cn, party, key, now.minus(CLOCK_SKEW), now.plus(validity));
    }

    public X509Certificate issue(CertificatePurpose purpose, String cn, String party, SubjectPublicKeyInfo key,
                                 Instant notBefore, Instant notAfter) {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, cn)
                .addRDN(BCStyle.OU, purpose.organizationalUnit())
                .addRDN(BCStyle.O, party).build();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new X509v3CertificateBuilder(
                    X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded()), serial(random),
                    Date.from(notBefore), Date.from(notAfter), subject, key)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            ext.createAuthorityKeyIdentifier(caCertificate))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
            switch (purpose) {
                case ROLE_TLS -> b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                        .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
                case RELAY_TLS -> b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                        .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                        .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                                new GeneralName(GeneralName.dNSName, "localhost"),
                                new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
                case IDENTITY -> b.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
                default -> throw new IllegalStateException();
            }
            return toCertificate(b, signer(caKey));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("certificate issuance failed", e);
        }
    }

    /** One revoked certificate: serial and time of revocation. */
    public record Revoked(BigInteger serial, Instant revokedAt) {
    }

    /** A freshly signed CRL listing {@code revoked}, valid for {@link #CRL_VALIDITY}. */
    public X509CRL crl(List<Revoked> revoked, BigInteger crlNumber) {
        Instant now = clock.instant();
        try {
            X509v2CRLBuilder b = new X509v2CRLBuilder(
                    X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded()), Date.from(now));
            b.setNextUpdate(Date.from(now.plus(CRL_VALIDITY)));
            for (Revoked r : revoked) {
                b.addCRLEntry(r.serial(), Date.from(r.revokedAt()), CRLReason.cessationOfOperation);
            }
            b.addExtension(Extension.cRLNumber, false, new CRLNumber(crlNumber));
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(caCertificate));
            X509CRLHolder holder = b.build(signer(caKey));
            return new JcaX509CRLConverter().getCRL(holder);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("CRL signing failed", e);
        }
    }

    private static ContentSigner signer(PrivateKey key) {
        try {
            return new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("no ECDSA signer", e);
        }
    }

    private static X509Certificate toCertificate(X509v3CertificateBuilder b, ContentSigner signer)
            throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    }

    private static BigInteger serial(SecureRandom random) {
        byte[] b = new byte[16];
        random.nextBytes(b);
        b[0] &= 0x7f;
        return new BigInteger(1, b).add(BigInteger.ONE);
    }
}
