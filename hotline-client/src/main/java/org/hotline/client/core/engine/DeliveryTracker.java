package org.hotline.client.core.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.hotline.client.core.DeliveryState;
import org.hotline.client.core.ReceivedMessage;
import org.hotline.client.core.net.Connection;
import org.hotline.client.core.net.VerifiedCopies;
import org.hotline.client.core.store.InboxStore;
import org.hotline.client.core.store.OutboxStore;
import org.hotline.client.core.store.StoreException;
import org.hotline.protocol.pki.IdentityKeyCache;
import org.hotline.protocol.crypto.CryptoException;
import org.hotline.protocol.crypto.CumulativeReceiptSigner;
import org.hotline.protocol.crypto.ReceiptSigner;
import org.hotline.protocol.crypto.ReceiptSubject;
import org.hotline.protocol.pki.PkiException;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.wire.CumulativeReceipt;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SignedMessage;

/**
 * Receipts both ways: verified receipts for our messages move them through the delivery states
 * (PROTOCOL.md §6), and the person's acknowledgements go back to senders as signed receipts,
 * re-sent on every connect while recent. Also answers {@code whenState} waits. Engine thread only.
 */
final class DeliveryTracker {

    /** Matches the relay's default retention: an older acknowledgement has long reached its sender. */
    private static final Duration ACK_RESEND_WINDOW = Duration.ofDays(7);

    private record Waiter(MessageId id, DeliveryState state, CompletableFuture<DeliveryState> future) {
    }

    private final String role;
    private final RoleCredential credential;
    private final OutboxStore outboxStore;
    private final InboxStore inboxStore;
    private final Connection connection;
    private final PeerTrust trust;
    private final Outbox outbox;
    private final Inbox inbox;
    private final ClientAudit audit;
    private final Listeners listeners;
    private final Clock clock;
    private final List<Waiter> waiters = new ArrayList<>();
    /** How often a refused receipt is logged per relay, at most (review R3). */
    static final java.time.Duration REFUSED_RECEIPT_PERIOD = java.time.Duration.ofMinutes(1);
    private final ProblemThrottle refusedReceipts;

    DeliveryTracker(String role, RoleCredential credential, OutboxStore outboxStore, InboxStore inboxStore,
                    Connection connection, PeerTrust trust, Outbox outbox, Inbox inbox, ClientAudit audit,
                    Listeners listeners, Clock clock) {
        this.role = role;
        this.credential = credential;
        this.outboxStore = outboxStore;
        this.inboxStore = inboxStore;
        this.connection = connection;
        this.trust = trust;
        this.outbox = outbox;
        this.inbox = inbox;
        this.audit = audit;
        this.listeners = listeners;
        this.clock = clock;
        this.refusedReceipts = new ProblemThrottle(REFUSED_RECEIPT_PERIOD, clock);
    }

    /**
     * A receipt for one of our messages: ACCEPTED from the relay, DELIVERED, ACKNOWLEDGED or
     * REJECTED from a recipient (relayed in a RECEIPT_NOTICE). Checked, stored, then confirmed to the relay.
     *
     * @return {@link Verdict#MOVED} when it verified and moved the message's state (for ACCEPTED:
     *         the message was awaiting acceptance), which happens once per message and state
     */
    Verdict receipt(Receipt r, boolean fromAcceptedFrame) throws Exception {
        return outcome(r, fromAcceptedFrame, false);
    }

    /** What the tracker made of a receipt. */
    enum Verdict {
        /** It verified against a message we sent and moved that message's state. */
        MOVED,
        /** It verified against a message we sent and moved nothing (e.g. a second relay's acceptance). */
        MATCHED,
        /** It is not about a message we sent, or failed a check: ignored. */
        REFUSED
    }

    /**
     * A relay's signed {@code ACCEPTED}: {@link #receipt(Receipt, boolean)} from an ACCEPTED frame,
     * {@link Verdict#MATCHED} when it matched our message without moving it (another relay accepted first).
     */
    Verdict accepted(Receipt r) throws Exception {
        return outcome(r, true, false);
    }

    /**
     * The unsigned receipt of an ACCEPTED_IN_LOG whose inclusion proof has already verified
     * (PROTOCOL.md §12.3), for {@link RelayLogs}: checked against our message like a signed one,
     * without the signature the proof stands in for (it is not logged as a {@code receipt} entry,
     * having no signature to check; the caller logs the proof, {@code relay-inclusion}), and moving
     * the message to accepted if it was awaiting that. Answers whether the proven receipt matches a
     * message we sent, whatever its state now, and the asserting relay's proof for it is not recorded yet.
     * So the {@code relay-inclusion} entry (the message's one record of the relay's acceptance,
     * PROTOCOL.md §12.5) is written even when a delivery receipt arrived first (after a reconnect,
     * a DELIVERED before the re-send's ACCEPTED_IN_LOG), once per message and relay (review A-L5).
     */
    boolean provenAndNotRecorded(Receipt r) throws Exception {
        return outcome(r, true, true) != Verdict.REFUSED
                && !outboxStore.relayInclusionRecorded(r.messageId(), r.asserter());
    }

    /** The proof of {@code r} is in the audit log now: it is not recorded again. */
    void inclusionRecorded(Receipt r) throws Exception {
        outboxStore.markRelayInclusionRecorded(r.messageId(), r.asserter());
    }

    /** {@link #provenAndNotRecorded} and {@link #inclusionRecorded}, as {@link RelayLogs} asks for them. */
    RelayLogs.AcceptByLog byLog() {
        return new RelayLogs.AcceptByLog() {
            @Override
            public boolean accept(Receipt r) throws Exception {
                return provenAndNotRecorded(r);
            }

            @Override
            public void recorded(Receipt r) throws Exception {
                inclusionRecorded(r);
            }
        };
    }

    private Verdict outcome(Receipt r, boolean fromAcceptedFrame, boolean provenByLog) throws Exception {
        Optional<OutboxStore.Outgoing> mine = outboxStore.outgoing(r.messageId());
        if (mine.isEmpty() || !r.sender().equals(role)) {
            audit.problem("ignored a " + r.type().name().toLowerCase() + " receipt for a message we did not send");
            return Verdict.REFUSED;
        }
        if (fromAcceptedFrame != (r.type() == Receipt.Type.ACCEPTED)) {
            audit.problem("ignored a receipt of the wrong kind for message " + r.messageId().shortForm());
            return Verdict.REFUSED;
        }
        String asserter = r.asserter();
        if (r.type() != Receipt.Type.ACCEPTED && !mine.get().recipients().contains(asserter)) {
            audit.problem("ignored a receipt from " + asserter + ", who was not a recipient");
            return Verdict.REFUSED;
        }
        IdentityKeyCache.Identity signer;
        ReceiptSubject subject;
        try {
            signer = trust.identity(asserter);
            // Against the message as we sent it: exercise, channel, and the exact bytes (PROTOCOL.md §6).
            // A rejection names one relay's copy (PROTOCOL.md §6, §13): it is checked against the
            // acceptedAt of each relay whose accepted receipt verified for this message.
            subject = ReceiptSubject.of(mine.get().message(), mine.get().sendFrame())
                    .withAcceptances(r.type() == Receipt.Type.REJECTED ? outboxStore.relayAcceptances(r.messageId())
                            : Map.of());
            if (provenByLog) {
                ReceiptSigner.verifyProvenByLog(r, subject);
            } else {
                ReceiptSigner.verify(r, signer.key(), subject);
            }
        } catch (CryptoException | PkiException e) {
            // Once a minute per relay that brought it (review R3): a relay answering every SEND with a
            // receipt that does not verify must not grow the audit log without bound.
            String line = "receipt for message " + r.messageId().shortForm() + " rejected: " + e.getMessage();
            refusedReceipts.admit(connection instanceof org.hotline.client.core.net.RelayPaths paths
                    ? paths.currentRelay().orElse("") : "").ifPresent(n -> audit.problem(
                            ProblemThrottle.withHeldBack(line, n, REFUSED_RECEIPT_PERIOD)));
            return Verdict.REFUSED;
        }
        if (r.type() == Receipt.Type.ACCEPTED) {
            // The time this relay signed is the acceptedAt of its copy, which a rejection of that copy names.
            outboxStore.recordRelayAcceptance(r.messageId(), asserter, r.at());
            if (connection instanceof org.hotline.client.core.net.RelayPaths paths) {
                // Only a verified acceptance settles that relay's path (review L1).
                paths.acceptanceVerified(r.messageId(), asserter);
            }
        }
        outbox.receiptArrived(r.messageId());
        if (r.type() != Receipt.Type.ACCEPTED && observes(asserter, mine.get().channel())) {
            // Exercise control's copy on a channel it observes (PROTOCOL.md §1.1): its receipt says that
            // control has the message, not that the other side has, so it moves no state.
            if (!fromAcceptedFrame) {
                connection.send(Frame.ReceiptAck.of(r));
            }
            return Verdict.MATCHED;
        }
        if (r.type() == Receipt.Type.DELIVERED || r.type() == Receipt.Type.ACKNOWLEDGED) {
            // Per recipient, so a later rejection is refused only from a recipient who confirmed (review N2).
            outboxStore.addConfirmation(r.messageId(), asserter);
        }
        if (r.type() == Receipt.Type.REJECTED && !everyCopyRejected(r, subject, mine.get().state())) {
            return Verdict.MATCHED;
        }
        DeliveryState state = switch (r.type()) {
            case ACCEPTED -> DeliveryState.ACCEPTED;
            case DELIVERED -> DeliveryState.DELIVERED;
            case ACKNOWLEDGED -> DeliveryState.ACKNOWLEDGED;
            case REJECTED -> DeliveryState.REJECTED;
            case DELIVERED_THROUGH -> throw new IllegalStateException("a Receipt is never delivered-through");
        };
        // A later receipt implies the earlier states (an acknowledgement implies delivery). A receipt
        // that moves nothing (the relay answering a re-send, a repeated notice) is not logged again.
        // A rejection implies only acceptance: the relay delivered it, the recipient never took it.
        boolean moved = false;
        if (state != DeliveryState.REJECTED && mine.get().state() == DeliveryState.REJECTED
                && confirmsRejected(r.messageId(), asserter, r.at())) {
            moved = true;
        }
        for (DeliveryState s : DeliveryState.values()) {
            boolean implied = state == DeliveryState.REJECTED
                    ? s == DeliveryState.ACCEPTED || s == DeliveryState.REJECTED
                    : s != DeliveryState.QUEUED && !s.isAfter(state);
            if (implied && outboxStore.advance(r.messageId(), s, r.at())) {
                moved = true;
                listeners.fire(l -> l.deliveryStateChanged(r.messageId(), s));
            }
        }
        if (moved && state == DeliveryState.REJECTED) {
            String reason = r.reason().map(Receipt.RejectReason::label).orElse("no reason");
            audit.problem("message " + r.messageId().shortForm() + " was rejected by " + asserter + " (" + reason
                    + "): it will not be delivered to " + asserter);
        }
        if (!fromAcceptedFrame) {
            // Only now that the state is stored: the relay stops re-sending once it has this.
            connection.send(Frame.ReceiptAck.of(r));
        }
        outbox.refillIfRoom();
        if (moved) {
            reached(r.messageId(), state);
            if (r.isSigned()) {
                audit.receipt(r, signer.certificate());
            }
        }
        return moved ? Verdict.MOVED : Verdict.MATCHED;
    }

    /**
     * A verified confirmation by {@code asserter} of a message that is REJECTED: another recipient
     * rejected every copy before this one's receipt arrived. Unless {@code asserter} is itself one
     * that rejected every copy (it cannot take that back), the message moves to DELIVERED, so the
     * outcome of the same receipts does not depend on their order (review N2a; PROTOCOL.md §6).
     */
    private boolean confirmsRejected(MessageId id, String asserter, Instant at) throws StoreException {
        List<String> configured = connection instanceof VerifiedCopies copies ? copies.relays() : List.of();
        Collection<String> needed = configured.isEmpty() ? outboxStore.relayAcceptances(id).keySet() : configured;
        if (outboxStore.rejectedCopies(id, asserter).containsAll(needed) || !outboxStore.confirmRejected(id, at)) {
            return false;
        }
        listeners.fire(l -> l.deliveryStateChanged(id, DeliveryState.DELIVERED));
        audit.problem("message " + id.shortForm() + " was rejected by another recipient, but " + asserter
                + " confirmed it: it is delivered");
        return true;
    }

    /**
     * Whether the verified rejection {@code r} leaves no copy of the message that its asserter may
     * still take: it names one relay's copy, and the message is rejected for the sender only once
     * the asserter rejected the copy of every relay of the exercise, with one relay the copy of the
     * relay that accepted it (PROTOCOL.md §6 "Checks", §13 rule 5). Counting only the acceptances
     * recorded so far would let a hostile relay whose ACCEPTED arrived first get a message the other
     * relay still delivers recorded as rejected (review R1). A message already delivered or
     * acknowledged ({@code current}) is never moved to rejected: a recipient confirmed it. A
     * recipient that confirmed it itself cannot take that back; another recipient that rejected every
     * copy is said once to be unable to read it (review N2: the state is the message's, the
     * confirmation the recipient's). Otherwise
     * the rejected copy is recorded and said once, the receipt confirmed to the relay that forwarded
     * it, and the state left as it is.
     */
    private boolean everyCopyRejected(Receipt r, ReceiptSubject subject, DeliveryState current)
            throws StoreException {
        // Every relay whose copy it names: relays that signed the same acceptedAt delivered one
        // identical copy, which this one rejection rejects for each of them (review N4).
        List<String> relays = subject.copiesOf(r.asserter(), r.subjectHash().orElseThrow());
        if (relays.isEmpty()) {
            throw new IllegalStateException("a verified rejection names no relay's copy");
        }
        boolean first = false;
        for (String copy : relays) {
            first |= outboxStore.addCopyRejection(r.messageId(), r.asserter(), copy);
        }
        String relay = String.join(" and ", relays);
        // Refused only if this recipient confirmed the message itself: on a channel with several
        // recipients another one's delivered receipt says nothing of this one (review N2).
        boolean confirmed = outboxStore.confirmedBy(r.messageId(), r.asserter());
        boolean othersConfirmed = current == DeliveryState.DELIVERED || current == DeliveryState.ACKNOWLEDGED;
        List<String> configured = connection instanceof VerifiedCopies copies ? copies.relays() : List.of();
        Collection<String> needed = configured.isEmpty() ? subject.acceptances().keySet() : configured;
        boolean everyCopy = outboxStore.rejectedCopies(r.messageId(), r.asserter()).containsAll(needed);
        if (!confirmed && everyCopy && !othersConfirmed) {
            return true;
        }
        if (first) {
            String reason = r.reason().map(Receipt.RejectReason::label).orElse("no reason");
            String state = current.name().toLowerCase();
            audit.problem("the copy of message " + r.messageId().shortForm() + " that " + relay + " delivered was"
                    + " rejected by " + r.asserter() + " (" + reason + "); "
                    + (confirmed ? "it was already delivered to " + r.asserter() + ", so it stays " + state
                            : everyCopy ? "it will not be delivered to " + r.asserter() + "; another recipient"
                                    + " confirmed it, so it stays " + state
                            : "another relay may still deliver it, so it is not marked rejected"));
        }
        connection.send(Frame.ReceiptAck.of(r));
        return false;
    }

    /**
     * A recipient's cumulative receipt (PROTOCOL.md §6.1), forwarded by the relay: checked against
     * every message it lists as we sent it (one signature for the whole batch), then every listed
     * message moves to delivered, the receipt is logged, and only then confirmed to the relay. A
     * receipt that fails a check moves nothing and is not confirmed.
     */
    void deliveredThrough(CumulativeReceipt r) throws Exception {
        String asserter = r.asserter();
        if (!r.sender().equals(role)) {
            audit.problem("ignored a delivered-through receipt from " + asserter + " for " + r.sender()
                    + "'s messages");
            return;
        }
        Map<MessageId, SignedMessage> mine = new HashMap<>();
        for (MessageId id : r.coveredIds()) {
            outboxStore.outgoing(id).ifPresent(o -> mine.put(id, o.message()));
        }
        String which = "delivered-through receipt for " + describe(r.coveredIds());
        if (mine.values().stream().anyMatch(m -> !m.header().recipients().contains(asserter))) {
            audit.problem("ignored a " + which + " from " + asserter + ", who was not a recipient");
            return;
        }
        IdentityKeyCache.Identity signer;
        try {
            signer = trust.identity(asserter);
            // Each listed id against the message we sent with that counter, and the chain head
            // against the hash of the last: the hash links commit the recipient to all of them.
            CumulativeReceiptSigner.verify(r, signer.key(), credential.exerciseId(), mine);
        } catch (CryptoException | PkiException e) {
            audit.problem(which + " from " + asserter + " rejected: " + e.getMessage());
            return;
        }
        r.coveredIds().forEach(outbox::receiptArrived);
        if (observes(asserter, r.channel())) {
            // Exercise control's copies on a channel it observes (PROTOCOL.md §1.1): control holds
            // them, which says nothing of the other side, so no state moves.
            connection.send(Frame.ReceiptAck.of(r));
            return;
        }
        List<MessageId> moved = new ArrayList<>();
        // One transaction for the whole receipt, not one sync per id (review N2c).
        outboxStore.addConfirmations(r.coveredIds(), asserter);
        for (MessageId id : r.coveredIds()) {
            boolean any = false;
            for (DeliveryState s : List.of(DeliveryState.ACCEPTED, DeliveryState.DELIVERED)) {
                if (outboxStore.advance(id, s, r.at())) {
                    any = true;
                    listeners.fire(l -> l.deliveryStateChanged(id, s));
                }
            }
            if (!any) {
                // Moves only a REJECTED message (the store's update is guarded by the state).
                any = confirmsRejected(id, asserter, r.at());
            }
            if (any) {
                moved.add(id);
            }
        }
        // Only now that the states are stored: the relay stops re-sending once it has this.
        connection.send(Frame.ReceiptAck.of(r));
        outbox.refillIfRoom();
        if (!moved.isEmpty()) {
            moved.forEach(id -> reached(id, DeliveryState.DELIVERED));
            audit.deliveredThrough(r, signer.certificate());
        }
    }

    /** Up to three short ids, for a problem line. */
    private static String describe(List<MessageId> ids) {
        String shown = String.join(", ", ids.stream().limit(3).map(MessageId::shortForm).toList());
        return (ids.size() == 1 ? "message " : "messages ") + shown + (ids.size() > 3 ? " and " + (ids.size() - 3)
                + " more" : "");
    }

    private boolean observes(String role, String channel) {
        try {
            return trust.directory().exercise().channel(channel).map(c -> c.hasObserver(role)).orElse(false);
        } catch (org.hotline.protocol.exercise.ExerciseException e) {
            return false;
        }
    }

    /** The person acknowledges a received message: a signed receipt goes back to its sender. */
    void acknowledge(MessageId id) throws Exception {
        Optional<ReceivedMessage> m = inbox.received(id);
        if (m.isEmpty() || m.get().acknowledged()) {
            return;
        }
        SignedMessage signed = inboxStore.incoming(id).orElseThrow(() ->
                new StoreException("message " + id.shortForm() + " is shown but not in the store"));
        Receipt r = ReceiptSigner.sign(credential.identity(), Receipt.Type.ACKNOWLEDGED, signed, role, clock.instant());
        inboxStore.markAcknowledged(id, clock.instant(), r);
        audit.acknowledged(r);
        connection.send(new Frame.ReceiptNotice(r));
        ReceivedMessage now = inbox.acknowledged(id);
        listeners.fire(l -> l.messageReceived(now));
    }

    /**
     * After WELCOME: an acknowledgement sent while the line was down, or lost with a dropped
     * connection, still reaches its sender: recent ones are re-sent on every connect, also after a
     * restart.
     */
    void welcomed() throws StoreException {
        for (Receipt r : inboxStore.acknowledgementsSince(clock.instant().minus(ACK_RESEND_WINDOW))) {
            connection.send(new Frame.ReceiptNotice(r));
        }
    }

    /** Completes once {@code id} is at {@code state} or later; at once if it already is. */
    CompletableFuture<DeliveryState> whenState(MessageId id, DeliveryState state) throws StoreException {
        CompletableFuture<DeliveryState> f = new CompletableFuture<>();
        Optional<OutboxStore.Outgoing> o = outboxStore.outgoing(id);
        if (o.isEmpty()) {
            f.completeExceptionally(new IllegalArgumentException("no sent message " + id.shortForm()));
        } else if (!state.isAfter(o.get().state())) {
            f.complete(o.get().state());
        } else {
            waiters.add(new Waiter(id, state, f));
        }
        return f;
    }

    /** Fails every pending wait: the client is closing. */
    void close() {
        waiters.forEach(w -> w.future().completeExceptionally(new IllegalStateException("the client is closed")));
        waiters.clear();
    }

    /** After the listeners heard of it, so a waiter that wakes up sees what they recorded. */
    private void reached(MessageId id, DeliveryState state) {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (w.id().equals(id) && !w.state().isAfter(state)) {
                it.remove();
                w.future().complete(state);
            }
        }
    }
}
