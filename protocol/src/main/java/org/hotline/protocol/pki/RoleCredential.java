package org.hotline.protocol.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hotline.protocol.crypto.IdentityKeyPair;
import org.hotline.protocol.crypto.PrekeyPair;

/**
 * Everything a participant's client needs, decrypted from {@code roles/<role>.p12}: the TLS key and
 * certificate, the identity signing key and certificate, the initial prekey, and the CA certificate.
 * Like every holder of private keys, it prints no key material.
 */
public record RoleCredential(String role, PrivateKey tlsKey, X509Certificate tlsCertificate,
                             IdentityKeyPair identity, X509Certificate identityCertificate,
                             Optional<PrekeyPair> initialPrekey, X509Certificate caCertificate) {

    public RoleCredential {
        Objects.requireNonNull(role);
        Objects.requireNonNull(tlsKey);
        Objects.requireNonNull(tlsCertificate);
        Objects.requireNonNull(identity);
        Objects.requireNonNull(identityCertificate);
        Objects.requireNonNull(initialPrekey);
        Objects.requireNonNull(caCertificate);
    }

    /** The exercise of this credential's CA: what every object it signs names (PROTOCOL.md §2.1). */
    public org.hotline.protocol.wire.ExerciseId exerciseId() {
        return CertificateValidator.exerciseIdOf(caCertificate);
    }

    public List<X509Certificate> tlsChain() {
        return List.of(tlsCertificate, caCertificate);
    }

    @Override
    public String toString() {
        return "RoleCredential[" + role + "]";
    }
}
