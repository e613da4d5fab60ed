package org.hotline.app.server;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.hotline.app.cli.CommandFailure;
import org.hotline.app.cli.DebugOption;
import org.hotline.app.cli.ExitCodes;
import org.hotline.app.cli.LogLevelOption;
import org.hotline.app.cli.PassphraseOption;
import org.hotline.app.cli.ReadyLine;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.ExerciseException;
import org.hotline.protocol.exercise.RelayEndpoint;
import org.hotline.protocol.pki.ExerciseDirectory;
import org.hotline.protocol.pki.PkiException;
import org.hotline.protocol.pki.RelayCredential;
import org.hotline.server.config.RelayConfig;
import org.hotline.server.net.RelayServer;
import org.hotline.server.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hotline server}: runs the relay until SIGTERM / Ctrl-C. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Run the Hotline relay for an exercise.",
                "Prints '" + ReadyLine.PREFIX + "HOST:PORT' on stdout when ready; SIGTERM stops it cleanly.",
                "Passphrase of server.p12 from $HOTLINE_PASSPHRASE, else the 'server' line of DIR/passphrases.txt, "
                        + "else asked on the terminal.",
                "In an exercise with several relays, --relay NAME runs one of them (credential relays/NAME.p12, "
                        + "passphrase line NAME)."})
public final class ServerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--exercise", required = true, paramLabel = "DIR", description = "Exercise directory.")
    Path exerciseDir;

    @Option(names = "--relay", paramLabel = "NAME",
            description = "Which relay of exercise.json to run (default: its only relay; required when it lists several).")
    String relayName;

    @Option(names = "--host", paramLabel = "ADDR", description = "Address to bind (default: from exercise.json).")
    String host;

    @Option(names = "--port", paramLabel = "N", description = "Port (default: from exercise.json; 0 = any free port).")
    Integer port;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Mailbox directory (default: DIR/relay-data, or DIR/NAME-data for a named relay).")
    Path dataDir;

    @Mixin
    LogLevelOption logLevel;

    @Option(names = "--max-frame-bytes", paramLabel = "N", description = "Largest frame accepted (default 262144).")
    Integer maxFrameBytes;

    @Option(names = "--max-queue", paramLabel = "N", description = "Undelivered messages held per recipient (default 10000).")
    Integer maxQueue;

    @Option(names = "--max-queue-bytes", paramLabel = "N", description = "Undelivered bytes held per recipient (default 256 MiB).")
    Long maxQueueBytes;

    @Option(names = "--rate", paramLabel = "PER_SECOND", description = "Frames per second per connection (default 200).")
    Double rate;

    @Option(names = "--burst", paramLabel = "N", description = "Rate-limit burst (default 400).")
    Integer burst;

    @Option(names = "--max-connections", paramLabel = "N", description = "Simultaneous connections (default 10000).")
    Integer maxConnections;

    @Option(names = "--max-connections-per-role", paramLabel = "N",
            description = "Simultaneous connections of one role (default 4), so one role cannot lock the others out.")
    Integer maxConnectionsPerRole;

    @Option(names = "--hello-timeout", paramLabel = "SECONDS",
            description = "HELLO deadline after the TLS handshake (default 10).")
    Integer helloTimeout;

    @Option(names = "--handshake-timeout", paramLabel = "SECONDS", description = "TLS handshake deadline (default 10).")
    Integer handshakeTimeout;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", description = "Close a silent connection after (default 90).")
    Integer idleTimeout;

    @Option(names = "--retention", paramLabel = "HOURS", description = "Keep delivered envelopes this long (default 168).")
    Integer retentionHours;

    @Mixin
    DebugOption debug;

    @Mixin
    PassphraseOption passphrase;

    @Override
    public Integer call() throws Exception {
        logLevel.apply();
        ExerciseDirectory dir = new ExerciseDirectory(exerciseDir);
        Exercise exercise;
        try {
            exercise = dir.exercise();
        } catch (ExerciseException e) {
            throw new CommandFailure(ExitCodes.USAGE, e.getMessage(), e);
        }
        RelayEndpoint relay = RelayChoice.of(exercise, relayName);
        RelayConfig config = config(relay);
        Path credentialFile = dir.relayCredential(relay.name());
        char[] pass = passphrase.fromEnvironmentOrFile(exerciseDir, ExerciseDirectory.relayPassphraseName(relay.name()))
                .or(() -> PassphraseOption.fromTerminal("Passphrase for %s: ", credentialFile))
                .orElseThrow(() -> new CommandFailure(ExitCodes.AUTH_OR_PKI, "no passphrase for "
                        + credentialFile.getFileName() + ": set " + PassphraseOption.ENV + " or keep passphrases.txt in "
                        + exerciseDir));
        RelayCredential credential;
        try {
            credential = dir.loadRelay(relay.name(), pass, Clock.systemUTC().instant());
        } catch (PkiException e) {
            throw new CommandFailure(ExitCodes.AUTH_OR_PKI, e.getMessage(), e);
        } finally {
            java.util.Arrays.fill(pass, '\0');
        }
        RelayServer server;
        try {
            server = RelayServer.start(dir, exercise, credential, config, Clock.systemUTC());
        } catch (StoreException e) {
            throw new CommandFailure(ExitCodes.FAILURE, e.getMessage(), e);
        } catch (Exception e) {
            throw new CommandFailure(ExitCodes.NETWORK, "cannot listen on " + config.host() + ":" + config.port()
                    + ": " + e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "relay-shutdown"));
        var out = spec.commandLine().getOut();
        out.println(ReadyLine.of(server.address()));
        out.flush();
        stopped.await();
        return ExitCodes.OK;
    }

    private RelayConfig config(RelayEndpoint relay) {
        RelayConfig c = RelayConfig.defaults(host != null ? host : relay.host(),
                port != null ? port : relay.port(),
                dataDir != null ? dataDir : exerciseDir.resolve(relay.name() + "-data"));
        try {
            if (maxFrameBytes != null) {
                c = c.withMaxFrameBytes(maxFrameBytes);
            }
            if (maxQueue != null || maxQueueBytes != null) {
                c = c.withQueueLimits(maxQueue != null ? maxQueue : c.maxQueuedEnvelopes(),
                        maxQueueBytes != null ? maxQueueBytes : c.maxQueuedBytes());
            }
            if (rate != null || burst != null) {
                c = c.withRate(rate != null ? rate : c.messagesPerSecond(), burst != null ? burst : c.burst());
            }
            if (maxConnections != null) {
                c = c.withMaxConnections(maxConnections);
            }
            if (handshakeTimeout != null || idleTimeout != null) {
                Duration idle = idleTimeout != null ? Duration.ofSeconds(idleTimeout) : c.idleTimeout();
                Duration ping = idle.compareTo(c.pingInterval().multipliedBy(2)) < 0 ? idle.dividedBy(3) : c.pingInterval();
                c = c.withTimeouts(handshakeTimeout != null ? Duration.ofSeconds(handshakeTimeout) : c.handshakeTimeout(),
                        idle, ping);
            }
            if (helloTimeout != null || maxConnectionsPerRole != null) {
                c = c.withHelloLimits(helloTimeout != null ? Duration.ofSeconds(helloTimeout) : c.helloTimeout(),
                        maxConnectionsPerRole != null ? maxConnectionsPerRole : c.maxConnectionsPerRole());
            }
            if (retentionHours != null) {
                c = c.withRetention(Duration.ofHours(retentionHours));
            }
            return c;
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitCodes.USAGE, e.getMessage(), e);
        }
    }
}
