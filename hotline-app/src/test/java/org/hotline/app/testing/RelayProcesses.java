package org.hotline.app.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.hotline.app.HotlineMain;
import org.hotline.client.core.ClientConfig;
import org.hotline.client.core.HotlineClient;
import org.hotline.protocol.exercise.RelayEndpoint;
import org.hotline.protocol.pki.ExercisePki;
import org.hotline.protocol.testing.TestExercise;

/**
 * Real relays as their own {@code hotline server} processes (so kill -9 is a real crash), and
 * clients connected to all of them (PROTOCOL.md §13), for the fault tests. Every relay process and
 * client opened here is stopped by {@link #close()}.
 */
public final class RelayProcesses implements AutoCloseable {

    private final Path exercise;
    private final Path dataRoot;
    /** Relay name to the port it listens on, in the exercise's order. */
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final List<Process> running = new ArrayList<>();
    private final List<HotlineClient> clients = new ArrayList<>();

    private RelayProcesses(Path exercise, Path dataRoot) {
        this.exercise = exercise;
        this.dataRoot = dataRoot;
    }

    /**
     * A fresh exercise PKI with two relays ({@code pki init --relays 2}: relay-in and relay-pk) in
     * {@code tmp/exercise}, a free port for each; relays' and clients' data go under {@code tmp}.
     */
    public static RelayProcesses twoRelays(Path tmp) throws Exception {
        Path exercise = tmp.resolve("exercise");
        new ExercisePki(Clock.systemUTC(), new SecureRandom(), TestExercise.TEST_KDF_ITERATIONS)
                .init(exercise, "south-asia", Optional.of(TestExercise.PASSPHRASE.toCharArray()), 2);
        RelayProcesses r = new RelayProcesses(exercise, tmp);
        r.ports.put("relay-in", freePort());
        r.ports.put("relay-pk", freePort());
        return r;
    }

    public Path exercise() {
        return exercise;
    }

    /** The port relay {@code name} listens on. */
    public int port(String name) {
        return ports.get(name);
    }

    /** Relay {@code name}'s data directory. */
    public Path data(String name) {
        return dataRoot.resolve(name + "-data");
    }

    /** A seat's data directory. */
    public Path seat(String role) {
        return dataRoot.resolve(role);
    }

    /** Starts relay {@code name} on its port and data, with extra JVM options (fault hooks). */
    public Process start(String name, String... jvmOptions) throws Exception {
        Process p = startRelay(exercise, Optional.of(name), port(name), data(name), jvmOptions);
        running.add(p);
        return p;
    }

    /** Starts relay {@code name} with a rate limit of {@code perSecond} frames a second and {@code burst}. */
    public Process startRateLimited(String name, int perSecond, int burst) throws Exception {
        Process p = startRelay(exercise, Optional.of(name), port(name), data(name), List.of("--rate",
                Integer.toString(perSecond), "--burst", Integer.toString(burst)));
        running.add(p);
        return p;
    }

    /** Kills {@code relay} with SIGKILL and waits for it to be gone. */
    public void kill(Process relay) throws InterruptedException {
        relay.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        running.remove(relay);
    }

    /** Opens the seat's client, connected to every relay directly. */
    public HotlineClient open(String role) throws Exception {
        return open(role, ports, c -> c);
    }

    /**
     * Opens the seat's client connected to each relay through {@code via} (relay name to the port the
     * client dials, e.g. a fault-injecting proxy's), its configuration adjusted by {@code adjust}.
     */
    public HotlineClient open(String role, Map<String, Integer> via, UnaryOperator<ClientConfig> adjust)
            throws Exception {
        List<RelayEndpoint> endpoints = via.entrySet().stream()
                .map(e -> new RelayEndpoint(e.getKey(), "127.0.0.1", e.getValue())).toList();
        ClientConfig config = ClientConfig.defaults(exercise, role, "127.0.0.1", endpoints.get(0).port(), seat(role))
                .withRelays(endpoints).withKdfIterations(TestExercise.TEST_KDF_ITERATIONS);
        HotlineClient c = RelayClients.open(adjust.apply(config));
        clients.add(c);
        return c;
    }

    /** Opens the seat's client of a single-relay exercise, against the relay on {@code port}. */
    public static HotlineClient client(Path exercise, String role, int port, Path dataDir) throws Exception {
        return RelayClients.open(ClientConfig.defaults(exercise, role, "127.0.0.1", port, dataDir)
                .withKdfIterations(TestExercise.TEST_KDF_ITERATIONS));
    }

    /** Closes every client opened here, then kills every relay still running. */
    @Override
    public void close() {
        clients.forEach(HotlineClient::close);
        for (Process p : List.copyOf(running)) {
            try {
                kill(p);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Starts {@code hotline server} for {@code exercise} in a JVM of its own (the relay {@code relay}
     * names, or the exercise's only one) and waits for its ready line. Rate limits are lifted: the
     * fault tests measure loss, not the limiter.
     */
    public static Process startRelay(Path exercise, Optional<String> relay, int port, Path data, String... jvmOptions)
            throws Exception {
        return startRelay(exercise, relay, port, data, List.of("--rate", "100000", "--burst", "100000"), jvmOptions);
    }

    private static Process startRelay(Path exercise, Optional<String> relay, int port, Path data, List<String> limits,
                                      String... jvmOptions) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), HotlineMain.class.getName(), "server",
                "--exercise", exercise.toString()));
        relay.ifPresent(name -> cmd.addAll(List.of("--relay", name)));
        cmd.addAll(List.of("--port", Integer.toString(port), "--data", data.toString(), "--log-level", "error"));
        cmd.addAll(limits);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("HOTLINE_PASSPHRASE", TestExercise.PASSPHRASE);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        do {
            line = r.readLine();
        } while (line != null && !line.startsWith("hotline relay listening on"));
        assertThat(line).as(relay.orElse("relay") + " readiness").isNotNull();
        return p;
    }

    /** A port free at the moment of asking. */
    public static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
