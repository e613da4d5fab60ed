package org.hotline.protocol.pki;

/**
 * What a certificate is for. One key per purpose: a TLS key never signs messages and an identity
 * key never authenticates a TLS connection. The purpose is marked in the subject's OU and enforced
 * through key usage and extended key usage (certs/PROFILE.md).
 */
public enum CertificatePurpose {
    /** ECDSA P-256, EKU clientAuth: a role's TLS client certificate. */
    ROLE_TLS("tls"),
    /** Ed25519, KU digitalSignature + nonRepudiation, no EKU: signs messages, receipts, prekeys, audit checkpoints. */
    IDENTITY("identity"),
    /** ECDSA P-256, EKU serverAuth, SAN localhost + 127.0.0.1: the relay's TLS certificate. */
    RELAY_TLS("relay-tls");

    private final String organizationalUnit;

    CertificatePurpose(String organizationalUnit) {
        this.organizationalUnit = organizationalUnit;
    }

    public String organizationalUnit() {
        return organizationalUnit;
    }
}
