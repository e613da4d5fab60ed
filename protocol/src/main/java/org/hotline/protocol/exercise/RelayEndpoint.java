package org.hotline.protocol.exercise;

import java.util.Objects;
import org.hotline.protocol.wire.Receipt;

/**
 * One relay of an exercise as {@code exercise.json} lists it: its name (the CN of its TLS and
 * identity certificates, {@code relay} for the one relay of a single-relay exercise, e.g.
 * {@code relay-in} and {@code relay-pk} when each party runs its own, PROTOCOL.md §13) and the
 * address clients connect to.
 */
public record RelayEndpoint(String name, String host, int port) {

    public RelayEndpoint {
        Objects.requireNonNull(host);
        if (!Receipt.isRelayName(name)) {
            throw new IllegalArgumentException("relay name '" + name + "' must be 'relay' or start with 'relay-'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("relay port must be 0..65535");
        }
    }

    /** {@code name=host:port}, as {@code --server} takes it. */
    @Override
    public String toString() {
        return name + "=" + host + ":" + port;
    }
}
