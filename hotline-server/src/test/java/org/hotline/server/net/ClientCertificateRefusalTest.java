package org.hotline.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.pki.RelayCredential;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.Frame;
import org.hotline.server.testing.RelayFixture;
import org.hotline.server.testing.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The relay admits only a role's TLS certificate as a client certificate (THREAT_MODEL.md §8,
 * first row): a certificate of the exercise CA made for another purpose is refused with the reason in
 * the relay's log, and no WELCOME ever comes. A certificate revoked after the handshake gets no
 * WELCOME for the HELLO that follows the CRL reload.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientCertificateRefusalTest {

    @TempDir
    Path tmp;
    RelayFixture relay;
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private Logger netLog;
    private Level previous;

    @BeforeEach
    void start() throws Exception {
        netLog = (Logger) LoggerFactory.getLogger("org.hotline.server");
        previous = netLog.getLevel();
        netLog.setLevel(Level.INFO);
        captured.start();
        netLog.addAppender(captured);
        relay = new RelayFixture(tmp, c -> c);
    }

    @AfterEach
    void stop() {
        relay.close();
        netLog.detachAppender(captured);
        netLog.setLevel(previous);
    }

    @Test
    void theRelaysOwnServerCertificate_asAClientCertificate_isRefused() throws Exception {
        RelayCredential r = relay.exercise().relay();
        assertRefusedAtTheHandshake(r.tlsKey(), new X509Certificate[] {r.tlsCertificate(), r.caCertificate()},
                "certificate of relay is not a tls certificate");
    }

    @Test
    void aRolesIdentityCertificate_asAClientCertificate_isRefused() throws Exception {
        RoleCredential role = relay.exercise().role("in.pm");
        PrivateKey ed25519 = KeyFactory.getInstance("Ed25519").generatePrivate(new EdECPrivateKeySpec(
                NamedParameterSpec.ED25519, role.identity().exportPrivateKeyForStorage()));
        assertRefusedAtTheHandshake(ed25519, new X509Certificate[] {role.identityCertificate(), role.caCertificate()},
                "certificate of in.pm is not a tls certificate");
    }

    @Test
    void theHelloAfterACrlReloadThatRevokedTheClient_getsNoWelcome() throws Exception {
        RoleCredential before = relay.exercise().role("in.nsa");
        try (TestClient c = TestClient.connect(relay.address(), before, before.caCertificate())) {
            assertThat(c.handshake()).isTrue();
            awaitLog("connection opened: in.nsa");
            relay.exercise().revoke("in.nsa");
            awaitLog("reloaded CRL");
            // The reload's sweep may close the connection before the HELLO is written (then its send
            // fails); otherwise the HELLO is refused by the revocation check on HELLO. Either way the
            // same ERROR arrives and never a WELCOME.
            try {
                c.send(new Frame.Hello("after the reload"));
            } catch (Exception closedAlready) {
                assertThat(c.isOpen()).as("the send failed only because the relay had closed").isFalse();
            }
            Frame.Error e = c.expectError(ErrorCode.NOT_AUTHENTICATED);
            assertThat(e.text()).isEqualTo("your certificate has been revoked");
            assertThat(c.awaitClosed(Duration.ofSeconds(5))).isTrue();
            assertThat(c.next(Duration.ofMillis(200))).as("no WELCOME after the ERROR").isNull();
        }
        relay.assertStillServes();
    }

    void assertRefusedAtTheHandshake(PrivateKey key, X509Certificate[] chain, String reason) throws Exception {
        try (TestClient c = TestClient.connect(relay.address(), key, chain, relay.exercise().directory().caCertificate())) {
            // In TLS 1.3 the client may finish its side before the relay refuses its certificate.
            c.handshake();
            c.send(new Frame.Hello("wrong purpose"));
            assertThat(c.awaitClosed(Duration.ofSeconds(5))).isTrue();
            assertThat(c.next(Duration.ofMillis(200))).as("no WELCOME, no frame at all").isNull();
        }
        assertThat(awaitLog("TLS handshake with")).contains(reason);
        relay.assertStillServes();
    }

    String awaitLog(String fragment) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (ILoggingEvent e : captured.list.toArray(new ILoggingEvent[0])) {
                if (e.getFormattedMessage().contains(fragment)) {
                    return e.getFormattedMessage();
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no log line with '" + fragment + "'");
    }
}
