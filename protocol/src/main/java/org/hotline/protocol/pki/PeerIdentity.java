package org.hotline.protocol.pki;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;

/**
 * Who a validated certificate speaks for: the role (or {@code relay}) from its CN, its party,
 * purpose, serial and SHA-256 fingerprint. Produced only by {@link CertificateValidator}.
 */
public record PeerIdentity(String role, String party, CertificatePurpose purpose, String serialHex,
                           String fingerprint, Instant notAfter, X509Certificate certificate) {
    public PeerIdentity {
        Objects.requireNonNull(role);
        Objects.requireNonNull(purpose);
        Objects.requireNonNull(certificate);
    }

    @Override
    public String toString() {
        return "PeerIdentity[" + role + " " + purpose + " serial " + serialHex + "]";
    }
}
