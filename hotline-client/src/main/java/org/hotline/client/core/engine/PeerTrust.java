package org.hotline.client.core.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.Optional;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.ExerciseDirectory;
import org.hotline.protocol.pki.IdentityKeyCache;
import org.hotline.protocol.pki.PkiException;

/**
 * Whom this client trusts right now: the exercise CA with the CRL as last loaded (reloaded at every
 * WELCOME, and before a delivered message is judged if the CRL file changed since, PROTOCOL.md §4.4),
 * and peers' identity keys validated against it. The TLS trust manager reads the
 * validator from the event loop, hence the volatile field; everything else is engine thread only.
 */
final class PeerTrust {

    private final ExerciseDirectory directory;
    private final IdentityKeyCache keys;
    private final Clock clock;
    /** The CRL file, resolved once: it is looked at before every delivered message is judged. */
    private final Path crlFile;
    private volatile CertificateValidator validator;
    /** Modification time, size and file key of the CRL file when last loaded; empty until the first reload. */
    private Optional<CrlStamp> loadedCrlStamp = Optional.empty();

    /**
     * What tells that the CRL file changed. Compared as values: the check runs per delivered message,
     * so it costs one {@code stat} and no formatting.
     */
    private record CrlStamp(FileTime modified, long size, Object fileKey) {
    }

    PeerTrust(ExerciseDirectory directory, CertificateValidator validator, Clock clock) {
        this.directory = directory;
        this.crlFile = directory.resolve(ExerciseDirectory.CRL);
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
        Optional<CrlStamp> stamp = crlStamp();
        validator = directory.validator();
        loadedCrlStamp = stamp;
    }

    /**
     * Reloads the CA and CRL if the CRL file changed since it was last loaded (or was never loaded
     * here): a revocation the facilitator published while this client stayed connected is judged
     * with, not after, the next message. Returns whether it reloaded.
     */
    boolean reloadIfCrlChanged() throws PkiException {
        Optional<CrlStamp> stamp = crlStamp();
        if (loadedCrlStamp.isPresent() && loadedCrlStamp.equals(stamp)) {
            return false;
        }
        reload();
        return true;
    }

    /** The CRL file's modification time and size, or empty if it cannot be read (the reload says why). */
    private Optional<CrlStamp> crlStamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(crlFile, BasicFileAttributes.class);
            return Optional.of(new CrlStamp(a.lastModifiedTime(), a.size(), a.fileKey()));
        } catch (IOException e) {
            return Optional.empty();
        }
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
