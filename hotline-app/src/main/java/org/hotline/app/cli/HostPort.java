package org.hotline.app.cli;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * A relay address as the user types it ({@code --server HOST:PORT}) and as the relay announces it
 * in its {@link ReadyLine}. The one parser for that form: the last colon splits host from port, so
 * the host is everything before it.
 */
public record HostPort(String host, int port) {

    public HostPort {
        if (host.isEmpty() || port < 0 || port > 65_535) {
            throw new IllegalArgumentException("not HOST:PORT: '" + host + ":" + port + "'");
        }
    }

    /**
     * Parses {@code HOST:PORT}.
     *
     * @throws CommandFailure with {@link ExitCodes#USAGE} naming {@code option} when {@code text} is not of that form
     */
    public static HostPort parse(String option, String text) {
        return tryParse(text).orElseThrow(() ->
                new CommandFailure(ExitCodes.USAGE, option + " must be HOST:PORT, not '" + text + "'"));
    }

    /** Parses {@code HOST:PORT}; empty when {@code text} is not of that form. */
    public static Optional<HostPort> tryParse(String text) {
        int colon = text.lastIndexOf(':');
        try {
            return Optional.of(new HostPort(text.substring(0, Math.max(colon, 0)),
                    Integer.parseInt(text.substring(colon + 1))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A socket address for connecting (resolves the host name). */
    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
