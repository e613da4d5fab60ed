package org.hotline.protocol.pki;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.hotline.protocol.crypto.CryptoException;
import org.hotline.protocol.crypto.IdentityPublicKey;
import org.hotline.protocol.crypto.KeyFormats;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Names;

/**
 * Decides whether a certificate speaks for a role: issued by this exercise's CA, inside its
 * validity period, not on the CRL, and marked for the purpose it is used for. The checks run in
 * that order and the first failure is reported in one line naming the role and the problem.
 */
public final class CertificateValidator {

    private static final String OID_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String OID_SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final int KU_DIGITAL_SIGNATURE = 0;
    private static final int KU_NON_REPUDIATION = 1;

    private final X509Certificate ca;
    private final X509CRL crl;

    private CertificateValidator(X509Certificate ca, X509CRL crl) {
        this.ca = ca;
        this.crl = crl;
    }

    /** @throws PkiException if the CRL was not signed by {@code ca} */
    public static CertificateValidator of(X509Certificate ca, X509CRL crl) throws PkiException {
        try {
            crl.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new PkiException(PkiException.Reason.UNTRUSTED_ISSUER, "CRL is not signed by the exercise CA");
        }
        return new CertificateValidator(ca, crl);
    }

    /**
     * A validator that checks issuer, validity and purpose but no revocation: for offline tools
     * given only a CA certificate. Callers must say that revocation was not checked.
     */
    public static CertificateValidator withoutRevocation(X509Certificate ca) {
        return new CertificateValidator(ca, null);
    }

    public boolean checksRevocation() {
        return crl != null;
    }

    public X509Certificate caCertificate() {
        return ca;
    }

    public X509CRL crl() {
        return crl;
    }

    /** True when the CRL's nextUpdate has passed: revocations may be missing. Callers warn. */
    public boolean crlIsStale(Instant now) {
        return crl != null && crl.getNextUpdate() != null && now.isAfter(crl.getNextUpdate().toInstant());
    }

    public PeerIdentity validate(X509Certificate cert, CertificatePurpose purpose, Instant now) throws PkiException {
        return validate(cert, purpose, now, true);
    }

    /**
     * Every check of {@link #validate} except revocation, for a caller that then judges the
     * revocation itself against a trusted time ({@link #revokedAt}): a receiver deciding whether a
     * message was accepted by the relay before its sender's certificate was revoked (PROTOCOL.md
     * §4.4). It does NOT check the CRL: a caller that skips {@link #revokedAt} accepts revoked
     * certificates.
     */
    public PeerIdentity validateExceptRevocation(X509Certificate cert, CertificatePurpose purpose, Instant now)
            throws PkiException {
        return validate(cert, purpose, now, false);
    }

    /** When the CRL says {@code cert} was revoked; empty if it is not listed (or no CRL is loaded). */
    public Optional<Instant> revokedAt(X509Certificate cert) {
        X509CRLEntry revoked = crl == null ? null : crl.getRevokedCertificate(cert);
        return revoked == null ? Optional.empty() : Optional.of(revoked.getRevocationDate().toInstant());
    }

    private PeerIdentity validate(X509Certificate cert, CertificatePurpose purpose, Instant now,
                                  boolean checkRevocation) throws PkiException {
        String cn = commonName(cert).orElse("?");
        String who = "certificate of " + cn;
        if (now.isAfter(ca.getNotAfter().toInstant()) || now.isBefore(ca.getNotBefore().toInstant())) {
            throw new PkiException(PkiException.Reason.EXPIRED, "the exercise CA certificate is not valid at " + now
                    + " (valid " + ca.getNotBefore().toInstant() + " to " + ca.getNotAfter().toInstant() + ")");
        }
        if (!cert.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            throw new PkiException(PkiException.Reason.UNTRUSTED_ISSUER,
                    who + " was issued by another CA (" + cert.getIssuerX500Principal().getName() + ")");
        }
        try {
            cert.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new PkiException(PkiException.Reason.UNTRUSTED_ISSUER,
                    who + " is not signed by this exercise's CA");
        }
        if (now.isBefore(cert.getNotBefore().toInstant())) {
            throw new PkiException(PkiException.Reason.NOT_YET_VALID,
                    who + " is not valid before " + cert.getNotBefore().toInstant());
        }
        if (now.isAfter(cert.getNotAfter().toInstant())) {
            throw new PkiException(PkiException.Reason.EXPIRED,
                    who + " expired on " + cert.getNotAfter().toInstant());
        }
        X509CRLEntry revoked = crl == null || !checkRevocation ? null : crl.getRevokedCertificate(cert);
        if (revoked != null) {
            throw new PkiException(PkiException.Reason.REVOKED,
                    who + " (serial " + cert.getSerialNumber().toString(16) + ") was revoked on "
                            + revoked.getRevocationDate().toInstant());
        }
        checkPurpose(cert, purpose, who);
        if (!Names.isValid(cn)) {
            throw new PkiException(PkiException.Reason.MALFORMED, who + " has no valid role name in its CN");
        }
        return new PeerIdentity(cn, rdn(cert, "O").orElse(""), purpose, cert.getSerialNumber().toString(16),
                fingerprint(cert), cert.getNotAfter().toInstant(), cert);
    }

    /** Validates an identity certificate and returns its Ed25519 key. */
    public IdentityPublicKey identityKey(X509Certificate cert, Instant now) throws PkiException {
        validate(cert, CertificatePurpose.IDENTITY, now);
        return identityKeyOf(cert);
    }

    /** The Ed25519 key in an identity certificate, without validation (for offline tools that validate separately). */
    public static IdentityPublicKey identityKeyOf(X509Certificate cert) throws PkiException {
        try {
            return KeyFormats.identityPublicKey(cert.getPublicKey().getEncoded());
        } catch (IllegalArgumentException | CryptoException e) {
            throw new PkiException(PkiException.Reason.WRONG_PURPOSE,
                    "certificate of " + commonName(cert).orElse("?") + " does not hold an Ed25519 identity key");
        }
    }

    private static void checkPurpose(X509Certificate cert, CertificatePurpose purpose, String who)
            throws PkiException {
        boolean[] ku = cert.getKeyUsage();
        List<String> eku;
        try {
            eku = Optional.ofNullable(cert.getExtendedKeyUsage()).orElse(List.of());
        } catch (CertificateParsingException e) {
            throw new PkiException(PkiException.Reason.MALFORMED, who + " has a malformed extended key usage");
        }
        String ou = rdn(cert, "OU").orElse("");
        String keyAlg = cert.getPublicKey().getAlgorithm();
        boolean ok = ou.equals(purpose.organizationalUnit()) && ku != null && ku[KU_DIGITAL_SIGNATURE]
                && cert.getBasicConstraints() == -1;
        ok &= switch (purpose) {
            case ROLE_TLS -> eku.contains(OID_CLIENT_AUTH) && isP256(cert);
            case RELAY_TLS -> eku.contains(OID_SERVER_AUTH) && isP256(cert);
            case IDENTITY -> ku != null && ku[KU_NON_REPUDIATION] && eku.isEmpty()
                    && (keyAlg.equals("Ed25519") || keyAlg.equals("EdDSA"));
        };
        if (!ok) {
            throw new PkiException(PkiException.Reason.WRONG_PURPOSE,
                    who + " is not a " + purpose.organizationalUnit() + " certificate");
        }
    }

    private static boolean isP256(X509Certificate cert) {
        return cert.getPublicKey() instanceof java.security.interfaces.ECPublicKey ec
                && ec.getParams().getCurve().getField().getFieldSize() == 256
                && ec.getParams().getOrder().bitLength() == 256;
    }

    public static Optional<String> commonName(X509Certificate cert) {
        return rdn(cert, "CN");
    }

    private static Optional<String> rdn(X509Certificate cert, String type) {
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase(type)) {
                    return Optional.of(rdn.getValue().toString());
                }
            }
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * The exercise id every signed object of this exercise names (PROTOCOL.md §2.1, §9.1): SHA-256
     * over the CA certificate's DER encoding, the same 32 bytes as its {@link #fingerprint}.
     */
    public static ExerciseId exerciseIdOf(X509Certificate caCertificate) {
        try {
            return ExerciseId.of(MessageDigest.getInstance("SHA-256").digest(caCertificate.getEncoded()));
        } catch (CertificateEncodingException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The id of the exercise whose CA this validator trusts. */
    public ExerciseId exerciseId() {
        return exerciseIdOf(caCertificate());
    }

    /** SHA-256 over the DER certificate, uppercase hex with colons (as {@code openssl x509 -fingerprint -sha256}). */
    public static String fingerprint(X509Certificate cert) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
        } catch (CertificateEncodingException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
