package org.hotline.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.hotline.protocol.pki.CertificateAuthority;
import org.hotline.protocol.pki.CertificatePurpose;
import org.hotline.protocol.pki.RelayCredential;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.server.config.RelayConfig;
import org.hotline.server.net.RelayServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real client against an impostor: the real relay software, ready to say WELCOME, but
 * presenting a TLS certificate that is not the exercise relay's valid one (THREAT_MODEL.md §4: the
 * client identifies the relay by the exercise CA and the name {@code relay}, not by its address).
 * The client must never reach WELCOME and must say why.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ImpostorRelayTest {

    @TempDir
    Path tmp;
    TestExercise exercise;
    RelayCredential genuine;
    RelayServer relay;
    HotlineClient client;

    @BeforeEach
    void pki() throws Exception {
        exercise = TestExercise.create(tmp);
        genuine = exercise.relay();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    /** What the client reported, and whether the link was ever up (a WELCOME received). */
    record Watch(Recorder recorder, AtomicBoolean everConnected) {
    }

    Watch connectThrough(RelayCredential presented) throws Exception {
        relay = RelayServer.start(exercise.directory(), exercise.exercise(), presented,
                RelayConfig.defaults("127.0.0.1", 0, tmp.resolve("relay-data")), Clock.systemUTC());
        Watch w = new Watch(new Recorder(), new AtomicBoolean());
        ClientConfig c = ClientConfig.defaults(exercise.dir(), "in.pm", "127.0.0.1", relay.address().getPort(),
                tmp.resolve("in.pm")).withKdfIterations(TestExercise.TEST_KDF_ITERATIONS);
        client = HotlineClient.open(c, TestExercise.PASSPHRASE.toCharArray(), Clock.systemUTC());
        client.addListener(w.recorder());
        client.addListener(new ClientListener() {
            @Override
            public void linkStatusChanged(LinkStatus status) {
                if (status.connected()) {
                    w.everConnected().set(true);
                }
            }
        });
        client.start();
        return w;
    }

    /** Several connection attempts (the client retries with back-off), none of which may say WELCOME. */
    void assertRefused(Watch w, String reason) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!client.lastDisconnectReason().contains(reason) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(client.lastDisconnectReason()).startsWith("TLS handshake with the relay failed").contains(reason);
        Thread.sleep(2000);
        assertThat(w.everConnected).as("never welcomed by the impostor").isFalse();
        assertThat(client.linkStatus().connected()).isFalse();
    }

    @Test
    void control_theGenuineRelayCertificate_isAccepted() throws Exception {
        Watch w = connectThrough(genuine);
        ClientCoreTest.awaitLink(w.recorder(), LinkStatus::connected);
    }

    @Test
    void aRolesTlsCertificate_isRefused() throws Exception {
        RoleCredential role = exercise.role("in.nsa");
        assertRefused(connectThrough(new RelayCredential(role.tlsKey(), role.tlsCertificate(), genuine.identity(),
                genuine.identityCertificate(), genuine.caCertificate())), "certificate of in.nsa is not a relay-tls certificate");
    }

    @Test
    void theRelayOfAnotherExercise_withTheSameName_isRefused() throws Exception {
        RelayCredential foreign = TestExercise.create(tmp.resolve("foreign")).relay();
        assertRefused(connectThrough(new RelayCredential(foreign.tlsKey(), foreign.tlsCertificate(),
                genuine.identity(), genuine.identityCertificate(), foreign.caCertificate())), "certificate of relay was issued by another CA");
    }

    @Test
    void aRevokedRelayCertificate_isRefused() throws Exception {
        exercise.revoke("relay");
        assertRefused(connectThrough(genuine), "certificate of relay (serial " + genuine.tlsCertificate().getSerialNumber().toString(16)
                + ") was revoked");
    }

    @Test
    void aRelayCertificateIssuedToAnotherName_isRefused() throws Exception {
        CertificateAuthority ca = exercise.authority();
        KeyPair key = CertificateAuthority.newP256KeyPair(new SecureRandom());
        X509Certificate wrongName = ca.issue(CertificatePurpose.RELAY_TLS, "in.pm", "India",
                SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()), Duration.ofDays(1));
        assertRefused(connectThrough(new RelayCredential(key.getPrivate(), wrongName, genuine.identity(),
                genuine.identityCertificate(), genuine.caCertificate())), "certificate of in.pm is not for relay");
    }
}
