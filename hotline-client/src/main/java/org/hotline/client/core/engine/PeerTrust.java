package org.hotline.client.core.engine;

import java.time.Clock;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.ExerciseDirectory;
import org.hotline.protocol.pki.IdentityKeyCache;
import org.hotline.protocol.pki.PkiException;

/**
 * Whom this client trusts right now: the exercise CA with the CRL as last loaded (reloaded at every
 * WELCOME), and peers' identity keys validated against it. The TLS trust manager reads the
 * validator from the event loop, hence the volatile field; everything else is engine thread only.
 */
final class PeerTrust {

    private final ExerciseDirectory directory;
    private final IdentityKeyCache keys;
    private final Clock clock;
    private volatile CertificateValidator validator;

    PeerTrust(ExerciseDirectory directory, CertificateValidator validator, Clock clock) {
        this.directory = directory;
        this.validator = validator;
        this.clock = clock;
        this.keys = IdentityKeyCache.readingOnLookup(directory); // looked up on the engine thread only
    }

    CertificateValidator validator() {
        return validator;
    }

    ExerciseDirectory directory() {
        return directory;
    }

    /** Reads the CA and CRL again, so a revocation published since the last connect takes effect. */
    void reload() throws PkiException {
        validator = directory.validator();
    }

    /** {@code role}'s identity key and certificate, valid now. */
    IdentityKeyCache.Identity identity(String role) throws PkiException {
        return keys.identity(role, validator, clock.instant());
    }

    /**
     * The fingerprint of {@code role}'s identity certificate for display: of the key valid now, else
     * (a message stored earlier from a peer revoked or expired since) of the certificate on file.
     */
    String fingerprint(String role) {
        try {
            return CertificateValidator.fingerprint(identity(role).certificate());
        } catch (PkiException notValidNow) {
            try {
                return CertificateValidator.fingerprint(directory.identityCertificateOf(role));
            } catch (PkiException e) {
                return "?";
            }
        }
    }
}
