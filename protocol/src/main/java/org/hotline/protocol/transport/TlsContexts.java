package org.hotline.protocol.transport;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.ExerciseTrustManager;
import org.hotline.protocol.pki.RelayCredential;
import org.hotline.protocol.pki.RoleCredential;

/**
 * Every TLS context hotline builds, relay and client, product and load generator, in one place so
 * that they cannot drift apart. All of them: the JDK provider, TLS 1.3 only, the JDK's default
 * TLS 1.3 cipher suites, mutual authentication (the server requires a client certificate, the
 * client always presents its role's chain). PROTOCOL.md §1, §3.5 and §9.
 *
 * <p>This lives in {@code transport} because it returns Netty's {@link SslContext}, which every
 * pipeline installs; the trust decision itself is {@link ExerciseTrustManager} in {@code pki}
 * and uses only JDK types.
 *
 * <p>Security guarantees of the product contexts ({@link #forRelay}, {@link #forParticipant}):
 * on every handshake the peer's leaf certificate is checked by the current
 * {@link CertificateValidator} (issued by the exercise CA, within its validity, not on the CRL in
 * force, marked for the purpose: a role's {@code tls} certificate towards the relay, the relay's
 * {@code relay-tls} certificate towards a client), at the time of the given clock. The client
 * additionally accepts only the relay named {@code expectedRelayName}. The validator is asked for
 * on each handshake, so a reloaded CRL applies to the next connection.
 */
public final class TlsContexts {

    /** The only protocol version offered or accepted (PROTOCOL.md §1). */
    public static final String TLS_VERSION = "TLSv1.3";

    private TlsContexts() {
    }

    /**
     * The relay's server context: presents the relay's TLS chain, requires a client certificate and
     * accepts only a valid role TLS certificate of this exercise.
     *
     * @param trust the validator in force, fetched per handshake (a reloaded CRL is a new validator)
     * @param clock the time the certificates are checked at
     */
    public static SslContext forRelay(RelayCredential credential, Supplier<CertificateValidator> trust, Clock clock)
            throws SSLException {
        return relayBase(credential).trustManager(ExerciseTrustManager.forRelay(trust, clock)).build();
    }

    /**
     * A participant's (role's) client context: presents the role's TLS chain and accepts only the
     * exercise relay's valid {@code relay-tls} certificate with the CN {@code expectedRelayName}. The
     * relay is identified by that name, not by the host it is reached at.
     *
     * @param trust the validator in force, fetched per handshake
     * @param clock the time the certificates are checked at
     * @param expectedRelayName the CN the relay's certificate must carry ({@code ExercisePki.RELAY_NAME})
     */
    public static SslContext forParticipant(RoleCredential credential, Supplier<CertificateValidator> trust,
                                            Clock clock, String expectedRelayName) throws SSLException {
        return participantBase(credential)
                .trustManager(ExerciseTrustManager.forClient(trust, clock, expectedRelayName)).build();
    }

    /**
     * The load generator's pass-through relay (the baseline it reports ratios to): the relay's TLS
     * chain, a client certificate required, and the JDK's standard PKIX check of that certificate's
     * chain to the exercise CA and its validity. It does NOT check the CRL, the certificate's purpose
     * (OU, key usage, extended key usage, key type) or that the CN is a role of the exercise. Only
     * for measuring the cost of bare TLS on a loopback benchmark, never for a relay that serves
     * participants.
     */
    public static SslContext forLoadGeneratorRelayTrustingCaOnly(RelayCredential credential) throws SSLException {
        return relayBase(credential).trustManager(credential.caCertificate()).build();
    }

    /**
     * The load generator's raw client: the role's TLS chain, and the JDK's standard PKIX check of the
     * relay's chain to the exercise CA, its validity, and the host name the handler is created for
     * against the certificate's SAN. It does NOT check the CRL, the certificate's purpose, or that it
     * is the relay's (any certificate the CA issued with a matching SAN is accepted). Only for the
     * load generator, which plays protocol peers against a relay on this machine.
     */
    public static SslContext forLoadGeneratorParticipantTrustingCaOnly(RoleCredential credential)
            throws SSLException {
        return participantBase(credential).trustManager(credential.caCertificate()).build();
    }

    private static SslContextBuilder relayBase(RelayCredential credential) {
        return SslContextBuilder.forServer(credential.tlsKey(), credential.tlsChain().toArray(new X509Certificate[0]))
                .sslProvider(SslProvider.JDK)
                .protocols(TLS_VERSION)
                .clientAuth(ClientAuth.REQUIRE);
    }

    private static SslContextBuilder participantBase(RoleCredential credential) {
        return SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .protocols(TLS_VERSION)
                .keyManager(credential.tlsKey(), credential.tlsChain().toArray(new X509Certificate[0]));
    }
}
