package org.hotline.server.relay;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.crypto.IdentityKeyPair;
import org.hotline.protocol.crypto.ReceiptSigner;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SealedBox;
import org.hotline.server.config.RelayConfig;
import org.hotline.server.store.AppendResult;
import org.hotline.server.store.Envelope;
import org.hotline.server.store.Mailbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SEND, in order: the envelope's sender is the connection's role (else the connection is closed
 * as an impersonation), the channel and every recipient exist, the channel policy allows the
 * route, the mailbox stores it within the queue limits; only then is it logged, answered with
 * ACCEPTED_IN_LOG (the unsigned receipt proven by the batch's one signed checkpoint) or, from a
 * relay without a log, ACCEPTED with a signed receipt, and its boxes handed to the recipients'
 * pumps. The outcome is handled where the append's future completes, after the commit.
 */
final class SendAdmission {

    private static final Logger log = LoggerFactory.getLogger(SendAdmission.class);

    private final Exercise exercise;
    private final RelayConfig config;
    private final Mailbox mailbox;
    private final IdentityKeyPair relayIdentity;
    private final ExerciseId exerciseId;
    /** The asserter of this relay's receipts (PROTOCOL.md §13). */
    private final String relayName;
    private final Clock clock;
    private final RelayAudit audit;
    private final SessionRegistry sessions;
    private final AtomicInteger accepted = new AtomicInteger();
    /**
     * Test-only fault hook: the number of newly stored messages after whose group commit the relay
     * process halts at once, as kill -9 would, before the batch's checkpoint is signed or anything is
     * answered (0, the default: never). Set only by the crash test
     * {@code RelayHaltBetweenCommitAndCheckpointTest} through {@link #HALT_AFTER_COMMITS}.
     * Without the property (every {@code hotline relay} run) it is 0 and nothing halts; docs/architecture.md
     * ("relay" package) documents it as test-only, never an operator setting.
     */
    private final int haltAfterCommits = Integer.getInteger(HALT_AFTER_COMMITS, 0);
    /** The system property of the fault hook above. */
    static final String HALT_AFTER_COMMITS = "hotline.relay.fault.haltAfterCommits";
    /** The relay's log, when the mailbox keeps one (PROTOCOL.md §12). */
    private final Optional<RelayLogCheckpoints> relayLog;

    SendAdmission(Exercise exercise, RelayConfig config, Mailbox mailbox, IdentityKeyPair relayIdentity,
                  ExerciseId exerciseId, Clock clock, RelayAudit audit, SessionRegistry sessions,
                  Optional<RelayLogCheckpoints> relayLog) {
        this(exercise, config, mailbox, relayIdentity, org.hotline.protocol.wire.Receipt.RELAY, exerciseId, clock, audit,
                sessions, relayLog);
    }

    SendAdmission(Exercise exercise, RelayConfig config, Mailbox mailbox, IdentityKeyPair relayIdentity,
                  String relayName, ExerciseId exerciseId, Clock clock, RelayAudit audit, SessionRegistry sessions,
                  Optional<RelayLogCheckpoints> relayLog) {
        this.relayLog = relayLog;
        this.exercise = exercise;
        this.config = config;
        this.mailbox = mailbox;
        this.relayIdentity = relayIdentity;
        this.relayName = relayName;
        this.exerciseId = exerciseId;
        this.clock = clock;
        this.audit = audit;
        this.sessions = sessions;
    }

    void onSend(RelaySession s, Frame.Send send) {
        if (!send.sender().equals(s.role())) {
            log.warn("refused: {} claimed to send as {} (impersonation); closing", s.describe(), send.sender());
            s.closeWith(ErrorCode.IMPERSONATION, "this connection is authenticated as " + s.role()
                    + ", not " + send.sender());
            return;
        }
        Optional<MessageId> id = Optional.of(send.messageId());
        if (exercise.channel(send.channel()).isEmpty()) {
            Replies.refuse(s, ErrorCode.UNKNOWN_CHANNEL, id, "channel '" + send.channel() + "' does not exist");
            return;
        }
        List<String> recipients = new ArrayList<>();
        for (SealedBox b : send.boxes()) {
            if (exercise.role(b.recipient()).isEmpty()) {
                Replies.refuse(s, ErrorCode.UNKNOWN_ROLE, id, "unknown recipient role '" + b.recipient() + "'");
                return;
            }
            recipients.add(b.recipient());
        }
        Optional<String> violation = exercise.policyViolation(s.role(), send.channel(), recipients);
        if (violation.isPresent()) {
            Replies.refuse(s, ErrorCode.POLICY_VIOLATION, id, "channel policy: " + violation.get());
            return;
        }
        Instant now = clock.instant();
        // The receipt commits to this SEND payload (PROTOCOL.md §6), the same hash that recognises a re-send.
        // With a log, the receipt is not signed: the checkpoint signed once per group commit and the
        // message's inclusion proof authenticate it (PROTOCOL.md §12.3). Without one, it is signed.
        Receipt.Fields fields = new Receipt.Fields(Receipt.Type.ACCEPTED, exerciseId, send.messageId(), relayName,
                send.sender(), send.channel(), now, Hashes.sendHash(send));
        Receipt acceptedReceipt = relayLog.isPresent() ? Receipt.unsigned(fields) : ReceiptSigner.sign(relayIdentity, fields);
        byte[] sendHash = acceptedReceipt.subjectHash().orElseThrow().bytes();
        Envelope envelope = new Envelope(send.messageId(), s.role(), send.channel(), now, send.boxes(), sendHash,
                acceptedReceipt);
        mailbox.append(envelope, config.maxQueuedEnvelopes(), config.maxQueuedBytes()).whenComplete((r, e) -> {
            if (e != null) {
                Replies.storageFailed(s, send.messageId(), e);
            } else {
                answer(s, send, recipients, r);
            }
        });
    }

    private void answer(RelaySession s, Frame.Send send, List<String> recipients, AppendResult r) {
        Optional<MessageId> id = Optional.of(send.messageId());
        if (r instanceof AppendResult.Stored stored) {
            if (accepted.incrementAndGet() == haltAfterCommits) {
                log.error("fault hook {}: halting between a group commit and its checkpoint", HALT_AFTER_COMMITS);
                Runtime.getRuntime().halt(137);
            }
            // Answered and delivered once its audit entry is written (with its group commit's).
            audit.accepted(send, stored.acceptedReceipt(), () -> {
                s.send(acceptedFrame(stored.acceptedReceipt(), stored.leafIndex()));
                log.debug("accepted {} from {} for {}", send.messageId().shortForm(), s.role(), recipients);
                if (stored.fresh().isEmpty()) {
                    recipients.forEach(sessions::wake);
                } else {
                    // The committed boxes themselves: an idle recipient's pump sends them without a read.
                    stored.fresh().forEach(sessions::offer);
                }
            });
        } else if (r instanceof AppendResult.Duplicate dup) {
            // The original may sit in this very group commit, its audit entry not yet written: the
            // re-send's answer waits for that entry as the original's answer does (review A-L1).
            audit.afterPending(() -> s.send(acceptedFrame(dup.acceptedReceipt(), dup.leafIndex())));
        } else if (r instanceof AppendResult.Conflict) {
            Replies.refuse(s, ErrorCode.DUPLICATE_CONFLICT, id, "message id " + send.messageId().shortForm()
                    + " was already used for different content");
        } else if (r instanceof AppendResult.QueueFull full) {
            Replies.refuse(s, ErrorCode.QUEUE_FULL, id, "queue for " + full.recipient() + " is full ("
                    + full.queuedEnvelopes() + " messages, " + full.queuedBytes() + " bytes waiting)");
        }
    }

    /**
     * ACCEPTED_IN_LOG with the leaf's inclusion proof and the checkpoint of the committed tree
     * (signed once per tree size, so once per group commit), or plain ACCEPTED without a log.
     */
    private Frame.Accepted acceptedFrame(Receipt receipt, java.util.OptionalLong leafIndex) {
        return relayLog.map(l -> l.accepted(receipt, leafIndex)).orElseGet(() -> new Frame.Accepted(receipt));
    }

    /** Messages newly stored since the relay started (identical re-sends not counted). */
    int acceptedCount() {
        return accepted.get();
    }
}
