package org.hotline.protocol.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import org.hotline.protocol.crypto.IdentityKeyPair;

/**
 * The relay's keys, decrypted from {@code server.p12}: its TLS server key and certificate, and its
 * identity key that signs {@code accepted} receipts and the relay's metadata log.
 */
public record RelayCredential(PrivateKey tlsKey, X509Certificate tlsCertificate, IdentityKeyPair identity,
                              X509Certificate identityCertificate, X509Certificate caCertificate) {

    public RelayCredential {
        Objects.requireNonNull(tlsKey);
        Objects.requireNonNull(tlsCertificate);
        Objects.requireNonNull(identity);
        Objects.requireNonNull(identityCertificate);
        Objects.requireNonNull(caCertificate);
    }

    /** The exercise of this credential's CA: what every object it signs names (PROTOCOL.md §2.1). */
    public org.hotline.protocol.wire.ExerciseId exerciseId() {
        return CertificateValidator.exerciseIdOf(caCertificate);
    }

    /** The relay's name: the CN of its identity certificate ({@code relay}, or e.g. {@code relay-in}, PROTOCOL.md §13). */
    public String name() {
        return CertificateValidator.commonName(identityCertificate).orElse(ExercisePki.RELAY_NAME);
    }

    public List<X509Certificate> tlsChain() {
        return List.of(tlsCertificate, caCertificate);
    }

    @Override
    public String toString() {
        return "RelayCredential";
    }
}
