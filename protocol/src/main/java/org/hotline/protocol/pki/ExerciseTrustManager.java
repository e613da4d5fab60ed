package org.hotline.protocol.pki;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS trust decision for both ends of a hotline connection: the peer's leaf certificate must
 * pass every check of the current {@link CertificateValidator} for the expected purpose, on every
 * handshake. Never trust-all. The validator is fetched per handshake, so a reloaded CRL applies to
 * the next connection. Each side checks the peer in one direction only and refuses the other.
 */
public final class ExerciseTrustManager extends X509ExtendedTrustManager {

    private final Supplier<CertificateValidator> trust;
    private final Clock clock;
    private final boolean checksClients;
    private final CertificatePurpose purpose;
    private final String noCertificate;
    private final String refusedPrefix;
    private final String wrongDirection;
    /** The CN the peer's certificate must carry, or null when any valid role may connect. */
    private final String expectedName;

    private ExerciseTrustManager(Supplier<CertificateValidator> trust, Clock clock, boolean checksClients,
                                 CertificatePurpose purpose, String noCertificate, String refusedPrefix,
                                 String wrongDirection, String expectedName) {
        this.trust = trust;
        this.clock = clock;
        this.checksClients = checksClients;
        this.purpose = purpose;
        this.noCertificate = noCertificate;
        this.refusedPrefix = refusedPrefix;
        this.wrongDirection = wrongDirection;
        this.expectedName = expectedName;
    }

    /**
     * The relay's side: accepts a role's TLS certificate from a connecting client. Which role it is
     * (and whether that role is in the exercise) is decided after the handshake, by the relay's
     * peer-identity handler.
     */
    public static ExerciseTrustManager forRelay(Supplier<CertificateValidator> trust, Clock clock) {
        return new ExerciseTrustManager(trust, clock, true, CertificatePurpose.ROLE_TLS,
                "no client certificate", "", "the relay does not act as a TLS client", null);
    }

    /**
     * A client's side: accepts only the exercise relay's TLS certificate, and only with the CN
     * {@code expectedRelayName}. The relay is identified by that name, not by the host name it was
     * reached at (its certificate names only localhost and 127.0.0.1, certs/PROFILE.md).
     */
    public static ExerciseTrustManager forClient(Supplier<CertificateValidator> trust, Clock clock,
                                                 String expectedRelayName) {
        return new ExerciseTrustManager(trust, clock, false, CertificatePurpose.RELAY_TLS,
                "the relay sent no certificate", "relay certificate refused: ", "a client does not accept connections",
                java.util.Objects.requireNonNull(expectedRelayName));
    }

    private void check(boolean peerIsClient, X509Certificate[] chain) throws CertificateException {
        if (peerIsClient != checksClients) {
            throw new CertificateException(wrongDirection);
        }
        if (chain == null || chain.length == 0) {
            throw new CertificateException(noCertificate);
        }
        PeerIdentity peer;
        try {
            peer = trust.get().validate(chain[0], purpose, clock.instant());
        } catch (PkiException e) {
            throw new CertificateException(refusedPrefix + e.getMessage());
        }
        if (expectedName != null && !peer.role().equals(expectedName)) {
            throw new CertificateException(refusedPrefix + "certificate of " + peer.role() + " is not for "
                    + expectedName);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(true, chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(true, chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(true, chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(false, chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(false, chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(false, chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[] {trust.get().caCertificate()};
    }
}
