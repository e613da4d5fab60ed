package org.hotline.app.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.hotline.client.core.ClientListener;
import org.hotline.client.core.HotlineClient;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For end-to-end tests of the client engines: before each test a fresh exercise and a real relay in
 * a new directory, seats started on demand ({@link #start}), each with its data in
 * {@code clients/ROLE}; after it every seat closed, the relay stopped and the directory deleted.
 * Register it with {@code @RegisterExtension final SeatsOnARelay seats = new SeatsOnARelay();}.
 */
public final class SeatsOnARelay implements BeforeEachCallback, AfterEachCallback {

    private Path dir;
    private RelayFixture relay;
    private final List<HotlineClient> clients = new ArrayList<>();

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("hotline-seats");
        relay = new RelayFixture(dir, c -> c);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        closeSeats();
        if (relay != null) {
            relay.close();
        }
        try (Stream<Path> all = Files.walk(dir)) {
            // Deepest first, so each directory is empty when its turn comes.
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** Closes every seat started so far (their audit logs end with a signed checkpoint), for a test that reads the logs. */
    public void closeSeats() {
        clients.forEach(HotlineClient::close);
        clients.clear();
    }

    /** The test's relay and its exercise. */
    public RelayFixture relay() {
        return relay;
    }

    /** Opens the seat's client, adds {@code listeners} (so nothing that arrives is missed), and starts it. */
    public HotlineClient start(String role, ClientListener... listeners) throws Exception {
        HotlineClient c = RelayClients.open(relay, role, dataDir(role));
        clients.add(c);
        for (ClientListener l : listeners) {
            c.addListener(l);
        }
        c.start();
        return c;
    }

    /** The seat's data directory (store, audit log). */
    public Path dataDir(String role) {
        return dir.resolve("clients").resolve(role);
    }

    /** The seat's audit log. */
    public Path auditLog(String role) {
        return dataDir(role).resolve("audit.jsonl");
    }
}
