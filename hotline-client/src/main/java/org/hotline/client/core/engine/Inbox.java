package org.hotline.client.core.engine;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.hotline.client.core.InboxItem;
import org.hotline.client.core.ReceivedMessage;
import org.hotline.client.core.net.Connection;
import org.hotline.client.core.net.VerifiedCopies;
import org.hotline.client.core.store.InboxStore;
import org.hotline.client.core.store.StoreException;
import org.hotline.protocol.audit.AuditLog;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.IdentityKeyCache;
import org.hotline.protocol.crypto.CryptoException;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.crypto.PrekeyPair;
import org.hotline.protocol.crypto.ReceiptSigner;
import org.hotline.protocol.exercise.Channel;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.pki.PkiException;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.sequence.ChannelSequence;
import org.hotline.protocol.signals.SignalCatalog;
import org.hotline.protocol.signals.SignalException;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SignedMessage;

/**
 * Incoming messages: open, verify, check addressing and the per-channel sequence, store, confirm
 * delivery to the relay, report gaps, and show. A message is confirmed (DELIVERY_ACK) only once it
 * is stored, so one the store could not keep is delivered again by the relay. One that can never be
 * opened or accepted is answered with a signed rejection instead ({@link Rejections}), so it is not
 * delivered forever. Engine thread only.
 *
 * <p>Deliveries that arrive together are stored together (group commit): each is opened, verified
 * and sequenced as it is handed over, then {@link #commitPending} stores the batch in one
 * transaction, and only then confirms and shows them, in arrival order. The engine thread calls it
 * once no handed-over task waits any more ({@link EngineThread#whenIdle}), before any other frame,
 * API call or timer, and here when a batch reaches {@link #MAX_BATCH}; an unloaded line therefore
 * stores and confirms each message in the task that received it.
 */
final class Inbox {

    /** At most this many deliveries wait for one commit, so a long burst still confirms as it goes. */
    static final int MAX_BATCH = 64;

    /** Link tests arrive as messages; the link monitor answers and times them. */
    interface LinkTests {
        void testArrived(MessageHeader header, Content.LinkTest test);

        void replyArrived(MessageId answeredTest);
    }

    private final String role;
    private final RoleCredential credential;
    private final Exercise exercise;
    private final SignalCatalog catalog;
    private final InboxStore store;
    private final Connection connection;
    private final PrekeyKeeper prekeys;
    private final PeerTrust trust;
    private final MessageRenderer renderer;
    private final ClientAudit audit;
    private final Listeners listeners;
    private final LinkTests linkTests;
    private final Clock clock;
    private final Rejections rejections;
    private final SenderCertificates senders;
    private final ControlFeed controlFeed;
    private final ControlReadings controlReadings;
    /** Our {@code delivered-through} receipts, one per batch of stored deliveries (PROTOCOL.md §6.1). */
    private final CumulativeReceipts cumulative;
    /** Told which relay's copy each verified delivery was (PROTOCOL.md §13; nobody with one relay). */
    private final VerifiedCopies copies;
    /** Which relays' copies of each message the log records, with several relays (PROTOCOL.md §13). */
    private final RelayCopies relayCopies = new RelayCopies();
    /** What accepted copies opened to: the other relay's byte-identical copy is not opened again (PROTOCOL.md §13). */
    final OpenedCopies openedCopies = new OpenedCopies();
    /** Opens and verifies deliveries ahead of this thread, on a small pool (architecture.md §4). */
    final DeliveryPrefetch prefetch;

    private final Map<String, ChannelSequence> sequences = new HashMap<>();
    private final Map<String, Hash32> lastReceivedByChannel = new HashMap<>();
    private final Map<MessageId, ReceivedMessage> received = new LinkedHashMap<>();
    /** A store write failed after the sequences saw the message: rebuild them from the store before the next use. */
    private boolean sequencesStale;
    /** See {@link #afterHandover}. */
    private Consumer<MessageId> handedOver = id -> { };
    /** Verified and sequenced, in arrival order, waiting for {@link #commitPending}: not yet stored, confirmed or shown. */
    private final List<Arrival> batch = new ArrayList<>();

    /**
     * A delivery waiting for the batch's commit: a new message ({@code accepted} present) to store,
     * confirm and show, or a copy of one (a duplicate of a message perhaps still in this batch) to
     * confirm only once the batch is durable. {@code via} is the path it came through, captured at
     * its DELIVER, told once the copy is durably stored or known a repeat.
     */
    private record Arrival(Frame.Deliver deliver, SignedMessage message, Hash32 hash, IdentityKeyCache.Identity signer,
                           Optional<Instant> revokedSince, Optional<ChannelSequence.Verdict.Accepted> accepted,
                           VerifiedCopies.Witness via, Optional<String> relay) {
    }

    /** Peers' relay checkpoints (PROTOCOL.md §4.2 RelayCheckpoints); set by the engine before the first delivery. */
    private RelayCheckpointGossip gossip;

    Inbox(String role, RoleCredential credential, Exercise exercise, SignalCatalog catalog, InboxStore store,
          Connection connection, PrekeyKeeper prekeys, PeerTrust trust, MessageRenderer renderer, ClientAudit audit,
          Listeners listeners, LinkTests linkTests, Clock clock, Executor engine) {
        this.role = role;
        this.credential = credential;
        this.exercise = exercise;
        this.catalog = catalog;
        this.store = store;
        this.connection = connection;
        this.prekeys = prekeys;
        this.trust = trust;
        this.renderer = renderer;
        this.audit = audit;
        this.listeners = listeners;
        this.linkTests = linkTests;
        this.clock = clock;
        this.rejections = new Rejections(role, credential, store, connection, audit, clock);
        this.senders = new SenderCertificates(trust, credential.exerciseId(), clock);
        this.controlFeed = new ControlFeed(exercise, listeners);
        this.controlReadings = new ControlReadings(role, exercise, listeners);
        this.cumulative = new CumulativeReceipts(role, credential, connection, clock, engine, this::storedSequence, audit);
        this.copies = connection instanceof VerifiedCopies v ? v : VerifiedCopies.NONE;
        this.prefetch = new DeliveryPrefetch(role, credential.exerciseId(), DeliveryPrefetch.defaultThreads());
    }

    /**
     * Any thread (the connection's event loop): {@code frame} is about to be handed to the engine
     * thread; a delivery may be opened ahead ({@link DeliveryPrefetch}).
     */
    void arriving(Frame frame) {
        prefetch.arriving(frame);
    }

    /** Stops opening ahead (at shutdown). */
    void close() {
        prefetch.close();
    }

    /** After {@link #close}: whether the open-ahead pool's tasks ended within {@code bound}. */
    boolean awaitClosed(java.time.Duration bound) {
        return prefetch.awaitTermination(bound);
    }

    /**
     * Runs after each batch of new arrivals was handed to the listeners, with the id of its last
     * ({@link PresentationMarks#handedOver}); the engine wires it once, before any task runs.
     */
    void afterHandover(Consumer<MessageId> hook) {
        this.handedOver = hook;
    }

    /**
     * The stored arrival {@code id} as the listeners were handed it, or empty for machine traffic
     * (and for a message not stored).
     */
    Optional<InboxItem> item(MessageId id) {
        if (received.containsKey(id)) {
            return Optional.of(new InboxItem.Message(received.get(id)));
        }
        Optional<InboxItem> inject = controlFeed.inject(id).map(InboxItem.Inject::new);
        if (inject.isPresent()) {
            return inject;
        }
        return controlReadings.carriedBy(id).map(r -> new InboxItem.Reading(id, r));
    }

    /** Wired once by the engine, which builds the relay logs after the inbox's dependencies. */
    void relayCheckpointGossip(RelayCheckpointGossip g) {
        this.gossip = g;
    }

    /** Injects and the exercise clock received from exercise control. */
    ControlFeed controlFeed() {
        return controlFeed;
    }

    /** Readings participants sent exercise control (only control has any). */
    ControlReadings controlReadings() {
        return controlReadings;
    }

    /** The sequences, channel heads and shown messages again from what is durably stored (at open). */
    void load() throws StoreException {
        if (copies.severalRelays()) {
            try {
                relayCopies.load(audit.file());
            } catch (IOException e) {
                audit.problem("audit log: could not read which relays delivered earlier messages: " + e.getMessage());
            }
        }
        // Our prekeys peers seal to now: a backlog waiting for us is opened ahead from its first message.
        prekeys.published().forEach(p -> prekeys.own(p.prekeyId()).ifPresent(prefetch::held));
        for (InboxStore.Incoming in : store.allIncoming()) {
            MessageHeader h = in.message().header();
            var v = sequence(h).observe(h, in.hash());
            lastReceivedByChannel.put(h.channel(), in.hash());
            if (ControlFeed.isControlContent(in.message().content())) {
                controlFeed.accept(in.message(), in.receivedAt(), false);
                continue;
            }
            if (in.message().content() instanceof Content.Reading r) {
                controlReadings.accept(h.messageId(), r, false);
            }
            if (MessageRenderer.isMachineTraffic(in.message().content())) {
                continue;
            }
            // Replayed in arrival order, so the verdict is the one at arrival: the gap, broken-link and
            // catalog flags shown again as they were live (a replay by listen must not print them clean).
            boolean late = false;
            List<Long> missing = List.of();
            List<String> warnings = new java.util.ArrayList<>();
            if (v instanceof ChannelSequence.Verdict.Accepted a) {
                late = a.late();
                missing = List.copyOf(a.missing());
                warnings.addAll(a.warnings());
            }
            catalogMismatch(in.message()).ifPresent(warnings::add);
            ReceivedMessage rm = renderer.received(in.message(), in.receivedAt(), late, missing, List.copyOf(warnings),
                    in.acknowledgedAt().isPresent());
            // Flagged again as when it arrived (PROTOCOL.md §4.4).
            received.put(h.messageId(), in.revokedSigner()
                    .map(r -> rm.signedUnderRevokedCertificate(r.since(), r.fingerprint())).orElse(rm));
        }
        sequences.values().forEach(s -> cumulative.loaded(s.sender(), s.channel(), s));
    }

    void deliver(Frame.Deliver d) throws Exception {
        Optional<Future<DeliveryPrefetch.Ahead>> ahead = prefetch.claim(d);
        try {
            deliver(d, ahead);
        } finally {
            DeliveryPrefetch.unused(ahead); // a no-op once its result was taken
        }
    }

    private void deliver(Frame.Deliver d, Optional<Future<DeliveryPrefetch.Ahead>> ahead) throws Exception {
        Optional<SignedMessage> stored = store.incoming(d.messageId());
        if (stored.isPresent()) {
            // At-least-once on the wire, exactly once on screen: confirm again, show nothing. The
            // receipt is about the message as stored (its hash, PROTOCOL.md §6).
            connection.send(new Frame.DeliveryAck(deliveredReceipt(stored.get())));
            if (sameAsStored(d, stored.get(), ahead)) {
                copies.copyInHand(d.messageId()).verified(VerifiedCopies.Kind.REPEAT);
                laterCopy(d.messageId(), copies.relayInHand());
            }
            return;
        }
        if (rejections.answeredBefore(d)) {
            return;
        }
        Optional<PrekeyPair> prekey = prekeys.own(d.box().prekeyId());
        if (prekey.isEmpty()) {
            // UNKNOWN_PREKEY (PROTOCOL.md §5.1 steps 1-2): erased or never ours, so it can never be
            // opened: answered with a signed rejection so the relay stops redelivering it (§6).
            rejections.reject(d, Receipt.RejectReason.UNKNOWN_PREKEY, "it is sealed to a prekey this client no "
                    + "longer holds (" + d.box().prekeyId() + ", UNKNOWN_PREKEY: erased or never ours); it can never be opened");
            return;
        }
        Optional<Arrival> pending = pendingWithSameBytes(d, prekey.get());
        if (pending.isPresent()) {
            // The other relay's copy of a message waiting in this batch, byte for byte the copy that
            // opened to it: it would open to the same message (the Duplicate verdict below), so it is
            // confirmed after the commit like one, without being opened and verified again.
            Arrival first = pending.get();
            warnIfSealedToInitial(d, first.message().header());
            batch.add(new Arrival(d, first.message(), first.hash(), first.signer(), first.revokedSince(),
                    Optional.empty(), copies.copyInHand(d.messageId()), copies.relayInHand()));
            return;
        }
        SignedMessage m;
        IdentityKeyCache.Identity signer;
        Optional<Instant> revokedSince;
        try {
            DeliveryPrefetch.Opened opened = prefetch.open(d, prekey.get(), ahead);
            m = opened.message();
            // Against the certificate valid when the relay accepted it (PROTOCOL.md §4.4).
            SenderCertificates.Verified verified = senders.verify(m, d.acceptedAt(), opened.verifiedUnder());
            signer = verified.signer();
            revokedSince = verified.revokedSince();
            prefetch.learned(prekey.get(), m.header().sender(),
                    revokedSince.isEmpty() ? Optional.of(signer.key()) : Optional.empty());
            checkAddressing(m);
            controlFeed.requireControlSender(m.header(), m.content());
            if (revokedSince.isPresent() && ControlFeed.isControlContent(m.content())) {
                // An inject or clock change acts on the exercise; no key revoked since may steer it,
                // whenever the relay accepted it (PROTOCOL.md §4.4).
                throw new Rejections.Refused(Receipt.RejectReason.SENDER_REVOKED, (m.content() instanceof Content.Inject
                        ? "inject" : "exercise clock message") + " signed with " + m.header().sender()
                        + "'s certificate (serial " + signer.certificate().getSerialNumber().toString(16)
                        + ") revoked on " + revokedSince.get() + ": control content is not accepted under a "
                        + "revoked certificate, whenever the relay accepted it");
            }
            if (m.content() instanceof Content.Signal s) {
                catalog.requireCanonical(s.signalId(), s.params());
            }
            if (m.content() instanceof Content.LogCheckpoint c) {
                requireOwnCheckpoint(m.header(), c, signer);
            }
            if (m.content() instanceof Content.Reading r) {
                controlReadings.requireValid(m.header(), r, signer.key(), credential.exerciseId());
            }
        } catch (CryptoException | PkiException | SignalException | Rejections.Refused
                 | Rejections.NotYetJudgeable e) {
            Optional<Receipt.RejectReason> permanent = Rejections.reasonFor(e);
            if (permanent.isPresent()) {
                rejections.reject(d, permanent.get(), e.getMessage());
            } else {
                audit.problem("message " + d.messageId().shortForm() + " from " + d.sender() + " not accepted yet: "
                        + e.getMessage() + "; it is tried again on the next delivery");
            }
            return;
        }
        MessageHeader h = m.header();
        warnIfSealedToInitial(d, h);
        Hash32 hash = Hashes.messageHash(m);
        rebuildSequencesIfStale();
        ChannelSequence seq = sequence(h);
        ChannelSequence.Verdict verdict = seq.observe(h, hash);
        if (verdict instanceof ChannelSequence.Verdict.Equivocation eq) {
            commitBatch(); // the copy it contradicts may be waiting: stored and logged first, as it arrived first
            // Logged once per signed message with the whole message, as evidence against the sender;
            // then settled like any message that can never be accepted (PROTOCOL.md §4.5, §6):
            // rejected, so the relay stops delivering it and the next delivery is answered by
            // answeredBefore above.
            boolean firstCopy = rejections.equivocationEvidencePending(h, hash);
            if (firstCopy) {
                // A failed write is thrown before the mark and the rejection: the next copy tries again.
                audit.equivocation(m, renderer.render(m.content(), h), eq.explanation(), signer.certificate());
                rejections.equivocationEvidenceLogged(h, hash);
            }
            if (firstCopy && !MessageRenderer.isMachineTraffic(m.content()) && !ControlFeed.isControlContent(m.content())) {
                ReceivedMessage copy = flagRevoked(renderer.received(m, clock.instant(), false, List.of(), List.of(),
                        false), revokedSince, signer).asEquivocation();
                listeners.fire(l -> l.equivocationReceived(copy));
            }
            rejections.reject(d, Receipt.RejectReason.EQUIVOCATION, eq.explanation());
            return;
        }
        if (verdict instanceof ChannelSequence.Verdict.Duplicate) {
            if (batch.isEmpty()) {
                connection.send(new Frame.DeliveryAck(deliveredReceipt(m)));
                copies.copyInHand(d.messageId()).verified(VerifiedCopies.Kind.REPEAT);
                laterCopy(d.messageId(), copies.relayInHand());
            } else {
                // The copy it repeats may be in the batch, not yet durable: confirmed after the commit.
                batch.add(new Arrival(d, m, hash, signer, revokedSince, Optional.empty(),
                        copies.copyInHand(d.messageId()), copies.relayInHand()));
            }
            return;
        }
        batch.add(new Arrival(d, m, hash, signer, revokedSince,
                Optional.of((ChannelSequence.Verdict.Accepted) verdict), copies.copyInHand(d.messageId()),
                copies.relayInHand()));
        openedCopies.opened(d, hash);
        if (batch.size() >= MAX_BATCH) {
            commitBatch();
        }
    }

    /**
     * Stores the pending deliveries in one transaction, then confirms each to the relay and shows
     * it, in arrival order; reports a failure as a problem (nothing of the batch is then confirmed
     * or shown, and the relay delivers it again). Never throws: the engine thread calls it between
     * tasks.
     */
    void commitPending() {
        try {
            commitBatch();
        } catch (Exception e) {
            audit.problem("could not process DELIVER from the relay: " + e.getMessage());
        }
    }

    private void commitBatch() throws StoreException {
        if (batch.isEmpty()) {
            return;
        }
        List<Arrival> arrivals = List.copyOf(batch);
        batch.clear();
        Instant now = clock.instant();
        List<InboxStore.NewIncoming> rows = new ArrayList<>();
        for (Arrival a : arrivals) {
            if (a.accepted().isPresent()) {
                rows.add(new InboxStore.NewIncoming(a.message(), a.hash(), now, a.revokedSince().map(at ->
                        new InboxStore.RevokedSigner(at, CertificateValidator.fingerprint(a.signer().certificate())))));
            }
        }
        try {
            if (!rows.isEmpty()) {
                store.addIncomingAll(rows);
            }
        } catch (StoreException e) {
            // Not stored, so not delivered: forget them in memory too (from the store, once it
            // answers again), and let the relay deliver them again.
            sequencesStale = true;
            throw e;
        }
        // Durable: now, and only now, the relay hears that each is stored.
        for (Arrival a : arrivals) {
            if (a.accepted().isPresent()) {
                MessageHeader h = a.message().header();
                lastReceivedByChannel.put(h.channel(), sequence(h).newestHash().orElse(a.hash()));
            }
            if (a.accepted().isEmpty() || !cumulative.stored(a.message().header(), sequence(a.message().header()))) {
                // A repeat, or above a gap: confirmed on its own now, covered cumulatively once the
                // gap closes (PROTOCOL.md §6.1).
                connection.send(new Frame.DeliveryAck(deliveredReceipt(a.message())));
            }
            a.via().verified(a.accepted().isPresent() ? VerifiedCopies.Kind.NEW : VerifiedCopies.Kind.REPEAT);
        }
        Optional<MessageId> lastNew = Optional.empty();
        for (Arrival a : arrivals) {
            if (a.accepted().isEmpty()) {
                // After the message-received entry of its first copy, which is earlier in this loop or in the log.
                laterCopy(a.message().header().messageId(), a.relay());
            } else {
                lastNew = Optional.of(a.message().header().messageId());
                try {
                    stored(a.deliver(), a.message(), a.signer(), a.revokedSince(), a.accepted().get(), now, a.relay());
                } catch (RuntimeException e) {
                    // Stored and confirmed: one message's follow-up failing must not keep the rest from the screen.
                    audit.problem("could not process DELIVER " + a.deliver().messageId().shortForm()
                            + " from the relay: " + e.getMessage());
                }
            }
        }
        lastNew.ifPresent(handedOver);
    }

    /**
     * A verified later copy of a stored message came through {@code relay}: recorded as a
     * {@code duplicate} once per message and relay other than the first copy's (PROTOCOL.md §13
     * rule 5), never shown. Nothing with one relay.
     */
    private void laterCopy(MessageId id, Optional<String> relay) {
        if (relay.isPresent() && relayCopies.later(id, relay.get())) {
            audit.duplicate(id, relay.get());
        }
    }

    /**
     * Whether {@code d} carries the very message stored under its id: opened with our prekey, if we
     * still hold it, and the same hash. Only then does its relay count as having delivered it
     * (PROTOCOL.md §13); an id alone proves nothing, as any relay can replay or make one up.
     */
    private boolean sameAsStored(Frame.Deliver d, SignedMessage stored,
                                 Optional<Future<DeliveryPrefetch.Ahead>> ahead) {
        Optional<PrekeyPair> prekey = prekeys.own(d.box().prekeyId());
        if (prekey.isEmpty()) {
            return false;
        }
        Hash32 storedHash = Hashes.messageHash(stored);
        if (!prekey.get().isErased() && openedCopies.sameBytesAs(d, storedHash)) {
            // Byte for byte a copy that opened to the stored message (OpenedCopies): opening it would show the same.
            return true;
        }
        try {
            return Hashes.messageHash(prefetch.open(d, prekey.get(), ahead).message()).equals(storedHash);
        } catch (CryptoException e) {
            return false;
        }
    }

    /**
     * The new message waiting in this batch under {@code d}'s id, if {@code d} is byte for byte the
     * copy that opened to it and the prekey still opens ({@link OpenedCopies}); else empty: open it.
     */
    private Optional<Arrival> pendingWithSameBytes(Frame.Deliver d, PrekeyPair prekey) {
        if (batch.isEmpty() || prekey.isErased()) {
            return Optional.empty();
        }
        for (Arrival a : batch) {
            if (a.accepted().isPresent() && a.deliver().messageId().equals(d.messageId())) {
                // Not when its signer's certificate is revoked: then each copy's own acceptedAt is
                // judged against the revocation (SenderCertificates), so that copy is opened and judged.
                return a.revokedSince().isEmpty() && openedCopies.sameBytesAs(d, a.hash()) && signerUnchanged(a)
                        ? Optional.of(a) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * True if the first copy's signer still has the same certificate, valid now, after a CRL the
     * facilitator published meanwhile is reloaded, as the full path would do for this copy
     * (SenderCertificates): a revocation, reissue or expiry between the two copies sends the second
     * one through the full path, which judges it against its own acceptedAt.
     */
    private boolean signerUnchanged(Arrival a) {
        try {
            trust.reloadIfCrlChanged();
            IdentityKeyCache.Identity now = trust.identity(a.message().header().sender());
            return now.key().equals(a.signer().key()) && now.certificate().equals(a.signer().certificate());
        } catch (PkiException notJudgeableHere) {
            return false;
        }
    }

    private void warnIfSealedToInitial(Frame.Deliver d, MessageHeader h) {
        if (prekeys.sealedToInitialAfterRotation(d.box().prekeyId(), h.sentAt())) {
            audit.problem("message " + h.messageId().shortForm() + " from " + h.sender() + " is sealed to this "
                    + "client's initial prekey, which the facilitator also holds, although the relay has served "
                    + "rotated prekeys since before it was sent: the relay may have handed out the initial prekey");
        }
    }

    /** After {@code m} is durably stored and confirmed: log it, report gaps and warnings, and show it. */
    private void stored(Frame.Deliver d, SignedMessage m, IdentityKeyCache.Identity signer,
                        Optional<Instant> revokedSince, ChannelSequence.Verdict.Accepted accepted, Instant now,
                        Optional<String> relay) {
        MessageHeader h = m.header();
        String text = renderer.render(m.content(), h);
        try {
            audit.messageReceived(m, text, now, signer.certificate(), relay);
            relay.ifPresent(r -> relayCopies.first(h.messageId(), r));
            if (!accepted.missing().isEmpty()) {
                audit.gap(h.sender(), h.channel(), List.copyOf(accepted.missing()));
            }
        } catch (IOException e) {
            audit.problem("audit log: could not record message " + h.messageId().shortForm() + ": " + e.getMessage());
        }
        List<String> warnings = new java.util.ArrayList<>(accepted.warnings());
        catalogMismatch(m).ifPresent(warnings::add);
        warnings.forEach(audit::problem);
        revokedSince.ifPresent(at -> audit.problem("message " + h.messageId().shortForm() + " from " + h.sender()
                + " is signed with a certificate revoked since " + at + "; the relay accepted it at " + d.acceptedAt()
                + ", before the revocation: shown, flagged"));
        boolean observed = !exercise.channel(h.channel()).map(c -> c.hasMember(role)).orElse(false);
        if (observed && (m.content() instanceof Content.LinkTest || m.content() instanceof Content.LinkTestReply)) {
            // Exercise control observes this channel: its link tests are between the members, not ours to answer.
            return;
        }
        if (ControlFeed.isControlContent(m.content())) {
            controlFeed.accept(m, now, true);
            return;
        }
        if (m.content() instanceof Content.LinkTest t) {
            linkTests.testArrived(h, t);
            return;
        }
        if (m.content() instanceof Content.LinkTestReply) {
            h.inReplyTo().ifPresent(linkTests::replyArrived);
            return;
        }
        if (m.content() instanceof Content.LogCheckpoint c) {
            try {
                audit.peerCheckpoint(c, h.messageId(), signer.certificate());
            } catch (IOException e) {
                audit.problem("audit log: could not record " + h.sender() + "'s log checkpoint: " + e.getMessage());
            }
            return;
        }
        if (m.content() instanceof Content.RelayCheckpoints g) {
            gossip.received(h, g);
            return;
        }
        if (m.content() instanceof Content.Reading r) {
            try {
                audit.reading(r);
            } catch (IOException e) {
                audit.problem("audit log: could not record " + h.sender() + "'s reading: " + e.getMessage());
            }
            controlReadings.accept(h.messageId(), r, true);
            return;
        }
        ReceivedMessage rm = flagRevoked(renderer.received(m, now, accepted.late(), List.copyOf(accepted.missing()),
                warnings, false), revokedSince, signer);
        received.put(h.messageId(), rm);
        if (!accepted.missing().isEmpty()) {
            audit.problem("gap: message(s) " + accepted.missing() + " from " + h.sender() + " on " + h.channel()
                    + " have not arrived");
        }
        listeners.fire(l -> l.messageReceived(rm));
    }

    /** {@code rm} flagged as signed under a certificate revoked since, if it was (PROTOCOL.md §4.4). */
    private static ReceivedMessage flagRevoked(ReceivedMessage rm, Optional<Instant> revokedSince,
                                               IdentityKeyCache.Identity signer) {
        return revokedSince.map(at -> rm.signedUnderRevokedCertificate(at,
                CertificateValidator.fingerprint(signer.certificate()))).orElse(rm);
    }

    /**
     * A signal worded with a catalog version we do not have (THREAT_MODEL.md): we can render its id
     * and parameters with our catalog, but cannot vouch that those are the words the sender saw.
     */
    private Optional<String> catalogMismatch(SignedMessage m) {
        MessageHeader h = m.header();
        if (!(m.content() instanceof Content.Signal s) || h.catalogVersion().equals(catalog.version())) {
            return Optional.empty();
        }
        return Optional.of(ReceivedMessage.CATALOG_MISMATCH + h.sender() + " sent signal " + s.signalId()
                + " (message " + h.messageId().shortForm() + ") from catalog " + h.catalogVersion() + ", but this "
                + "client has catalog " + catalog.version() + ": the words shown are this client's rendering, not "
                + "necessarily the sender's");
    }

    /** The hash of the newest message received on {@code channel}, linked into our next message there. */
    Hash32 lastReceivedOn(String channel) {
        return lastReceivedByChannel.getOrDefault(channel, Hash32.ZERO);
    }

    Optional<ReceivedMessage> received(MessageId id) {
        return Optional.ofNullable(received.get(id));
    }

    /** Marks a shown message acknowledged (its receipt is already stored) and returns the new row. */
    ReceivedMessage acknowledged(MessageId id) {
        return received.computeIfPresent(id, (k, m) -> m.withAcknowledged());
    }

    /** Messages received so far (link tests excluded), in arrival order. */
    List<ReceivedMessage> receivedMessages() {
        return List.copyOf(received.values());
    }

    /** Missing counters per "sender/channel" right now: gaps not yet filled. */
    Map<String, List<Long>> gaps() throws StoreException {
        rebuildSequencesIfStale();
        Map<String, List<Long>> out = new LinkedHashMap<>();
        sequences.forEach((k, s) -> {
            if (!s.missing().isEmpty()) {
                out.put(k, List.copyOf(s.missing()));
            }
        });
        return out;
    }

    /** The sequence of what is stored from {@code sender} on {@code channel}, for {@link CumulativeReceipts}. */
    private ChannelSequence storedSequence(String sender, String channel) throws StoreException {
        rebuildSequencesIfStale();
        return sequences.computeIfAbsent(sender + "/" + channel, k -> new ChannelSequence(sender, channel));
    }

    private ChannelSequence sequence(MessageHeader h) {
        return sequences.computeIfAbsent(h.sender() + "/" + h.channel(), k -> new ChannelSequence(h.sender(), h.channel()));
    }

    /** The in-memory sequences again from what is durably stored, after a failed store write. */
    private void rebuildSequencesIfStale() throws StoreException {
        if (!sequencesStale) {
            return;
        }
        List<InboxStore.Incoming> stored = store.allIncoming();
        sequences.clear();
        for (InboxStore.Incoming in : stored) {
            MessageHeader h = in.message().header();
            sequence(h).observe(h, in.hash());
        }
        sequencesStale = false;
    }

    /**
     * A peer's checkpoint is kept as evidence against its log only if it is of the sender's own log
     * and signed as that log's checkpoint (PROTOCOL.md §4.2): the message signature alone would let a
     * sender pass off bytes it never wrote as its log.
     */
    private static void requireOwnCheckpoint(MessageHeader h, Content.LogCheckpoint c, IdentityKeyCache.Identity signer)
            throws Rejections.Refused {
        if (!c.owner().equals(h.sender())) {
            throw new Rejections.Refused(Receipt.RejectReason.MALFORMED, "log checkpoint of " + c.owner()
                    + "'s log sent by " + h.sender());
        }
        if (!AuditLog.verifies(c, signer.key())) {
            throw new Rejections.Refused(Receipt.RejectReason.MALFORMED, "log checkpoint signature does not verify");
        }
    }

    /**
     * A message on a channel goes to every other member and every observer: anything else would
     * hide gaps, or hide the message from exercise control (PROTOCOL.md §4.5).
     */
    private void checkAddressing(SignedMessage m) throws Rejections.Refused {
        MessageHeader h = m.header();
        Optional<Channel> channel = exercise.channel(h.channel());
        if (channel.isEmpty()) {
            throw new Rejections.Refused(Receipt.RejectReason.MISADDRESSED, "unknown channel '" + h.channel() + "'");
        }
        Channel c = channel.get();
        List<String> expected = c.addressees(h.sender());
        if (c.hasMember(h.sender()) && h.recipients().contains(role)
                && c.observers().stream().anyMatch(o -> !h.recipients().contains(o))) {
            throw new Rejections.Refused(Receipt.RejectReason.MISADDRESSED, "message on observed channel "
                    + h.channel() + " lacks exercise control's copy: addressed to " + h.recipients()
                    + ", expected " + expected);
        }
        if (!c.hasMember(h.sender()) || !h.recipients().equals(expected) || !h.recipients().contains(role)) {
            throw new Rejections.Refused(Receipt.RejectReason.MISADDRESSED, "addressed to " + h.recipients()
                    + " on channel " + h.channel() + ", expected " + expected);
        }
    }

    /** Our {@code delivered} receipt for {@code m}: it names its exercise, channel and message hash. */
    private Receipt deliveredReceipt(SignedMessage m) {
        return ReceiptSigner.sign(credential.identity(), Receipt.Type.DELIVERED, m, role, clock.instant());
    }
}
