package org.hotline.app.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hotline.app.HotlineMain;
import org.hotline.app.cli.CommandFailure;
import org.hotline.app.cli.ExitCodes;
import org.hotline.app.cli.HostPort;
import org.hotline.app.cli.ReadyLine;

/**
 * The throwaway exercise the load generator runs on, and the Hotline relay serving it as a separate
 * process: N sender/receiver pairs ({@code a1}/{@code b1} on channel {@code c1}, ...), every
 * credential under one passphrase, and a relay whose rate limit and queue limit are above any load
 * the generator makes, so the bench measures the relay's work, not its refusals.
 */
final class BenchExercise {

    /** The passphrase of every bench credential; the relay process gets it through {@code HOTLINE_PASSPHRASE}. */
    static final String PASSPHRASE = "hotline-bench";

    private BenchExercise() {
    }

    /** The relays of a two-relay bench exercise, one per party (PROTOCOL.md §13), as {@code pki init --relays 2} names them. */
    static final List<String> TWO_RELAYS = List.of("relay-a", "relay-b");

    /** The {@code exercise.json} of {@code pairs} sender/receiver pairs, one channel each, and one relay. */
    static String template(int pairs) throws Exception {
        return template(pairs, 1);
    }

    /**
     * The {@code exercise.json} of {@code pairs} sender/receiver pairs, one channel each, and one
     * relay ({@code relay}) or two ({@link #TWO_RELAYS}).
     */
    static String template(int pairs, int relays) throws Exception {
        if (relays != 1 && relays != TWO_RELAYS.size()) {
            throw new IllegalArgumentException("1 or 2 relays, not " + relays);
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode t = json.createObjectNode();
        t.put("template", "bench");
        t.put("name", "Load test with " + pairs + " pairs");
        if (relays == 1) {
            t.putObject("relay").put("host", "127.0.0.1").put("port", 7443);
        } else {
            ArrayNode list = t.putArray("relays");
            for (int i = 0; i < TWO_RELAYS.size(); i++) {
                list.addObject().put("name", TWO_RELAYS.get(i)).put("host", "127.0.0.1").put("port", 7443 + i);
            }
        }
        ArrayNode parties = t.putArray("parties");
        parties.addObject().put("id", "a").put("name", "Side A").put("timeZone", "UTC").put("zoneLabel", "UTC");
        parties.addObject().put("id", "b").put("name", "Side B").put("timeZone", "UTC").put("zoneLabel", "UTC");
        ArrayNode roles = t.putArray("roles");
        ArrayNode channels = t.putArray("channels");
        for (int i = 1; i <= pairs; i++) {
            roles.addObject().put("id", "a" + i).put("party", "a").put("title", "Sender " + i).put("timeZone", "UTC");
            roles.addObject().put("id", "b" + i).put("party", "b").put("title", "Receiver " + i).put("timeZone", "UTC");
            ObjectNode c = channels.addObject().put("id", "c" + i).put("name", "Pair " + i);
            c.putArray("members").add("a" + i).add("b" + i);
        }
        return json.writeValueAsString(t);
    }

    /**
     * Starts {@code hotline server} on the bench exercise in a new JVM with 512 MiB of heap, on a free
     * port, logging errors only; the caller destroys the process.
     */
    static Process startRelay(Path exerciseDir, Path data) throws Exception {
        return startRelay(exerciseDir, data, Optional.empty());
    }

    /** As {@link #startRelay(Path, Path)}, running the relay {@code relayName} of a several-relay exercise. */
    static Process startRelay(Path exerciseDir, Path data, Optional<String> relayName) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m"));
        // For profiling the relay under load, e.g. HOTLINE_BENCH_RELAY_OPTS=-XX:StartFlightRecording=filename=relay.jfr
        String extra = System.getenv("HOTLINE_BENCH_RELAY_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                HotlineMain.class.getName(), "server", "--exercise", exerciseDir.toString(), "--port", "0",
                "--data", data.toString(), "--rate", "1000000", "--burst", "1000000", "--max-queue", "100000000",
                "--log-level", "error"));
        relayName.ifPresent(name -> command.addAll(List.of("--relay", name)));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("HOTLINE_PASSPHRASE", PASSPHRASE);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        return pb.start();
    }

    /** Waits for the relay's {@link ReadyLine} on its stdout and returns the address it names. */
    static InetSocketAddress readyAddress(Process p) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line = r.readLine(); line != null; line = r.readLine()) {
            Optional<HostPort> ready = ReadyLine.parse(line);
            if (ready.isPresent()) {
                return ready.get().socketAddress();
            }
        }
        throw new CommandFailure(ExitCodes.NETWORK, "the relay did not start");
    }
}
