package org.hotline.app.testing;

import java.nio.file.Path;
import java.time.Clock;
import org.hotline.client.core.ClientConfig;
import org.hotline.client.core.HotlineClient;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.server.testing.RelayFixture;

/** A real client of a seat of the fixture's exercise, connected to the fixture's relay (test key derivation). */
public final class RelayClients {

    private RelayClients() {
    }

    /** The seat's configuration against {@code relay}, its store and audit log in {@code dataDir}. */
    public static ClientConfig config(RelayFixture relay, String role, Path dataDir) {
        return ClientConfig.defaults(relay.exercise().dir(), role, "127.0.0.1", relay.port(), dataDir)
                .withKdfIterations(TestExercise.TEST_KDF_ITERATIONS);
    }

    /** Opens a client with {@code config} and the test exercise's passphrase. */
    public static HotlineClient open(ClientConfig config) throws Exception {
        return HotlineClient.open(config, TestExercise.PASSPHRASE.toCharArray(), Clock.systemUTC());
    }

    /** Opens the seat's client against {@code relay} with its data in {@code dataDir}. */
    public static HotlineClient open(RelayFixture relay, String role, Path dataDir) throws Exception {
        return open(config(relay, role, dataDir));
    }
}
