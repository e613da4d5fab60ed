package org.hotline.protocol.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.hotline.protocol.testing.TestExercise;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The per-participant hand-out folders: contents, fingerprints, permissions, and no passphrase anywhere. */
@Timeout(120)
class HandoutPacksTest {

    private static final List<String> ROLES = List.of("in.pm", "pk.pm", "in.nsa", "pk.nsa");

    @TempDir
    static Path tmp;
    static Path perRole;
    static Path shared;
    static Map<String, String> generatedPassphrases;

    @BeforeAll
    static void createExercises() throws Exception {
        ExercisePki pki = new ExercisePki(Clock.systemUTC(), new SecureRandom(), TestExercise.TEST_KDF_ITERATIONS);
        perRole = tmp.resolve("per-role");
        pki.init(perRole, "south-asia", Optional.empty());
        HandoutPacks.write(perRole, HandoutPacks.PassphraseMode.PER_ROLE);
        generatedPassphrases = new TreeMap<>();
        for (String line : Files.readAllLines(perRole.resolve(ExerciseDirectory.PASSPHRASES))) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 2 && !line.startsWith("#")) {
                generatedPassphrases.put(parts[0], parts[1]);
            }
        }
        shared = tmp.resolve("shared");
        pki.init(shared, "south-asia", Optional.of(TestExercise.PASSPHRASE.toCharArray()));
        HandoutPacks.write(shared, HandoutPacks.PassphraseMode.SHARED);
    }

    @Test
    void write_eachRolesPack_holdsItsOwnCredentialAndThePublicFilesOnly() throws Exception {
        for (String role : ROLES) {
            Path pack = perRole.resolve("handout").resolve(role);
            assertThat(relativeFiles(pack)).containsExactlyInAnyOrder(
                    "README.txt", "exercise.json", "ca.crt", "crl.pem", "roles/" + role + ".p12",
                    "identities/in.pm.crt", "identities/pk.pm.crt", "identities/in.nsa.crt", "identities/pk.nsa.crt",
                    "identities/control.crt", "identities/relay.crt",
                    "prekeys/in.pm.prekey", "prekeys/pk.pm.prekey", "prekeys/in.nsa.prekey", "prekeys/pk.nsa.prekey",
                    "prekeys/control.prekey");
            for (String f : List.of("exercise.json", "ca.crt", "crl.pem", "roles/" + role + ".p12")) {
                assertThat(Files.readAllBytes(pack.resolve(f))).as(f)
                        .isEqualTo(Files.readAllBytes(perRole.resolve(f)));
            }
        }
    }

    @Test
    void write_packIsAWorkingExerciseDirectory_forItsRoleWithItsOwnPassphrase() throws Exception {
        Path pack = perRole.resolve("handout/pk.nsa");
        RoleCredential c = new ExerciseDirectory(pack)
                .loadRole("pk.nsa", generatedPassphrases.get("pk.nsa").toCharArray(), Instant.now());
        assertThat(c.role()).isEqualTo("pk.nsa");
        assertThat(new ExerciseDirectory(pack).initialPrekeyOf("in.pm").role()).isEqualTo("in.pm");
    }

    @Test
    void write_sheet_namesTheExerciseRoleRelayAndConsoleCommand() throws Exception {
        String sheet = Files.readString(perRole.resolve("handout/in.pm/README.txt"));
        var exercise = new ExerciseDirectory(perRole).exercise();
        assertThat(sheet).contains(exercise.name()).contains(exercise.id())
                .contains("in.pm = India Prime Minister")
                .contains("Relay:       " + exercise.relayHost() + ":" + exercise.relayPort())
                .contains("./hotline client --exercise PACK --as in.pm")
                .contains(perRole.resolve("handout/in.pm").toAbsolutePath().toString());
    }

    @Test
    void write_sheetFingerprints_matchTheCertificatesInReadAloudGroups() throws Exception {
        ExerciseDirectory d = new ExerciseDirectory(perRole);
        for (String role : ROLES) {
            String sheet = Files.readString(perRole.resolve("handout").resolve(role).resolve("README.txt"));
            String ca = sha256(Files.readAllBytes(perRole.resolve("ca.crt")), true);
            String relay = sha256(d.identityCertificateOf("relay").getEncoded(), false);
            String cert = sha256(d.identityCertificateOf(role).getEncoded(), false);
            String key = sha256(CertificateValidator.identityKeyOf(d.identityCertificateOf(role)).encoded(), false);
            for (String hex : List.of(ca, relay, cert, key)) {
                List<String> groups = HandoutPacks.readAloudGroups(hex);
                assertThat(groups).hasSize(16).allMatch(g -> g.matches("[0-9A-F]{4}"));
                assertThat(sheet).contains("    " + String.join(" ", groups.subList(0, 8)) + "\n    "
                        + String.join(" ", groups.subList(8, 16)) + "\n");
            }
            assertThat(ca.replace(":", "")).isEqualToIgnoringCase(
                    CertificateValidator.fingerprint(d.caCertificate()).replace(":", ""));
        }
    }

    @Test
    void write_noPassphraseAppearsAnywhereInAnyPack() throws Exception {
        assertThat(generatedPassphrases).containsKeys("ca", "server", "in.pm", "pk.pm", "in.nsa", "pk.nsa");
        assertNoneOccursIn(perRole.resolve("handout"), generatedPassphrases.values());
        assertNoneOccursIn(shared.resolve("handout"), List.of(TestExercise.PASSPHRASE));
        assertThat(Files.readString(perRole.resolve("handout/in.pm/README.txt")))
                .contains("the facilitator hands it to you separately");
        assertThat(Files.readString(shared.resolve("handout/in.pm/README.txt")))
                .contains("One passphrase protects every credential");
    }

    @Test
    void write_filesAre0600_andDirectories0700() throws Exception {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Path root = perRole.resolve("handout");
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                String expected = Files.isDirectory(p) ? "rwx------" : "rw-------";
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as(p.toString())
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void readAloudGroups_splitsUppercaseHexIntoFours_ignoringColons() {
        assertThat(HandoutPacks.readAloudGroups("ab:cd:ef:01:23")).containsExactly("ABCD", "EF01", "23");
    }

    private static void assertNoneOccursIn(Path root, java.util.Collection<String> secrets) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                for (String secret : secrets) {
                    assertThat(content).as(p.toString()).doesNotContain(secret)
                            .doesNotContain(secret.replace("-", ""));
                }
            }
        }
    }

    private static List<String> relativeFiles(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/')).toList();
        }
    }

    /** SHA-256 hex of DER; {@code pem} true to decode a PEM certificate file first. */
    private static String sha256(byte[] bytes, boolean pem) throws Exception {
        byte[] der = bytes;
        if (pem) {
            String b64 = new String(bytes, StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----", "")
                    .replaceAll("\\s", "");
            der = java.util.Base64.getDecoder().decode(b64);
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
    }
}
