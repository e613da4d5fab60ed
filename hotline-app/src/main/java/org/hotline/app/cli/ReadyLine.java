package org.hotline.app.cli;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The line {@code hotline server} (and the demo's in-process relay) prints on stdout once it accepts
 * connections: {@value #PREFIX}HOST:PORT. Scripts and the load generator wait for it; it is part of
 * the command-line contract (README.md).
 */
public final class ReadyLine {

    public static final String PREFIX = "hotline relay listening on ";

    private ReadyLine() {
    }

    /** The ready line for a relay bound to {@code address}. */
    public static String of(InetSocketAddress address) {
        return PREFIX + new HostPort(address.getHostString(), address.getPort());
    }

    /** The address announced by {@code line}, or empty when it is not a ready line. */
    public static Optional<HostPort> parse(String line) {
        if (!line.startsWith(PREFIX)) {
            return Optional.empty();
        }
        return HostPort.tryParse(line.substring(PREFIX.length()));
    }
}
