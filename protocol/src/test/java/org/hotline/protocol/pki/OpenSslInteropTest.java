package org.hotline.protocol.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.testing.TestExercise;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The credentials and certificates are standard: OpenSSL reads and verifies them. */
class OpenSslInteropTest {

    @TempDir
    static Path tmp;
    static TestExercise ex;

    @BeforeAll
    static void setUp() {
        assumeTrue(run(List.of("openssl", "version")).exitCode() == 0, "openssl not installed");
        ex = TestExercise.create(tmp);
    }

    record Result(int exitCode, String output) {
    }

    static Result run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return new Result(p.exitValue(), out);
        } catch (Exception e) {
            return new Result(-1, e.toString());
        }
    }

    @Test
    void opensslOpensRoleCredential_withPassphrase_andShowsStrongPbe() {
        Result r = run(List.of("openssl", "pkcs12", "-in", ex.directory().roleCredential("in.pm").toString(),
                "-passin", "pass:" + TestExercise.PASSPHRASE, "-info", "-nodes"));
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("PBES2, PBKDF2, AES-256-CBC").contains("MAC: sha256")
                .contains("friendlyName: tls").contains("friendlyName: identity").contains("Secret bag");
    }

    @Test
    void opensslRefusesWrongPassphrase() {
        Result r = run(List.of("openssl", "pkcs12", "-in", ex.directory().roleCredential("in.pm").toString(),
                "-passin", "pass:wrong", "-nodes"));
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.output()).containsIgnoringCase("mac verify error");
    }

    @Test
    void everyCertificate_chainsToTheCa_underOpensslVerify() throws Exception {
        Path certs = tmp.resolve("all.pem");
        Result dump = run(List.of("openssl", "pkcs12", "-in", ex.directory().roleCredential("pk.nsa").toString(),
                "-passin", "pass:" + TestExercise.PASSPHRASE, "-nokeys", "-out", certs.toString()));
        assertThat(dump.exitCode()).as(dump.output()).isZero();
        String pem = Files.readString(certs);
        int n = 0;
        for (String block : pem.split("(?=-----BEGIN CERTIFICATE-----)")) {
            if (!block.contains("BEGIN CERTIFICATE")) {
                continue;
            }
            Path one = tmp.resolve("c" + n++ + ".pem");
            Files.writeString(one, block.substring(block.indexOf("-----BEGIN")));
            Result v = run(List.of("openssl", "verify", "-CAfile", ex.dir().resolve("ca.crt").toString(),
                    "-crl_check", "-CRLfile", ex.dir().resolve("crl.pem").toString(), one.toString()));
            assertThat(v.output()).contains(": OK");
        }
        assertThat(n).isGreaterThanOrEqualTo(3);
        for (String role : new String[] {"relay", "in.pm", "pk.pm", "in.nsa", "pk.nsa"}) {
            Result v = run(List.of("openssl", "verify", "-CAfile", ex.dir().resolve("ca.crt").toString(),
                    ex.directory().identityCertificate(role).toString()));
            assertThat(v.output()).contains(": OK");
        }
    }

    @Test
    void revokedCertificate_failsOpensslCrlCheck(@TempDir Path other) throws Exception {
        TestExercise copy = TestExercise.create(other);
        copy.revoke("pk.pm");
        Result v = run(List.of("openssl", "verify", "-CAfile", copy.dir().resolve("ca.crt").toString(), "-crl_check",
                "-CRLfile", copy.dir().resolve("crl.pem").toString(),
                copy.directory().identityCertificate("pk.pm").toString()));
        assertThat(v.output()).contains("certificate revoked");
    }
}
