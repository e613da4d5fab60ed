package org.hotline.app.demo;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.RelayEndpoint;
import org.hotline.protocol.pki.ExerciseDirectory;
import org.hotline.server.config.RelayConfig;
import org.hotline.server.net.RelayServer;

/**
 * The demo's relays: every relay of the exercise (one per party, PROTOCOL.md §13) in this process,
 * each on a free port with its own data directory {@code <base>/<name>-data} and its own log.
 */
final class DemoRelays implements AutoCloseable {

    private final List<RelayServer> servers = new ArrayList<>();
    private final List<RelayEndpoint> endpoints = new ArrayList<>();
    private final List<Path> auditLogs = new ArrayList<>();

    DemoRelays(ExerciseDirectory directory, Exercise exercise, Path base, char[] passphrase) throws Exception {
        try {
            for (RelayEndpoint r : exercise.relays()) {
                Path data = base.resolve(r.name() + "-data");
                RelayServer server = RelayServer.start(directory, exercise,
                        directory.loadRelay(r.name(), passphrase, Instant.now()),
                        RelayConfig.defaults("127.0.0.1", 0, data), Clock.systemUTC());
                servers.add(server);
                endpoints.add(new RelayEndpoint(r.name(), "127.0.0.1", server.address().getPort()));
                auditLogs.add(data.resolve(RelayServer.AUDIT_FILE));
            }
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** Where clients reach each relay. */
    List<RelayEndpoint> endpoints() {
        return List.copyOf(endpoints);
    }

    List<RelayServer> servers() {
        return List.copyOf(servers);
    }

    /** Each relay's metadata log. */
    List<Path> auditLogs() {
        return List.copyOf(auditLogs);
    }

    @Override
    public void close() {
        servers.forEach(RelayServer::close);
    }
}
