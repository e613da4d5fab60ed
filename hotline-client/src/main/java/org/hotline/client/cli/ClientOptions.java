package org.hotline.client.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.hotline.client.core.ClientConfig;
import org.hotline.client.core.HotlineClient;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.ExerciseException;
import org.hotline.protocol.exercise.ExerciseFiles;
import org.hotline.protocol.pki.PkiException;
import org.hotline.server.cli.CommandFailure;
import org.hotline.server.cli.ExitCodes;
import picocli.CommandLine.Option;

/** The options every participant command shares, and how they become a running client core. */
final class ClientOptions {

    static final String PASSPHRASE_ENV = "HOTLINE_PASSPHRASE";

    @Option(names = "--exercise", required = true, paramLabel = "DIR", description = "Exercise directory.")
    Path exerciseDir;

    @Option(names = "--as", required = true, paramLabel = "ROLE", description = "Your role, e.g. in.pm.")
    String role;

    @Option(names = "--server", paramLabel = "HOST:PORT", description = "Relay address (default: from exercise.json).")
    String server;

    @Option(names = "--data", paramLabel = "DIR", description = "Local store and audit log (default: DIR/data/ROLE).")
    Path dataDir;

    @Option(names = "--debug", description = "Show stack traces on errors.")
    boolean debug;

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
            int colon = server.lastIndexOf(':');
            try {
                host = server.substring(0, colon);
                port = Integer.parseInt(server.substring(colon + 1));
            } catch (RuntimeException e) {
                throw new CommandFailure(ExitCodes.USAGE, "--server must be HOST:PORT, got '" + server + "'");
            }
        }
        Path data = dataDir != null ? dataDir : exerciseDir.resolve("data").resolve(role);
        return ClientConfig.defaults(exerciseDir, role, host, port, data);
    }

    /** Opens the core: passphrase from the environment, else asked on the terminal. */
    HotlineClient open(Map<String, String> env) {
        ClientConfig config = config();
        char[] pass = Optional.ofNullable(env.get(PASSPHRASE_ENV)).filter(s -> !s.isEmpty()).map(String::toCharArray)
                .or(() -> Optional.ofNullable(System.console())
                        .map(c -> c.readPassword("Passphrase for %s: ", config.role())))
                .orElseThrow(() -> new CommandFailure(ExitCodes.AUTH_OR_PKI, "no passphrase: set " + PASSPHRASE_ENV
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
