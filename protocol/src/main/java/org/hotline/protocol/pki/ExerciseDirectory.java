package org.hotline.protocol.pki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.hotline.protocol.crypto.IdentityKeyPair;
import org.hotline.protocol.crypto.PrekeyPair;
import org.hotline.protocol.crypto.KeyFormats;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.ExerciseException;
import org.hotline.protocol.exercise.ExerciseFiles;
import org.hotline.protocol.wire.FrameDecodeException;
import org.hotline.protocol.wire.SignedPrekeyBytes;

/**
 * The files of an exercise directory (certs/README.md has the full layout) and how to load them.
 * Every load validates what it loads against {@code ca.crt} and {@code crl.pem}.
 */
public final class ExerciseDirectory {

    public static final String CA_CERT = "ca.crt";
    public static final String CRL = "crl.pem";
    public static final String SERVER_CREDENTIAL = "server.p12";
    public static final String ROLES_DIR = "roles";
    /** Credentials of the relays of a multi-relay exercise, {@code relays/<name>.p12} (PROTOCOL.md §9.6, §13). */
    public static final String RELAYS_DIR = "relays";
    public static final String IDENTITIES_DIR = "identities";
    /**
     * Identity certificates a reissue replaced, {@code identities/previous/<role>/<serial>.crt}:
     * kept so that a message signed before the reissue is still attributed to the key that signed
     * it (PROTOCOL.md §9.6), never used to sign or seal anything new.
     */
    public static final String PREVIOUS_IDENTITIES_DIR = "identities/previous";
    public static final String PREKEYS_DIR = "prekeys";
    public static final String CA_DIR = "ca";
    public static final String CA_CREDENTIAL = "ca/ca.p12";
    public static final String CA_REGISTER = "ca/register.json";
    public static final String PASSPHRASES = "passphrases.txt";
    static final String PREKEY_PEM_TYPE = "HOTLINE SIGNED PREKEY";

    static final String TLS_ENTRY = "tls";
    static final String IDENTITY_ENTRY = "identity";
    static final String CA_ENTRY = "ca";

    private final Path root;
    /** exercise.json is written once by {@code pki init} and never changed, so it is parsed once. */
    private volatile Exercise exercise;

    public ExerciseDirectory(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path resolve(String relative) {
        return root.resolve(relative);
    }

    public Path roleCredential(String role) {
        return root.resolve(ROLES_DIR).resolve(role + ".p12");
    }

    public Path identityCertificate(String role) {
        return root.resolve(IDENTITIES_DIR).resolve(role + ".crt");
    }

    /**
     * The credential of the relay named {@code relayName}: {@code server.p12} for the one relay of
     * an exercise ({@code relay}), {@code relays/<name>.p12} for each relay of a multi-relay one.
     */
    public Path relayCredential(String relayName) {
        return relayName.equals(ExercisePki.RELAY_NAME) ? root.resolve(SERVER_CREDENTIAL)
                : root.resolve(RELAYS_DIR).resolve(relayName + ".p12");
    }

    /** The name of a relay's line in {@code passphrases.txt}: {@code server} for {@code relay}, else its name. */
    public static String relayPassphraseName(String relayName) {
        return relayName.equals(ExercisePki.RELAY_NAME) ? "server" : relayName;
    }

    public Path initialPrekey(String role) {
        return root.resolve(PREKEYS_DIR).resolve(role + ".prekey");
    }

    public Exercise exercise() throws ExerciseException {
        Exercise e = exercise;
        if (e == null) {
            e = ExerciseFiles.load(root);
            exercise = e;
        }
        return e;
    }

    public X509Certificate caCertificate() throws PkiException {
        return Pem.readCertificate(root.resolve(CA_CERT));
    }

    /** A validator over the current {@code ca.crt} and {@code crl.pem} (read fresh on each call). */
    public CertificateValidator validator() throws PkiException {
        return CertificateValidator.of(caCertificate(), Pem.readCrl(root.resolve(CRL)));
    }

    /** A role's public identity certificate (for verifying what it signed). */
    public X509Certificate identityCertificateOf(String role) throws PkiException {
        return Pem.readCertificate(identityCertificate(role));
    }

    /** Where {@code pki reissue} keeps the identity certificate with {@code serialHex} that it replaced. */
    public Path previousIdentityCertificate(String role, String serialHex) {
        return root.resolve(PREVIOUS_IDENTITIES_DIR).resolve(role).resolve(serialHex + ".crt");
    }

    /**
     * The identity certificates of {@code role} that reissues replaced, in no particular order
     * (none if the role was never reissued). Not validated: the caller validates each, and judges
     * its revocation against the time a message was accepted.
     *
     * @throws PkiException if a file there cannot be read or is not a certificate
     */
    public java.util.List<X509Certificate> previousIdentityCertificatesOf(String role) throws PkiException {
        Path dir = root.resolve(PREVIOUS_IDENTITIES_DIR).resolve(role);
        if (!Files.isDirectory(dir)) {
            return java.util.List.of();
        }
        java.util.List<X509Certificate> out = new java.util.ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                if (file.getFileName().toString().endsWith(".crt")) {
                    out.add(Pem.readCertificate(file));
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new PkiException(PkiException.Reason.IO, "cannot list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** A role's initial signed prekey as published by {@code pki init}. */
    public SignedPrekeyBytes initialPrekeyOf(String role) throws PkiException {
        Path file = initialPrekey(role);
        String text = new String(Pem.readFile(file, "prekey"), java.nio.charset.StandardCharsets.US_ASCII);
        try {
            String b64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return SignedPrekeyBytes.decode(java.util.Base64.getDecoder().decode(b64));
        } catch (IllegalArgumentException | FrameDecodeException e) {
            throw new PkiException(PkiException.Reason.MALFORMED, file + " is not a signed prekey"
                    + (e instanceof FrameDecodeException ? " (" + e.getMessage() + ")" : ""));
        }
    }

    /**
     * Opens and validates a role's credential: right passphrase, certificates from this exercise's
     * CA, valid now, not revoked, each used for its purpose and naming this role.
     */
    public RoleCredential loadRole(String role, char[] passphrase, Instant now) throws PkiException {
        try {
            if (exercise().role(role).isEmpty()) {
                throw new PkiException(PkiException.Reason.UNKNOWN_ROLE,
                        "unknown role '" + role + "' (roles: " + String.join(", ",
                                exercise().roles().stream().map(r -> r.id()).toList()) + ")");
            }
        } catch (ExerciseException e) {
            throw new PkiException(PkiException.Reason.MISSING_FILE, e.getMessage());
        }
        Pkcs12File.Contents c = Pkcs12File.read(roleCredential(role), passphrase, "credential of " + role);
        Pkcs12File.KeyEntry tls = require(c, TLS_ENTRY, role);
        Pkcs12File.KeyEntry identity = require(c, IDENTITY_ENTRY, role);
        CertificateValidator v = validator();
        PeerIdentity tlsId = v.validate(first(tls, role), CertificatePurpose.ROLE_TLS, now);
        PeerIdentity idId = v.validate(first(identity, role), CertificatePurpose.IDENTITY, now);
        if (!tlsId.role().equals(role) || !idId.role().equals(role)) {
            throw new PkiException(PkiException.Reason.WRONG_PURPOSE,
                    "credential " + roleCredential(role) + " holds certificates for " + tlsId.role() + ", not " + role);
        }
        IdentityKeyPair identityKey = identityKey(identity);
        if (!identityKey.publicKey().equals(CertificateValidator.identityKeyOf(idId.certificate()))) {
            throw new PkiException(PkiException.Reason.MALFORMED, "credential of " + role
                    + ": identity key does not match its certificate");
        }
        Optional<PrekeyPair> prekey = Optional.empty();
        if (!c.prekeys().isEmpty()) {
            PrekeyPair p = prekey(c.prekeys().get(0), role);
            if (!p.signed().role().equals(role) || !identityKey.publicKey().verify(
                    org.hotline.protocol.crypto.SignatureContext.SIGNED_PREKEY, p.signed().signature(),
                    p.signed().toBeSigned())) {
                throw new PkiException(PkiException.Reason.MALFORMED,
                        "credential of " + role + ": its prekey is not signed by its identity key");
            }
            if (!p.signed().exerciseId().equals(v.exerciseId())) {
                throw new PkiException(PkiException.Reason.MALFORMED,
                        "credential of " + role + ": its prekey belongs to another exercise");
            }
            prekey = Optional.of(p);
        }
        return new RoleCredential(role, jcaKey(tls, role), tlsId.certificate(), identityKey, idId.certificate(),
                prekey, v.caCertificate());
    }

    /** Opens and validates the relay's credential. */
    public RelayCredential loadRelay(char[] passphrase, Instant now) throws PkiException {
        return loadRelay(ExercisePki.RELAY_NAME, passphrase, now);
    }

    /** Opens and validates the credential of the relay named {@code relayName} (both certificates must name it). */
    public RelayCredential loadRelay(String relayName, char[] passphrase, Instant now) throws PkiException {
        Path file = relayCredential(relayName);
        Pkcs12File.Contents c = Pkcs12File.read(file, passphrase, "relay credential");
        Pkcs12File.KeyEntry tls = require(c, TLS_ENTRY, relayName);
        Pkcs12File.KeyEntry identity = require(c, IDENTITY_ENTRY, relayName);
        CertificateValidator v = validator();
        PeerIdentity tlsId = v.validate(first(tls, relayName), CertificatePurpose.RELAY_TLS, now);
        PeerIdentity idId = v.validate(first(identity, relayName), CertificatePurpose.IDENTITY, now);
        if (!tlsId.role().equals(relayName) || !idId.role().equals(relayName)) {
            throw new PkiException(PkiException.Reason.WRONG_PURPOSE, file.getFileName() + " holds certificates for "
                    + tlsId.role() + ", not " + relayName);
        }
        IdentityKeyPair relayIdentity = identityKey(identity);
        if (!relayIdentity.publicKey().equals(CertificateValidator.identityKeyOf(idId.certificate()))) {
            throw new PkiException(PkiException.Reason.MALFORMED, "relay credential: identity key does not match its certificate");
        }
        return new RelayCredential(jcaKey(tls, relayName), tlsId.certificate(), relayIdentity,
                idId.certificate(), v.caCertificate());
    }

    private static Pkcs12File.KeyEntry require(Pkcs12File.Contents c, String name, String owner) throws PkiException {
        return c.key(name).orElseThrow(() -> new PkiException(PkiException.Reason.MALFORMED,
                "credential of " + owner + " has no '" + name + "' key"));
    }

    private static X509Certificate first(Pkcs12File.KeyEntry e, String owner) throws PkiException {
        if (e.chain().isEmpty()) {
            throw new PkiException(PkiException.Reason.MALFORMED,
                    "credential of " + owner + " has no certificate for its '" + e.name() + "' key");
        }
        return e.chain().get(0);
    }

    static PrivateKey jcaKey(Pkcs12File.KeyEntry e, String owner) throws PkiException {
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(e.key().getEncoded()));
        } catch (GeneralSecurityException | IOException ex) {
            throw new PkiException(PkiException.Reason.MALFORMED, "credential of " + owner + ": unreadable TLS key");
        }
    }

    private static IdentityKeyPair identityKey(Pkcs12File.KeyEntry e) throws PkiException {
        PrivateKeyInfo info = e.key();
        try {
            if (!KeyFormats.holdsIdentityKey(info)) {
                throw new PkiException(PkiException.Reason.WRONG_PURPOSE, "identity key is not Ed25519");
            }
            return KeyFormats.identityKeyPair(info);
        } catch (IOException | IllegalArgumentException ex) {
            throw new PkiException(PkiException.Reason.MALFORMED, "unreadable identity key");
        }
    }

    private static PrekeyPair prekey(Pkcs12File.PrekeyEntry e, String role) throws PkiException {
        try {
            if (!KeyFormats.holdsPrekey(e.key())) {
                throw new PkiException(PkiException.Reason.MALFORMED, "credential of " + role + ": bad prekey entry");
            }
            return KeyFormats.prekeyPair(SignedPrekeyBytes.decode(e.signedPrekey()), e.key());
        } catch (IOException | FrameDecodeException | IllegalArgumentException ex) {
            throw new PkiException(PkiException.Reason.MALFORMED, "credential of " + role + ": unreadable prekey"
                    + (ex instanceof FrameDecodeException ? " (" + ex.getMessage() + ")" : ""));
        }
    }

    static boolean isEmptyOrMissing(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return true;
        }
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
