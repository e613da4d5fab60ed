package org.hotline.protocol.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.hotline.protocol.pki.CertificateAuthority;
import org.hotline.protocol.pki.CertificatePurpose;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.ExercisePki;
import org.hotline.protocol.pki.RelayCredential;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.testing.TestExercise;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one TLS-context builder: real PKI, in-memory handshakes between two engines. */
class TlsContextsTest {

    @TempDir
    static Path tmp;

    static TestExercise ex;
    static CertificateValidator validator;
    static RoleCredential role;
    static RelayCredential relay;

    @BeforeAll
    static void exercise() throws Exception {
        ex = TestExercise.create(tmp);
        validator = ex.directory().validator();
        role = ex.role("in.pm");
        relay = ex.relay();
    }

    @Test
    void relayAndParticipant_completeAMutualTls13Handshake() throws Exception {
        SSLEngine client = participant(role).newEngine(ByteBufAllocator.DEFAULT, "localhost", 4443);
        SSLEngine server = relay(relay).newEngine(ByteBufAllocator.DEFAULT);

        handshake(client, server);

        assertThat(client.getSession().getProtocol()).isEqualTo("TLSv1.3");
        X509Certificate presented = (X509Certificate) server.getSession().getPeerCertificates()[0];
        assertThat(CertificateValidator.commonName(presented)).contains("in.pm");
    }

    @Test
    void participant_refusesARelayCertificateIssuedToAnotherName() throws Exception {
        CertificateAuthority ca = ex.authority();
        KeyPair key = CertificateAuthority.newP256KeyPair(new SecureRandom());
        X509Certificate impostor = ca.issue(CertificatePurpose.RELAY_TLS, "in.pm", "India",
                SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()), Duration.ofDays(1));
        RelayCredential wrongName = new RelayCredential(key.getPrivate(), impostor, relay.identity(),
                relay.identityCertificate(), relay.caCertificate());
        SSLEngine client = participant(role).newEngine(ByteBufAllocator.DEFAULT, "localhost", 4443);
        SSLEngine server = relay(wrongName).newEngine(ByteBufAllocator.DEFAULT);

        assertThatThrownBy(() -> handshake(client, server)).isInstanceOf(SSLException.class)
                .hasStackTraceContaining("is not for " + ExercisePki.RELAY_NAME);
    }

    @Test
    void relay_refusesARelayCertificateOfferedAsAClientCertificate() throws Exception {
        RoleCredential relayAsRole = new RoleCredential("relay", relay.tlsKey(), relay.tlsCertificate(),
                role.identity(), role.identityCertificate(), role.initialPrekey(), role.caCertificate());
        SSLEngine client = participant(relayAsRole).newEngine(ByteBufAllocator.DEFAULT, "localhost", 4443);
        SSLEngine server = relay(relay).newEngine(ByteBufAllocator.DEFAULT);

        assertThatThrownBy(() -> handshake(client, server)).isInstanceOf(SSLException.class)
                .hasStackTraceContaining("is not a tls certificate");
    }

    @Test
    void everyContext_offersTls13Only_andEveryServerRequiresAClientCertificate() throws Exception {
        List<SslContext> servers = List.of(relay(relay), TlsContexts.forLoadGeneratorRelayTrustingCaOnly(relay));
        List<SslContext> clients = List.of(participant(role),
                TlsContexts.forLoadGeneratorParticipantTrustingCaOnly(role));
        for (SslContext s : servers) {
            SSLEngine e = s.newEngine(ByteBufAllocator.DEFAULT);
            assertThat(e.getEnabledProtocols()).containsExactly("TLSv1.3");
            assertThat(e.getNeedClientAuth()).isTrue();
        }
        for (SslContext c : clients) {
            assertThat(c.newEngine(ByteBufAllocator.DEFAULT).getEnabledProtocols()).containsExactly("TLSv1.3");
        }
    }

    private static SslContext relay(RelayCredential credential) throws SSLException {
        return TlsContexts.forRelay(credential, () -> validator, Clock.systemUTC());
    }

    private static SslContext participant(RoleCredential credential) throws SSLException {
        return TlsContexts.forParticipant(credential, () -> validator, Clock.systemUTC(), ExercisePki.RELAY_NAME);
    }

    /** Runs both engines until both finish; throws what either side threw. */
    private static void handshake(SSLEngine client, SSLEngine server) throws SSLException {
        int size = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        ByteBuffer c2s = ByteBuffer.allocate(size * 4);
        ByteBuffer s2c = ByteBuffer.allocate(size * 4);
        ByteBuffer app = ByteBuffer.allocate(size * 4);
        client.beginHandshake();
        server.beginHandshake();
        for (int i = 0; i < 100; i++) {
            step(client, c2s, s2c, app);
            step(server, s2c, c2s, app);
            if (done(client) && done(server)) {
                return;
            }
        }
        throw new SSLException("handshake did not finish");
    }

    private static boolean done(SSLEngine e) {
        SSLEngineResult.HandshakeStatus s = e.getHandshakeStatus();
        return s == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING || s == SSLEngineResult.HandshakeStatus.FINISHED;
    }

    private static void step(SSLEngine e, ByteBuffer out, ByteBuffer in, ByteBuffer app) throws SSLException {
        runTasks(e);
        e.wrap(ByteBuffer.allocate(0), out);
        in.flip();
        while (in.hasRemaining()) {
            SSLEngineResult r = e.unwrap(in, app);
            runTasks(e);
            if (r.getStatus() != SSLEngineResult.Status.OK || r.bytesConsumed() == 0) {
                break;
            }
        }
        in.compact();
        app.clear();
        runTasks(e);
    }

    private static void runTasks(SSLEngine e) {
        Runnable task;
        while ((task = e.getDelegatedTask()) != null) {
            task.run();
        }
    }
}
