package org.hotline.client.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.hotline.protocol.crypto.IdentityPublicKey;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.ExerciseDirectory;
import org.hotline.protocol.pki.PkiException;

/**
 * Peers' identity keys, validated against the exercise CA and CRL. Reading and validating the
 * certificate for every message and receipt cost about a millisecond each time; a validated key is
 * reused only while nothing that decided it has changed: the same validator (a reloaded CRL is a
 * new one), the same certificate file (a reissue rewrites it), and the certificate's validity
 * window still covering now. Used on the client core's thread only.
 */
final class PeerIdentityKeys {

    private record Validated(CertificateValidator validator, FileTime modified, long size, Instant notBefore,
                             Instant notAfter, IdentityPublicKey key, X509Certificate certificate) {
    }

    private final ExerciseDirectory directory;
    private final Map<String, Validated> validated = new HashMap<>();

    PeerIdentityKeys(ExerciseDirectory directory) {
        this.directory = directory;
    }

    IdentityPublicKey of(String role, CertificateValidator validator, Instant now) throws PkiException {
        return validated(role, validator, now).key();
    }

    /** The certificate {@link #of} took the key from, for the audit log. */
    X509Certificate certificateOf(String role, CertificateValidator validator, Instant now) throws PkiException {
        return validated(role, validator, now).certificate();
    }

    private Validated validated(String role, CertificateValidator validator, Instant now) throws PkiException {
        BasicFileAttributes file = attributes(role);
        Validated v = validated.get(role);
        if (v != null && file != null && v.validator() == validator && v.modified().equals(file.lastModifiedTime())
                && v.size() == file.size() && !now.isBefore(v.notBefore()) && !now.isAfter(v.notAfter())) {
            return v;
        }
        validated.remove(role);
        X509Certificate cert = directory.identityCertificateOf(role);
        IdentityPublicKey key = validator.identityKey(cert, now);
        Validated fresh = new Validated(validator, file == null ? FileTime.fromMillis(0) : file.lastModifiedTime(),
                file == null ? -1 : file.size(), cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant(), key, cert);
        if (file != null) {
            validated.put(role, fresh);
        }
        return fresh;
    }

    private BasicFileAttributes attributes(String role) {
        try {
            return Files.readAttributes(directory.identityCertificate(role), BasicFileAttributes.class);
        } catch (IOException | RuntimeException e) {
            return null; // unreadable: never cache; identityCertificateOf reports the problem
        }
    }
}
