package org.hotline.client.core.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
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

    /** Reads our prekeys from the prekey file, adding the credential's initial one. */
    void load() throws PkiException {
        own.clear();
        own.addAll(PrekeyFile.read(file(), passphrase));
        credential.initialPrekey().ifPresent(p -> {
            if (own.stream().noneMatch(x -> x.id() == p.id())) {
                own.add(p);
            }
        });
    }

    /** Our prekey with {@code id}, if we still hold its private half. */
    Optional<PrekeyPair> own(int id) {
        return own.stream().filter(p -> p.id() == id).findFirst();
    }

    /** After WELCOME: rotate if due, upload our current prekeys, ask for every channel peer's. */
    void welcomed(Connection connection) throws IOException {
        rotateIfDue();
        List<SignedPrekeyBytes> current = own.stream().filter(p -> !p.isErased())
                .filter(p -> clock.instant().isBefore(p.signed().expiresAt()))
                .sorted(Comparator.comparing(p -> p.signed().createdAt()))
                .map(PrekeyPair::signed).toList();
        if (current.size() > MAX_UPLOADED_PREKEYS) {
            current = current.subList(current.size() - MAX_UPLOADED_PREKEYS, current.size());
        }
        connection.send(new Frame.PrekeyUpload(current));
        for (Channel c : exercise.channelsOf(config.role())) {
            for (String peer : c.members()) {
                if (!peer.equals(config.role())) {
                    connection.send(new Frame.PrekeyFetch(peer));
                }
            }
        }
    }

    /** Keeps the newest prekey of the bundle's role that verifies; a bad one is reported and skipped. */
    void bundle(Frame.PrekeyBundle b) throws PkiException, StoreException {
        if (b.role().equals(config.role())) {
            return;
        }
        IdentityPublicKey key = trust.identity(b.role()).key();
        Optional<SignedPrekeyBytes> newest = Optional.empty();
        for (SignedPrekeyBytes p : b.prekeys()) {
            try {
                VerifiedPrekey.verify(p, b.role(), key, credential.exerciseId(), clock.instant());
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

    /** The newest prekey of {@code role} that verifies now: fetched from the relay, else its initial one. */
    VerifiedPrekey peer(String role) throws PkiException, StoreException, CryptoException {
        IdentityPublicKey key = trust.identity(role).key();
        Instant now = clock.instant();
        Optional<SignedPrekeyBytes> cached = store.peerPrekey(role);
        if (cached.isPresent()) {
            try {
                return VerifiedPrekey.verify(cached.get(), role, key, credential.exerciseId(), now);
            } catch (CryptoException expired) {
                // fall back to the initial prekey below
            }
        }
        return VerifiedPrekey.verify(trust.directory().initialPrekeyOf(role), role, key, credential.exerciseId(), now);
    }

    /** Forgets the passphrase copy (on close). */
    void erase() {
        Arrays.fill(passphrase, '\0');
    }

    private void rotateIfDue() throws IOException {
        Instant now = clock.instant();
        Optional<Instant> newest = own.stream().map(p -> p.signed().createdAt()).max(Comparator.naturalOrder());
        boolean due = newest.isEmpty() || Duration.between(newest.get(), now).compareTo(config.prekeyRotation()) >= 0
                || own.stream().allMatch(p -> credential.initialPrekey().map(i -> i.id() == p.id()).orElse(false));
        if (!due) {
            return;
        }
        PrekeyPair fresh = PrekeyPair.generate(credential.identity(), credential.exerciseId(), config.role(),
                1 + random.nextInt(Integer.MAX_VALUE - 1), now, config.prekeyValidity(), random);
        own.add(fresh);
        List<PrekeyPair> erased = own.stream()
                .filter(p -> now.isAfter(p.signed().expiresAt().plus(config.prekeyRetention()))).toList();
        erased.forEach(PrekeyPair::erase);
        own.removeAll(erased);
        PrekeyFile.write(file(), passphrase, own, config.kdfIterations(), random);
        audit.prekeyRotated(fresh, erased.size());
    }

    private Path file() {
        return config.dataDir().resolve(PREKEY_FILE);
    }
}
