package org.hotline.client.core;

import java.io.IOException;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.hotline.protocol.crypto.IdentityPublicKey;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.ExerciseDirectory;
import org.hotline.protocol.pki.PkiException;

/**
 * Peers' identity keys, validated against the exercise CA and CRL. Parsing and validating the
 * certificate for every message and receipt cost about a millisecond each time; a validated key is
 * reused only while nothing that decided it has changed: the same validator (a reloaded CRL is a
 * new one), the same certificate file, byte for byte (a reissue rewrites it; modification times
 * can be too coarse to tell), and the certificate's validity window still covering now. Used on
 * the client core's thread only.
 */
public final class PeerIdentityKeys {

    /** A validated key with the certificate it came from, looked up together. */
    public record Identity(IdentityPublicKey key, X509Certificate certificate) {
    }

    private record Validated(CertificateValidator validator, byte[] file, Identity identity) {
    }

    private final ExerciseDirectory directory;
    private final Map<String, Validated> validated = new HashMap<>();

    public PeerIdentityKeys(ExerciseDirectory directory) {
        this.directory = directory;
    }

    /** Key and certificate in one lookup: what verified a message or receipt is what the audit log records. */
    public Identity identity(String role, CertificateValidator validator, Instant now) throws PkiException {
        byte[] file = read(role);
        Validated v = validated.get(role);
        if (v != null && file != null && v.validator() == validator && Arrays.equals(v.file(), file)
                && !now.isBefore(v.identity().certificate().getNotBefore().toInstant())
                && !now.isAfter(v.identity().certificate().getNotAfter().toInstant())) {
            return v.identity();
        }
        validated.remove(role);
        X509Certificate cert = directory.identityCertificateOf(role);
        Identity fresh = new Identity(validator.identityKey(cert, now), cert);
        if (file != null) {
            validated.put(role, new Validated(validator, file, fresh));
        }
        return fresh;
    }

    private byte[] read(String role) {
        try {
            return Files.readAllBytes(directory.identityCertificate(role));
        } catch (IOException | RuntimeException e) {
            return null; // unreadable: never cache; identityCertificateOf reports the problem
        }
    }
}
