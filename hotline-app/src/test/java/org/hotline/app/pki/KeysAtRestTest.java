package org.hotline.app.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.EncryptedData;
import org.bouncycastle.asn1.pkcs.MacData;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.PKCS12SafeBagFactory;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.hotline.app.HotlineMain;
import org.hotline.client.core.ClientConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys at rest, pinned (THREAT_MODEL.md §8, "Private keys encrypted at rest"): what {@code hotline
 * pki init} writes is parsed as ASN.1 and every encrypted part is checked for PBES2 with
 * PBKDF2-HMAC-SHA256 at the production count, AES-256-CBC, and a salt of its own (the salts
 * themselves are compared, across every part of every file); the integrity MAC is HMAC-SHA256 at
 * the same count; every secret file is owner-only.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KeysAtRestTest {

    /** The production count, written out: lowering it must fail this test, not pass silently. */
    static final int PRODUCTION_ITERATIONS = 200_000;

    @TempDir
    static Path tmp;
    static Path generated;
    static Path shared;

    @BeforeAll
    static void init() {
        generated = tmp.resolve("generated");
        shared = tmp.resolve("shared");
        assertThat(run(Map.of(), "pki", "init", generated.toString())).isZero();
        assertThat(run(Map.of("HOTLINE_PASSPHRASE", "one for all"), "pki", "init", shared.toString())).isZero();
    }

    static int run(Map<String, String> env, String... args) {
        return HotlineMain.run(args, env, new PrintWriter(new StringWriter(), true),
                new PrintWriter(new StringWriter(), true));
    }

    /** One encrypted structure: its file, and the parameters it was encrypted with. */
    record Part(Path file, String what, AlgorithmIdentifier algorithm) {
    }

    static List<Path> credentialFiles(Path exercise) throws IOException {
        try (Stream<Path> s = Files.walk(exercise)) {
            // The hand-out packs hold byte-for-byte copies of the role files: counted once.
            return s.filter(p -> p.toString().endsWith(".p12"))
                    .filter(p -> !exercise.relativize(p).startsWith("handout")).sorted().toList();
        }
    }

    static List<Part> encryptedParts(Path file) throws Exception {
        PKCS12PfxPdu pfx = new PKCS12PfxPdu(Files.readAllBytes(file));
        List<Part> parts = new ArrayList<>();
        for (var ci : pfx.getContentInfos()) {
            if (ci.getContentType().equals(PKCSObjectIdentifiers.encryptedData)) {
                parts.add(new Part(file, "certificate safe",
                        EncryptedData.getInstance(ci.getContent()).getEncryptionAlgorithm()));
            } else {
                for (var bag : new PKCS12SafeBagFactory(ci).getSafeBags()) {
                    assertThat(bag.getBagValue()).as(file + ": a key bag outside the encrypted safe is shrouded")
                            .isInstanceOf(PKCS8EncryptedPrivateKeyInfo.class);
                    parts.add(new Part(file, "private key",
                            ((PKCS8EncryptedPrivateKeyInfo) bag.getBagValue()).getEncryptionAlgorithm()));
                }
            }
        }
        return parts;
    }

    @Test
    void everyEncryptedPart_isPbes2Pbkdf2HmacSha256AtTheProductionCount_withAes256() throws Exception {
        for (Path exercise : List.of(generated, shared)) {
            List<Path> files = credentialFiles(exercise);
            assertThat(files.stream().map(f -> exercise.relativize(f).toString())).contains("ca/ca.p12", "server.p12",
                    "roles/in.pm.p12", "roles/pk.pm.p12", "roles/in.nsa.p12", "roles/pk.nsa.p12");
            for (Path f : files) {
                List<Part> parts = encryptedParts(f);
                assertThat(parts).as(f.toString()).isNotEmpty();
                for (Part p : parts) {
                    String where = f + " (" + p.what() + ")";
                    assertThat(p.algorithm().getAlgorithm()).as(where).isEqualTo(PKCSObjectIdentifiers.id_PBES2);
                    PBES2Parameters pbes2 = PBES2Parameters.getInstance(p.algorithm().getParameters());
                    assertThat(pbes2.getKeyDerivationFunc().getAlgorithm()).as(where)
                            .isEqualTo(PKCSObjectIdentifiers.id_PBKDF2);
                    PBKDF2Params kdf = PBKDF2Params.getInstance(pbes2.getKeyDerivationFunc().getParameters());
                    assertThat(kdf.getIterationCount().intValueExact()).as(where).isEqualTo(PRODUCTION_ITERATIONS);
                    assertThat(kdf.isDefaultPrf()).as(where + ": PRF not left at the HMAC-SHA1 default").isFalse();
                    assertThat(kdf.getPrf().getAlgorithm()).as(where).isEqualTo(PKCSObjectIdentifiers.id_hmacWithSHA256);
                    assertThat(kdf.getSalt()).as(where).hasSizeGreaterThanOrEqualTo(16);
                    assertThat(pbes2.getEncryptionScheme().getAlgorithm()).as(where)
                            .isEqualTo(NISTObjectIdentifiers.id_aes256_CBC);
                }
            }
        }
    }

    /** Salts compared as bytes: a {@code toString} of the parameters would also differ by the random IV. */
    @Test
    void everyEncryptedPartAndEveryMac_hasASaltOfItsOwn() throws Exception {
        List<String> salts = new ArrayList<>();
        int parts = 0;
        for (Path exercise : List.of(generated, shared)) {
            for (Path f : credentialFiles(exercise)) {
                for (Part p : encryptedParts(f)) {
                    PBES2Parameters pbes2 = PBES2Parameters.getInstance(p.algorithm().getParameters());
                    salts.add(HexFormat.of().formatHex(
                            PBKDF2Params.getInstance(pbes2.getKeyDerivationFunc().getParameters()).getSalt()));
                    parts++;
                }
                MacData mac = new PKCS12PfxPdu(Files.readAllBytes(f)).toASN1Structure().getMacData();
                salts.add(HexFormat.of().formatHex(mac.getSalt()));
            }
        }
        // Six files per exercise, each with at least a key and a certificate safe, plus its MAC.
        assertThat(parts).isGreaterThanOrEqualTo(2 * 6 * 2);
        assertThat(salts).doesNotHaveDuplicates();
    }

    @Test
    void everyCredentialFile_hasAnHmacSha256IntegrityMac_atTheProductionCount() throws Exception {
        for (Path exercise : List.of(generated, shared)) {
            for (Path f : credentialFiles(exercise)) {
                MacData mac = new PKCS12PfxPdu(Files.readAllBytes(f)).toASN1Structure().getMacData();
                assertThat(mac).as(f + " has a MAC").isNotNull();
                assertThat(mac.getMac().getAlgorithmId().getAlgorithm()).as(f.toString())
                        .isEqualTo(NISTObjectIdentifiers.id_sha256);
                assertThat(mac.getIterationCount().intValueExact()).as(f.toString()).isEqualTo(PRODUCTION_ITERATIONS);
                assertThat(mac.getMac().getDigest()).hasSize(32);
            }
        }
    }

    @Test
    void everySecretFile_isOwnerOnly() throws Exception {
        for (Path exercise : List.of(generated, shared)) {
            try (Stream<Path> s = Files.walk(exercise)) {
                for (Path copy : s.filter(p -> p.toString().endsWith(".p12")).toList()) {
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy))).as(copy.toString())
                            .isEqualTo("rw-------");
                }
            }
            for (Path f : credentialFiles(exercise)) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString())
                        .isEqualTo("rw-------");
            }
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(exercise.resolve("ca"))))
                    .isEqualTo("rwx------");
        }
        Path passphrases = generated.resolve("passphrases.txt");
        assertThat(passphrases).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passphrases))).isEqualTo("rw-------");
    }

    /** The prekey file a client writes (PrekeyFile) is protected at the count its configuration says. */
    @Test
    void clientConfiguration_derivesKeysAtTheProductionCount() {
        assertThat(ClientConfig.defaults(generated, "in.pm", "127.0.0.1", 1, tmp.resolve("data")).kdfIterations())
                .isEqualTo(PRODUCTION_ITERATIONS);
    }
}
