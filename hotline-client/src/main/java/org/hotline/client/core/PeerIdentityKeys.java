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
                             Instant notAfter, IdentityPublicKey key) {
    }

    private final ExerciseDirectory directory;
    private final Map<String, Validated> validated = new HashMap<>();

    PeerIdentityKeys(ExerciseDirectory directory) {
        this.directory = directory;
    }

    IdentityPublicKey of(String role, CertificateValidator validator, Instant now) throws PkiException {
        BasicFileAttributes file = attributes(role);
        Validated v = validated.get(role);
        if (v != null && file != null && v.validator() == validator && v.modified().equals(file.lastModifiedTime())
                && v.size() == file.size() && !now.isBefore(v.notBefore()) && !now.isAfter(v.notAfter())) {
            return v.key();
        }
        validated.remove(role);
        X509Certificate cert = directory.identityCertificateOf(role);
        IdentityPublicKey key = validator.identityKey(cert, now);
        if (file != null) {
            validated.put(role, new Validated(validator, file.lastModifiedTime(), file.size(),
                    cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant(), key));
        }
        return key;
    }

    private BasicFileAttributes attributes(String role) {
        try {
            return Files.readAttributes(directory.identityCertificate(role), BasicFileAttributes.class);
        } catch (IOException | RuntimeException e) {
            return null; // unreadable: never cache; identityCertificateOf reports the problem
        }
    }
}
