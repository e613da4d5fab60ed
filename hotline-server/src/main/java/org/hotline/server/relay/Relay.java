package org.hotline.server.relay;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.audit.AuditLog;
import org.hotline.protocol.crypto.CryptoException;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.crypto.IdentityKeyPair;
import org.hotline.protocol.crypto.ReceiptSigner;
import org.hotline.protocol.crypto.VerifiedPrekey;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.pki.ExerciseDirectory;
import org.hotline.protocol.pki.PkiException;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.FrameCodec;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SealedBox;
import org.hotline.protocol.wire.SignedPrekeyBytes;
import org.hotline.server.config.RelayConfig;
import org.hotline.server.store.AppendResult;
import org.hotline.server.store.Envelope;
import org.hotline.server.store.Mailbox;
import org.hotline.server.store.StoredEnvelope;
import org.hotline.server.store.StoredReceipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's logic, free of network types: authentication has already bound each session to a
 * role. It routes by channel policy, stores before acknowledging, delivers backlog then live
 * traffic in order, forwards signed receipts, and runs the prekey directory.
 */
public final class Relay {

    private static final Logger log = LoggerFactory.getLogger(Relay.class);
    private static final int PUMP_BATCH = 256;

    private final Exercise exercise;
    private final ExerciseDirectory directory;
    private final RelayConfig config;
    private final Mailbox mailbox;
    private final IdentityKeyPair relayIdentity;
    private final IdentityDirectory identities;
    private final Clock clock;
    private final ExecutorService reader;
    private final Map<String, SessionState> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AuditLog audit;
    private final Predicate<String> revokedSerial;

    public Relay(Exercise exercise, ExerciseDirectory directory, RelayConfig config, Mailbox mailbox,
                 IdentityKeyPair relayIdentity, IdentityDirectory identities, Clock clock, ExecutorService reader,
                 AuditLog audit, Predicate<String> revokedSerial) {
        this.audit = audit;
        this.revokedSerial = revokedSerial;
        this.exercise = exercise;
        this.directory = directory;
        this.config = config;
        this.mailbox = mailbox;
        this.relayIdentity = relayIdentity;
        this.identities = identities;
        this.clock = clock;
        this.reader = reader;
    }

    /** Per-session delivery state: cursors into the mailbox and the pump's run/again flags. */
    private static final class SessionState {
        final RelaySession session;
        long envelopeCursor;
        long receiptCursor;
        private boolean pumping;
        private boolean again;

        SessionState(RelaySession session) {
            this.session = session;
        }

        synchronized boolean startPump() {
            if (pumping) {
                again = true;
                return false;
            }
            pumping = true;
            again = false;
            return true;
        }

        synchronized boolean continuePump() {
            if (again && session.isOpen()) {
                again = false;
                return true;
            }
            pumping = false;
            return false;
        }

        synchronized void requestAgain() {
            again = true;
        }

        /** After a failed read: the next request starts a fresh pump instead of finding one "running". */
        synchronized void stopPump() {
            pumping = false;
            again = false;
        }
    }

    public boolean isKnownRole(String role) {
        return exercise.role(role).isPresent();
    }

    /** The number of roles currently connected. */
    public int connectedRoles() {
        return sessions.size();
    }

    /** Dispatches one frame from an authenticated session. */
    public void onFrame(RelaySession s, Frame frame) {
        SessionState st = sessions.get(s.role());
        boolean attached = st != null && st.session == s;
        if (frame instanceof Frame.Hello h) {
            if (!attached) {
                attach(s, h);
            }
            return;
        }
        if (frame instanceof Frame.Ping p) {
            s.send(new Frame.Pong(p.nonce()));
            return;
        }
        if (frame instanceof Frame.Pong) {
            return;
        }
        if (!attached) {
            s.closeWith(ErrorCode.UNEXPECTED_FRAME, "send HELLO first");
            return;
        }
        if (frame instanceof Frame.Send send) {
            onSend(st, send);
        } else if (frame instanceof Frame.DeliveryAck ack) {
            onDeliveryAck(st, ack.receipt());
        } else if (frame instanceof Frame.ReceiptNotice notice) {
            onAcknowledged(st, notice.receipt());
        } else if (frame instanceof Frame.ReceiptAck ack) {
            mailbox.markReceiptDelivered(s.role(), ack.messageId(), ack.type(), clock.instant())
                    .exceptionally(e -> storageFailed(s, null, e));
        } else if (frame instanceof Frame.PrekeyUpload up) {
            onPrekeyUpload(st, up.prekeys());
        } else if (frame instanceof Frame.PrekeyFetch fetch) {
            onPrekeyFetch(st, fetch.role());
        } else if (frame instanceof Frame.Error e) {
            log.info("{} reported error {}: {}", s.describe(), e.code(), e.text());
        } else {
            s.send(new Frame.Error(ErrorCode.UNEXPECTED_FRAME, Optional.empty(),
                    frame.kind() + " is sent by the relay, not to it"));
        }
    }

    private void attach(RelaySession s, Frame.Hello hello) {
        if (revokedSerial.test(s.certificateSerial())) {
            // The CRL may have changed since the handshake; a revoked role gets nothing.
            s.closeWith(ErrorCode.NOT_AUTHENTICATED, "your certificate has been revoked");
            return;
        }
        SessionState previous = sessions.put(s.role(), new SessionState(s));
        if (previous != null && previous.session.isOpen()) {
            log.info("{} superseded by a new connection of the same role", previous.session.describe());
            previous.session.closeWith(ErrorCode.SUPERSEDED, "superseded by a newer connection of " + s.role());
        }
        s.send(new Frame.Welcome(s.role(), clock.instant(), config.maxFrameBytes()));
        log.info("{} said hello ({})", s.describe(), hello.clientSoftware().replaceAll("\\p{Cntrl}", "?"));
        pump(s.role());
    }

    /** Called by the network layer when a connection closes. */
    public void detach(RelaySession s) {
        sessions.computeIfPresent(s.role(), (role, st) -> st.session == s ? null : st);
    }

    private void onSend(SessionState st, Frame.Send send) {
        RelaySession s = st.session;
        if (!send.sender().equals(s.role())) {
            log.warn("refused: {} claimed to send as {} (impersonation); closing", s.describe(), send.sender());
            s.closeWith(ErrorCode.IMPERSONATION, "this connection is authenticated as " + s.role()
                    + ", not " + send.sender());
            return;
        }
        Optional<MessageId> id = Optional.of(send.messageId());
        if (exercise.channel(send.channel()).isEmpty()) {
            refuse(s, ErrorCode.UNKNOWN_CHANNEL, id, "channel '" + send.channel() + "' does not exist");
            return;
        }
        List<String> recipients = new ArrayList<>();
        for (SealedBox b : send.boxes()) {
            if (!isKnownRole(b.recipient())) {
                refuse(s, ErrorCode.UNKNOWN_ROLE, id, "unknown recipient role '" + b.recipient() + "'");
                return;
            }
            recipients.add(b.recipient());
        }
        Optional<String> violation = exercise.policyViolation(s.role(), send.channel(), recipients);
        if (violation.isPresent()) {
            refuse(s, ErrorCode.POLICY_VIOLATION, id, "channel policy: " + violation.get());
            return;
        }
        Instant now = clock.instant();
        Receipt acceptedReceipt = ReceiptSigner.sign(relayIdentity, Receipt.Type.ACCEPTED, send.messageId(),
                Receipt.RELAY, s.role(), now);
        byte[] sendHash = Hashes.sha256(FrameCodec.encode(send));
        Envelope envelope = new Envelope(send.messageId(), s.role(), send.channel(), now, send.boxes(), sendHash,
                acceptedReceipt);
        mailbox.append(envelope, config.maxQueuedEnvelopes(), config.maxQueuedBytes()).whenComplete((r, e) -> {
            if (e != null) {
                storageFailed(s, send.messageId(), e);
            } else if (r instanceof AppendResult.Stored stored) {
                accepted.incrementAndGet();
                logAccepted(send, stored.acceptedReceipt());
                s.send(new Frame.Accepted(stored.acceptedReceipt()));
                log.debug("accepted {} from {} for {}", send.messageId().shortForm(), s.role(), recipients);
                recipients.forEach(this::pump);
            } else if (r instanceof AppendResult.Duplicate dup) {
                s.send(new Frame.Accepted(dup.acceptedReceipt()));
            } else if (r instanceof AppendResult.Conflict) {
                refuse(s, ErrorCode.DUPLICATE_CONFLICT, id, "message id " + send.messageId().shortForm()
                        + " was already used for different content");
            } else if (r instanceof AppendResult.QueueFull full) {
                refuse(s, ErrorCode.QUEUE_FULL, id, "queue for " + full.recipient() + " is full ("
                        + full.queuedEnvelopes() + " messages, " + full.queuedBytes() + " bytes waiting)");
            }
        });
    }

    private void onDeliveryAck(SessionState st, Receipt receipt) {
        RelaySession s = st.session;
        ReceiptCheck check = checkRecipientReceipt(s, receipt, Receipt.Type.DELIVERED);
        if (check.problem().isPresent()) {
            refuse(s, ErrorCode.MALFORMED_FRAME, Optional.of(receipt.messageId()), check.problem().get());
            return;
        }
        // Marking delivered and storing the receipt for the sender commit together: a crash between
        // the two would otherwise lose the receipt for good (the envelope is never delivered again).
        mailbox.markDelivered(receipt.messageId(), s.role(), receipt, clock.instant()).thenAccept(sender -> {
            if (sender.isEmpty()) {
                log.info("{} acknowledged unknown message {}", s.describe(), receipt.messageId().shortForm());
            } else if (!sender.get().equals(receipt.sender())) {
                refuse(s, ErrorCode.MALFORMED_FRAME, Optional.of(receipt.messageId()),
                        "receipt names sender " + receipt.sender() + ", but the message came from " + sender.get());
            } else {
                logReceipt(new AuditEvent.RelayDelivered(receipt), receipt, check.signer());
                pump(sender.get());
            }
        }).exceptionally(e -> storageFailed(s, receipt.messageId(), e));
    }

    /** Metadata only: ids, route, sizes, ciphertext hashes, and the signed receipts. Never content. */
    private void logAccepted(Frame.Send send, Receipt acceptedReceipt) {
        List<AuditEvent.Box> boxes = new java.util.ArrayList<>();
        for (SealedBox b : send.boxes()) {
            boxes.add(new AuditEvent.Box(b.recipient(), b.size(), Hashes.sha256(b.encapsulation(), b.ciphertext())));
        }
        appendQuietly(new AuditEvent.RelayAccepted(acceptedReceipt, send.channel(), boxes));
    }

    /** With the certificate whose key verified the receipt, so the log pairs them even across a reissue. */
    private void logReceipt(AuditEvent event, Receipt r, java.security.cert.X509Certificate signer) {
        try {
            audit.ensureCertificate(r.asserter(), signer);
        } catch (java.io.IOException e) {
            log.error("audit log: cannot record the certificate of {}: {}", r.asserter(), e.getMessage());
        }
        appendQuietly(event);
    }

    private void appendQuietly(AuditEvent event) {
        try {
            audit.append(event);
        } catch (java.io.IOException e) {
            log.error("audit log write failed: {}", e.getMessage());
        }
    }

    private void onAcknowledged(SessionState st, Receipt receipt) {
        RelaySession s = st.session;
        ReceiptCheck check = checkRecipientReceipt(s, receipt, Receipt.Type.ACKNOWLEDGED);
        if (check.problem().isPresent()) {
            refuse(s, ErrorCode.MALFORMED_FRAME, Optional.of(receipt.messageId()), check.problem().get());
            return;
        }
        reader.execute(() -> {
            Optional<String> sender = mailbox.senderOf(receipt.messageId(), s.role());
            if (sender.isEmpty() || !sender.get().equals(receipt.sender())) {
                refuse(s, ErrorCode.MALFORMED_FRAME, Optional.of(receipt.messageId()),
                        "no message " + receipt.messageId().shortForm() + " from " + receipt.sender()
                                + " was delivered to " + s.role());
                return;
            }
            logReceipt(AuditEvent.ReceiptRecorded.byRelay(receipt), receipt, check.signer());
            mailbox.storeReceipt(sender.get(), receipt).thenRun(() -> pump(sender.get()))
                    .exceptionally(e -> storageFailed(s, receipt.messageId(), e));
        });
    }

    /** A receipt from a recipient must be of the expected type, asserted by the session's role, and signed by it. */
    private ReceiptCheck checkRecipientReceipt(RelaySession s, Receipt r, Receipt.Type expected) {
        if (r.type() != expected) {
            return ReceiptCheck.refused("expected a " + expected.name().toLowerCase() + " receipt, got " + r.type());
        }
        if (!r.asserter().equals(s.role())) {
            return ReceiptCheck.refused("receipt asserted by " + r.asserter() + " on a connection of " + s.role());
        }
        try {
            IdentityDirectory.Identity signer = identities.identityOf(s.role());
            ReceiptSigner.verify(r, signer.key());
            return new ReceiptCheck(Optional.empty(), signer.certificate());
        } catch (CryptoException | PkiException e) {
            return ReceiptCheck.refused(e.getMessage());
        }
    }

    /** Why a receipt was refused, or the certificate whose key verified it. */
    private record ReceiptCheck(Optional<String> problem, java.security.cert.X509Certificate signer) {
        static ReceiptCheck refused(String why) {
            return new ReceiptCheck(Optional.of(why), null);
        }
    }

    private void onPrekeyUpload(SessionState st, List<SignedPrekeyBytes> prekeys) {
        RelaySession s = st.session;
        Instant now = clock.instant();
        Set<Integer> ids = new HashSet<>();
        try {
            var identity = identities.keyOf(s.role());
            for (SignedPrekeyBytes p : prekeys) {
                VerifiedPrekey.verify(p, s.role(), identity, now);
                if (!ids.add(p.prekeyId())) {
                    throw new CryptoException(CryptoException.Reason.BAD_PREKEY, "prekey id " + p.prekeyId() + " repeated");
                }
            }
        } catch (CryptoException | PkiException e) {
            log.warn("refused prekeys from {}: {}", s.describe(), e.getMessage());
            refuse(s, ErrorCode.BAD_PREKEY, Optional.empty(), e.getMessage());
            return;
        }
        mailbox.putPrekeys(s.role(), prekeys)
                .thenRun(() -> s.send(new Frame.PrekeyBundle(s.role(), prekeys)))
                .exceptionally(e -> storageFailed(s, null, e));
    }

    private void onPrekeyFetch(SessionState st, String role) {
        RelaySession s = st.session;
        if (!isKnownRole(role)) {
            refuse(s, ErrorCode.UNKNOWN_ROLE, Optional.empty(), "unknown role '" + role + "'");
            return;
        }
        if (exercise.channelFor(s.role(), role).isEmpty()) {
            refuse(s, ErrorCode.POLICY_VIOLATION, Optional.empty(),
                    "channel policy: " + s.role() + " shares no channel with " + role);
            return;
        }
        reader.execute(() -> {
            Instant now = clock.instant();
            List<SignedPrekeyBytes> current = new ArrayList<>();
            for (SignedPrekeyBytes p : mailbox.prekeys(role)) {
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
            if (current.isEmpty()) {
                refuse(s, ErrorCode.NO_PREKEY, Optional.empty(), role + " has no valid prekey yet");
            } else {
                s.send(new Frame.PrekeyBundle(role, current));
            }
        });
    }

    /**
     * Sends a connected role everything waiting for it: envelopes, then receipts, each in arrival
     * order. One pump per session runs at a time; a request while it runs makes it go round again,
     * so nothing committed is missed and nothing is sent twice on one connection.
     */
    private void pump(String role) {
        SessionState st = sessions.get(role);
        if (st == null || !st.startPump()) {
            return;
        }
        reader.execute(() -> {
            try {
                do {
                    List<StoredEnvelope> envelopes = mailbox.pending(role, st.envelopeCursor, PUMP_BATCH);
                    for (StoredEnvelope e : envelopes) {
                        st.session.send(new Frame.Deliver(e.messageId(), e.sender(), e.channel(), e.acceptedAt(),
                                e.box()));
                        st.envelopeCursor = e.seq();
                    }
                    List<StoredReceipt> receipts = mailbox.pendingReceipts(role, st.receiptCursor, PUMP_BATCH);
                    for (StoredReceipt r : receipts) {
                        st.session.send(new Frame.ReceiptNotice(r.receipt()));
                        st.receiptCursor = r.seq();
                    }
                    if (envelopes.size() == PUMP_BATCH || receipts.size() == PUMP_BATCH) {
                        st.requestAgain();
                    }
                } while (st.continuePump());
            } catch (RuntimeException e) {
                log.error("delivery to {} failed: {}", role, e.toString());
                st.stopPump();
            }
        });
    }

    private void refuse(RelaySession s, ErrorCode code, Optional<MessageId> id, String text) {
        log.info("refused {} from {}: {}", code, s.describe(), text);
        s.send(new Frame.Error(code, id, text));
    }

    private Void storageFailed(RelaySession s, MessageId id, Throwable e) {
        log.error("storage failure for {}: {}", s.describe(), e.getMessage());
        s.send(new Frame.Error(ErrorCode.STORAGE_FAILURE, Optional.ofNullable(id),
                "the relay could not store this durably; nothing was accepted, try again"));
        return null;
    }

    public int acceptedCount() {
        return accepted.get();
    }
}
