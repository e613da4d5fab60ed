package org.hotline.protocol.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.ExerciseException;
import org.hotline.protocol.exercise.ExerciseFiles;
import org.hotline.protocol.exercise.Role;

/**
 * One folder per role under {@code DIR/handout/<role>/} with what that participant needs, and
 * nothing that lets them act as anyone else: their own credential, the public files of the exercise
 * and a one-page instruction sheet with the line's fingerprints. The folder keeps the exercise
 * directory's layout, so it is itself a valid {@code --exercise} directory for that role.
 *
 * <p>No passphrase is ever written into a pack: with per-role passphrases the sheet says the
 * facilitator hands it over separately; with one shared passphrase the sheet says so.
 */
public final class HandoutPacks {

    public static final String HANDOUT_DIR = "handout";
    public static final String SHEET = "README.txt";

    /** How the credentials of the exercise are protected, which the sheet must tell the participant. */
    public enum PassphraseMode {
        /** {@code HOTLINE_PASSPHRASE} was set: one passphrase protects every credential. */
        SHARED,
        /** Each credential has its own generated passphrase, in the facilitator's passphrases.txt. */
        PER_ROLE
    }

    private HandoutPacks() {
    }

    /**
     * Writes {@code exerciseDir/handout/<role>/} for every role (directories 0700, files 0600).
     *
     * @return the pack folders, in the order of the roles in exercise.json
     * @throws PkiException if the exercise directory is incomplete or a pack cannot be written
     */
    public static List<Path> write(Path exerciseDir, PassphraseMode passphrases) throws PkiException {
        ExerciseDirectory d = new ExerciseDirectory(exerciseDir);
        try {
            Exercise exercise = d.exercise();
            X509Certificate ca = d.caCertificate();
            java.util.Map<String, X509Certificate> relay = new java.util.LinkedHashMap<>();
            for (var r : exercise.relays()) {
                relay.put(r.name(), d.identityCertificateOf(r.name()));
            }
            Path root = createPrivateDirectory(exerciseDir.resolve(HANDOUT_DIR));
            List<Path> packs = new ArrayList<>();
            for (Role role : exercise.roles()) {
                packs.add(writePack(d, root.resolve(role.id()), exercise, role, ca, relay, passphrases));
            }
            return packs;
        } catch (ExerciseException e) {
            throw new PkiException(PkiException.Reason.MISSING_FILE, e.getMessage());
        } catch (IOException e) {
            throw new PkiException(PkiException.Reason.IO, "cannot write hand-out packs in " + exerciseDir + ": "
                    + e.getMessage(), e);
        }
    }

    private static Path writePack(ExerciseDirectory d, Path pack, Exercise exercise, Role role, X509Certificate ca,
                                  java.util.Map<String, X509Certificate> relay, PassphraseMode passphrases)
            throws IOException, PkiException {
        createPrivateDirectory(pack);
        copy(d.resolve(ExerciseFiles.FILE_NAME), pack.resolve(ExerciseFiles.FILE_NAME));
        copy(d.resolve(ExerciseDirectory.CA_CERT), pack.resolve(ExerciseDirectory.CA_CERT));
        copy(d.resolve(ExerciseDirectory.CRL), pack.resolve(ExerciseDirectory.CRL));
        // Peers' identity certificates and initial prekeys are public and the console needs them to
        // verify and to seal a first message; only this role's own credential is secret.
        copyAll(d.resolve(ExerciseDirectory.IDENTITIES_DIR), createPrivateDirectory(
                pack.resolve(ExerciseDirectory.IDENTITIES_DIR)));
        copyAll(d.resolve(ExerciseDirectory.PREKEYS_DIR), createPrivateDirectory(
                pack.resolve(ExerciseDirectory.PREKEYS_DIR)));
        Path roles = createPrivateDirectory(pack.resolve(ExerciseDirectory.ROLES_DIR));
        copy(d.roleCredential(role.id()), roles.resolve(role.id() + ".p12"));
        X509Certificate identity = d.identityCertificateOf(role.id());
        writePrivateFile(pack.resolve(SHEET), sheet(exercise, role, pack, ca, relay, identity, passphrases));
        return pack;
    }

    /** The one-page instruction sheet. Package-private for tests. */
    static String sheet(Exercise exercise, Role role, Path pack, X509Certificate ca, X509Certificate relay,
                        X509Certificate identity, PassphraseMode passphrases) throws PkiException {
        return sheet(exercise, role, pack, ca, java.util.Map.of(ExercisePki.RELAY_NAME, relay), identity, passphrases);
    }

    /** The sheet of an exercise with one or several relays ({@code relays}: each relay's identity certificate, by name). */
    static String sheet(Exercise exercise, Role role, Path pack, X509Certificate ca,
                        java.util.Map<String, X509Certificate> relays, X509Certificate identity,
                        PassphraseMode passphrases) throws PkiException {
        String identityKey = CertificateValidator.identityKeyOf(identity).fingerprint();
        StringBuilder s = new StringBuilder();
        s.append("HOTLINE EXERCISE ").append(exercise.name()).append(" (").append(exercise.id()).append(")\n")
                .append("THIS IS AN EXERCISE. Keep this folder to yourself.\n\n")
                .append("Your role:   ").append(role.id()).append(" = ").append(role.displayName()).append('\n')
                .append(relays.size() == 1 ? "Relay:       " + exercise.relayHost() + ":" + exercise.relayPort()
                        : "Relays:      " + String.join(", ", exercise.relays().stream().map(Object::toString).toList()))
                .append("\n\n")
                .append("START YOUR CONSOLE from the Hotline folder, where PACK is this folder\n")
                .append("(on the facilitator's machine: ").append(pack.toAbsolutePath()).append("):\n\n")
                .append("    ./hotline client --exercise PACK --as ").append(role.id()).append("\n\n")
                .append("It asks for your passphrase.\n\n")
                .append("YOUR PASSPHRASE\n");
        if (passphrases == PassphraseMode.PER_ROLE) {
            s.append("Your credential (roles/").append(role.id()).append(".p12) has its own passphrase. It is NOT\n")
                    .append("in this folder: the facilitator hands it to you separately, in person or on\n")
                    .append("paper. Never send it with this folder and never share it: it is you on the line.\n\n");
        } else {
            s.append("One passphrase protects every credential of this exercise (a demonstration or\n")
                    .append("training set-up). It is NOT in this folder: the facilitator tells it to you.\n\n");
        }
        s.append("CHECK THE LINE BEFORE THE EXERCISE\n")
                .append("Read these aloud with the facilitator (and your counterpart) and compare them\n")
                .append("group by group. Hex, SHA-256; the certificate ones equal\n")
                .append("`openssl x509 -noout -fingerprint -sha256 -in FILE` without the colons.\n\n");
        fingerprint(s, "Exercise CA certificate (ca.crt)", sha256(ca));
        for (var relay : relays.entrySet()) {
            fingerprint(s, (relays.size() == 1 ? "Relay" : "Relay " + relay.getKey()) + " identity certificate (identities/"
                    + relay.getKey() + ".crt)", sha256(relay.getValue()));
        }
        fingerprint(s, "Your identity certificate (identities/" + role.id() + ".crt); your peers'\n"
                + "consoles show it as \"Signer certificate SHA-256\"", sha256(identity));
        fingerprint(s, "Your identity key (SHA-256 of the raw Ed25519 public key)", identityKey);
        s.append("IN THIS FOLDER\n")
                .append("  roles/").append(role.id()).append(".p12\n")
                .append("      your credential: TLS key, identity key, first prekey\n")
                .append("  ca.crt, crl.pem\n")
                .append("      the exercise CA and its revocation list\n")
                .append("  exercise.json\n")
                .append("      the exercise: roles, channels, relay address\n")
                .append("  identities/, prekeys/\n")
                .append("      every role's public identity certificate and first prekey\n");
        return s.toString();
    }

    private static void fingerprint(StringBuilder s, String label, String hex) {
        s.append(label).append(":\n");
        List<String> groups = readAloudGroups(hex);
        s.append("    ").append(String.join(" ", groups.subList(0, groups.size() / 2))).append('\n')
                .append("    ").append(String.join(" ", groups.subList(groups.size() / 2, groups.size())))
                .append("\n\n");
    }

    /** Uppercase hex in groups of four characters, the way people read it aloud. Package-private for tests. */
    static List<String> readAloudGroups(String hex) {
        String h = hex.replace(":", "").toUpperCase(java.util.Locale.ROOT);
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < h.length(); i += 4) {
            groups.add(h.substring(i, Math.min(h.length(), i + 4)));
        }
        return groups;
    }

    private static String sha256(X509Certificate cert) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copyAll(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.sorted().toList()) {
                if (Files.isRegularFile(f)) {
                    copy(f, to.resolve(f.getFileName().toString()));
                }
            }
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        writePrivateFile(to, Files.readAllBytes(from));
    }

    private static void writePrivateFile(Path file, String text) throws IOException {
        writePrivateFile(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Creates the file with mode 0600 before any byte is written, so it is never readable by others. */
    private static void writePrivateFile(Path file, byte[] bytes) throws IOException {
        if (posix()) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.write(file, bytes);
    }

    private static Path createPrivateDirectory(Path dir) throws IOException {
        if (posix()) {
            return Files.createDirectory(dir,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return Files.createDirectory(dir);
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
