package org.hotline.protocol.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.hotline.protocol.crypto.IdentityKeyPair;
import org.hotline.protocol.crypto.PrekeyPair;
import org.hotline.protocol.crypto.KeyFormats;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.ExerciseException;
import org.hotline.protocol.exercise.ExerciseFiles;
import org.hotline.protocol.exercise.Role;

/**
 * Facilitator operations on an exercise PKI: {@link #init} creates a complete exercise directory,
 * {@link #revoke} adds a role's certificates to a freshly signed CRL.
 */
public final class ExercisePki {

    /** How long the initial prekey from {@code pki init} stays usable if a role never comes online to rotate it. */
    public static final Duration INITIAL_PREKEY_VALIDITY = Duration.ofDays(30);
    public static final String RELAY_NAME = "relay";

    private final Clock clock;
    private final SecureRandom random;
    private final int kdfIterations;

    /**
     * @param kdfIterations PBKDF2 / PKCS#12-MAC iterations for the credential files; use
     *                      {@link #DEFAULT_KDF_ITERATIONS} for anything handed to people
     */
    public ExercisePki(Clock clock, SecureRandom random, int kdfIterations) {
        if (kdfIterations < 1000) {
            throw new IllegalArgumentException("at least 1000 KDF iterations");
        }
        this.clock = clock;
        this.random = random;
        this.kdfIterations = kdfIterations;
    }

    public static final int DEFAULT_KDF_ITERATIONS = Pkcs12File.DEFAULT_ITERATIONS;

    /** What {@link #init} produced. {@code passphrasesFile} is present when passphrases were generated. */
    public record InitResult(Exercise exercise, Optional<Path> passphrasesFile) {
    }

    /**
     * Creates {@code dir} as a new exercise from {@code template}.
     *
     * @param sharedPassphrase used for every credential (and the CA) if present; otherwise a strong
     *                         passphrase is generated per credential and written to passphrases.txt (0600)
     */
    public InitResult init(Path dir, String template, Optional<char[]> sharedPassphrase)
            throws PkiException, ExerciseException {
        return initWith(dir, id -> ExerciseFiles.instantiate(template, id), sharedPassphrase);
    }

    /**
     * As {@link #init}, with {@code relayCount} relays (PROTOCOL.md §13): 1 is the template's one
     * relay named {@code relay}; more are named {@code relay-<party id>} in the order of the parties
     * (one operated by each party; {@code relay-<n>} beyond them), on the template's host and
     * consecutive ports from its port.
     */
    public InitResult init(Path dir, String template, Optional<char[]> sharedPassphrase, int relayCount)
            throws PkiException, ExerciseException {
        if (relayCount < 1 || relayCount > 8) {
            throw new IllegalArgumentException("1 to 8 relays, not " + relayCount);
        }
        if (relayCount == 1) {
            return init(dir, template, sharedPassphrase);
        }
        return initWith(dir, id -> {
            String json = ExerciseFiles.instantiate(template, id);
            Exercise one = ExerciseFiles.parse(json);
            List<org.hotline.protocol.exercise.RelayEndpoint> relays = new ArrayList<>();
            for (int i = 0; i < relayCount; i++) {
                String name = i < one.parties().size() ? RELAY_NAME + "-" + one.parties().get(i).id()
                        : RELAY_NAME + "-" + (i + 1);
                relays.add(new org.hotline.protocol.exercise.RelayEndpoint(name, one.relayHost(), one.relayPort() + i));
            }
            return ExerciseFiles.withRelays(json, relays);
        }, sharedPassphrase);
    }

    /** As {@link #init}, for an exercise described by JSON in the template format (load tests generate these). */
    public InitResult initFromJson(Path dir, String templateJson, Optional<char[]> sharedPassphrase)
            throws PkiException, ExerciseException {
        return initWith(dir, id -> ExerciseFiles.instantiateJson(templateJson, id), sharedPassphrase);
    }

    private interface TemplateSource {
        String json(String exerciseId) throws ExerciseException;
    }

    private InitResult initWith(Path dir, TemplateSource source, Optional<char[]> sharedPassphrase)
            throws PkiException, ExerciseException {
        try {
            if (!ExerciseDirectory.isEmptyOrMissing(dir)) {
                throw new PkiException(PkiException.Reason.IO, dir + " already exists and is not empty; "
                        + "choose a new directory (an existing exercise is never overwritten)");
            }
            String exerciseId = "ex-" + LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString().replace("-", "")
                    + "-" + HexFormat.of().formatHex(randomBytes(3));
            String json = source.json(exerciseId);
            Exercise exercise = ExerciseFiles.parse(json);
            ExerciseDirectory d = new ExerciseDirectory(dir);
            Files.createDirectories(dir.resolve(ExerciseDirectory.ROLES_DIR));
            Files.createDirectories(dir.resolve(ExerciseDirectory.IDENTITIES_DIR));
            Files.createDirectories(dir.resolve(ExerciseDirectory.PREKEYS_DIR));
            Path caDir = Files.createDirectories(dir.resolve(ExerciseDirectory.CA_DIR));
            restrict(caDir, "rwx------");

            Map<String, char[]> passphrases = new LinkedHashMap<>();
            java.util.function.Function<String, char[]> pass = name -> passphrases.computeIfAbsent(name,
                    n -> sharedPassphrase.map(char[]::clone).orElseGet(() -> Passphrases.generate(random)));

            CertificateAuthority ca = CertificateAuthority.create(exerciseId, clock, random);
            CaRegister register = CaRegister.empty();
            X509Certificate caCert = ca.certificate();
            Files.writeString(dir.resolve(ExerciseDirectory.CA_CERT), Pem.certificate(caCert));
            Pkcs12File.write(dir.resolve(ExerciseDirectory.CA_CREDENTIAL), pass.apply("ca"),
                    List.of(new Pkcs12File.KeyEntry(ExerciseDirectory.CA_ENTRY,
                            PrivateKeyInfo.getInstance(ca.privateKey().getEncoded()), List.of(caCert))),
                    List.of(), List.of(), kdfIterations, random);

            // Each relay: TLS server key and identity key, both certificates naming it (CN).
            for (var relay : exercise.relays()) {
                String relayName = relay.name();
                KeyPair relayTls = CertificateAuthority.newP256KeyPair(random);
                X509Certificate relayTlsCert = ca.issueRelayTls(relayName, relayTls.getPublic());
                IdentityKeyPair relayIdentity = IdentityKeyPair.generate(random);
                X509Certificate relayIdCert = ca.issueIdentity(relayName, "Relay", relayIdentity.publicKey());
                register = register.withIssued(relayTlsCert, relayName, CertificatePurpose.RELAY_TLS)
                        .withIssued(relayIdCert, relayName, CertificatePurpose.IDENTITY);
                Files.writeString(d.identityCertificate(relayName), Pem.certificate(relayIdCert));
                Path credential = d.relayCredential(relayName);
                Files.createDirectories(credential.getParent());
                Pkcs12File.write(credential, pass.apply(ExerciseDirectory.relayPassphraseName(relayName)),
                        List.of(tlsEntry(relayTls.getPrivate(), relayTlsCert, caCert),
                                identityEntry(relayIdentity, relayIdCert, caCert)),
                        List.of(), List.of(caCert), kdfIterations, random);
            }

            for (Role role : exercise.roles()) {
                register = issueRole(d, ca, register, role, pass.apply(role.id()));
            }
            X509CRL crl = ca.crl(register.crlEntries(), java.math.BigInteger.valueOf(register.crlNumber()));
            writeAtomically(dir.resolve(ExerciseDirectory.CRL), Pem.crl(crl));
            register.write(dir.resolve(ExerciseDirectory.CA_REGISTER));
            Files.writeString(dir.resolve(ExerciseFiles.FILE_NAME), json);

            Optional<Path> passFile = Optional.empty();
            if (sharedPassphrase.isEmpty()) {
                passFile = Optional.of(writePassphrases(dir, exercise, passphrases));
            }
            passphrases.values().forEach(p -> java.util.Arrays.fill(p, '\0'));
            return new InitResult(exercise, passFile);
        } catch (IOException e) {
            throw new PkiException(PkiException.Reason.IO, "cannot write exercise directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private CaRegister issueRole(ExerciseDirectory d, CertificateAuthority ca, CaRegister register, Role role,
                                 char[] passphrase) throws IOException {
        X509Certificate caCert = ca.certificate();
        KeyPair tls = CertificateAuthority.newP256KeyPair(random);
        X509Certificate tlsCert = ca.issueRoleTls(role.id(), role.party().name(), tls.getPublic());
        IdentityKeyPair identity = IdentityKeyPair.generate(random);
        X509Certificate idCert = ca.issueIdentity(role.id(), role.party().name(), identity.publicKey());
        // A random id, so a reissued credential's prekey never shares an id with the one it replaces.
        int prekeyId = 1 + random.nextInt(Integer.MAX_VALUE - 1);
        PrekeyPair prekey = PrekeyPair.generate(identity, CertificateValidator.exerciseIdOf(caCert), role.id(),
                prekeyId, clock.instant(), INITIAL_PREKEY_VALIDITY, random);
        Files.writeString(d.identityCertificate(role.id()), Pem.certificate(idCert));
        Files.writeString(d.initialPrekey(role.id()),
                Pem.encode(ExerciseDirectory.PREKEY_PEM_TYPE, prekey.signed().encode()));
        Pkcs12File.write(d.roleCredential(role.id()), passphrase,
                List.of(tlsEntry(tls.getPrivate(), tlsCert, caCert), identityEntry(identity, idCert, caCert)),
                List.of(new Pkcs12File.PrekeyEntry(
                        KeyFormats.prekeyPrivateKeyInfo(prekey), prekey.signed().encode())),
                List.of(caCert), kdfIterations, random);
        return register.withIssued(tlsCert, role.id(), CertificatePurpose.ROLE_TLS)
                .withIssued(idCert, role.id(), CertificatePurpose.IDENTITY);
    }

    /** What {@link #revoke} did. */
    public record RevokeResult(String role, int newlyRevoked, long crlNumber) {
    }

    /**
     * Revokes every certificate issued to {@code role} and writes a freshly signed {@code crl.pem}
     * (atomically, so a relay watching the file never reads half of it).
     */
    public RevokeResult revoke(Path dir, String role, char[] caPassphrase) throws PkiException {
        ExerciseDirectory d = new ExerciseDirectory(dir);
        try {
            Exercise exercise = d.exercise();
            if (exercise.role(role).isEmpty() && exercise.relay(role).isEmpty()) {
                throw new PkiException(PkiException.Reason.UNKNOWN_ROLE, "unknown role '" + role + "'");
            }
        } catch (ExerciseException e) {
            throw new PkiException(PkiException.Reason.MISSING_FILE, e.getMessage());
        }
        CertificateAuthority ca = loadCa(d, caPassphrase);
        CaRegister before = CaRegister.read(dir.resolve(ExerciseDirectory.CA_REGISTER));
        CaRegister after = before.revokeAll(role, clock.instant());
        int newly = after.revoked().size() - before.revoked().size();
        X509CRL crl = ca.crl(after.crlEntries(), java.math.BigInteger.valueOf(after.crlNumber()));
        try {
            writeAtomically(dir.resolve(ExerciseDirectory.CRL), Pem.crl(crl));
            after.write(dir.resolve(ExerciseDirectory.CA_REGISTER));
        } catch (IOException e) {
            throw new PkiException(PkiException.Reason.IO, "cannot write CRL: " + e.getMessage(), e);
        }
        return new RevokeResult(role, newly, after.crlNumber());
    }

    /** What {@link #reissue} did; {@code generatedPassphrase} is present when none was supplied. */
    public record ReissueResult(String role, int revoked, Optional<char[]> generatedPassphrase) {
    }

    /**
     * Rotates a role's credential (lost laptop, suspected compromise, or a revoked participant
     * rejoining): revokes every certificate the role holds, then issues new TLS and identity keys
     * and a new initial prekey into {@code roles/<role>.p12}, {@code identities/<role>.crt} and
     * {@code prekeys/<role>.prekey}. Peers pick up the new identity certificate from the exercise
     * directory; the old credential stops working as soon as the new CRL is in place.
     */
    public ReissueResult reissue(Path dir, String role, char[] caPassphrase, Optional<char[]> newPassphrase)
            throws PkiException {
        ExerciseDirectory d = new ExerciseDirectory(dir);
        Role r;
        try {
            r = d.exercise().role(role).orElseThrow(() ->
                    new PkiException(PkiException.Reason.UNKNOWN_ROLE, "unknown role '" + role + "'"));
        } catch (ExerciseException e) {
            throw new PkiException(PkiException.Reason.MISSING_FILE, e.getMessage());
        }
        CertificateAuthority ca = loadCa(d, caPassphrase);
        CaRegister before = CaRegister.read(dir.resolve(ExerciseDirectory.CA_REGISTER));
        CaRegister revoked = before.revokeAll(role, clock.instant());
        char[] pass = newPassphrase.map(char[]::clone).orElseGet(() -> Passphrases.generate(random));
        try {
            keepReplacedIdentity(d, role);
            CaRegister after = issueRole(d, ca, revoked, r, pass);
            X509CRL crl = ca.crl(after.crlEntries(), java.math.BigInteger.valueOf(after.crlNumber()));
            writeAtomically(dir.resolve(ExerciseDirectory.CRL), Pem.crl(crl));
            after.write(dir.resolve(ExerciseDirectory.CA_REGISTER));
        } catch (IOException e) {
            throw new PkiException(PkiException.Reason.IO, "cannot write new credential: " + e.getMessage(), e);
        }
        return new ReissueResult(role, revoked.revoked().size() - before.revoked().size(),
                newPassphrase.isPresent() ? Optional.empty() : Optional.of(pass));
    }

    /**
     * Copies the identity certificate a reissue is about to overwrite to
     * {@code identities/previous/<role>/<serial>.crt}, so peers can still tell a message signed
     * with the old key from a forgery and judge it by when the relay accepted it (PROTOCOL.md §4.4).
     */
    private static void keepReplacedIdentity(ExerciseDirectory d, String role) throws IOException {
        Path current = d.identityCertificate(role);
        if (!Files.exists(current)) {
            return;
        }
        String serial;
        try {
            serial = Pem.readCertificate(current).getSerialNumber().toString(16);
        } catch (PkiException e) {
            throw new IOException("cannot read " + current + " to keep it: " + e.getMessage(), e);
        }
        Path kept = d.previousIdentityCertificate(role, serial);
        Files.createDirectories(kept.getParent());
        Files.copy(current, kept, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Opens the exercise CA (facilitator tooling and tests that need to issue unusual certificates). */
    public CertificateAuthority loadAuthority(Path dir, char[] caPassphrase) throws PkiException {
        return loadCa(new ExerciseDirectory(dir), caPassphrase);
    }

    private CertificateAuthority loadCa(ExerciseDirectory d, char[] caPassphrase) throws PkiException {
        Pkcs12File.Contents c = Pkcs12File.read(d.resolve(ExerciseDirectory.CA_CREDENTIAL), caPassphrase,
                "CA credential");
        Pkcs12File.KeyEntry caEntry = c.key(ExerciseDirectory.CA_ENTRY).orElseThrow(() ->
                new PkiException(PkiException.Reason.MALFORMED, "CA credential has no CA key"));
        return CertificateAuthority.restore(ExerciseDirectory.jcaKey(caEntry, "CA"), d.caCertificate(), clock, random);
    }

    private static Pkcs12File.KeyEntry tlsEntry(PrivateKey key, X509Certificate cert, X509Certificate ca) {
        return new Pkcs12File.KeyEntry(ExerciseDirectory.TLS_ENTRY, PrivateKeyInfo.getInstance(key.getEncoded()),
                List.of(cert, ca));
    }

    private static Pkcs12File.KeyEntry identityEntry(IdentityKeyPair identity, X509Certificate cert,
                                                     X509Certificate ca) throws IOException {
        return new Pkcs12File.KeyEntry(ExerciseDirectory.IDENTITY_ENTRY,
                KeyFormats.identityPrivateKeyInfo(identity), List.of(cert, ca));
    }

    private Path writePassphrases(Path dir, Exercise exercise, Map<String, char[]> passphrases) throws IOException {
        Path file = dir.resolve(ExerciseDirectory.PASSPHRASES);
        StringBuilder sb = new StringBuilder();
        sb.append("# Hotline exercise ").append(exercise.id()).append(": credential passphrases.\n")
                .append("# Give each participant only the line for their own role; keep 'ca' for the facilitator.\n");
        List<String> names = new ArrayList<>(passphrases.keySet());
        for (String name : names) {
            sb.append(String.format("%-10s %s%n", name, new String(passphrases.get(name))));
        }
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        return file;
    }

    /** Reads one entry ({@code ca}, {@code server} or a role) from a passphrases.txt file, if present. */
    public static Optional<char[]> passphraseFromFile(Path dir, String name) {
        Path file = dir.resolve(ExerciseDirectory.PASSPHRASES);
        if (!Files.isReadable(file)) {
            return Optional.empty();
        }
        try {
            for (String line : Files.readAllLines(file)) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length == 2 && parts[0].equals(name)) {
                    return Optional.of(parts[1].toCharArray());
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void restrict(Path p, String perms) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        }
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
