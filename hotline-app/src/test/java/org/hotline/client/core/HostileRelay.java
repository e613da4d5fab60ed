package org.hotline.client.core;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.server.config.RelayConfig;
import org.hotline.server.net.RelayServer;

/**
 * The real relay over real TLS with its mailbox turned hostile ({@link HostileMailbox}), a fresh
 * exercise for it, and the real clients a test opens against it; the set-up of the tests of what a
 * client does with what a hostile relay hands it (THREAT_MODEL.md §4 and §8).
 *
 * <p>Exercise control reads nothing on the leaders channel, so every message to pk.pm has the one
 * box to pk.pm a forgery replaces (control's copy is covered by its own tests). The exercise is
 * issued an hour before now, so its certificates are valid for a relay whose clock runs behind the
 * clients'.
 */
final class HostileRelay implements AutoCloseable {

    private final Path dir;
    private final TestExercise exercise;
    private final HostileMailbox mailbox;
    private final RelayServer server;
    private final List<HotlineClient> clients = new ArrayList<>();

    private HostileRelay(Path dir, TestExercise exercise, HostileMailbox mailbox, RelayServer server) {
        this.dir = dir;
        this.exercise = exercise;
        this.mailbox = mailbox;
        this.server = server;
    }

    /**
     * Creates the exercise in {@code dir} and starts the relay on an ephemeral loopback port with
     * its clock {@code relayClock} and its configuration changed by {@code tune}.
     */
    static HostileRelay start(Path dir, Clock relayClock, UnaryOperator<RelayConfig> tune) throws Exception {
        TestExercise exercise = TestExercise.withoutControlReading(dir,
                Clock.offset(Clock.systemUTC(), Duration.ofHours(-1)));
        AtomicReference<HostileMailbox> hostile = new AtomicReference<>();
        RelayServer server = RelayServer.start(exercise.directory(), exercise.exercise(), exercise.relay(),
                tune.apply(RelayConfig.defaults("127.0.0.1", 0, dir.resolve("relay-data"))), relayClock, m -> {
                    HostileMailbox h = new HostileMailbox(m);
                    hostile.set(h);
                    return h;
                });
        if (hostile.get() == null) {
            server.close();
            throw new IllegalStateException("the relay started without asking for its mailbox");
        }
        return new HostileRelay(dir, exercise, hostile.get(), server);
    }

    TestExercise exercise() {
        return exercise;
    }

    /** The hostile mailbox: what it alters, and what the clients confirmed or rejected to it. */
    HostileMailbox mailbox() {
        return mailbox;
    }

    RelayServer server() {
        return server;
    }

    /** The seat's data directory (store, audit log). */
    Path clientDir(String role) {
        return dir.resolve("clients").resolve(role);
    }

    /** Opens (does not start) the seat's client against the relay, {@code listener} added. */
    HotlineClient open(String role, ClientListener listener) throws Exception {
        ClientConfig c = ClientConfig.defaults(exercise.dir(), role, "127.0.0.1", server.address().getPort(),
                clientDir(role)).withKdfIterations(TestExercise.TEST_KDF_ITERATIONS);
        HotlineClient client = HotlineClient.open(c, TestExercise.PASSPHRASE.toCharArray(), Clock.systemUTC());
        client.addListener(listener);
        clients.add(client);
        return client;
    }

    /**
     * The clients opened here that {@link #close} will close, in the order they were opened; a test
     * that closes one itself removes it.
     */
    List<HotlineClient> clients() {
        return clients;
    }

    @Override
    public void close() {
        clients.forEach(HotlineClient::close);
        server.close();
    }
}
