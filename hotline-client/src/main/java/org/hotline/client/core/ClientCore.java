package org.hotline.client.core;

import java.io.IOException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.audit.DisplayText;
import org.hotline.protocol.audit.AuditLog;
import org.hotline.protocol.crypto.CryptoException;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.crypto.IdentityPublicKey;
import org.hotline.protocol.crypto.MessageSealer;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.crypto.PrekeyPair;
import org.hotline.protocol.crypto.ReceiptSigner;
import org.hotline.protocol.crypto.VerifiedPrekey;
import org.hotline.protocol.exercise.Channel;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.ExerciseException;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.ExerciseDirectory;
import org.hotline.protocol.pki.PkiException;
import org.hotline.protocol.pki.PrekeyFile;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.sequence.ChannelSequence;
import org.hotline.protocol.signals.SignalCatalog;
import org.hotline.protocol.signals.SignalException;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.FrameCodec;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SignedMessage;
import org.hotline.protocol.wire.SignedPrekeyBytes;

/**
 * The headless client engine used by the CLI and the desktop app: it keeps the durable outbox and
 * inbox, seals and signs, verifies and decrypts, detects duplicates, gaps and reordering, runs
 * end-to-end link tests, rotates prekeys, reconnects by itself, and writes the audit log. All
 * state changes happen on one core thread; observers get {@link ClientListener} callbacks there.
 */
public final class ClientCore implements AutoCloseable {

    private static final String AUDIT_FILE = "audit.jsonl";
    private static final String PREKEY_FILE = "prekeys.p12";
    private static final int MAX_UPLOADED_PREKEYS = 8;
    /** Matches the relay's default retention: an older acknowledgement has long reached its sender. */
    private static final Duration ACK_RESEND_WINDOW = Duration.ofDays(7);

    private final ClientConfig config;
    private final Clock clock;
    private final Exercise exercise;
    private final ExerciseDirectory directory;
    private final RoleCredential credential;
    private final char[] passphrase;
    private final SignalCatalog catalog = SignalCatalog.builtIn();
    private final SecureRandom random = new SecureRandom();
    private final ScheduledExecutorService core;
    private final LocalStore store;
    private final AuditLog audit;
    private final RelayConnection connection;
    private final List<ClientListener> listeners = new CopyOnWriteArrayList<>();

    // Core-thread state.
    private volatile CertificateValidator validator;
    private final PeerIdentityKeys peerKeys;
    private final List<PrekeyPair> prekeys = new ArrayList<>();
    private final Map<String, ChannelSequence> sequences = new HashMap<>();
    private final Map<String, Hash32> lastReceivedByChannel = new HashMap<>();
    private final Map<MessageId, ReceivedMessage> received = new LinkedHashMap<>();
    private final Map<MessageId, Instant> pendingLinkTests = new HashMap<>();
    private final Map<String, MessageId> pendingLinkTestByChannel = new HashMap<>();
    private volatile LinkStatus link = LinkStatus.down();
    private boolean alarmLogged;
    private boolean closed;

    private ClientCore(ClientConfig config, Clock clock, Exercise exercise, ExerciseDirectory directory,
                       RoleCredential credential, char[] passphrase, ScheduledExecutorService core, LocalStore store,
                       AuditLog audit, CertificateValidator validator) throws IOException {
        this.config = config;
        this.clock = clock;
        this.exercise = exercise;
        this.directory = directory;
        this.credential = credential;
        this.passphrase = passphrase.clone();
        this.core = core;
        this.store = store;
        this.audit = audit;
        this.validator = validator;
        this.peerKeys = new PeerIdentityKeys(directory);
        this.connection = new RelayConnection(config, credential, () -> this.validator, clock, new Events(), core);
    }

    /**
     * Opens the role's credential and local state. Nothing touches the network until {@link #start()}.
     *
     * @throws PkiException      wrong passphrase, revoked or expired credential, unknown role
     * @throws ExerciseException unreadable exercise directory
     * @throws IOException       the data directory cannot be written
     */
    public static ClientCore open(ClientConfig config, char[] passphrase, Clock clock)
            throws PkiException, ExerciseException, IOException {
        ExerciseDirectory dir = new ExerciseDirectory(config.exerciseDir());
        Exercise exercise = dir.exercise();
        RoleCredential credential = dir.loadRole(config.role(), passphrase, clock.instant());
        CertificateValidator validator = dir.validator();
        LocalStore store = LocalStore.open(config.dataDir());
        AuditLog audit;
        try {
            audit = AuditLog.open(config.dataDir().resolve(AUDIT_FILE), config.role(), credential.identity(),
                    credential.identityCertificate(), credential.caCertificate(), clock, config.checkpointEvery());
        } catch (IOException e) {
            store.close();
            throw e;
        }
        ScheduledExecutorService core = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hotline-core-" + config.role());
            t.setDaemon(true);
            return t;
        });
        ClientCore c = new ClientCore(config, clock, exercise, dir, credential, passphrase, core, store, audit, validator);
        try {
            c.onCore(() -> {
                c.loadPrekeys();
                c.rebuildFromStore();
                return null;
            }).get();
        } catch (Exception e) {
            c.close();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof PkiException p) {
                throw p;
            }
            throw new IOException("cannot load the local state: " + cause.getMessage(), cause);
        }
        return c;
    }

    /** Connects (and keeps reconnecting), starts link tests and outbox retries. */
    public void start() {
        connection.start();
        long link = config.linkTestInterval().toMillis();
        core.scheduleWithFixedDelay(this::linkTick, link, link, TimeUnit.MILLISECONDS);
        core.scheduleWithFixedDelay(this::retryQueued, 2, 2, TimeUnit.SECONDS);
    }

    public void addListener(ClientListener l) {
        listeners.add(l);
    }

    public void removeListener(ClientListener l) {
        listeners.remove(l);
    }

    public String role() {
        return config.role();
    }

    public Exercise exercise() {
        return exercise;
    }

    public SignalCatalog catalog() {
        return catalog;
    }

    public LinkStatus linkStatus() {
        return link;
    }

    public java.nio.file.Path auditLogFile() {
        return audit.file();
    }

    /** The channel and fellow members a message to {@code recipient} goes to, or empty if none is allowed. */
    public Optional<Channel> channelTo(String recipient) {
        return exercise.channelFor(config.role(), recipient);
    }

    // ---------------------------------------------------------------- sending

    /**
     * Composes a prefabricated signal to {@code recipient}: validated and rendered now, signed,
     * sealed and written to the durable outbox before anything goes on the network.
     *
     * @throws SignalException for an unknown signal or bad parameters (nothing is queued)
     */
    public CompletableFuture<MessageId> sendSignal(String recipient, String signalId, Map<String, String> params,
                                                   Optional<MessageId> inReplyTo, Optional<Instant> answerBy)
            throws SignalException {
        var canonical = catalog.canonicalParams(signalId, params);
        return send(recipient, Content.Signal.of(signalId, canonical), inReplyTo, answerBy);
    }

    public CompletableFuture<MessageId> sendText(String recipient, String text) {
        return send(recipient, new Content.Text(text), Optional.empty(), Optional.empty());
    }

    public CompletableFuture<MessageId> send(String recipient, Content content, Optional<MessageId> inReplyTo,
                                             Optional<Instant> answerBy) {
        Channel channel = channelTo(recipient).orElseThrow(() -> new IllegalArgumentException(
                config.role() + " shares no channel with " + recipient));
        return onCore(() -> compose(channel, content, inReplyTo, answerBy));
    }

    private MessageId compose(Channel channel, Content content, Optional<MessageId> inReplyTo,
                              Optional<Instant> answerBy) throws Exception {
        List<String> recipients = channel.members().stream().filter(m -> !m.equals(config.role())).sorted().toList();
        LocalStore.Chain chain = store.chain(channel.id());
        MessageHeader header = new MessageHeader(MessageId.random(random), config.role(), recipients, channel.id(),
                chain.nextCounter(), clock.instant(), chain.lastSentHash(),
                lastReceivedByChannel.getOrDefault(channel.id(), Hash32.ZERO), catalog.version(), inReplyTo, answerBy);
        SignedMessage signed = MessageSigner.sign(credential.identity(), header, content);
        List<VerifiedPrekey> keys = new ArrayList<>();
        for (String r : recipients) {
            keys.add(bestPrekey(r));
        }
        Frame.Send frame = MessageSealer.seal(signed, keys, random);
        byte[] frameBytes = FrameCodec.encode(frame);
        String text = render(content, signed.header());
        Optional<String> signalId = content instanceof Content.Signal s ? Optional.of(s.signalId()) : Optional.empty();
        store.addOutgoing(new LocalStore.Outgoing(header.messageId(), channel.id(), recipients, header.counter(), frameBytes,
                signed, signalId, text, clock.instant(), DeliveryState.QUEUED, Optional.empty(), Optional.empty(),
                Optional.empty()), Hashes.messageHash(signed));
        audit.append(new AuditEvent.MessageSent(signed, text));
        if (link.connected()) {
            // Only after WELCOME: a frame before HELLO would make the relay close the connection.
            connection.send(frame);
            lastSent.put(header.messageId(), clock.instant());
        }
        fire(l -> l.deliveryStateChanged(header.messageId(), DeliveryState.QUEUED));
        return header.messageId();
    }

    /** The newest prekey of {@code role} that verifies now: fetched from the relay, else its initial one. */
    private VerifiedPrekey bestPrekey(String role) throws Exception {
        IdentityPublicKey key = identityKeyOf(role);
        Instant now = clock.instant();
        Optional<SignedPrekeyBytes> cached = store.peerPrekey(role);
        if (cached.isPresent()) {
            try {
                return VerifiedPrekey.verify(cached.get(), role, key, now);
            } catch (CryptoException expired) {
                // fall back to the initial prekey below
            }
        }
        return VerifiedPrekey.verify(directory.initialPrekeyOf(role), role, key, now);
    }

    private IdentityPublicKey identityKeyOf(String role) throws PkiException {
        return peerKeys.identity(role, validator, clock.instant()).key();
    }

    /** When each queued message last went to the relay on the current connection (core thread). */
    private final Map<MessageId, Instant> lastSent = new HashMap<>();
    private static final Duration RESEND_AFTER = Duration.ofSeconds(10);
    /** Below the relay's default burst (400 frames), so a reconnect does not trip its rate limit at once. */
    private static final int RESEND_BATCH = 200;
    /** retryQueued stopped at RESEND_BATCH with more waiting: refill as ACCEPTEDs free the window. */
    private boolean moreQueued;
    /** After RATE_LIMITED: no refill before the scheduled retry, or the window would refill into an empty bucket. */
    private Instant refillPausedUntil = Instant.MIN;

    /**
     * Re-sends queued messages, oldest first, exactly as first sealed (the relay makes it
     * idempotent). After a reconnect everything queued goes out once; while connected, only what
     * has waited {@link #RESEND_AFTER} without an ACCEPTED goes again, so a long queue is not
     * re-sent wholesale every tick.
     */
    private void retryQueued() {
        if (!link.connected()) {
            return;
        }
        try {
            Instant now = clock.instant();
            int sent = 0;
            moreQueued = false;
            for (LocalStore.Outgoing o : store.queued()) {
                Instant last = lastSent.get(o.id());
                if (last != null && Duration.between(last, now).compareTo(RESEND_AFTER) < 0) {
                    continue;
                }
                connection.send(FrameCodec.decode(o.sendFrame()));
                lastSent.put(o.id(), now);
                if (++sent >= RESEND_BATCH) {
                    moreQueued = true;
                    break;
                }
            }
        } catch (Exception e) {
            problem("cannot re-send queued messages: " + e.getMessage());
        }
    }

    /** The person acknowledges a received message: a signed receipt goes back to its sender. */
    public CompletableFuture<Void> acknowledge(MessageId id) {
        return onCore(() -> {
            ReceivedMessage m = received.get(id);
            if (m == null || m.acknowledged()) {
                return null;
            }
            Receipt r = ReceiptSigner.sign(credential.identity(), Receipt.Type.ACKNOWLEDGED, id, config.role(), m.from(),
                    clock.instant());
            store.markAcknowledged(id, clock.instant(), r);
            audit.append(new AuditEvent.Acknowledged(r));
            connection.send(new Frame.ReceiptNotice(r));
            received.put(id, m.withAcknowledged());
            fire(l -> l.messageReceived(received.get(id)));
            return null;
        });
    }

    // ---------------------------------------------------------------- receiving

    private final class Events implements RelayConnection.Events {
        @Override
        public void connected() {
            connection.send(new Frame.Hello("hotline-client " + Optional.ofNullable(
                    ClientCore.class.getPackage().getImplementationVersion()).orElse("dev")));
        }

        @Override
        public void frame(Frame f) {
            try {
                handle(f);
            } catch (Exception e) {
                problem("could not process " + f.kind() + " from the relay: " + e.getMessage());
            }
        }

        @Override
        public void disconnected(String reason) {
            lastSent.clear();
            if (link.connected()) {
                setLink(new LinkStatus(false, link.lastVerified(), link.roundTrip(), link.alarm()));
                auditQuietly(new AuditEvent.LinkDown(reason));
            } else {
                fire(l -> l.linkStatusChanged(link));
            }
            lastDisconnectReason = reason;
        }
    }

    private volatile String lastDisconnectReason = "not connected yet";

    /** Why the line is down, for error messages ("relay 127.0.0.1:7443 unreachable (Connection refused)"). */
    public String lastDisconnectReason() {
        return lastDisconnectReason;
    }

    private void handle(Frame f) throws Exception {
        if (f instanceof Frame.Welcome) {
            onWelcome();
        } else if (f instanceof Frame.Deliver d) {
            onDeliver(d);
        } else if (f instanceof Frame.Accepted a) {
            onReceipt(a.receipt(), true);
        } else if (f instanceof Frame.ReceiptNotice n) {
            onReceipt(n.receipt(), false);
        } else if (f instanceof Frame.PrekeyBundle b) {
            onPrekeyBundle(b);
        } else if (f instanceof Frame.Ping p) {
            connection.send(new Frame.Pong(p.nonce()));
        } else if (f instanceof Frame.Error e && e.code() == ErrorCode.RATE_LIMITED) {
            // The relay dropped frames over its rate: whatever it has not accepted goes again in a
            // second, instead of after RESEND_AFTER. Nothing for the person to do, so no problem().
            lastSent.clear();
            refillPausedUntil = clock.instant().plusSeconds(1);
            core.schedule(this::retryQueued, 1, TimeUnit.SECONDS);
        } else if (f instanceof Frame.Error e && e.code() == ErrorCode.SUPERSEDED) {
            problem("Another console signed in as " + config.role() + " has taken the line. This one retries in "
                    + RelayConnection.SUPERSEDED_HOLD_OFF.toSeconds() + " s; close the other one to keep it here.");
        } else if (f instanceof Frame.Error e) {
            problem("relay: " + e.text() + e.messageId().map(id -> " (message " + id.shortForm() + ")").orElse(""));
        }
    }

    private void onWelcome() throws Exception {
        try {
            validator = directory.validator();
        } catch (PkiException e) {
            problem("cannot reload the CRL: " + e.getMessage());
        }
        setLink(new LinkStatus(true, link.lastVerified(), link.roundTrip(), link.alarm()));
        auditQuietly(new AuditEvent.LinkUp("connected to " + config.relayHost() + ":" + config.relayPort()));
        rotatePrekeysIfDue();
        List<SignedPrekeyBytes> current = prekeys.stream().filter(p -> !p.isErased())
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
        // An acknowledgement sent while the line was down, or lost with a dropped connection, still
        // reaches its sender: recent ones are re-sent on every connect, also after a restart.
        for (Receipt r : store.acknowledgementsSince(clock.instant().minus(ACK_RESEND_WINDOW))) {
            connection.send(new Frame.ReceiptNotice(r));
        }
        retryQueued();
    }

    private void onPrekeyBundle(Frame.PrekeyBundle b) throws Exception {
        if (b.role().equals(config.role())) {
            return;
        }
        IdentityPublicKey key = identityKeyOf(b.role());
        Optional<SignedPrekeyBytes> newest = Optional.empty();
        for (SignedPrekeyBytes p : b.prekeys()) {
            try {
                VerifiedPrekey.verify(p, b.role(), key, clock.instant());
                if (newest.isEmpty() || p.createdAt().isAfter(newest.get().createdAt())) {
                    newest = Optional.of(p);
                }
            } catch (CryptoException e) {
                problem("ignored a prekey of " + b.role() + ": " + e.getMessage());
            }
        }
        if (newest.isPresent()) {
            store.putPeerPrekey(b.role(), newest.get());
        }
    }

    private void onReceipt(Receipt r, boolean fromAcceptedFrame) throws Exception {
        Optional<LocalStore.Outgoing> mine = store.outgoing(r.messageId());
        if (mine.isEmpty() || !r.sender().equals(config.role())) {
            problem("ignored a " + r.type().name().toLowerCase() + " receipt for a message we did not send");
            return;
        }
        if (fromAcceptedFrame != (r.type() == Receipt.Type.ACCEPTED)) {
            problem("ignored a receipt of the wrong kind for message " + r.messageId().shortForm());
            return;
        }
        String asserter = r.asserter();
        if (r.type() != Receipt.Type.ACCEPTED && !mine.get().recipients().contains(asserter)) {
            problem("ignored a receipt from " + asserter + ", who was not a recipient");
            return;
        }
        PeerIdentityKeys.Identity signer;
        try {
            signer = peerKeys.identity(asserter, validator, clock.instant());
            ReceiptSigner.verify(r, signer.key());
        } catch (CryptoException | PkiException e) {
            problem("receipt for message " + r.messageId().shortForm() + " rejected: " + e.getMessage());
            return;
        }
        lastSent.remove(r.messageId());
        DeliveryState state = switch (r.type()) {
            case ACCEPTED -> DeliveryState.ACCEPTED;
            case DELIVERED -> DeliveryState.DELIVERED;
            case ACKNOWLEDGED -> DeliveryState.ACKNOWLEDGED;
        };
        // A later receipt implies the earlier states (an acknowledgement implies delivery). A receipt
        // that moves nothing (the relay answering a re-send, a repeated notice) is not logged again.
        boolean moved = false;
        for (DeliveryState s : DeliveryState.values()) {
            if (s != DeliveryState.QUEUED && !s.isAfter(state) && store.advance(r.messageId(), s, r.at())) {
                moved = true;
                fire(l -> l.deliveryStateChanged(r.messageId(), s));
            }
        }
        if (!fromAcceptedFrame) {
            // Only now that the state is stored: the relay stops re-sending once it has this.
            connection.send(new Frame.ReceiptAck(r.messageId(), r.type()));
        }
        if (moreQueued && lastSent.size() <= RESEND_BATCH / 2 && clock.instant().isAfter(refillPausedUntil)) {
            // A long queue after an outage drains as a sliding window, not one batch per 2 s tick.
            // After the state is stored, so the message just accepted is no longer among the queued.
            retryQueued();
        }
        if (moved) {
            audit.ensureCertificate(asserter, signer.certificate());
            audit.append(AuditEvent.ReceiptRecorded.byClient(r));
        }
    }

    private void onDeliver(Frame.Deliver d) throws Exception {
        if (store.hasIncoming(d.messageId())) {
            // At-least-once on the wire, exactly once on screen: confirm again, show nothing.
            connection.send(new Frame.DeliveryAck(deliveredReceipt(d.messageId(), d.sender())));
            return;
        }
        Optional<PrekeyPair> prekey = prekeys.stream().filter(p -> p.id() == d.box().prekeyId()).findFirst();
        if (prekey.isEmpty()) {
            problem("message " + d.messageId().shortForm() + " from " + d.sender() + " is sealed to a prekey this client "
                    + "no longer holds (" + d.box().prekeyId() + "); it cannot be opened");
            return;
        }
        SignedMessage m;
        PeerIdentityKeys.Identity signer;
        try {
            m = MessageSealer.open(d, prekey.get());
            signer = peerKeys.identity(m.header().sender(), validator, clock.instant());
            MessageSigner.verify(m, signer.key());
            checkAddressing(m);
            if (m.content() instanceof Content.Signal s) {
                catalog.requireCanonical(s.signalId(), s.params());
            }
        } catch (CryptoException | PkiException | SignalException | IllegalStateException e) {
            problem("message " + d.messageId().shortForm() + " from " + d.sender() + " rejected: " + e.getMessage());
            return;
        }
        MessageHeader h = m.header();
        Hash32 hash = Hashes.messageHash(m);
        ChannelSequence seq = sequences.computeIfAbsent(h.sender() + "/" + h.channel(),
                k -> new ChannelSequence(h.sender(), h.channel()));
        ChannelSequence.Verdict verdict = seq.observe(h, hash);
        if (verdict instanceof ChannelSequence.Verdict.Equivocation eq) {
            problem(eq.explanation());
            audit.ensureCertificate(h.sender(), signer.certificate());
            audit.append(new AuditEvent.Equivocation(m, render(m.content(), h), eq.explanation()));
            return;
        }
        if (verdict instanceof ChannelSequence.Verdict.Duplicate) {
            connection.send(new Frame.DeliveryAck(deliveredReceipt(h.messageId(), h.sender())));
            return;
        }
        var accepted = (ChannelSequence.Verdict.Accepted) verdict;
        Instant now = clock.instant();
        try {
            store.addIncoming(m, hash, now);
        } catch (SQLException e) {
            // Not stored, so not delivered: forget it in memory too, and let the relay deliver it again.
            rebuildSequences();
            throw e;
        }
        lastReceivedByChannel.put(h.channel(), seq.newestHash().orElse(hash));
        connection.send(new Frame.DeliveryAck(deliveredReceipt(h.messageId(), h.sender())));
        String text = render(m.content(), h);
        try {
            audit.ensureCertificate(h.sender(), signer.certificate());
            audit.append(new AuditEvent.MessageReceived(m, text, now));
            if (!accepted.missing().isEmpty()) {
                audit.append(new AuditEvent.GapDetected(h.sender(), h.channel(), accepted.missing().toString()));
            }
        } catch (IOException e) {
            problem("audit log: could not record message " + h.messageId().shortForm() + ": " + e.getMessage());
        }
        accepted.warnings().forEach(this::problem);
        if (m.content() instanceof Content.LinkTest t) {
            send(h.sender(), new Content.LinkTestReply(t.nonce()), Optional.of(h.messageId()), Optional.empty());
            return;
        }
        if (m.content() instanceof Content.LinkTestReply) {
            h.inReplyTo().ifPresent(this::linkTestAnswered);
            return;
        }
        ReceivedMessage rm = toReceived(m, now, accepted.late(), List.copyOf(accepted.missing()), accepted.warnings(),
                false);
        received.put(h.messageId(), rm);
        if (!accepted.missing().isEmpty()) {
            problem("gap: message(s) " + accepted.missing() + " from " + h.sender() + " on " + h.channel()
                    + " have not arrived");
        }
        fire(l -> l.messageReceived(rm));
    }

    /** A message on a channel goes to every other member: anything else would hide gaps (PROTOCOL.md §4.5). */
    private void checkAddressing(SignedMessage m) {
        MessageHeader h = m.header();
        Channel c = exercise.channel(h.channel()).orElseThrow(() ->
                new IllegalStateException("unknown channel '" + h.channel() + "'"));
        List<String> expected = c.members().stream().filter(x -> !x.equals(h.sender())).sorted().toList();
        if (!c.hasMember(h.sender()) || !h.recipients().equals(expected) || !h.recipients().contains(config.role())) {
            throw new IllegalStateException("addressed to " + h.recipients() + " on channel " + h.channel()
                    + ", expected " + expected);
        }
    }

    private Receipt deliveredReceipt(MessageId id, String sender) {
        return ReceiptSigner.sign(credential.identity(), Receipt.Type.DELIVERED, id, config.role(), sender,
                clock.instant());
    }

    // ---------------------------------------------------------------- link tests

    private void linkTick() {
        if (closed) {
            return;
        }
        Instant now = clock.instant();
        if (link.connected()) {
            for (Channel c : exercise.channelsOf(config.role())) {
                String peer = c.members().stream().filter(m -> !m.equals(config.role())).findFirst().orElseThrow();
                if (pendingLinkTestByChannel.containsKey(c.id())) {
                    // One unanswered test per channel is enough; more would only fill an absent peer's queue.
                    continue;
                }
                try {
                    MessageId id = compose(c, new Content.LinkTest(random.nextLong()), Optional.empty(), Optional.empty());
                    pendingLinkTests.put(id, now);
                    pendingLinkTestByChannel.put(c.id(), id);
                } catch (Exception e) {
                    problem("link test to " + peer + " could not be sent: " + e.getMessage());
                }
            }
        }
        Duration twoIntervals = config.linkTestInterval().multipliedBy(2);
        boolean overdue = pendingLinkTests.values().stream().anyMatch(t -> Duration.between(t, now).compareTo(twoIntervals) >= 0);
        boolean stale = link.lastVerified().map(t -> Duration.between(t, now).compareTo(twoIntervals) >= 0).orElse(true);
        if (overdue && stale && !link.alarm()) {
            setLink(new LinkStatus(link.connected(), link.lastVerified(), link.roundTrip(), true));
            if (!alarmLogged) {
                alarmLogged = true;
                auditQuietly(new AuditEvent.LinkAlarm("no end-to-end link test answered for " + twoIntervals.toSeconds() + " s"));
            }
        } else {
            fire(l -> l.linkStatusChanged(link));
        }
    }

    private void linkTestAnswered(MessageId testId) {
        Instant sent = pendingLinkTests.remove(testId);
        if (sent == null) {
            return;
        }
        pendingLinkTestByChannel.values().remove(testId);
        Instant now = clock.instant();
        Duration rtt = Duration.between(sent, now);
        pendingLinkTests.entrySet().removeIf(e -> e.getValue().isBefore(sent));
        alarmLogged = false;
        setLink(new LinkStatus(link.connected(), Optional.of(now), Optional.of(rtt), false));
        try {
            audit.append(new AuditEvent.LinkVerified(rtt.toMillis()));
        } catch (IOException e) {
            problem("audit log: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- prekeys

    private void loadPrekeys() throws PkiException {
        prekeys.clear();
        prekeys.addAll(PrekeyFile.read(config.dataDir().resolve(PREKEY_FILE), passphrase));
        credential.initialPrekey().ifPresent(p -> {
            if (prekeys.stream().noneMatch(x -> x.id() == p.id())) {
                prekeys.add(p);
            }
        });
    }

    private void rotatePrekeysIfDue() throws IOException {
        Instant now = clock.instant();
        Optional<Instant> newest = prekeys.stream().map(p -> p.signed().createdAt()).max(Comparator.naturalOrder());
        boolean due = newest.isEmpty() || Duration.between(newest.get(), now).compareTo(config.prekeyRotation()) >= 0
                || prekeys.stream().allMatch(p -> credential.initialPrekey().map(i -> i.id() == p.id()).orElse(false));
        if (!due) {
            return;
        }
        PrekeyPair fresh = PrekeyPair.generate(credential.identity(), config.role(), 1 + random.nextInt(Integer.MAX_VALUE - 1),
                now, config.prekeyValidity(), random);
        prekeys.add(fresh);
        List<PrekeyPair> erased = prekeys.stream()
                .filter(p -> now.isAfter(p.signed().expiresAt().plus(config.prekeyRetention()))).toList();
        erased.forEach(PrekeyPair::erase);
        prekeys.removeAll(erased);
        PrekeyFile.write(config.dataDir().resolve(PREKEY_FILE), passphrase, prekeys, config.kdfIterations(), random);
        audit.append(new AuditEvent.PrekeyRotated(fresh.id(), fresh.signed().expiresAt(), erased.size()));
    }

    // ---------------------------------------------------------------- state for observers

    /** The in-memory sequences again from what is durably stored (after a failed store write). */
    private void rebuildSequences() throws SQLException {
        sequences.clear();
        for (LocalStore.Incoming in : store.allIncoming()) {
            MessageHeader h = in.message().header();
            sequences.computeIfAbsent(h.sender() + "/" + h.channel(), k -> new ChannelSequence(h.sender(), h.channel()))
                    .observe(h, in.hash());
        }
    }

    private void rebuildFromStore() throws SQLException {
        for (LocalStore.Incoming in : store.allIncoming()) {
            MessageHeader h = in.message().header();
            ChannelSequence seq = sequences.computeIfAbsent(h.sender() + "/" + h.channel(),
                    k -> new ChannelSequence(h.sender(), h.channel()));
            var v = seq.observe(h, in.hash());
            lastReceivedByChannel.put(h.channel(), in.hash());
            Content c = in.message().content();
            if (c instanceof Content.LinkTest || c instanceof Content.LinkTestReply) {
                continue;
            }
            boolean late = v instanceof ChannelSequence.Verdict.Accepted a && a.late();
            received.put(h.messageId(), toReceived(in.message(), in.receivedAt(), late, List.of(), List.of(),
                    in.acknowledgedAt().isPresent()));
        }
    }

    /** Messages received so far (link tests excluded), in arrival order. */
    public CompletableFuture<List<ReceivedMessage>> receivedMessages() {
        return onCore(() -> List.copyOf(received.values()));
    }

    /** Messages sent so far (link tests excluded), in send order, with their delivery states. */
    public CompletableFuture<List<SentMessage>> sentMessages() {
        return onCore(() -> store.allOutgoing().stream()
                .filter(o -> !(o.message().content() instanceof Content.LinkTest
                        || o.message().content() instanceof Content.LinkTestReply))
                .map(o -> new SentMessage(o.id(), o.channel(), o.recipients(), o.counter(), o.createdAt(), o.signalId(),
                        o.text(), o.state(), o.acceptedAt(), o.deliveredAt(), o.acknowledgedAt()))
                .toList());
    }

    /** Missing counters per "sender/channel" right now: gaps not yet filled. */
    public CompletableFuture<Map<String, List<Long>>> gaps() {
        return onCore(() -> {
            Map<String, List<Long>> out = new LinkedHashMap<>();
            sequences.forEach((k, s) -> {
                if (!s.missing().isEmpty()) {
                    out.put(k, List.copyOf(s.missing()));
                }
            });
            return out;
        });
    }

    private ReceivedMessage toReceived(SignedMessage m, Instant receivedAt, boolean late, List<Long> missing,
                                       List<String> warnings, boolean acknowledged) {
        MessageHeader h = m.header();
        Optional<String> signalId = Optional.empty();
        Optional<String> category = Optional.empty();
        Map<String, String> params = Map.of();
        if (m.content() instanceof Content.Signal s) {
            signalId = Optional.of(s.signalId());
            category = catalog.find(s.signalId()).map(x -> x.category());
            params = s.params();
        }
        String fingerprint;
        try {
            fingerprint = CertificateValidator.fingerprint(peerKeys.identity(h.sender(), validator, clock.instant()).certificate());
        } catch (PkiException notValidNow) {
            // A message stored earlier from a peer revoked or expired since: still show whose key it was.
            try {
                fingerprint = CertificateValidator.fingerprint(directory.identityCertificateOf(h.sender()));
            } catch (PkiException e) {
                fingerprint = "?";
            }
        }
        return new ReceivedMessage(h.messageId(), h.sender(), h.recipients(), h.channel(), h.counter(), h.sentAt(),
                receivedAt, signalId, category, params, render(m.content(), h), true, late, missing, warnings,
                h.inReplyTo(), h.answerBy(), fingerprint, acknowledged);
    }

    /**
     * The exact words shown for a message: the catalog's canonical wording for a signal. The one
     * rendering function the audit verifier re-renders with (PROTOCOL.md §11.3).
     */
    String render(Content c, MessageHeader h) {
        return DisplayText.render(c, catalog, exercise.parties());
    }

    private void setLink(LinkStatus s) {
        link = s;
        fire(l -> l.linkStatusChanged(s));
    }

    private void problem(String message) {
        auditQuietly(new AuditEvent.ErrorShown(message));
        fire(l -> l.problem(message));
    }

    /** Writes a signed checkpoint now, so the whole log so far verifies (the audit view does this first). */
    public CompletableFuture<Void> checkpointAuditLog() {
        return onCore(() -> {
            audit.checkpoint();
            return null;
        });
    }

    /**
     * Checkpoints the live audit log and verifies it against the exercise CA and CRL, in one step on
     * the core thread, so no entry slips in between the checkpoint and the check.
     */
    public CompletableFuture<org.hotline.protocol.audit.AuditVerifier.Report> verifyAuditLog() {
        return onCore(() -> {
            audit.checkpoint();
            return org.hotline.protocol.audit.AuditVerifier.verify(audit.file(), Optional.of(directory.validator()),
                    Optional.of(exercise));
        });
    }

    /** The exercise directory this client belongs to (for verifying its own log). */
    public ExerciseDirectory exerciseDirectory() {
        return directory;
    }

    /** Records that a warning was shown to the person (e.g. the calm-wording check). */
    public CompletableFuture<Void> recordWarningShown(String warning) {
        return onCore(() -> {
            auditQuietly(new AuditEvent.WarningShown(warning));
            return null;
        });
    }

    private void auditQuietly(AuditEvent event) {
        try {
            audit.append(event);
        } catch (IOException e) {
            fire(l -> l.problem("audit log could not be written: " + e.getMessage()));
        }
    }

    private void fire(java.util.function.Consumer<ClientListener> event) {
        for (ClientListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException ignored) {
                // A broken observer must not stop the core.
            }
        }
    }

    private <T> CompletableFuture<T> onCore(Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            core.execute(() -> {
                try {
                    f.complete(task.call());
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            f.completeExceptionally(new IllegalStateException("the client is closed"));
        }
        return f;
    }

    /** For tests: drop the relay connection as if the network failed (the core reconnects). */
    void dropConnection() {
        connection.drop();
    }

    /** Closes the connection, writes a final signed checkpoint and closes the stores. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        connection.close();
        try {
            core.submit(() -> {
                try {
                    audit.close();
                } catch (IOException e) {
                    fire(l -> l.problem("audit log close failed: " + e.getMessage()));
                }
                store.close();
            }).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            store.close();
        }
        core.shutdownNow();
        java.util.Arrays.fill(passphrase, '\0');
    }
}
