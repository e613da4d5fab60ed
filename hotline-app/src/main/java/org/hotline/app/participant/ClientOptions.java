package org.hotline.app.participant;

import java.nio.file.Path;
import java.time.Clock;
import org.hotline.app.cli.CommandFailure;
import org.hotline.app.cli.DebugOption;
import org.hotline.app.cli.ExitCodes;
import org.hotline.app.cli.HostPort;
import org.hotline.app.cli.PassphraseOption;
import org.hotline.client.core.ClientConfig;
import org.hotline.client.core.HotlineClient;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.ExerciseException;
import org.hotline.protocol.exercise.ExerciseFiles;
import org.hotline.protocol.pki.PkiException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options every participant command shares, and how they become a running client core. */
final class ClientOptions {

    @Option(names = "--exercise", required = true, paramLabel = "DIR", description = "Exercise directory.")
    Path exerciseDir;

    @Option(names = "--as", required = true, paramLabel = "ROLE", description = "Your role, e.g. in.pm.")
    String role;

    @Option(names = "--server", paramLabel = "HOST:PORT", description = "Relay address (default: from exercise.json).")
    String server;

    @Option(names = "--data", paramLabel = "DIR", description = "Local store and audit log (default: DIR/data/ROLE).")
    Path dataDir;

    @Mixin
    DebugOption debug;

    @Mixin
    PassphraseOption passphrase;

    Exercise exercise() {
        try {
            return ExerciseFiles.load(exerciseDir);
        } catch (ExerciseException e) {
            throw new CommandFailure(ExitCodes.USAGE, e.getMessage(), e);
        }
    }

    ClientConfig config() {
        Exercise ex = exercise();
        String host = ex.relayHost();
        int port = ex.relayPort();
        if (server != null) {
            HostPort relay = HostPort.parse("--server", server);
            host = relay.host();
            port = relay.port();
        }
        Path data = dataDir != null ? dataDir : exerciseDir.resolve("data").resolve(role);
        return ClientConfig.defaults(exerciseDir, role, host, port, data);
    }

    /** Opens the core: passphrase from the environment, else asked on the terminal. */
    HotlineClient open() {
        ClientConfig config = config();
        char[] pass = passphrase.fromEnvironment()
                .or(() -> PassphraseOption.fromTerminal("Passphrase for %s: ", config.role()))
                .orElseThrow(() -> new CommandFailure(ExitCodes.AUTH_OR_PKI, "no passphrase: set " + PassphraseOption.ENV
                        + " or run on a terminal"));
        try {
            return HotlineClient.open(config, pass, Clock.systemUTC());
        } catch (PkiException e) {
            throw new CommandFailure(ExitCodes.AUTH_OR_PKI, e.getMessage(), e);
        } catch (ExerciseException e) {
            throw new CommandFailure(ExitCodes.USAGE, e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw new CommandFailure(ExitCodes.FAILURE, e.getMessage(), e);
        } finally {
            java.util.Arrays.fill(pass, '\0');
        }
    }
}
