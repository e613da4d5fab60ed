package org.hotline.client.core.engine;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.hotline.client.core.ClientConfig;
import org.hotline.client.core.store.ClientStores;
import org.hotline.client.core.store.FaultyInboxStore;
import org.hotline.client.core.store.FaultyOutboxStore;
import org.hotline.client.core.store.InMemoryClientStore;
import org.hotline.protocol.crypto.ReceiptSigner;
import org.hotline.protocol.pki.PkiException;
import org.hotline.protocol.pki.RelayCredential;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.FrameCodec;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SealedBox;
import org.hotline.protocol.wire.SignedPrekeyBytes;
import org.hotline.protocol.wire.WireLimits;

/**
 * One role's real engine (real exercise PKI, real crypto, real audit log) with no network and no
 * database: in-memory stores wrapped in fault-injecting doubles, and a {@link RecordingConnection}.
 * The test plays the relay by reading what the engine sent and injecting frames.
 */
final class EngineHarness implements AutoCloseable {

    final String role;
    final ClientEngine engine;
    final RecordingConnection connection;
    final InMemoryClientStore memory;
    final FaultyInboxStore inbox;
    final FaultyOutboxStore outbox;
    final EventLog events = new EventLog();
    private final RecordingConnection[] made = new RecordingConnection[1];
    private final TestExercise exercise;
    /** What the fake relay answers to PREKEY_FETCH of a role, when the test set it (else the initial prekey). */
    private final Map<String, Frame> prekeyAnswers = new ConcurrentHashMap<>();
    /** Fetches the test answers itself ({@link #holdPrekeyAnswers}), oldest first. */
    private final List<Frame.PrekeyFetch> unanswered = new CopyOnWriteArrayList<>();
    private volatile boolean holdAnswers;
    private volatile boolean refuseUploads;

    private EngineHarness(TestExercise exercise, Path dataDir, String role, Clock clock, InMemoryClientStore memory)
            throws Exception {
        this.role = role;
        this.exercise = exercise;
        this.memory = memory;
        this.inbox = new FaultyInboxStore(memory);
        this.outbox = new FaultyOutboxStore(memory);
        ClientConfig config = ClientConfig.defaults(exercise.dir(), role, "relay.invalid", 1, dataDir)
                .withKdfIterations(TestExercise.TEST_KDF_ITERATIONS);
        ClientStores stores = new ClientStores(outbox, inbox, memory, () -> { });
        this.engine = ClientEngine.create(config, clock, new java.security.SecureRandom(), exercise.directory(), exercise.role(role),
                TestExercise.PASSPHRASE.toCharArray(), stores, (trust, events, thread) -> {
                    made[0] = new RecordingConnection(events, thread);
                    return made[0];
                });
        this.connection = made[0];
        connection.answerWith(this::relayAnswer);
        engine.listeners.add(events);
    }

    static EngineHarness open(TestExercise exercise, Path dataDir, String role) throws Exception {
        return new EngineHarness(exercise, dataDir, role, Clock.systemUTC(), new InMemoryClientStore());
    }

    /** As {@link #open(TestExercise, Path, String)}, on {@code clock} (prekey rotation and erasure tests). */
    static EngineHarness open(TestExercise exercise, Path dataDir, String role, Clock clock) throws Exception {
        return new EngineHarness(exercise, dataDir, role, clock, new InMemoryClientStore());
    }

    /** An engine on stores a previous engine left (a restart), with the audit log in {@code dataDir}. */
    static EngineHarness reopen(TestExercise exercise, Path dataDir, String role, InMemoryClientStore stores)
            throws Exception {
        return new EngineHarness(exercise, dataDir, role, Clock.systemUTC(), stores);
    }

    /** Runs {@code task} on the engine thread and waits for it (so everything queued before it ran too). */
    <T> T onEngine(Callable<T> task) throws Exception {
        return engine.thread.call(task).get(10, TimeUnit.SECONDS);
    }

    /** Waits until every task handed to the engine thread so far has run. */
    void sync() throws Exception {
        onEngine(() -> null);
        // A second pass: work the first queued behind itself (the inbox's cumulative receipt for the
        // batch just processed, PROTOCOL.md §6.1) has run too.
        onEngine(() -> null);
    }

    /**
     * TLS up, the relay's WELCOME, and its answers to the PREKEY_FETCHes the client then sends: the
     * line is connected and nothing waits for a prekey answer (unless {@link #holdPrekeyAnswers}).
     */
    void welcome() throws Exception {
        connection.connect();
        connection.inject(new Frame.Welcome(role, Instant.now(), WireLimits.DEFAULT_MAX_FRAME_BYTES));
        sync();
        sync(); // the prekey answers were handed to the engine thread while it handled WELCOME
    }

    /**
     * The fake relay's prekey directory (PROTOCOL.md §5.2): a PREKEY_FETCH of a role is answered
     * with what {@link #relayServes} or {@link #relayHasNoPrekeyOf} set for it, else with the role's
     * initial prekey (a relay to which that role never uploaded).
     */
    private List<Frame> relayAnswer(Frame sent) {
        if (sent instanceof Frame.PrekeyUpload u) {
            // The relay stores the set and echoes it; or refuses it (BAD_PREKEY) when the test says so.
            return List.of(refuseUploads
                    ? new Frame.Error(ErrorCode.BAD_PREKEY, Optional.empty(), "upload refused (test)")
                    : new Frame.PrekeyBundle(role, u.prekeys()));
        }
        if (!(sent instanceof Frame.PrekeyFetch f)) {
            return List.of();
        }
        if (holdAnswers) {
            unanswered.add(f);
            return List.of();
        }
        return List.of(answerTo(f));
    }

    private Frame answerTo(Frame.PrekeyFetch f) {
        Frame set = prekeyAnswers.get(f.role());
        if (set != null) {
            return set;
        }
        try {
            return new Frame.PrekeyBundle(f.role(), List.of(exercise.directory().initialPrekeyOf(f.role())));
        } catch (PkiException e) {
            throw new IllegalStateException(e);
        }
    }

    /** From now on the relay answers a fetch of {@code peer} with these prekeys. */
    void relayServes(String peer, SignedPrekeyBytes... prekeys) {
        prekeyAnswers.put(peer, new Frame.PrekeyBundle(peer, List.of(prekeys)));
    }

    /** From now on the relay answers a fetch of {@code peer} with NO_PREKEY (it rotated, and its prekeys expired). */
    void relayHasNoPrekeyOf(String peer) {
        prekeyAnswers.put(peer, new Frame.Error(ErrorCode.NO_PREKEY, Optional.empty(), peer + " has no valid prekey yet"));
    }

    /** From now on the relay answers our PREKEY_UPLOAD with BAD_PREKEY ({@code true}) or its echo ({@code false}). */
    void refuseUploads(boolean refuse) {
        refuseUploads = refuse;
    }

    /** The relay takes its time: fetches wait until {@link #answerPrekeyFetches()}. */
    void holdPrekeyAnswers() {
        holdAnswers = true;
    }

    /** Answers every fetch held so far, in the order asked, and answers at once from now on. */
    void answerPrekeyFetches() throws Exception {
        holdAnswers = false;
        List<Frame.PrekeyFetch> asked = List.copyOf(unanswered);
        unanswered.clear();
        asked.forEach(f -> connection.inject(answerTo(f)));
        sync();
    }

    /** Fetches asked while answers are held and not yet answered. */
    List<Frame.PrekeyFetch> unansweredFetches() {
        return List.copyOf(unanswered);
    }

    /** The relay's DELIVER of {@code send} to {@code recipient}: that recipient's sealed box. */
    static Frame.Deliver deliverTo(String recipient, Frame.Send send) {
        SealedBox box = send.boxes().stream().filter(b -> b.recipient().equals(recipient)).findFirst().orElseThrow();
        return new Frame.Deliver(send.messageId(), send.sender(), send.channel(), Instant.now(), box);
    }

    /**
     * The relay's ACCEPTED for one of our stored messages, signed with the exercise relay's identity
     * key and committing to the SEND payload we keep for it (PROTOCOL.md §6).
     */
    Frame.Accepted accepted(RelayCredential relay, MessageId id) throws Exception {
        Frame.Send send = (Frame.Send) FrameCodec.decode(memory.outgoing(id).orElseThrow().sendFrame());
        return new Frame.Accepted(ReceiptSigner.signAccepted(relay.identity(), relay.exerciseId(), send, Instant.now()));
    }

    @Override
    public void close() {
        engine.close();
    }
}
