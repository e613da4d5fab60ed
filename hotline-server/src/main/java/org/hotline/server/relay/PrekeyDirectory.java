package org.hotline.server.relay;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.hotline.protocol.crypto.CryptoException;
import org.hotline.protocol.crypto.IdentityPublicKey;
import org.hotline.protocol.crypto.SignatureContext;
import org.hotline.protocol.crypto.VerifiedPrekey;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.ExerciseDirectory;
import org.hotline.protocol.pki.PkiException;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.SignedPrekeyBytes;
import org.hotline.server.store.Mailbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prekey directory: a role publishes its signed prekeys (PREKEY_UPLOAD, each checked against
 * the role's identity key, stored, then echoed back as PREKEY_BUNDLE), and a role asks for the
 * current prekeys of a role it shares a channel with (PREKEY_FETCH), falling back to the initial
 * prekey issued with the exercise only while the role has not uploaded a rotated one. A fetch is
 * answered on the mailbox's reader thread.
 */
final class PrekeyDirectory {

    private static final Logger log = LoggerFactory.getLogger(PrekeyDirectory.class);

    private final Exercise exercise;
    private final ExerciseDirectory directory;
    private final IdentityDirectory identities;
    private final ExerciseId exerciseId;
    private final Mailbox mailbox;
    private final Clock clock;

    PrekeyDirectory(Exercise exercise, ExerciseDirectory directory, IdentityDirectory identities, ExerciseId exerciseId,
                    Mailbox mailbox, Clock clock) {
        this.exercise = exercise;
        this.directory = directory;
        this.identities = identities;
        this.exerciseId = exerciseId;
        this.mailbox = mailbox;
        this.clock = clock;
    }

    /**
     * Checks and stores an upload. The checks need the role's initial prekey, a file of the exercise
     * directory, so they run on the mailbox's reader thread (as a fetch's answer does), never on the
     * event loop. An upload must publish at least one rotated prekey: an empty one, or the initial
     * prekey alone, would make the relay hand out the initial prekey again (PROTOCOL.md §5.2), so it
     * is refused and the published set stays as it was.
     */
    void onUpload(RelaySession s, List<SignedPrekeyBytes> prekeys) {
        List<SignedPrekeyBytes> upload = List.copyOf(prekeys);
        // Async on the reader thread: if the read has already completed, a plain thenCompose would run
        // the checks (which read the exercise directory) on this, the network, thread.
        mailbox.prekeys(s.role()).thenComposeAsync(previous -> {
            Optional<String> refused = refusal(s.role(), upload, clock.instant());
            if (refused.isPresent()) {
                log.warn("refused prekeys from {}: {}", s.describe(), refused.get());
                Replies.refuse(s, ErrorCode.BAD_PREKEY, Optional.empty(), refused.get());
                return CompletableFuture.completedFuture(false);
            }
            return mailbox.putPrekeys(s.role(), upload).thenApply(v -> true);
        }, mailbox.readExecutor()).thenAccept(stored -> {
            if (stored) {
                s.send(new Frame.PrekeyBundle(s.role(), upload));
            }
        }).exceptionally(e -> Replies.storageFailed(s, null, e));
    }

    /** Why {@code upload} of {@code role} is refused, if it is (signature, exercise, validity caps, ids, a rotated one). */
    private Optional<String> refusal(String role, List<SignedPrekeyBytes> upload, Instant now) {
        Set<Integer> ids = new HashSet<>();
        boolean rotated = false;
        try {
            var identity = identities.keyOf(role);
            Optional<SignedPrekeyBytes> initial = initialOf(role);
            for (SignedPrekeyBytes p : upload) {
                // The senders' validity caps (PROTOCOL.md §5.2), so the relay never hands out a prekey they refuse.
                boolean isInitial = isInitial(initial, p);
                rotated |= !isInitial;
                VerifiedPrekey.verify(p, role, identity, exerciseId, now,
                        isInitial ? VerifiedPrekey.MAX_INITIAL_VALIDITY : VerifiedPrekey.MAX_ROTATED_VALIDITY);
                if (!ids.add(p.prekeyId())) {
                    throw new CryptoException(CryptoException.Reason.BAD_PREKEY, "prekey id " + p.prekeyId() + " repeated");
                }
            }
        } catch (CryptoException | PkiException e) {
            return Optional.of(e.getMessage());
        }
        if (!rotated) {
            return Optional.of("an upload must publish at least one rotated prekey (the initial one is not served "
                    + "again once " + role + " has rotated); the published prekeys are unchanged");
        }
        return Optional.empty();
    }

    void onFetch(RelaySession s, String role) {
        if (exercise.role(role).isEmpty()) {
            Replies.refuse(s, ErrorCode.UNKNOWN_ROLE, Optional.empty(), "unknown role '" + role + "'");
            return;
        }
        if (exercise.channelFor(s.role(), role).isEmpty()) {
            Replies.refuse(s, ErrorCode.POLICY_VIOLATION, Optional.empty(),
                    "channel policy: " + s.role() + " shares no channel with " + role);
            return;
        }
        mailbox.prekeys(role).thenAcceptAsync(published -> {
            Instant now = clock.instant();
            List<SignedPrekeyBytes> current = underCurrentIdentity(role, unexpired(role, published, now));
            if (current.isEmpty()) {
                Replies.refuse(s, ErrorCode.NO_PREKEY, Optional.empty(), role + " has no valid prekey yet");
            } else {
                s.send(new Frame.PrekeyBundle(role, current));
            }
        }, mailbox.readExecutor()).exceptionally(e -> Replies.readFailed(s, e));
    }

    /**
     * The prekeys to hand out for {@code role} (PROTOCOL.md §5.2): once the role has uploaded a
     * rotated prekey (any prekey other than its initial one), only its rotated prekeys still valid at
     * {@code now}, never the initial one, whose private half the facilitator also holds; before
     * that, the initial prekey while it is valid.
     */
    private List<SignedPrekeyBytes> unexpired(String role, List<SignedPrekeyBytes> published, Instant now) {
        Optional<SignedPrekeyBytes> initial = initialOf(role);
        List<SignedPrekeyBytes> rotated = new ArrayList<>();
        for (SignedPrekeyBytes p : published) {
            if (!isInitial(initial, p)) {
                rotated.add(p);
            }
        }
        List<SignedPrekeyBytes> current = new ArrayList<>();
        if (!rotated.isEmpty()) {
            for (SignedPrekeyBytes p : rotated) {
                if (now.isBefore(p.expiresAt())) {
                    current.add(p);
                }
            }
        } else if (initial.isPresent() && now.isBefore(initial.get().expiresAt())) {
            current.add(initial.get());
        }
        return current;
    }

    /**
     * Of {@code prekeys}, those not vouched for by a revoked identity (PROTOCOL.md §5.2, *Relay*):
     * none while {@code role}'s identity certificate is not valid now (revoked, as of the relay's
     * last CRL reload), and after a reissue none signed by a key the reissue replaced (the
     * certificates in {@code identities/previous/<role>/}). They were checked at upload, but the
     * identity that vouched for them may have been revoked since, and a sender must not be handed
     * a prekey whose owner's key is revoked. Anything else is served as stored: the sender checks
     * every prekey again (§5.2), and a relay is not trusted to filter. Runs on the mailbox's reader
     * thread (it reads the exercise directory).
     */
    private List<SignedPrekeyBytes> underCurrentIdentity(String role, List<SignedPrekeyBytes> prekeys) {
        if (prekeys.isEmpty()) {
            return prekeys;
        }
        try {
            identities.keyOf(role);
        } catch (PkiException e) {
            log.info("not serving the prekeys of {}: {}", role, e.getMessage());
            return List.of();
        }
        List<IdentityPublicKey> replaced = new ArrayList<>();
        try {
            for (var cert : directory.previousIdentityCertificatesOf(role)) {
                replaced.add(CertificateValidator.identityKeyOf(cert));
            }
        } catch (PkiException e) {
            // Unreadable: nothing can be told apart, so nothing is served rather than a revoked key's prekey.
            log.warn("not serving the prekeys of {}: its replaced identity certificates are unreadable: {}", role,
                    e.getMessage());
            return List.of();
        }
        if (replaced.isEmpty()) {
            return prekeys;
        }
        List<SignedPrekeyBytes> out = new ArrayList<>();
        for (SignedPrekeyBytes p : prekeys) {
            if (replaced.stream().anyMatch(k -> k.verify(SignatureContext.SIGNED_PREKEY, p.signature(),
                    p.toBeSigned()))) {
                log.info("not serving prekey {} of {}: signed with an identity key a reissue revoked", p.prekeyId(),
                        role);
            } else {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Whether {@code p} is the role's initial prekey: same id and same encoding, as senders decide it
     * (PROTOCOL.md §5.2), at upload and at fetch alike; a prekey reusing its id with other bytes is a
     * rotated one.
     */
    private static boolean isInitial(Optional<SignedPrekeyBytes> initial, SignedPrekeyBytes p) {
        return initial.isPresent() && initial.get().prekeyId() == p.prekeyId()
                && Arrays.equals(initial.get().encode(), p.encode());
    }

    private Optional<SignedPrekeyBytes> initialOf(String role) {
        try {
            return Optional.of(directory.initialPrekeyOf(role));
        } catch (PkiException e) {
            log.warn("initial prekey of {} unreadable: {}", role, e.getMessage());
            return Optional.empty();
        }
    }
}
