package org.hotline.client.core.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hotline.client.core.ClientConfig;
import org.hotline.client.core.net.Connection;
import org.hotline.protocol.crypto.PrekeyPair;
import org.hotline.protocol.pki.PkiException;
import org.hotline.protocol.pki.PrekeyFile;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.SignedPrekeyBytes;

/**
 * Our own prekeys (PROTOCOL.md §5.2): in the passphrase-protected prekey file, rotated when due and
 * uploaded at every WELCOME ({@link PeerPrekeys} keeps the peers'). Engine thread only.
 *
 * <p>The initial prekey's private half also sits in the credential the facilitator generated and
 * keeps, so it is erased here once the retention period has passed since the relay first accepted
 * (echoed) an upload of our rotated prekeys: before that, senders may still get the initial prekey
 * from the relay. That moment is kept in {@code prekeys.accepted}; the erasure is kept in
 * {@code prekeys.p12} by leaving the initial prekey out of it, and {@link #load()} does not take it
 * back from the credential.
 */
final class PrekeyKeeper {

    static final String PREKEY_FILE = "prekeys.p12";
    /** When the relay first accepted a rotated prekey of ours (ISO-8601 instant): the initial prekey's retention clock. */
    static final String ACCEPTED_FILE = "prekeys.accepted";
    /**
     * A message sealed to our initial prekey with a send time later than this after the relay
     * accepted our rotated prekeys is suspicious: an honest sender fetches before sealing to an
     * initial prekey, so only clock skew (the 300 s PROTOCOL.md §5.2 tolerates) explains it.
     */
    static final Duration INITIAL_AFTER_ROTATION_SLACK = Duration.ofMinutes(5);
    private static final int MAX_UPLOADED_PREKEYS = 8;

    private final ClientConfig config;
    private final RoleCredential credential;
    private final char[] passphrase;
    private final ClientAudit audit;
    private final Clock clock;
    private final SecureRandom random;
    /**
     * Engine thread; copy-on-write because {@link #erase()} iterates it from the closing thread,
     * which may still overlap a task that outlived the bounded wait for it (review N6). Rotation
     * changes it once a day or so.
     */
    private final List<PrekeyPair> own = new CopyOnWriteArrayList<>();
    /** When the relay first accepted a rotated prekey of ours, if it has. */
    private Optional<Instant> acceptedAt = Optional.empty();
    /**
     * The relays (the empty name for a single-relay client) that refused our last upload
     * (BAD_PREKEY): the next tick uploads again. Per relay: another relay's echo does not mean the
     * one that refused now serves our rotated prekeys.
     */
    private final java.util.Set<String> refusedBy = new java.util.HashSet<>();

    /** Keeps a copy of {@code passphrase} (for rewriting the prekey file) until {@link #erase()}. */
    PrekeyKeeper(ClientConfig config, RoleCredential credential, char[] passphrase, ClientAudit audit, Clock clock,
                 SecureRandom random) {
        this.config = config;
        this.credential = credential;
        this.passphrase = passphrase.clone();
        this.audit = audit;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Reads our prekeys from the prekey file and adds the credential's initial one only while no
     * prekey file exists: once one was written, every prekey we still hold is in it, so an initial
     * prekey missing from it was erased and must not come back from the credential. Then erases
     * what is due (so a client started after the window never holds the initial prekey again).
     */
    void load() throws PkiException, IOException {
        own.clear();
        boolean written = Files.exists(file());
        own.addAll(PrekeyFile.read(file(), passphrase));
        if (!written) {
            credential.initialPrekey().ifPresent(own::add);
        }
        Path accepted = config.dataDir().resolve(ACCEPTED_FILE);
        if (Files.exists(accepted)) {
            // Owner-only like everything in the data directory, also when an older version left it open.
            org.hotline.protocol.files.OwnerOnlyFiles.restrictIfPresent(accepted);
            try {
                acceptedAt = Optional.of(Instant.parse(Files.readString(accepted).trim()));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IOException(accepted + " is corrupt: " + e.getMessage(), e);
            }
        }
        eraseDue();
    }

    /**
     * A relay's echo of our upload: it now serves these prekeys. The first echo with a rotated
     * prekey, from any relay, starts the initial prekey's retention clock (kept across restarts;
     * PROTOCOL.md §13 says why not the last relay's).
     */
    void accepted(String relay, Frame.PrekeyBundle echo) throws IOException {
        refusedBy.remove(relay);
        if (acceptedAt.isPresent() || echo.prekeys().stream().allMatch(p -> isInitialId(p.prekeyId()))) {
            return;
        }
        Instant now = clock.instant();
        acceptedAt = Optional.of(now);
        Path target = config.dataDir().resolve(ACCEPTED_FILE);
        Path tmp = config.dataDir().resolve(ACCEPTED_FILE + ".tmp");
        // Created owner-only (whatever the umask), forced to disk before the move: a crash must not
        // leave an empty file (load() refuses it).
        org.hotline.protocol.files.OwnerOnlyFiles.file(tmp);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(now.toString().getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** {@code relay} refused our upload (BAD_PREKEY): the next tick tries again. */
    void refused(String relay) {
        refusedBy.add(relay);
    }

    /**
     * Whether a message sent at {@code sentAt} (sender's clock) sealed to our prekey {@code prekeyId}
     * went to our initial prekey well after the relay accepted our rotated ones: a relay (or its
     * operator) that served the initial prekey to its sender (THREAT_MODEL.md §4.1).
     */
    boolean sealedToInitialAfterRotation(int prekeyId, Instant sentAt) {
        return isInitialId(prekeyId) && acceptedAt.isPresent()
                && sentAt.isAfter(acceptedAt.get().plus(INITIAL_AFTER_ROTATION_SLACK));
    }

    /** Whether we still hold the private half of the credential's initial prekey. */
    boolean holdsInitialPrekey() {
        return credential.initialPrekey().map(i -> own(i.id()).isPresent()).orElse(false);
    }

    /** Our prekey with {@code id}, if we still hold its private half. */
    Optional<PrekeyPair> own(int id) {
        return own.stream().filter(p -> p.id() == id).findFirst();
    }

    /**
     * After WELCOME: rotates and erases what is due, then uploads our current rotated prekeys (never
     * the initial one: once we have rotated nobody should seal to it). The upload goes even when
     * the rotation could not be written, so peers keep getting what we still hold (a prekey that
     * could not be written is dropped, never published).
     *
     * @throws IOException the prekey file could not be rewritten (the upload went anyway)
     */
    void welcomed(Connection connection) throws IOException {
        try {
            rotateIfDue();
            eraseDue();
        } finally {
            upload(connection);
        }
    }

    /**
     * Periodically while running (a console may stay connected for days): rotates and erases when
     * due, as at a WELCOME, and uploads the new set if the line is up and anything changed or the
     * relay refused the last upload.
     */
    void tick(Connection connection, boolean connected) throws IOException {
        boolean rotated = false;
        boolean erased = false;
        try {
            rotated = rotateIfDue();
            erased = eraseDue();
        } finally {
            if (connected && (rotated || erased || !refusedBy.isEmpty())) {
                upload(connection);
            }
        }
    }

    /** Our rotated prekeys still valid, oldest first, at most {@value #MAX_UPLOADED_PREKEYS}: what we publish. */
    List<SignedPrekeyBytes> published() {
        List<SignedPrekeyBytes> current = own.stream().filter(p -> !p.isErased()).filter(p -> !isInitial(p))
                .filter(p -> clock.instant().isBefore(p.signed().expiresAt()))
                .sorted(Comparator.comparing(p -> p.signed().createdAt()))
                .map(PrekeyPair::signed).toList();
        if (current.size() > MAX_UPLOADED_PREKEYS) {
            current = current.subList(current.size() - MAX_UPLOADED_PREKEYS, current.size());
        }
        return current;
    }

    private void upload(Connection connection) {
        List<SignedPrekeyBytes> current = published();
        if (!current.isEmpty()) {
            // The relay refuses an upload without a rotated prekey (it would not re-enable the initial one).
            connection.send(new Frame.PrekeyUpload(current));
        }
    }

    /**
     * On close: forgets the passphrase copy and drops our prekeys' expanded keys (the seeds stay in
     * the prekey file; a closed engine has no use for the expanded form).
     */
    void erase() {
        Arrays.fill(passphrase, '\0');
        own.forEach(PrekeyPair::dropExpanded);
    }

    /** @return whether a new prekey was made */
    private boolean rotateIfDue() throws IOException {
        Instant now = clock.instant();
        Optional<Instant> newest = own.stream().map(p -> p.signed().createdAt()).max(Comparator.naturalOrder());
        boolean due = newest.isEmpty() || Duration.between(newest.get(), now).compareTo(config.prekeyRotation()) >= 0
                || own.stream().allMatch(this::isInitial);
        if (!due) {
            return false;
        }
        PrekeyPair fresh = PrekeyPair.generate(credential.identity(), credential.exerciseId(), config.role(),
                1 + random.nextInt(Integer.MAX_VALUE - 1), now, config.prekeyValidity(), random);
        own.add(fresh);
        List<PrekeyPair> erased = due(now);
        try {
            PrekeyFile.write(file(), passphrase, own.stream().filter(p -> !erased.contains(p)).toList(),
                    config.kdfIterations(), random);
        } catch (IOException e) {
            // Not on disk, so not ours after a restart: a message sealed to it would be lost. Drop it
            // (never published); the next WELCOME or tick tries again.
            own.remove(fresh);
            fresh.erase();
            throw e;
        }
        erased.forEach(PrekeyPair::erase);
        own.removeAll(erased);
        audit.prekeyRotated(fresh, erased.size());
        return true;
    }

    /**
     * Erases (and rewrites the prekey file without) every prekey whose retention has ended.
     *
     * @return whether anything was erased
     */
    private boolean eraseDue() throws IOException {
        List<PrekeyPair> erased = due(clock.instant());
        if (erased.isEmpty()) {
            return false;
        }
        erased.forEach(PrekeyPair::erase);
        own.removeAll(erased);
        PrekeyFile.write(file(), passphrase, own, config.kdfIterations(), random);
        return true;
    }

    /**
     * Prekeys whose private half is due for erasure at {@code now}: any prekey once its expiry plus
     * the retention period has passed; the initial prekey also once the retention period has passed
     * since the relay first accepted a rotated prekey of ours (senders stop getting the initial one
     * then; the retention covers messages already sealed to it, as for a rotated prekey after its
     * expiry). A rotation the relay never accepted starts no clock.
     */
    private List<PrekeyPair> due(Instant now) {
        return own.stream().filter(p -> now.isAfter(p.signed().expiresAt().plus(config.prekeyRetention()))
                || isInitial(p) && acceptedAt.isPresent()
                        && !now.isBefore(acceptedAt.get().plus(config.prekeyRetention()))).toList();
    }

    private boolean isInitial(PrekeyPair p) {
        return isInitialId(p.id());
    }

    private boolean isInitialId(int id) {
        return credential.initialPrekey().map(i -> i.id() == id).orElse(false);
    }

    private Path file() {
        return config.dataDir().resolve(PREKEY_FILE);
    }
}
