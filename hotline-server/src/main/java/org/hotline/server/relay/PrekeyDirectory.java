package org.hotline.server.relay;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hotline.protocol.crypto.CryptoException;
import org.hotline.protocol.crypto.VerifiedPrekey;
import org.hotline.protocol.exercise.Exercise;
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
 * prekey issued with the exercise. A fetch is answered on the mailbox's reader thread.
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

    void onUpload(RelaySession s, List<SignedPrekeyBytes> prekeys) {
        Instant now = clock.instant();
        Set<Integer> ids = new HashSet<>();
        try {
            var identity = identities.keyOf(s.role());
            for (SignedPrekeyBytes p : prekeys) {
                VerifiedPrekey.verify(p, s.role(), identity, exerciseId, now);
                if (!ids.add(p.prekeyId())) {
                    throw new CryptoException(CryptoException.Reason.BAD_PREKEY, "prekey id " + p.prekeyId() + " repeated");
                }
            }
        } catch (CryptoException | PkiException e) {
            log.warn("refused prekeys from {}: {}", s.describe(), e.getMessage());
            Replies.refuse(s, ErrorCode.BAD_PREKEY, Optional.empty(), e.getMessage());
            return;
        }
        mailbox.putPrekeys(s.role(), prekeys)
                .thenRun(() -> s.send(new Frame.PrekeyBundle(s.role(), prekeys)))
                .exceptionally(e -> Replies.storageFailed(s, null, e));
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
        mailbox.prekeys(role).thenAccept(published -> {
            List<SignedPrekeyBytes> current = unexpired(role, published, clock.instant());
            if (current.isEmpty()) {
                Replies.refuse(s, ErrorCode.NO_PREKEY, Optional.empty(), role + " has no valid prekey yet");
            } else {
                s.send(new Frame.PrekeyBundle(role, current));
            }
        }).exceptionally(e -> Replies.readFailed(s, e));
    }

    /** The published prekeys still valid at {@code now}; if none, the initial one while it is valid. */
    private List<SignedPrekeyBytes> unexpired(String role, List<SignedPrekeyBytes> published, Instant now) {
        List<SignedPrekeyBytes> current = new ArrayList<>();
        for (SignedPrekeyBytes p : published) {
            if (now.isBefore(p.expiresAt())) {
                current.add(p);
            }
        }
        if (current.isEmpty()) {
            try {
                SignedPrekeyBytes initial = directory.initialPrekeyOf(role);
                if (now.isBefore(initial.expiresAt())) {
                    current.add(initial);
                }
            } catch (PkiException e) {
                log.warn("initial prekey of {} unreadable: {}", role, e.getMessage());
            }
        }
        return current;
    }
}
