package org.hotline.app.participant;

import java.nio.file.Path;
import org.hotline.app.cli.ClientOpening;
import org.hotline.app.cli.DebugOption;
import org.hotline.app.cli.PassphraseOption;
import org.hotline.client.core.ClientConfig;
import org.hotline.client.core.HotlineClient;
import org.hotline.protocol.exercise.Exercise;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options every participant command shares, and how they become a running client core. */
final class ClientOptions {

    @Option(names = "--exercise", required = true, paramLabel = "DIR", description = "Exercise directory.")
    Path exerciseDir;

    @Option(names = "--as", required = true, paramLabel = "ROLE", description = "Your role, e.g. in.pm.")
    String role;

    @Option(names = "--server", paramLabel = "[NAME=]HOST:PORT", description = {"Relay address (default: from "
            + "exercise.json); once per relay as NAME=HOST:PORT in an exercise with several relays."})
    java.util.List<String> server = new java.util.ArrayList<>();

    @Option(names = "--data", paramLabel = "DIR", description = "Local store and audit log (default: DIR/data/ROLE).")
    Path dataDir;

    @Mixin
    DebugOption debug;

    @Mixin
    PassphraseOption passphrase;

    Exercise exercise() {
        return ClientOpening.exercise(exerciseDir);
    }

    ClientConfig config() {
        return ClientOpening.config(exerciseDir, exercise(), role, server, dataDir);
    }

    /** Opens the core: passphrase from the environment, else asked on the terminal. */
    HotlineClient open() {
        return ClientOpening.open(config(), passphrase.fromEnvironment());
    }
}
