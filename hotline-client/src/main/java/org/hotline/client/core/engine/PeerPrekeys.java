package org.hotline.client.core.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hotline.client.core.net.Connection;
import org.hotline.client.core.store.PeerPrekeyStore;
import org.hotline.client.core.store.StoreException;
import org.hotline.protocol.crypto.CryptoException;
import org.hotline.protocol.crypto.IdentityPublicKey;
import org.hotline.protocol.crypto.SignatureContext;
import org.hotline.protocol.crypto.VerifiedPrekey;
import org.hotline.protocol.pki.PkiException;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.SignedPrekeyBytes;

/**
 * Our peers' prekeys and which one a message goes out sealed to (PROTOCOL.md §5.2, "Selection").
 * The relay is asked for every channel peer's bundle at each WELCOME, and again before sealing when
 * the bundle at hand is older than {@link #BUNDLE_MAX_AGE} or is the peer's initial prekey; while
 * any such fetch is unanswered, or none was answered yet on the current connection, the outbox
 * holds the messages to that peer (in order) and releases them when the answer is in; an answer
 * holding only the initial prekey of a peer not known to have rotated releases them only once every
 * welcomed relay answered, or {@link #FETCH_RETRY} after the fetch (PROTOCOL.md §13 rule 1). An answer
 * that leaves nothing to seal to ({@code NO_PREKEY}, an empty bundle, only refused or initial
 * prekeys of a peer that rotated) stands until it is {@link #BUNDLE_MAX_AGE} old: the held
 * messages are not re-fetched for at round-trip speed. Engine thread only.
 *
 * <p>Once a peer is known to have rotated (a prekey of it other than its initial one carried its
 * valid signature, even one refused as expired or over the cap), the store remembers it for good
 * and its initial prekey, whose private half the facilitator also holds, is never sealed to again:
 * a message then goes to the last verified rotated prekey still within its validity, or waits in
 * the outbox until the relay hands out a new one. While the relay answers {@code NO_PREKEY} the
 * initial prekey is not sealed to either.
 */
final class PeerPrekeys {

    /**
     * A peer's bundle younger than this is sealed to without a new fetch: at most this long after a
     * peer uploads a rotated prekey, senders may still seal to the previous one, which stays within
     * its validity, and a burst of sends costs no round trip each.
     */
    static final Duration BUNDLE_MAX_AGE = Duration.ofMinutes(10);

    private final String self;
    private final ExerciseId exerciseId;
    private final PeerTrust trust;
    private final PeerPrekeyStore store;
    private final ClientAudit audit;
    private final Clock clock;

    /**
     * How long a fetch may stay unanswered before it is asked again: the relay answers in
     * milliseconds, so a longer silence means the request or its answer was lost (a mailbox read
     * failure); messages keep waiting rather than go to a prekey the relay may no longer serve.
     */
    static final Duration FETCH_RETRY = Duration.ofSeconds(10);

    /** Roles fetched on the current connection and not yet answered, in the order asked (FIFO answers), with when. */
    private final Map<String, Instant> awaiting = new LinkedHashMap<>();
    /** Roles whose unanswered fetch was reported on this connection (once each). */
    private final Set<String> retried = new HashSet<>();
    /** When the relay last answered a fetch for each role, in this process. */
    private final Map<String, Instant> answeredAt = new HashMap<>();
    /** Roles the relay answered on the current connection: only then may messages to them go. */
    private final Set<String> answeredHere = new HashSet<>();
    /** Roles the relay answered NO_PREKEY for at its latest answer. */
    private final Set<String> noneServed = new HashSet<>();
    /**
     * Per relay (the empty name for the one connection of a single-relay client), the roles
     * fetched since its WELCOME and not yet answered by it, in the order asked: each relay answers
     * its own fetches in order (PROTOCOL.md §5.2), so a NO_PREKEY, which names no role, answers the
     * head of the queue of the relay that sent it.
     */
    private final Map<String, ArrayDeque<String>> askedOf = new HashMap<>();
    /** Per role, the relay whose bundle last gave a prekey to seal to, and when. */
    private final Map<String, Served> usable = new HashMap<>();
    /** Roles for which another relay's "none" was set aside against a usable bundle (reported once each). */
    private final Set<String> noneOverruled = new HashSet<>();
    /**
     * Roles not known to have rotated whose fetch one relay answered with only the initial prekey
     * while another welcomed relay has not answered yet: held (still {@link #awaiting}) until every
     * relay answered or {@link #FETCH_RETRY} passed, since another relay's rotated prekey or
     * {@code NO_PREKEY} outweighs the initial prekey (PROTOCOL.md §13, review w8 P1).
     */
    private final Set<String> initialOnlyAnswered = new HashSet<>();

    /** At most this many fetches are remembered per relay; beyond, the oldest is forgotten (a relay that never answers). */
    private static final int MAX_ASKED_PER_RELAY = 1024;

    private record Served(String relay, Instant at) {
    }
    /** Every peer prekey verified in this process, by role and id: to tell newer from merely different. */
    private final Map<String, Map<Integer, SignedPrekeyBytes>> seen = new HashMap<>();
    private final Map<String, SignedPrekeyBytes> initials = new HashMap<>();
    /** The prekey each role was last sealed to, verified: its signature is checked once, not per message. */
    private final Map<String, Verified> lastVerified = new HashMap<>();

    /** {@code prekey} verified against {@code key} under {@code maxValidity} (all three must match to reuse it). */
    private record Verified(SignedPrekeyBytes prekey, IdentityPublicKey key, Duration maxValidity,
                            VerifiedPrekey result) {
    }

    PeerPrekeys(String self, ExerciseId exerciseId, PeerTrust trust, PeerPrekeyStore store, ClientAudit audit,
                Clock clock) {
        this.self = self;
        this.exerciseId = exerciseId;
        this.trust = trust;
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Asks the relay for the current prekeys of each of {@code roles} not already asked for. A
     * fetch that could not be sent waits as one unanswered (asked again after {@link #FETCH_RETRY}
     * or at the next WELCOME): nothing is sealed to the cache for want of an answer.
     */
    void fetch(Connection connection, Collection<String> roles) {
        for (String role : roles) {
            if (!awaiting.containsKey(role)) {
                connection.send(new Frame.PrekeyFetch(role));
                awaiting.put(role, clock.instant());
                // Queued for every relay welcomed so far; one that is down never gets it, and its
                // queue starts afresh at its next WELCOME.
                for (ArrayDeque<String> asked : askedOf.values()) {
                    if (asked.size() == MAX_ASKED_PER_RELAY) {
                        asked.pollFirst();
                    }
                    asked.addLast(role);
                }
            }
        }
    }

    /**
     * {@code relay} (the empty name for a single-relay client) welcomed us: nothing asked of it on
     * an earlier connection will be answered; call before the WELCOME's fetch.
     */
    void pathWelcomed(String relay) {
        askedOf.put(relay, new ArrayDeque<>());
    }

    /**
     * Before sealing to {@code roles} on a live line: fetches each whose bundle is stale (none
     * answered on this connection, answered more than {@link #BUNDLE_MAX_AGE} ago, or the bundle at
     * hand is the initial prekey, which a peer replaces at its first connection). A fresh answer
     * that left nothing to seal to is not asked again before it is {@link #BUNDLE_MAX_AGE} old.
     */
    void fetchIfStale(Connection connection, Collection<String> roles) throws PkiException, StoreException {
        Instant now = clock.instant();
        for (String role : roles) {
            if (awaiting.containsKey(role)) {
                continue;
            }
            Instant at = answeredAt.get(role);
            if (!answeredHere.contains(role) || at == null || !now.isBefore(at.plus(BUNDLE_MAX_AGE))) {
                fetch(connection, List.of(role));
                continue;
            }
            Optional<SignedPrekeyBytes> cached = store.peerPrekey(role);
            if ((cached.isEmpty() || isInitial(role, cached.get())) && sealsToInitial(role)) {
                fetch(connection, List.of(role)); // the peer may have rotated since: ask before sealing to it
            }
        }
    }

    /** Whether {@link #peer} would seal to {@code role}'s initial prekey now (false when it has none to give). */
    private boolean sealsToInitial(String role) throws PkiException, StoreException {
        try {
            return isInitial(role, peer(role).signed());
        } catch (CryptoException e) {
            return false;
        }
    }

    /**
     * Whether messages to any of {@code roles} must wait: a fetch for it is unanswered, or none was
     * answered on the current connection.
     */
    boolean awaiting(Collection<String> roles) {
        return roles.stream().anyMatch(r -> awaiting.containsKey(r) || !answeredHere.contains(r));
    }

    /** Whether any fetch is unanswered. */
    boolean awaitingAny() {
        return !awaiting.isEmpty();
    }

    /**
     * Asks again for every role whose fetch has waited {@link #FETCH_RETRY} (the outbox's 2-second
     * retry calls this), saying so once per role and connection.
     */
    void retryUnanswered(Connection connection) {
        Instant now = clock.instant();
        List<String> late = awaiting.entrySet().stream()
                .filter(e -> !now.isBefore(e.getValue().plus(FETCH_RETRY))).map(Map.Entry::getKey).toList();
        for (String role : late) {
            awaiting.remove(role);
            if (initialOnlyAnswered.remove(role)) {
                continue; // a relay answered with the initial prekey; the others had their FETCH_RETRY: release
            }
            if (retried.add(role)) {
                audit.problem("the relay has not answered the prekey fetch for " + role + " within "
                        + FETCH_RETRY.toSeconds() + " s; asking again (messages to " + role + " wait meanwhile)");
            }
            fetch(connection, List.of(role));
        }
    }

    /** The line dropped: its fetches will not be answered; the next WELCOME asks again. */
    void connectionLost() {
        awaiting.clear();
        initialOnlyAnswered.clear();
        retried.clear();
        answeredHere.clear();
        askedOf.clear();
    }

    /**
     * A PREKEY_BUNDLE: keeps the newest prekey of the role that verifies (validity capped); a bad one
     * is reported and skipped. An empty bundle counts as NO_PREKEY; one whose every prekey was
     * refused changes nothing. Any prekey other than the initial one that carries the role's valid
     * signature (even one refused as expired or over the cap) proves the role rotated: remembered
     * for good, and the initial prekey is never kept for it again.
     *
     * @param relay the relay that sent it (the empty name for a single-relay client)
     */
    void bundle(String relay, Frame.PrekeyBundle b) throws PkiException, StoreException {
        if (b.role().equals(self)) {
            return; // the echo of our own upload (PrekeyKeeper's)
        }
        Optional.ofNullable(askedOf.get(relay)).ifPresent(q -> q.removeFirstOccurrence(b.role()));
        Instant askedAt = awaiting.remove(b.role());
        initialOnlyAnswered.remove(b.role());
        answeredAt.put(b.role(), clock.instant());
        answeredHere.add(b.role());
        IdentityPublicKey key = trust.identity(b.role()).key();
        Optional<SignedPrekeyBytes> newest = Optional.empty();
        for (SignedPrekeyBytes p : b.prekeys()) {
            if (!isInitial(b.role(), p) && signedBy(b.role(), key, p)) {
                store.markPeerRotated(b.role());
            }
            try {
                VerifiedPrekey.verify(p, b.role(), key, exerciseId, clock.instant(), maxValidity(b.role(), p));
                remember(b.role(), p);
                if (newest.isEmpty() || p.createdAt().isAfter(newest.get().createdAt())) {
                    newest = Optional.of(p);
                }
            } catch (CryptoException e) {
                audit.problem("ignored a prekey of " + b.role() + ": " + e.getMessage());
            }
        }
        if (b.prekeys().isEmpty()) {
            none(relay, b.role(), "an empty bundle"); // as NO_PREKEY
            return;
        }
        if (newest.isEmpty()) {
            return; // nothing usable in it (each reported): what we knew stands
        }
        boolean initial = isInitial(b.role(), newest.get());
        if (initial && rotated(b.role())) {
            // Never step back to the initial prekey once the peer rotated, even after its last
            // rotated prekey expired (a relay whose database was wiped, or a lying one, may serve it).
            return;
        }
        if (initial) {
            // Only the initial prekey, whose private half the facilitator holds: it never sets aside
            // another relay's "none" (an honest relay says none only for a peer that rotated), and
            // the messages wait for every other welcomed relay's answer to the same fetch.
            if (askedAt != null && askedOf.entrySet().stream().anyMatch(e -> !e.getKey().equals(relay)
                    && e.getValue().contains(b.role()))) {
                awaiting.put(b.role(), askedAt); // released at FETCH_RETRY after the fetch at the latest
                initialOnlyAnswered.add(b.role());
            }
        } else {
            noneServed.remove(b.role());
            noneOverruled.remove(b.role());
            usable.put(b.role(), new Served(relay, clock.instant()));
        }
        Optional<SignedPrekeyBytes> cached = store.peerPrekey(b.role());
        // Nor to an older rotated one still valid (a relay replaying an old answer cannot make us
        // seal to an older key).
        boolean keepCached = cached.isPresent() && !isInitial(b.role(), cached.get())
                && cached.get().createdAt().isAfter(newest.get().createdAt())
                && clock.instant().isBefore(cached.get().expiresAt());
        if (!keepCached) {
            store.putPeerPrekey(b.role(), newest.get());
        }
    }

    /** Whether {@code p} names {@code role} and this exercise and carries {@code role}'s valid signature. */
    private boolean signedBy(String role, IdentityPublicKey key, SignedPrekeyBytes p) {
        return p.role().equals(role) && p.exerciseId().equals(exerciseId)
                && key.verify(SignatureContext.SIGNED_PREKEY, p.signature(), p.toBeSigned());
    }

    /** Whether {@code role} is known to have rotated: remembered in the store, or a rotated prekey cached. */
    private boolean rotated(String role) throws PkiException, StoreException {
        if (store.peerRotated(role)) {
            return true;
        }
        Optional<SignedPrekeyBytes> cached = store.peerPrekey(role);
        return cached.isPresent() && !isInitial(role, cached.get());
    }

    /**
     * A relay's {@code NO_PREKEY}: each relay answers its fetches in the order asked (PROTOCOL.md
     * §5.2), so it is that relay's answer for the oldest fetch it has not answered. That role is
     * sealed to its last verified rotated prekey while valid, never to its initial one. Reported
     * once, not at each answer, until a bundle with a prekey of the role is in again.
     *
     * @param relay     the relay that sent it (the empty name for a single-relay client)
     * @param relayText the relay's error text
     * @return the role it answers, if a fetch was waiting on that relay
     */
    Optional<String> noPrekey(String relay, String relayText) {
        ArrayDeque<String> asked = askedOf.get(relay);
        String role = asked == null ? null : asked.pollFirst();
        if (role == null) {
            return Optional.empty();
        }
        awaiting.remove(role);
        initialOnlyAnswered.remove(role);
        answeredAt.put(role, clock.instant());
        answeredHere.add(role);
        none(relay, role, "NO_PREKEY: " + relayText);
        return Optional.of(role);
    }

    /**
     * {@code relay} says it serves no prekey of {@code role}. It stands (the initial prekey is not
     * sealed to) unless another relay's bundle gave a prekey to seal to within the last
     * {@link #BUNDLE_MAX_AGE}: then one relay's "none" cannot hold messages that another relay
     * lets go (PROTOCOL.md §13). The same relay saying "none" after its own bundle is its newer word.
     */
    private void none(String relay, String role, String what) {
        Served s = usable.get(role);
        if (s != null && !s.relay().equals(relay) && clock.instant().isBefore(s.at().plus(BUNDLE_MAX_AGE))) {
            if (noneOverruled.add(role)) {
                audit.problem(name(relay) + " has no current prekey of " + role + " (" + what + ") while "
                        + name(s.relay()) + " served one; messages to " + role + " are sealed to that one");
            }
            return;
        }
        usable.remove(role);
        if (noneServed.add(role)) {
            audit.problem(name(relay) + " has no current prekey of " + role + " (" + what + "): messages to " + role
                    + " are sealed to its last rotated prekey while valid, or wait until it publishes a new one");
        }
    }

    private static String name(String relay) {
        return relay.isEmpty() ? "the relay" : "relay " + relay;
    }

    /**
     * The prekey a message to {@code role} may go out sealed to now: the newest verified one at hand
     * if valid; the initial prekey only while the peer is not known to have rotated and the relay
     * has not said it serves none. Either is refused when its validity exceeds the cap for its kind.
     *
     * @throws CryptoException {@code PREKEY_EXPIRED} when the peer has rotated and no rotated prekey
     *                         of it is valid now (the message waits for a new one)
     */
    VerifiedPrekey peer(String role) throws PkiException, StoreException, CryptoException {
        IdentityPublicKey key = trust.identity(role).key();
        Instant now = clock.instant();
        Optional<SignedPrekeyBytes> cached = store.peerPrekey(role);
        if (rotated(role)) {
            if (cached.isEmpty() || isInitial(role, cached.get())) {
                throw new CryptoException(CryptoException.Reason.PREKEY_EXPIRED, role + " has rotated and no rotated "
                        + "prekey of it is at hand; its initial prekey is not used again, so the message waits until "
                        + "the relay hands out a new one");
            }
            try {
                VerifiedPrekey k = verified(cached.get(), role, key, now, VerifiedPrekey.MAX_ROTATED_VALIDITY);
                remember(role, cached.get());
                return k;
            } catch (CryptoException e) {
                throw new CryptoException(CryptoException.Reason.PREKEY_EXPIRED, role + " has rotated and its last "
                        + "prekey is no longer usable (" + e.getMessage() + "); its initial prekey is not used again, "
                        + "so the message waits until the relay hands out a new one");
            }
        }
        if (noneServed.contains(role)) {
            throw new CryptoException(CryptoException.Reason.PREKEY_EXPIRED, "the relay serves no prekey of " + role
                    + " (NO_PREKEY: it has rotated and its prekeys expired); its initial prekey is not used, so the "
                    + "message waits until " + role + " connects and publishes a new one");
        }
        SignedPrekeyBytes initial = initialOf(role);
        VerifiedPrekey k = verified(initial, role, key, now, VerifiedPrekey.MAX_INITIAL_VALIDITY);
        remember(role, initial);
        return k;
    }

    /**
     * {@link VerifiedPrekey#verify} of {@code prekey}, reusing the last result for {@code role} when
     * it was of the same prekey bytes, the same identity key (looked up valid just now) and the
     * same cap, and {@code now} is well inside the prekey's validity; otherwise (and for every
     * failure) verified afresh, so the answer is always {@link VerifiedPrekey#verify}'s.
     */
    private VerifiedPrekey verified(SignedPrekeyBytes prekey, String role, IdentityPublicKey key, Instant now,
                                    Duration maxValidity) throws CryptoException {
        Verified last = lastVerified.get(role);
        if (last != null && last.prekey().equals(prekey) && last.key().equals(key)
                && last.maxValidity().equals(maxValidity)
                && !now.isBefore(prekey.createdAt()) && now.isBefore(prekey.expiresAt())) {
            return last.result();
        }
        VerifiedPrekey k = VerifiedPrekey.verify(prekey, role, key, exerciseId, now, maxValidity);
        lastVerified.put(role, new Verified(prekey, key, maxValidity, k));
        return k;
    }

    /**
     * What a message composed now is first sealed to: {@link #peer} if it has one, else the initial
     * prekey while valid. Such a box is only a placeholder: the outbox checks it against {@link #peer}
     * (and re-seals) before the message goes out, and it never leaves this client otherwise.
     */
    VerifiedPrekey provisional(String role) throws PkiException, StoreException, CryptoException {
        try {
            return peer(role);
        } catch (CryptoException e) {
            SignedPrekeyBytes initial = initialOf(role);
            VerifiedPrekey k = verified(initial, role, trust.identity(role).key(), clock.instant(),
                    VerifiedPrekey.MAX_INITIAL_VALIDITY);
            remember(role, initial);
            return k;
        }
    }

    /**
     * Whether a box of {@code role}'s sealed to prekey {@code boxPrekeyId} must be re-sealed to
     * {@code current} (from {@link #peer}): only when {@code current} is another prekey and the box's
     * is the initial one, unknown here, expired, or older by its validity start; a merely different
     * prekey that is not newer keeps the box.
     */
    boolean newer(String role, int boxPrekeyId, VerifiedPrekey current) throws PkiException {
        if (boxPrekeyId == current.id()) {
            return false;
        }
        SignedPrekeyBytes box = seen.getOrDefault(role, Map.of()).get(boxPrekeyId);
        if (box == null || isInitial(role, box)) {
            return true;
        }
        return !clock.instant().isBefore(box.expiresAt()) || box.createdAt().isBefore(current.signed().createdAt());
    }

    /** The exercise directory's initial prekey of {@code role}, read once (the file does not change). */
    private SignedPrekeyBytes initialOf(String role) throws PkiException {
        SignedPrekeyBytes p = initials.get(role);
        if (p == null) {
            p = trust.directory().initialPrekeyOf(role);
            initials.put(role, p);
        }
        return p;
    }

    private void remember(String role, SignedPrekeyBytes p) {
        seen.computeIfAbsent(role, r -> new HashMap<>()).put(p.prekeyId(), p);
    }

    private boolean isInitial(String role, SignedPrekeyBytes p) throws PkiException {
        SignedPrekeyBytes initial = initialOf(role);
        return initial.prekeyId() == p.prekeyId() && Arrays.equals(initial.encode(), p.encode());
    }

    /** The initial prekey (same id and bytes as in the exercise directory) may claim 30 days; any other 7. */
    private Duration maxValidity(String role, SignedPrekeyBytes p) throws PkiException {
        return isInitial(role, p) ? VerifiedPrekey.MAX_INITIAL_VALIDITY : VerifiedPrekey.MAX_ROTATED_VALIDITY;
    }
}
