package org.hotline.protocol.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.hotline.protocol.crypto.MessageSealer;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.crypto.VerifiedPrekey;
import org.hotline.protocol.testing.Messages;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real exercise PKI generated once for the class; each failure mode loads a real credential. */
class ExercisePkiTest {

    @TempDir
    static Path tmp;
    static TestExercise ex;

    @BeforeAll
    static void createExercise() {
        ex = TestExercise.create(tmp);
    }

    private static char[] pass() {
        return TestExercise.PASSPHRASE.toCharArray();
    }

    @Test
    void init_writesEveryFileOfTheLayout() {
        Path d = ex.dir();
        assertThat(d.resolve("exercise.json")).exists();
        assertThat(d.resolve("ca.crt")).exists();
        assertThat(d.resolve("crl.pem")).exists();
        assertThat(d.resolve("server.p12")).exists();
        assertThat(d.resolve("ca/ca.p12")).exists();
        for (String role : new String[] {"in.pm", "pk.pm", "in.nsa", "pk.nsa"}) {
            assertThat(d.resolve("roles/" + role + ".p12")).exists();
            assertThat(d.resolve("identities/" + role + ".crt")).exists();
            assertThat(d.resolve("prekeys/" + role + ".prekey")).exists();
        }
        assertThat(d.resolve("passphrases.txt")).doesNotExist();
    }

    @Test
    void loadRole_withRightPassphrase_givesValidatedKeysForThatRole() throws Exception {
        RoleCredential c = ex.role("in.pm");
        assertThat(c.role()).isEqualTo("in.pm");
        assertThat(CertificateValidator.commonName(c.tlsCertificate())).contains("in.pm");
        assertThat(CertificateValidator.identityKeyOf(c.identityCertificate())).isEqualTo(c.identity().publicKey());
        assertThat(c.initialPrekey()).isPresent();
        assertThat(c.initialPrekey().get().signed())
                .isEqualTo(ex.directory().initialPrekeyOf("in.pm"));
        assertThat(c.toString()).doesNotContain("PRIVATE");
    }

    @Test
    void firstContact_worksFromTheExerciseDirectoryAlone() throws Exception {
        // in.pm seals to pk.pm using only public files; pk.pm opens with its credential's prekey.
        RoleCredential in = ex.role("in.pm");
        RoleCredential pk = ex.role("pk.pm");
        CertificateValidator v = ex.directory().validator();
        var pkIdentity = v.identityKey(ex.directory().identityCertificateOf("pk.pm"), Instant.now());
        VerifiedPrekey prekey = VerifiedPrekey.verify(ex.directory().initialPrekeyOf("pk.pm"), "pk.pm", pkIdentity,
                v.exerciseId(), Instant.now());
        assertThat(in.exerciseId()).isEqualTo(v.exerciseId()).isEqualTo(pk.exerciseId());
        var signed = MessageSigner.sign(in.identity(), Messages.header(in.exerciseId(), "in.pm", "pk.pm", 1,
                new SecureRandom()), Messages.readinessSignal());
        Frame.Send send = MessageSealer.seal(signed, java.util.List.of(prekey), new SecureRandom());
        var opened = MessageSealer.open(new Frame.Deliver(send.messageId(), "in.pm", "leaders", Instant.now(),
                send.boxes().get(0)), pk.initialPrekey().orElseThrow());
        MessageSigner.verify(opened, v.identityKey(ex.directory().identityCertificateOf("in.pm"), Instant.now()),
                v.exerciseId());
        assertThat(opened).isEqualTo(signed);
    }

    @Test
    void loadRelay_givesServerTlsAndRelayIdentity() throws Exception {
        RelayCredential r = ex.relay();
        assertThat(r.tlsCertificate().getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
        assertThat(r.tlsCertificate().getSubjectAlternativeNames().stream().map(l -> String.valueOf(l.get(1))))
                .contains("localhost", "127.0.0.1");
    }

    @Test
    void loadRole_wrongPassphrase_saysSo() {
        assertThatThrownBy(() -> ex.directory().loadRole("in.pm", "wrong".toCharArray(), Instant.now()))
                .isInstanceOfSatisfying(PkiException.class,
                        e -> assertThat(e.reason()).isEqualTo(PkiException.Reason.WRONG_PASSPHRASE))
                .hasMessageContaining("wrong passphrase").hasMessageContaining("in.pm");
    }

    @Test
    void loadRole_missingFile_namesIt(@TempDir Path other) throws Exception {
        TestExercise copy = TestExercise.create(other);
        Files.delete(copy.directory().roleCredential("pk.nsa"));
        assertThatThrownBy(() -> copy.role("pk.nsa"))
                .isInstanceOfSatisfying(PkiException.class,
                        e -> assertThat(e.reason()).isEqualTo(PkiException.Reason.MISSING_FILE))
                .hasMessageContaining("pk.nsa.p12");
    }

    @Test
    void loadRole_unknownRole_listsTheRoles() {
        assertThatThrownBy(() -> ex.directory().loadRole("us.pres", pass(), Instant.now()))
                .hasMessageContaining("unknown role 'us.pres'").hasMessageContaining("in.pm");
    }

    @Test
    void loadRole_afterExpiry_saysExpired() {
        Instant later = Instant.now().plus(Duration.ofDays(200));
        assertThatThrownBy(() -> ex.directory().loadRole("in.pm", pass(), later))
                .isInstanceOfSatisfying(PkiException.class,
                        e -> assertThat(e.reason()).isEqualTo(PkiException.Reason.EXPIRED))
                .hasMessageContaining("certificate of in.pm expired on");
    }

    @Test
    void loadRole_afterTheCaExpired_saysSo() {
        Instant later = Instant.now().plus(Duration.ofDays(400));
        assertThatThrownBy(() -> ex.directory().loadRole("in.pm", pass(), later))
                .isInstanceOfSatisfying(PkiException.class,
                        e -> assertThat(e.reason()).isEqualTo(PkiException.Reason.EXPIRED))
                .hasMessageContaining("exercise CA certificate is not valid");
    }

    @Test
    void loadRole_revoked_saysRevoked(@TempDir Path other) throws Exception {
        TestExercise copy = TestExercise.create(other);
        copy.revoke("in.nsa");
        assertThatThrownBy(() -> copy.role("in.nsa"))
                .isInstanceOfSatisfying(PkiException.class,
                        e -> assertThat(e.reason()).isEqualTo(PkiException.Reason.REVOKED))
                .hasMessageContaining("revoked");
        assertThat(copy.role("in.pm").role()).isEqualTo("in.pm");
    }

    @Test
    void loadRole_credentialFromAnotherExercise_isUntrusted(@TempDir Path other) throws Exception {
        TestExercise foreign = TestExercise.create(other);
        Path target = other.resolve("mixed");
        copyTree(ex.dir(), target);
        Files.copy(foreign.directory().roleCredential("in.pm"), target.resolve("roles/in.pm.p12"),
                StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> new ExerciseDirectory(target).loadRole("in.pm", pass(), Instant.now()))
                .isInstanceOfSatisfying(PkiException.class,
                        e -> assertThat(e.reason()).isEqualTo(PkiException.Reason.UNTRUSTED_ISSUER))
                .hasMessageContaining("another CA");
    }

    @Test
    void validator_tlsCertificateUsedAsIdentity_isWrongPurpose() throws Exception {
        RoleCredential c = ex.role("pk.pm");
        assertThatThrownBy(() -> ex.directory().validator().validate(c.tlsCertificate(), CertificatePurpose.IDENTITY,
                Instant.now())).hasMessageContaining("not a identity certificate");
        assertThatThrownBy(() -> ex.directory().validator().validate(c.identityCertificate(),
                CertificatePurpose.ROLE_TLS, Instant.now())).hasMessageContaining("not a tls certificate");
    }

    @Test
    void validator_tlsCertificateOnAnotherCurve_isRefused() throws Exception {
        var g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
        var key = g.generateKeyPair();
        var caKey = readCaForTest();
        var cert = caKey.issue(CertificatePurpose.ROLE_TLS, "in.pm", "India",
                org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()),
                Duration.ofDays(1));
        assertThatThrownBy(() -> ex.directory().validator().validate(cert, CertificatePurpose.ROLE_TLS, Instant.now()))
                .hasMessageContaining("not a tls certificate");
    }

    private static CertificateAuthority readCaForTest() throws Exception {
        var c = Pkcs12File.read(ex.dir().resolve(ExerciseDirectory.CA_CREDENTIAL), pass(), "CA");
        return CertificateAuthority.restore(ExerciseDirectory.jcaKey(c.keys().get(0), "CA"),
                ex.directory().caCertificate(), Clock.systemUTC(), new SecureRandom());
    }

    @Test
    void credentialFile_usesAFreshSaltForEveryEncryptedPart() throws Exception {
        byte[] der = Files.readAllBytes(ex.directory().roleCredential("in.pm"));
        var pfx = new org.bouncycastle.pkcs.PKCS12PfxPdu(der);
        java.util.Set<String> salts = new java.util.HashSet<>();
        int parts = 0;
        for (var ci : pfx.getContentInfos()) {
            if (ci.getContentType().equals(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.encryptedData)) {
                var ed = org.bouncycastle.asn1.pkcs.EncryptedData.getInstance(ci.getContent());
                salts.add(ed.getEncryptionAlgorithm().getParameters().toString());
                parts++;
            } else {
                for (var bag : new org.bouncycastle.pkcs.PKCS12SafeBagFactory(ci).getSafeBags()) {
                    if (bag.getBagValue() instanceof org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo e) {
                        salts.add(e.toASN1Structure().getEncryptionAlgorithm().getParameters().toString());
                        parts++;
                    }
                }
            }
        }
        assertThat(parts).isEqualTo(3);
        assertThat(salts).hasSize(parts);
    }

    @Test
    void validator_crlNotSignedByCa_isRefused(@TempDir Path other) throws Exception {
        TestExercise foreign = TestExercise.create(other);
        assertThatThrownBy(() -> CertificateValidator.of(ex.directory().caCertificate(),
                Pem.readCrl(foreign.dir().resolve("crl.pem")))).hasMessageContaining("CRL is not signed");
    }

    @Test
    void init_intoNonEmptyDirectory_refusesToOverwrite() {
        ExercisePki pki = new ExercisePki(Clock.systemUTC(), new SecureRandom(), TestExercise.TEST_KDF_ITERATIONS);
        assertThatThrownBy(() -> pki.init(ex.dir(), "south-asia", Optional.of(pass())))
                .hasMessageContaining("not empty");
    }

    @Test
    void init_unknownTemplate_saysWhichExist(@TempDir Path other) {
        ExercisePki pki = new ExercisePki(Clock.systemUTC(), new SecureRandom(), TestExercise.TEST_KDF_ITERATIONS);
        assertThatThrownBy(() -> pki.init(other.resolve("x"), "north-pole", Optional.of(pass())))
                .hasMessageContaining("unknown template 'north-pole'");
    }

    @Test
    void init_withoutSharedPassphrase_writesOwnerOnlyPassphraseFile(@TempDir Path other) throws Exception {
        ExercisePki pki = new ExercisePki(Clock.systemUTC(), new SecureRandom(), TestExercise.TEST_KDF_ITERATIONS);
        var result = pki.init(other.resolve("gen"), "south-asia", Optional.empty());
        Path file = result.passphrasesFile().orElseThrow();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        char[] inPm = ExercisePki.passphraseFromFile(other.resolve("gen"), "in.pm").orElseThrow();
        char[] pkPm = ExercisePki.passphraseFromFile(other.resolve("gen"), "pk.pm").orElseThrow();
        assertThat(inPm).isNotEqualTo(pkPm).hasSize(29);
        assertThat(new ExerciseDirectory(other.resolve("gen")).loadRole("in.pm", inPm, Instant.now()).role())
                .isEqualTo("in.pm");
        assertThatThrownBy(() -> new ExerciseDirectory(other.resolve("gen")).loadRole("in.pm", pkPm, Instant.now()))
                .hasMessageContaining("wrong passphrase");
    }

    @Test
    void credentialFiles_areOwnerOnly() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ex.directory().roleCredential("in.pm"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ex.dir().resolve("ca"))))
                .isEqualTo("rwx------");
    }

    @Test
    void revoke_isIdempotent_andBumpsTheCrlNumber(@TempDir Path other) throws Exception {
        TestExercise copy = TestExercise.create(other);
        var first = copy.pki().revoke(copy.dir(), "pk.nsa", pass());
        var second = copy.pki().revoke(copy.dir(), "pk.nsa", pass());
        assertThat(first.newlyRevoked()).isEqualTo(2);
        assertThat(second.newlyRevoked()).isZero();
        assertThat(second.crlNumber()).isEqualTo(first.crlNumber() + 1);
    }

    @Test
    void reissue_replacesTheCredential_andRevokesTheOldOne(@TempDir Path other) throws Exception {
        TestExercise copy = TestExercise.create(other);
        Path oldCredential = other.resolve("old-in.pm.p12");
        Files.copy(copy.directory().roleCredential("in.pm"), oldCredential);
        RoleCredential before = copy.role("in.pm");
        var result = copy.pki().reissue(copy.dir(), "in.pm", pass(), Optional.empty());
        assertThat(result.revoked()).isEqualTo(2);
        char[] newPass = result.generatedPassphrase().orElseThrow();
        RoleCredential after = copy.directory().loadRole("in.pm", newPass, Instant.now());
        assertThat(after.identity().publicKey()).isNotEqualTo(before.identity().publicKey());
        assertThat(after.initialPrekey().orElseThrow().id()).isNotEqualTo(before.initialPrekey().orElseThrow().id());
        assertThat(copy.directory().initialPrekeyOf("in.pm")).isEqualTo(after.initialPrekey().orElseThrow().signed());
        Files.copy(oldCredential, copy.directory().roleCredential("in.pm"), StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> copy.role("in.pm")).hasMessageContaining("revoked");
    }

    @Test
    void revoke_withWrongCaPassphrase_isRefused() {
        assertThatThrownBy(() -> ex.pki().revoke(ex.dir(), "pk.nsa", "nope".toCharArray()))
                .hasMessageContaining("wrong passphrase for CA credential");
    }

    static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
