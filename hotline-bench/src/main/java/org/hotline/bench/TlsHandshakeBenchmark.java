package org.hotline.bench;

import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.hotline.protocol.pki.CertificateAuthority;
import org.hotline.protocol.pki.CertificatePurpose;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Complete TLS 1.3 handshakes with mutual authentication, in memory (two JDK SSLEngines, no
 * sockets), with leaf certificates of each candidate algorithm under the same P-256 exercise CA.
 * This is the measurement behind docs/adr/0003. Each operation is one full handshake, both sides.
 * It builds plain JDK contexts with PKIX trust on purpose instead of {@code TlsContexts}: it compares
 * leaf algorithms (an Ed25519 leaf) that the product's trust manager refuses by design, and it
 * measures the JDK handshake itself, without Netty.
 * Run: {@code java -jar hotline-bench/target/hotline-bench.jar TlsHandshake -f 1 -wi 3 -i 5}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TlsHandshakeBenchmark {

    @Param({"P-256", "Ed25519"})
    public String leafAlgorithm;

    private SSLContext serverContext;
    private SSLContext clientContext;
    // The benchmark's state is its entry point: one random source for keys, certificates and TLS.
    private final SecureRandom random = new SecureRandom();

    @Setup
    public void setUp() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("bench", Clock.systemUTC(), random);
        KeyPair serverKey = leafKey();
        KeyPair clientKey = leafKey();
        X509Certificate serverCert = ca.issue(CertificatePurpose.RELAY_TLS, "relay", "Relay",
                SubjectPublicKeyInfo.getInstance(serverKey.getPublic().getEncoded()), Duration.ofDays(1));
        X509Certificate clientCert = ca.issue(CertificatePurpose.ROLE_TLS, "in.pm", "India",
                SubjectPublicKeyInfo.getInstance(clientKey.getPublic().getEncoded()), Duration.ofDays(1));
        serverContext = context(serverKey, serverCert, ca.certificate());
        clientContext = context(clientKey, clientCert, ca.certificate());
    }

    private KeyPair leafKey() throws Exception {
        if (leafAlgorithm.equals("Ed25519")) {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        }
        return CertificateAuthority.newP256KeyPair(random);
    }

    private SSLContext context(KeyPair key, X509Certificate cert, X509Certificate ca) throws Exception {
        char[] pw = "bench".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("key", key.getPrivate(), pw, new Certificate[] {cert, ca});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, pw);
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), random);
        return ctx;
    }

    @Benchmark
    public boolean mutualHandshake() throws Exception {
        SSLEngine client = clientContext.createSSLEngine("localhost", 443);
        client.setUseClientMode(true);
        client.setEnabledProtocols(new String[] {"TLSv1.3"});
        SSLEngine server = serverContext.createSSLEngine();
        server.setUseClientMode(false);
        server.setNeedClientAuth(true);
        server.setEnabledProtocols(new String[] {"TLSv1.3"});
        int size = client.getSession().getPacketBufferSize();
        ByteBuffer c2s = ByteBuffer.allocate(size * 4);
        ByteBuffer s2c = ByteBuffer.allocate(size * 4);
        ByteBuffer app = ByteBuffer.allocate(client.getSession().getApplicationBufferSize() * 2);
        ByteBuffer empty = ByteBuffer.allocate(0);
        client.beginHandshake();
        server.beginHandshake();
        for (int i = 0; i < 100; i++) {
            step(client, empty, c2s, s2c, app);
            step(server, empty, s2c, c2s, app);
            if (done(client) && done(server)) {
                return true;
            }
        }
        throw new SSLException("handshake did not finish");
    }

    private static boolean done(SSLEngine e) {
        SSLEngineResult.HandshakeStatus s = e.getHandshakeStatus();
        return s == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING || s == SSLEngineResult.HandshakeStatus.FINISHED;
    }

    /** Runs delegated tasks, wraps into {@code out}, and unwraps what the peer left in {@code in}. */
    private static void step(SSLEngine e, ByteBuffer empty, ByteBuffer out, ByteBuffer in, ByteBuffer app)
            throws SSLException {
        Runnable task;
        while ((task = e.getDelegatedTask()) != null) {
            task.run();
        }
        e.wrap(empty, out);
        in.flip();
        while (in.hasRemaining()) {
            SSLEngineResult r = e.unwrap(in, app);
            while ((task = e.getDelegatedTask()) != null) {
                task.run();
            }
            if (r.getStatus() != SSLEngineResult.Status.OK || r.bytesConsumed() == 0) {
                break;
            }
        }
        in.compact();
        app.clear();
        while ((task = e.getDelegatedTask()) != null) {
            task.run();
        }
    }
}
