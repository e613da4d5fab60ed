package org.hotline.server.testing;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.hotline.protocol.crypto.MessageSealer;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.crypto.VerifiedPrekey;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.SignedMessage;
import org.hotline.server.config.RelayConfig;
import org.hotline.server.net.RelayServer;

/** A fresh exercise PKI and a real relay on an ephemeral loopback port, for one test class or test. */
public final class RelayFixture implements AutoCloseable {

    private final TestExercise exercise;
    private final Path dataDir;
    private final RelayConfig config;
    private RelayServer server;
    private final java.util.function.UnaryOperator<org.hotline.server.store.Mailbox> mailboxHook;

    public RelayFixture(Path tmp, UnaryOperator<RelayConfig> tune) throws Exception {
        this(tmp, tune, m -> m);
    }

    /** With a mailbox hook: fault-injection tests wrap the real mailbox to lose or repeat things. */
    public RelayFixture(Path tmp, UnaryOperator<RelayConfig> tune,
                        java.util.function.UnaryOperator<org.hotline.server.store.Mailbox> mailboxHook) throws Exception {
        this.mailboxHook = mailboxHook;
        this.exercise = TestExercise.create(tmp);
        this.dataDir = tmp.resolve("relay-data");
        this.config = tune.apply(RelayConfig.defaults("127.0.0.1", 0, dataDir)
                .withCrlCheckInterval(Duration.ofMillis(200)));
        start();
    }

    /** The port the relay listens on; a restart reuses it so clients reconnect to the same address. */
    public int port() {
        return server.address().getPort();
    }

    public void restartOnSamePort() throws Exception {
        int p = port();
        server.close();
        server = RelayServer.start(exercise.directory(), exercise.exercise(), exercise.relay(), config.withPort(p),
                Clock.systemUTC(), mailboxHook);
    }

    /** Starts a stopped relay again on the port it had. */
    public void restartOnSameStoppedPort(int p) throws Exception {
        server = RelayServer.start(exercise.directory(), exercise.exercise(), exercise.relay(), config.withPort(p),
                Clock.systemUTC(), mailboxHook);
    }

    public void start() throws Exception {
        server = RelayServer.start(exercise.directory(), exercise.exercise(), exercise.relay(), config,
                Clock.systemUTC(), mailboxHook);
    }

    public void stop() {
        server.close();
    }

    public RelayServer server() {
        return server;
    }

    public InetSocketAddress address() {
        return server.address();
    }

    public TestExercise exercise() {
        return exercise;
    }

    public Path dataDir() {
        return dataDir;
    }

    public TestClient connect(String role) throws Exception {
        RoleCredential c = exercise.role(role);
        return TestClient.connect(address(), c, c.caCertificate());
    }

    public TestClient hello(String role) throws Exception {
        return connect(role).hello();
    }

    /** A real signed and sealed message from {@code from} to {@code to} on {@code channel}. */
    public Frame.Send message(String from, String to, String channel, long counter, Content content) throws Exception {
        return seal(exercise, from, to, channel, counter, content);
    }

    /** Signs as {@code from} and seals to {@code to}'s initial prekey, using only the exercise's files. */
    public static Frame.Send seal(TestExercise exercise, String from, String to, String channel, long counter,
                                  Content content) throws Exception {
        SecureRandom random = new SecureRandom();
        RoleCredential sender = exercise.role(from);
        MessageHeader h = new MessageHeader(sender.exerciseId(), MessageId.random(random), from, List.of(to), channel,
                counter,
                Instant.now(), Hash32.ZERO, Hash32.ZERO, "2026.11-1", java.util.Optional.empty(),
                java.util.Optional.empty());
        SignedMessage m = MessageSigner.sign(sender.identity(), h, content);
        var dir = exercise.directory();
        var key = dir.validator().identityKey(dir.identityCertificateOf(to), Instant.now());
        VerifiedPrekey prekey = VerifiedPrekey.verify(dir.initialPrekeyOf(to), to, key, sender.exerciseId(),
                Instant.now());
        return MessageSealer.seal(m, List.of(prekey), random);
    }

    public Frame.Send message(String from, String to, long counter) throws Exception {
        return message(from, to, "leaders", counter, new Content.Text("message " + counter));
    }

    /** Asserts the relay still serves a well-behaved client: the check after every refusal. */
    public void assertStillServes() throws Exception {
        try (TestClient c = hello("pk.nsa")) {
            c.send(new Frame.Ping(99));
            if (!(c.expect(Frame.Pong.class).nonce() == 99)) {
                throw new AssertionError("relay answered the wrong ping");
            }
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
