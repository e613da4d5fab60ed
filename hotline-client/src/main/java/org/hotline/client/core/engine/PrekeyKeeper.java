package org.hotline.client.core.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.hotline.client.core.ClientConfig;
import org.hotline.client.core.net.Connection;
import org.hotline.client.core.store.PeerPrekeyStore;
import org.hotline.client.core.store.StoreException;
import org.hotline.protocol.crypto.CryptoException;
import org.hotline.protocol.crypto.IdentityPublicKey;
import org.hotline.protocol.crypto.PrekeyPair;
import org.hotline.protocol.crypto.VerifiedPrekey;
import org.hotline.protocol.exercise.Channel;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.pki.PkiException;
import org.hotline.protocol.pki.PrekeyFile;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.SignedPrekeyBytes;

/**
 * Prekeys, ours and our peers' (PROTOCOL.md §5.2): our own in the passphrase-protected prekey file,
 * rotated when due and uploaded at every WELCOME; peers' newest verified ones as the relay hands
 * them out, falling back to their initial prekey from the exercise directory. Engine thread only.
 *
 * <p>The initial prekey's private half also sits in the credential the facilitator generated and
 * keeps, so it is erased here once we have rotated and the retention period has passed since the
 * first rotated prekey was made; the decision is kept in {@code prekeys.p12} by leaving the
 * initial prekey out of it, and {@link #load()} does not take it back from the credential.
 */
final class PrekeyKeeper {

    static final String PREKEY_FILE = "prekeys.p12";
    private static final int MAX_UPLOADED_PREKEYS = 8;

    private final ClientConfig config;
    private final RoleCredential credential;
    private final char[] passphrase;
    private final Exercise exercise;
    private final PeerTrust trust;
    private final PeerPrekeyStore store;
    private final ClientAudit audit;
    private final Clock clock;
    private final SecureRandom random;
    private final List<PrekeyPair> own = new ArrayList<>();
    /** Sends waiting for a fresh bundle, per peer role; completed when one arrives or the line drops. */
    private final Map<String, List<CompletableFuture<Void>>> fetching = new HashMap<>();
    /** When each peer's bundle last arrived in this process; a send re-fetches only a stale one. */
    private final Map<String, Instant> bundleReceivedAt = new HashMap<>();

    /** Keeps a copy of {@code passphrase} (for rewriting the prekey file) until {@link #erase()}. */
    PrekeyKeeper(ClientConfig config, RoleCredential credential, char[] passphrase, Exercise exercise, PeerTrust trust,
                 PeerPrekeyStore store, ClientAudit audit, Clock clock, SecureRandom random) {
        this.config = config;
        this.credential = credential;
        this.passphrase = passphrase.clone();
        this.exercise = exercise;
        this.trust = trust;
        this.store = store;
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
        eraseDue();
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
     * After WELCOME: rotate if due, erase what is due, upload our current rotated prekeys (never the
     * initial one: once we have rotated nobody should seal to it), ask for every channel peer's.
     *
     * @return completes when every peer's bundle has been processed (see {@link #fetch})
     */
    CompletableFuture<Void> welcomed(Connection connection) throws IOException {
        rotateIfDue();
        eraseDue();
        upload(connection);
        Set<String> peers = new LinkedHashSet<>();
        for (Channel c : exercise.channelsOf(config.role())) {
            for (String peer : c.members()) {
                if (!peer.equals(config.role())) {
                    peers.add(peer);
                }
            }
        }
        return fetch(connection, peers);
    }

    /**
     * Periodically while running (a console may stay connected for days): rotates and erases when
     * due, as at a WELCOME, and uploads the new set if the line is up and anything changed.
     */
    void tick(Connection connection, boolean connected) throws IOException {
        boolean rotated = rotateIfDue();
        boolean erased = eraseDue();
        if (connected && (rotated || erased)) {
            upload(connection);
        }
    }

    private void upload(Connection connection) {
        List<SignedPrekeyBytes> current = own.stream().filter(p -> !p.isErased()).filter(p -> !isInitial(p))
                .filter(p -> clock.instant().isBefore(p.signed().expiresAt()))
                .sorted(Comparator.comparing(p -> p.signed().createdAt()))
                .map(PrekeyPair::signed).toList();
        if (current.size() > MAX_UPLOADED_PREKEYS) {
            current = current.subList(current.size() - MAX_UPLOADED_PREKEYS, current.size());
        }
        connection.send(new Frame.PrekeyUpload(current));
    }

    /**
     * Asks the relay for the current prekeys of {@code roles}; the future completes (on the engine
     * thread) once a bundle for each has been processed, or the line drops. Callers bound the wait.
     */
    CompletableFuture<Void> fetch(Connection connection, Collection<String> roles) {
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        for (String role : roles) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            fetching.computeIfAbsent(role, r -> new ArrayList<>()).add(f);
            waits.add(f);
            connection.send(new Frame.PrekeyFetch(role));
        }
        return CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new));
    }

    /**
     * The peers among {@code roles} whose bundle did not arrive in this process within
     * {@code maxAge}: the ones a send must fetch before sealing. A peer rotates every 24 h, so a
     * bundle a few minutes old is the newest one in all but a few minutes a day, and a burst of sends
     * costs one round trip instead of one each.
     */
    List<String> stale(Collection<String> roles, Duration maxAge) {
        Instant now = clock.instant();
        return roles.stream().filter(r -> {
            Instant at = bundleReceivedAt.get(r);
            return at == null || !now.isBefore(at.plus(maxAge));
        }).toList();
    }

    /** The line dropped: nothing waits for a bundle that will not come. */
    void connectionLost() {
        fetching.values().forEach(l -> l.forEach(f -> f.complete(null)));
        fetching.clear();
    }

    /**
     * Keeps the newest prekey of the bundle's role that verifies (validity capped, §5.2); a bad one
     * is reported and skipped. Then releases the sends that waited for this role's bundle.
     */
    void bundle(Frame.PrekeyBundle b) throws PkiException, StoreException {
        if (b.role().equals(config.role())) {
            return;
        }
        try {
            keepNewest(b);
            bundleReceivedAt.put(b.role(), clock.instant());
        } finally {
            Optional.ofNullable(fetching.remove(b.role())).ifPresent(l -> l.forEach(f -> f.complete(null)));
        }
    }

    private void keepNewest(Frame.PrekeyBundle b) throws PkiException, StoreException {
        IdentityPublicKey key = trust.identity(b.role()).key();
        Optional<SignedPrekeyBytes> newest = Optional.empty();
        for (SignedPrekeyBytes p : b.prekeys()) {
            try {
                VerifiedPrekey.verify(p, b.role(), key, credential.exerciseId(), clock.instant(),
                        maxValidity(b.role(), p));
                if (newest.isEmpty() || p.createdAt().isAfter(newest.get().createdAt())) {
                    newest = Optional.of(p);
                }
            } catch (CryptoException e) {
                audit.problem("ignored a prekey of " + b.role() + ": " + e.getMessage());
            }
        }
        if (newest.isPresent()) {
            store.putPeerPrekey(b.role(), newest.get());
        }
    }

    /**
     * The newest prekey of {@code role} that verifies now: the last one fetched from the relay, else
     * its initial one. Either is refused when its validity exceeds the cap for its kind (§5.2).
     */
    VerifiedPrekey peer(String role) throws PkiException, StoreException, CryptoException {
        IdentityPublicKey key = trust.identity(role).key();
        Instant now = clock.instant();
        Optional<SignedPrekeyBytes> cached = store.peerPrekey(role);
        if (cached.isPresent()) {
            try {
                return VerifiedPrekey.verify(cached.get(), role, key, credential.exerciseId(), now,
                        maxValidity(role, cached.get()));
            } catch (CryptoException expired) {
                // fall back to the initial prekey below
            }
        }
        return VerifiedPrekey.verify(trust.directory().initialPrekeyOf(role), role, key, credential.exerciseId(), now,
                VerifiedPrekey.MAX_INITIAL_VALIDITY);
    }

    /** The initial prekey (same id and bytes as in the exercise directory) may claim 30 days; any other 7. */
    private Duration maxValidity(String role, SignedPrekeyBytes p) throws PkiException {
        SignedPrekeyBytes initial = trust.directory().initialPrekeyOf(role);
        return initial.prekeyId() == p.prekeyId() && Arrays.equals(initial.encode(), p.encode())
                ? VerifiedPrekey.MAX_INITIAL_VALIDITY : VerifiedPrekey.MAX_ROTATED_VALIDITY;
    }

    /** Forgets the passphrase copy (on close). */
    void erase() {
        Arrays.fill(passphrase, '\0');
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
        erased.forEach(PrekeyPair::erase);
        own.removeAll(erased);
        PrekeyFile.write(file(), passphrase, own, config.kdfIterations(), random);
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
     * since our first rotated prekey was made (senders stop getting it at that rotation; the
     * retention covers messages already sealed to it, as for a rotated prekey after its expiry).
     */
    private List<PrekeyPair> due(Instant now) {
        Optional<Instant> firstRotated = own.stream().filter(p -> !isInitial(p)).map(p -> p.signed().createdAt())
                .min(Comparator.naturalOrder());
        return own.stream().filter(p -> now.isAfter(p.signed().expiresAt().plus(config.prekeyRetention()))
                || isInitial(p) && firstRotated.isPresent()
                        && !now.isBefore(firstRotated.get().plus(config.prekeyRetention()))).toList();
    }

    private boolean isInitial(PrekeyPair p) {
        return credential.initialPrekey().map(i -> i.id() == p.id()).orElse(false);
    }

    private Path file() {
        return config.dataDir().resolve(PREKEY_FILE);
    }
}
