package org.hotline.bench;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The measurement behind the TLS certificate algorithm (docs/adr/0003): each TLS 1.3 handshake with
 * mutual authentication costs one CertificateVerify signature per side and certificate-chain and
 * CertificateVerify verifications, all on the JDK provider (JSSE does not use BouncyCastle here).
 * Run: {@code java -jar hotline-bench/target/hotline-bench.jar TlsSignature -f 1 -wi 3 -i 5}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TlsSignatureBenchmark {

    private final byte[] transcriptHash = new byte[32];
    private KeyPair ed25519;
    private KeyPair p256;
    private byte[] ed25519Signature;
    private byte[] p256Signature;

    @Setup
    public void setUp() throws Exception {
        ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        p256 = ec.generateKeyPair();
        ed25519Signature = jdkEd25519Sign();
        p256Signature = jdkP256Sign();
    }

    @Benchmark
    public byte[] jdkEd25519Sign() throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(ed25519.getPrivate());
        s.update(transcriptHash);
        return s.sign();
    }

    @Benchmark
    public boolean jdkEd25519Verify() throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(ed25519.getPublic());
        s.update(transcriptHash);
        return s.verify(ed25519Signature);
    }

    @Benchmark
    public byte[] jdkP256Sign() throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(p256.getPrivate());
        s.update(transcriptHash);
        return s.sign();
    }

    @Benchmark
    public boolean jdkP256Verify() throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initVerify(p256.getPublic());
        s.update(transcriptHash);
        return s.verify(p256Signature);
    }
}
