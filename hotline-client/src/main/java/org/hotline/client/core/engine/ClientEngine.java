package org.hotline.client.core.engine;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hotline.client.core.ClientConfig;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.core.net.Connection;
import org.hotline.client.core.net.NettyConnection;
import org.hotline.client.core.net.RelayPaths;
import org.hotline.client.core.store.ClientStores;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.ExerciseException;
import org.hotline.protocol.pki.ExerciseDirectory;
import org.hotline.protocol.pki.PkiException;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.signals.SignalCatalog;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.Frame;

/**
 * The engine behind {@link HotlineClient}, its entry class: opens the credential and local state,
 * wires the components, routes the relay's frames to them, and closes. Every component runs on the
 * one {@link EngineThread}; {@link ClientApi} hands the public API's calls to it.
 */
public final class ClientEngine {

    /** How long {@link #close()} waits for the relay's prekey answers that held messages wait for. */
    static final Duration CLOSE_DRAIN = Duration.ofSeconds(2);

    /** How long {@link #close()} waits for the engine thread's last task (a box being opened) to end. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    /** How often a running client checks whether a prekey is due for rotation or erasure. */
    static final Duration PREKEY_CHECK_INTERVAL = Duration.ofMinutes(10);

    // Package-private: ClientApi hands the public API's calls to these, on the engine thread.
    final ClientConfig config;
    final Exercise exercise;
    final SignalCatalog catalog = SignalCatalog.builtIn();
    final EngineThread thread;
    final ClientAudit audit;
    final Listeners listeners;
    final PeerTrust trust;
    final Connection connection;
    final Outbox outbox;
    final Inbox inbox;
    final DeliveryTracker tracker;
    /** The relay's log: inclusion proofs and checkpoint consistency (PROTOCOL.md §12); the first relay's. */
    final RelayLogMonitor relayLog;
    /** Every relay's log monitor, one per relay (PROTOCOL.md §13). */
    final RelayLogs relayLogs;
    /** Relay checkpoints exchanged with peers, for split views (PROTOCOL.md §4.2 RelayCheckpoints). */
    final RelayCheckpointGossip gossip;
    final LinkMonitor link;
    final CheckpointExchange checkpoints;
    final DeadlineWatch deadlines;
    final ReadingRecorder readings;
    /** {@code hotline listen}'s durable place in the inbox (PresentationMarks class comment). */
    final PresentationMarks presentation;
    private final ClientStores stores;
    final PrekeyKeeper prekeys;
    final PeerPrekeys peerPrekeys;
    private volatile boolean closed;

    private ClientEngine(ClientConfig config, Clock clock, SecureRandom random, ExerciseDirectory dir,
                         RoleCredential credential, char[] passphrase, ClientStores stores, Listeners listeners,
                         ClientAudit audit, Connection.Factory connector)
            throws IOException, ExerciseException, PkiException {
        this.config = config;
        this.exercise = dir.exercise();
        this.thread = new EngineThread(config.role());
        this.stores = stores;
        this.listeners = listeners;
        this.audit = audit;
        this.trust = new PeerTrust(dir, dir.validator(), clock);
        this.prekeys = new PrekeyKeeper(config, credential, passphrase, audit, clock, random);
        this.peerPrekeys = new PeerPrekeys(config.role(), credential.exerciseId(), trust, stores.peerPrekeys(), audit,
                clock);
        this.connection = connector.open(trust::validator, new Relay(), thread);
        MessageRenderer renderer = new MessageRenderer(catalog, exercise, trust);
        this.outbox = new Outbox(config.role(), credential, catalog.version(), stores.outbox(), connection, peerPrekeys,
                renderer, audit, listeners, ch -> inbox().lastReceivedOn(ch), this::connected, thread, clock, random);
        this.link = new LinkMonitor(config.role(), exercise, config.linkTestInterval(), outbox, audit, listeners, clock,
                random);
        this.relayLogs = new RelayLogs(config, credential.exerciseId(), trust, connection, audit, clock);
        this.gossip = new RelayCheckpointGossip(config.role(), exercise, credential.exerciseId(), outbox, relayLogs,
                trust, audit, this::connected, clock,
                config.linkTestInterval().multipliedBy(CheckpointExchange.TICKS_PER_EXCHANGE));
        this.checkpoints = new CheckpointExchange(config.role(), exercise, outbox, audit, this::connected,
                thread, gossip::sendLatest);
        this.inbox = new Inbox(config.role(), credential, exercise, catalog, stores.inbox(), connection, prekeys, trust,
                renderer, audit, listeners, link, clock, thread);
        inbox.relayCheckpointGossip(gossip);
        thread.whenIdle(inbox::commitPending); // the inbox's group commit (Inbox class comment)
        this.presentation = new PresentationMarks(stores.inbox(), inbox::item, audit);
        inbox.afterHandover(presentation::handedOver);
        this.relayLog = relayLogs.first();
        this.deadlines = new DeadlineWatch(config.role(), exercise, stores.outbox(), stores.inbox(), audit, listeners,
                () -> inbox().controlFeed().clock(), clock);
        listeners.add(deadlines);
        this.readings = new ReadingRecorder(config.role(), credential, exercise, stores.inbox(), inbox, outbox, audit,
                clock);
        this.tracker = new DeliveryTracker(config.role(), credential, stores.outbox(), stores.inbox(), connection, trust,
                outbox, inbox, audit, listeners, clock);
    }

    /** See {@link HotlineClient#open}: SQLite stores in the data directory, Netty to the relay. */
    public static HotlineClient open(ClientConfig config, char[] passphrase, Clock clock, SecureRandom random)
            throws PkiException, ExerciseException, IOException {
        ExerciseDirectory dir = new ExerciseDirectory(config.exerciseDir());
        dir.exercise();
        RoleCredential credential = dir.loadRole(config.role(), passphrase, clock.instant());
        ClientStores stores = ClientStores.sqlite(config.dataDir());
        Connection.Factory connector = config.relays().size() == 1
                ? (trust, events, engine) -> new NettyConnection(config, credential, trust, clock, events, engine)
                : RelayPaths.factory(config.relays(), (relay, trust, events, engine) ->
                        new NettyConnection(config, relay, credential, trust, clock, events, engine), clock);
        return new ClientApi(create(config, clock, random, dir, credential, passphrase, stores, connector));
    }

    /** Wires an engine on {@code stores} and {@code connector} and loads its state (tests pass fakes). */
    static ClientEngine create(ClientConfig config, Clock clock, SecureRandom random, ExerciseDirectory dir,
                               RoleCredential credential,
                               char[] passphrase, ClientStores stores, Connection.Factory connector)
            throws PkiException, ExerciseException, IOException {
        ClientEngine engine;
        try {
            Listeners listeners = new Listeners();
            ClientAudit audit = ClientAudit.open(config.dataDir(), config.role(), credential, clock,
                    config.checkpointEvery(), listeners);
            engine = new ClientEngine(config, clock, random, dir, credential, passphrase, stores, listeners, audit, connector);
        } catch (IOException | ExerciseException | PkiException e) {
            stores.close();
            throw e;
        }
        try {
            engine.thread.call(() -> {
                engine.prekeys.load();
                engine.relayLogs.load();
                engine.inbox.load();
                SentLogReconciler.reconcile(stores.outbox(), engine.audit);
                RelayInclusionReconciler.reconcile(stores.outbox(), engine.audit.file());
                engine.outbox.load();
                engine.deadlines.load();
                return null;
            }).get();
        } catch (Exception e) {
            engine.close();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof PkiException p) {
                throw p;
            }
            throw new IOException("cannot load the local state: " + cause.getMessage(), cause);
        }
        return engine;
    }

    /** Connects (and keeps reconnecting), starts link tests and outbox retries. */
    void start() {
        connection.start();
        thread.every(config.linkTestInterval(), () -> {
            if (!closed) {
                link.tick();
                checkpoints.tick();
            }
        });
        thread.every(Duration.ofSeconds(2), outbox::retryQueued);
        thread.every(DeadlineWatch.TICK, () -> {
            if (!closed) {
                deadlines.tick();
            }
        });
        thread.every(PREKEY_CHECK_INTERVAL, this::prekeyTick);
        if (connection instanceof RelayPaths paths) {
            // A relay that fails to deliver what another delivered is named (PROTOCOL.md §13).
            paths.onDisagreement(audit::problem);
            thread.every(Duration.ofSeconds(1), paths::tick);
        }
        thread.every(Duration.ofSeconds(5), () -> {
            if (!closed) {
                relayLogs.tick();
                gossip.tick();
            }
        });
    }

    /** Rotation and erasure while the console stays connected (PROTOCOL.md §5.2), not only at WELCOME. */
    void prekeyTick() {
        if (closed) {
            return;
        }
        try {
            prekeys.tick(connection, connected());
        } catch (IOException e) {
            audit.problem("cannot rotate or erase prekeys: " + e.getMessage());
        }
    }

    /** The connection's events, already on the engine thread. */
    private final class Relay implements Connection.Events {
        @Override
        public void connected() {
            inbox.commitPending();
            connection.send(new Frame.Hello("hotline-client " + Optional.ofNullable(
                    ClientEngine.class.getPackage().getImplementationVersion()).orElse("dev")));
        }

        @Override
        public void arriving(Frame f) {
            inbox.arriving(f); // on the event loop: a delivery may be opened ahead (DeliveryPrefetch)
        }

        @Override
        public void frame(Frame f) {
            if (!(f instanceof Frame.Deliver)) {
                inbox.commitPending(); // deliveries that came first are stored and confirmed first
            }
            try {
                if (f instanceof Frame.Welcome) {
                    welcomed();
                } else if (f instanceof Frame.Deliver d) {
                    inbox.deliver(d);
                } else if (f instanceof Frame.Accepted a && a.inclusion().isPresent()) {
                    // ACCEPTED_IN_LOG: the receipt is unsigned, so the log proof comes first and stands in
                    // for its signature (PROTOCOL.md §12.3); it is logged for our message, once per relay (§12.5).
                    relayLogs.acceptedInLog(a, tracker.byLog());
                } else if (f instanceof Frame.Accepted a) {
                    relayLogs.acceptedWithoutProof(a, tracker.accepted(a.receipt()));
                } else if (f instanceof Frame.LogConsistency c) {
                    relayLogs.consistency(c);
                } else if (f instanceof Frame.ReceiptNotice n) {
                    tracker.receipt(n.receipt(), false);
                } else if (f instanceof Frame.DeliveredThrough t) {
                    tracker.deliveredThrough(t.receipt());
                } else if (f instanceof Frame.PrekeyBundle b && b.role().equals(config.role())) {
                    prekeys.accepted(answeringRelay(), b);
                } else if (f instanceof Frame.PrekeyBundle b) {
                    prekeyAnswer(() -> peerPrekeys.bundle(answeringRelay(), b));
                } else if (f instanceof Frame.Error e && e.code() == ErrorCode.BAD_PREKEY) {
                    prekeys.refused(answeringRelay());
                    audit.problem("relay: " + e.text());
                } else if (f instanceof Frame.Error e && e.code() == ErrorCode.NO_PREKEY) {
                    prekeyAnswer(() -> peerPrekeys.noPrekey(answeringRelay(), e.text()));
                } else if (f instanceof Frame.Ping p) {
                    connection.send(new Frame.Pong(p.nonce()));
                } else if (f instanceof Frame.Error e && e.code() == ErrorCode.RATE_LIMITED) {
                    outbox.rateLimited();
                } else if (f instanceof Frame.Error e && e.code() == ErrorCode.SUPERSEDED) {
                    audit.problem("Another console signed in as " + config.role() + " has taken the line. This one retries in "
                            + Connection.SUPERSEDED_HOLD_OFF.toSeconds() + " s; close the other one to keep it here.");
                } else if (f instanceof Frame.Error e) {
                    audit.problem("relay: " + e.text() + e.messageId().map(id -> " (message " + id.shortForm() + ")").orElse(""));
                }
            } catch (Exception e) {
                audit.problem("could not process " + f.kind() + " from the relay: " + e.getMessage());
            }
        }

        @Override
        public void disconnected(String reason) {
            inbox.commitPending();
            peerPrekeys.connectionLost();
            outbox.connectionLost();
            link.down(reason);
        }
    }

    /** The relay accepted HELLO: fresh CRL, line up, prekeys, then everything that waited for the line. */
    private void welcomed() throws Exception {
        try {
            trust.reload();
        } catch (PkiException e) {
            audit.problem("cannot reload the CRL: " + e.getMessage());
        }
        link.up(connection instanceof RelayPaths paths ? paths.currentRelay().flatMap(name -> config.relays().stream()
                .filter(r -> r.name().equals(name)).findFirst()).map(Object::toString).orElse("a relay")
                : config.relayHost() + ":" + config.relayPort());
        try {
            prekeys.welcomed(connection);
        } catch (IOException e) {
            audit.problem("cannot rotate or erase prekeys: " + e.getMessage());
        } finally {
            // Whatever happened to our own prekeys: ask for the peers' (the outbox holds new messages
            // until they are in) and send what waited for the line, so nothing is stranded.
            Set<String> peers = new LinkedHashSet<>();
            exercise.channelsOf(config.role()).forEach(c -> c.members().stream()
                    .filter(m -> !m.equals(config.role())).forEach(peers::add));
            peerPrekeys.pathWelcomed(answeringRelay());
            peerPrekeys.fetch(connection, peers);
            try {
                tracker.welcomed();
                relayLogs.welcomed();
            } finally {
                outbox.retryQueued();
            }
        }
    }

    /** The relay whose frame is in hand; the empty name for a single-relay client. */
    private String answeringRelay() {
        return connection instanceof RelayPaths paths ? paths.currentRelay().orElse("") : "";
    }

    /** A prekey answer (bundle or NO_PREKEY): whatever it did, the held messages it may free go now. */
    private void prekeyAnswer(PrekeyStep step) throws Exception {
        try {
            step.run();
        } finally {
            outbox.releaseHeld(Outbox.RESEND_BATCH);
        }
    }

    @FunctionalInterface
    private interface PrekeyStep {
        void run() throws Exception;
    }

    /**
     * At close, on a live line: waits (at most {@link #CLOSE_DRAIN}) while messages wait for a prekey
     * answer, so what was sent last, the shutdown checkpoints included, leaves before the line goes.
     * Whatever still waits stays in the outbox for the next start.
     */
    private void drainHeld() throws InterruptedException {
        long deadline = System.nanoTime() + CLOSE_DRAIN.toNanos();
        try {
            while (thread.call(() -> connected() && outbox.holdsAny() && peerPrekeys.awaitingAny())
                    .get(CLOSE_DRAIN.toMillis(), TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } catch (ExecutionException | TimeoutException e) {
            // Nothing to drain into: what is still held stays in the outbox for the next start.
        }
    }

    /** Whether this client still holds the private half of its credential's initial prekey (tests). */
    boolean holdsInitialPrekey() throws Exception {
        return thread.call(prekeys::holdsInitialPrekey).get();
    }

    // The outbox needs the inbox (newest hash per channel) and the link monitor (line up?), which
    // are built after it because they need the outbox: these two methods read them at call time.
    private Inbox inbox() {
        return inbox;
    }

    private boolean connected() {
        return link.status().connected();
    }

    /**
     * Sends the log's checkpoint to the peers, fails pending waits, writes the final audit
     * checkpoint, closes the store; then stops the thread.
     */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            // Before the line goes: the peers get this log's final state (PROTOCOL.md §11.4).
            thread.call(() -> {
                checkpoints.atShutdown();
                return null;
            }).get(5, TimeUnit.SECONDS);
            drainHeld();
        } catch (Exception e) {
            listeners.fire(l -> l.problem("log checkpoint at shutdown not sent: " + e.getMessage()));
        }
        connection.close();
        try {
            thread.call(() -> {
                tracker.close();
                audit.close();
                stores.close();
                return null;
            }).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            stores.close();
        }
        thread.shutdownNow();
        // A box being opened when the thread was stopped would expand its prekey again after the
        // drop (review N6): the keys are dropped once that task ended (or after the bound, as the
        // process is closing anyway).
        if (!thread.awaitTermination(CLOSE_WAIT)) {
            listeners.fire(l -> l.problem("the engine thread did not stop within " + CLOSE_WAIT.toSeconds()
                    + " s; closing anyway"));
        }
        inbox.close();
        // Likewise a box the open-ahead pool is opening (review w8 L2): bounded the same way.
        if (!inbox.awaitClosed(CLOSE_WAIT)) {
            listeners.fire(l -> l.problem("opening deliveries ahead did not stop within " + CLOSE_WAIT.toSeconds()
                    + " s; closing anyway"));
        }
        prekeys.erase();
    }
}
