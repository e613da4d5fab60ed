package org.hotline.app.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.hotline.client.core.ClientConfig;
import org.hotline.client.core.HotlineClient;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.ExerciseException;
import org.hotline.protocol.exercise.ExerciseFiles;
import org.hotline.protocol.exercise.RelayEndpoint;
import org.hotline.protocol.pki.PkiException;

/**
 * The one way a command opens a seat's client: the exercise file, the relay address (from
 * {@code exercise.json} unless {@code --server} overrides it), the data directory (default
 * {@code DIR/data/ROLE}), the passphrase (else asked on the terminal), and every failure mapped to
 * its exit code. Shared by the participants' commands and exercise control.
 */
public final class ClientOpening {

    private ClientOpening() {
    }

    /** The exercise file; a broken one is a usage error. */
    public static Exercise exercise(Path exerciseDir) {
        try {
            return ExerciseFiles.load(exerciseDir);
        } catch (ExerciseException e) {
            throw new CommandFailure(ExitCodes.USAGE, e.getMessage(), e);
        }
    }

    /** {@code server} and {@code dataDir} are the command-line values, {@code null} when not given. */
    public static ClientConfig config(Path exerciseDir, Exercise exercise, String role, String server, Path dataDir) {
        return config(exerciseDir, exercise, role, server == null ? List.of() : List.of(server), dataDir);
    }

    /**
     * {@code servers} are the {@code --server} values, each {@code NAME=HOST:PORT} (or a bare
     * {@code HOST:PORT} in a single-relay exercise), empty when none was given: every relay of
     * {@code exercise.json} at its listed address unless one of them overrides it.
     */
    public static ClientConfig config(Path exerciseDir, Exercise exercise, String role, List<String> servers,
                                      Path dataDir) {
        Path data = dataDir != null ? dataDir : exerciseDir.resolve("data").resolve(role);
        RelayEndpoint first = exercise.relays().get(0);
        return ClientConfig.defaults(exerciseDir, role, first.host(), first.port(), data)
                .withRelays(RelayAddresses.resolve(exercise, servers));
    }

    /** Opens the client with {@code given}, else a passphrase asked on the terminal; the passphrase is wiped after. */
    public static HotlineClient open(ClientConfig config, Optional<char[]> given) {
        char[] pass = given
                .or(() -> PassphraseOption.fromTerminal("Passphrase for %s: ", config.role()))
                .orElseThrow(() -> new CommandFailure(ExitCodes.AUTH_OR_PKI, "no passphrase: set " + PassphraseOption.ENV
                        + " or run on a terminal"));
        try {
            return HotlineClient.open(config, pass, Clock.systemUTC());
        } catch (PkiException e) {
            throw new CommandFailure(ExitCodes.AUTH_OR_PKI, e.getMessage(), e);
        } catch (ExerciseException e) {
            throw new CommandFailure(ExitCodes.USAGE, e.getMessage(), e);
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.FAILURE, e.getMessage(), e);
        } finally {
            java.util.Arrays.fill(pass, '\0');
        }
    }
}
