package org.hotline.client.core.engine;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.hotline.client.core.ClientConfig;
import org.hotline.client.core.store.ClientStores;
import org.hotline.client.core.store.FaultyInboxStore;
import org.hotline.client.core.store.FaultyOutboxStore;
import org.hotline.client.core.store.InMemoryClientStore;
import org.hotline.protocol.crypto.ReceiptSigner;
import org.hotline.protocol.pki.RelayCredential;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.FrameCodec;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SealedBox;
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

    private EngineHarness(TestExercise exercise, Path dataDir, String role, InMemoryClientStore memory)
            throws Exception {
        this.role = role;
        this.memory = memory;
        this.inbox = new FaultyInboxStore(memory);
        this.outbox = new FaultyOutboxStore(memory);
        ClientConfig config = ClientConfig.defaults(exercise.dir(), role, "relay.invalid", 1, dataDir)
                .withKdfIterations(TestExercise.TEST_KDF_ITERATIONS);
        ClientStores stores = new ClientStores(outbox, inbox, memory, () -> { });
        this.engine = ClientEngine.create(config, Clock.systemUTC(), new java.security.SecureRandom(), exercise.directory(), exercise.role(role),
                TestExercise.PASSPHRASE.toCharArray(), stores, (trust, events, thread) -> {
                    made[0] = new RecordingConnection(events, thread);
                    return made[0];
                });
        this.connection = made[0];
        engine.listeners.add(events);
    }

    static EngineHarness open(TestExercise exercise, Path dataDir, String role) throws Exception {
        return new EngineHarness(exercise, dataDir, role, new InMemoryClientStore());
    }

    /** An engine on stores a previous engine left (a restart), with the audit log in {@code dataDir}. */
    static EngineHarness reopen(TestExercise exercise, Path dataDir, String role, InMemoryClientStore stores)
            throws Exception {
        return new EngineHarness(exercise, dataDir, role, stores);
    }

    /** Runs {@code task} on the engine thread and waits for it (so everything queued before it ran too). */
    <T> T onEngine(Callable<T> task) throws Exception {
        return engine.thread.call(task).get(10, TimeUnit.SECONDS);
    }

    /** Waits until every task handed to the engine thread so far has run. */
    void sync() throws Exception {
        onEngine(() -> null);
    }

    /** TLS up and the relay's WELCOME: the line is connected. */
    void welcome() throws Exception {
        connection.connect();
        connection.inject(new Frame.Welcome(role, Instant.now(), WireLimits.DEFAULT_MAX_FRAME_BYTES));
        sync();
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
