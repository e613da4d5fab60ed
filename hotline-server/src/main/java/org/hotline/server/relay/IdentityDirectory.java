package org.hotline.server.relay;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hotline.protocol.crypto.IdentityPublicKey;
import org.hotline.protocol.pki.CertificatePurpose;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.PeerIdentity;
import org.hotline.protocol.pki.ExerciseDirectory;
import org.hotline.protocol.pki.PkiException;

/**
 * Roles' identity keys, taken from {@code identities/<role>.crt} and validated against the current
 * CA and CRL. Results are cached per CRL: a reloaded CRL invalidates the cache, so a revoked
 * identity stops verifying at the next reload; a cached key is used only while its certificate is
 * within its validity period.
 */
public final class IdentityDirectory {

    /** A validated key with the certificate it came from, looked up together. */
    public record Identity(IdentityPublicKey key, X509Certificate certificate) {
    }

    private record Cached(CertificateValidator validator, Identity identity) {
    }

    private final ExerciseDirectory directory;
    private final TrustState trust;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public IdentityDirectory(ExerciseDirectory directory, TrustState trust, Clock clock) {
        this.directory = directory;
        this.trust = trust;
        this.clock = clock;
    }

    /** @throws PkiException if the role's identity certificate is missing, expired, revoked or foreign */
    public IdentityPublicKey keyOf(String role) throws PkiException {
        return identityOf(role).key();
    }

    /** The key and its certificate in one lookup: what verified a receipt is what the audit log records. */
    public Identity identityOf(String role) throws PkiException {
        CertificateValidator v = trust.validator();
        Cached c = cache.get(role);
        java.time.Instant now = clock.instant();
        if (c != null && c.validator() == v && !now.isBefore(c.identity().certificate().getNotBefore().toInstant())
                && !now.isAfter(c.identity().certificate().getNotAfter().toInstant())) {
            return c.identity();
        }
        var cert = directory.identityCertificateOf(role);
        PeerIdentity id = v.validate(cert, CertificatePurpose.IDENTITY, now);
        if (!id.role().equals(role)) {
            throw new PkiException(PkiException.Reason.WRONG_PURPOSE,
                    "identities/" + role + ".crt is a certificate for " + id.role());
        }
        Identity fresh = new Identity(CertificateValidator.identityKeyOf(cert), cert);
        cache.put(role, new Cached(v, fresh));
        return fresh;
    }
}
