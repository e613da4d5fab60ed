package org.hotline.app.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.RelayEndpoint;

/**
 * The relays a client connects to: those of {@code exercise.json}, each at the address a
 * {@code --server NAME=HOST:PORT} gives it (PROTOCOL.md §13). A bare {@code --server HOST:PORT}
 * stays valid in an exercise with one relay, whatever its name.
 */
public final class RelayAddresses {

    private RelayAddresses() {
    }

    /**
     * @param servers the {@code --server} values, in the order given
     * @throws CommandFailure (usage) for an unknown relay name, a relay named twice, or a bare
     *                        address in an exercise with several relays
     */
    public static List<RelayEndpoint> resolve(Exercise exercise, List<String> servers) {
        Map<String, RelayEndpoint> relays = new LinkedHashMap<>();
        exercise.relays().forEach(r -> relays.put(r.name(), r));
        String names = String.join(", ", relays.keySet());
        List<String> given = new ArrayList<>();
        for (String server : servers) {
            int eq = server.indexOf('=');
            String name;
            HostPort address;
            if (eq < 0) {
                if (relays.size() != 1) {
                    throw new CommandFailure(ExitCodes.USAGE, "this exercise has several relays (" + names
                            + "): give each as --server NAME=HOST:PORT");
                }
                name = relays.keySet().iterator().next();
                address = HostPort.parse("--server", server);
            } else {
                name = server.substring(0, eq);
                // The name first: a mistyped name is the likelier mistake, and its message lists the relays.
                if (!relays.containsKey(name)) {
                    throw new CommandFailure(ExitCodes.USAGE, "--server names relay '" + name
                            + "', which this exercise does not have (relays: " + names + ")");
                }
                address = HostPort.parse("--server " + name, server.substring(eq + 1));
            }
            if (given.contains(name)) {
                throw new CommandFailure(ExitCodes.USAGE, "--server gives relay " + name + " twice");
            }
            given.add(name);
            relays.put(name, new RelayEndpoint(name, address.host(), address.port()));
        }
        return List.copyOf(relays.values());
    }

    /** {@code NAME=HOST:PORT, …} for messages. */
    public static String describe(List<RelayEndpoint> relays) {
        return relays.stream().map(RelayEndpoint::toString).collect(Collectors.joining(", "));
    }
}
