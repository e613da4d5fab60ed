package org.hotline.app.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.server.testing.RelayFixture;

/**
 * For command-line tests: a fresh exercise, a real relay, and one data directory per seat
 * ({@code data/ROLE} under the test's directory), with the options and environment a participant's
 * command needs to act as a seat against that relay. One per test class ({@code @BeforeAll}); the
 * seats keep their stores and audit logs between the class's tests, as a participant's would.
 */
public final class CliExercise implements AutoCloseable {

    /** The passphrase of every credential of the test exercise, as the commands read it. */
    public static final Map<String, String> ENV = Map.of("HOTLINE_PASSPHRASE", TestExercise.PASSPHRASE);

    private final Path dir;
    private final RelayFixture relay;

    /** Creates the exercise and starts its relay in {@code dir}. */
    public CliExercise(Path dir) throws Exception {
        this.dir = dir;
        this.relay = new RelayFixture(dir, c -> c);
    }

    public RelayFixture relay() {
        return relay;
    }

    /** The seat's data directory (store, audit log), the same on every call. */
    public Path dataDir(String role) {
        return dir.resolve("data").resolve(role);
    }

    /** The seat's audit log in its data directory. */
    public Path auditLog(String role) {
        return dataDir(role).resolve("audit.jsonl");
    }

    /** {@code --exercise … --as ROLE --server 127.0.0.1:PORT --data …} followed by {@code rest}. */
    public String[] as(String role, String... rest) {
        List<String> a = new ArrayList<>(List.of("--exercise", relay.exercise().dir().toString(), "--as", role,
                "--server", "127.0.0.1:" + relay.port(), "--data", dataDir(role).toString()));
        a.addAll(List.of(rest));
        return a.toArray(new String[0]);
    }

    @Override
    public void close() {
        relay.close();
    }
}
