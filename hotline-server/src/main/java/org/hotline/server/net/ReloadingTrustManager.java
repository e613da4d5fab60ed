package org.hotline.server.net;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.hotline.protocol.pki.CertificatePurpose;
import org.hotline.protocol.pki.PkiException;
import org.hotline.server.relay.TrustState;

/**
 * Accepts a client certificate only if it is a role TLS certificate of this exercise that is valid
 * now and not on the current CRL ({@link TrustState}, reloaded while running). Never trust-all:
 * every check of {@code CertificateValidator} runs on every handshake.
 */
final class ReloadingTrustManager extends X509ExtendedTrustManager {

    private final TrustState trust;
    private final Clock clock;

    ReloadingTrustManager(TrustState trust, Clock clock) {
        this.trust = trust;
        this.clock = clock;
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("no client certificate");
        }
        try {
            trust.validator().validate(chain[0], CertificatePurpose.ROLE_TLS, clock.instant());
        } catch (PkiException e) {
            throw new CertificateException(e.getMessage());
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("the relay does not act as a TLS client");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("the relay does not act as a TLS client");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the relay does not act as a TLS client");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[] {trust.validator().caCertificate()};
    }
}
