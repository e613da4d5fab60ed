package org.hotline.client.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One relay's path as a client of a multi-relay exercise sees it (PROTOCOL.md §13).
 *
 * @param relay         the relay's name, e.g. {@code relay-in}
 * @param up            the relay has said WELCOME and the connection has not dropped since
 * @param downReason    why it is down, while it is
 * @param lastDelivered when this relay last delivered a copy the client verified (a new message, or
 *                      one still awaited from this relay; PROTOCOL.md §13 rule 8): proof that the
 *                      path works end to end (every link test and its reply travel every path)
 */
public record RelayPathStatus(String relay, boolean up, Optional<String> downReason, Optional<Instant> lastDelivered) {

    /**
     * The line's state over its paths: VERIFIED while every path is up; DEGRADED while one is down
     * and another still carries the line (it stays up and verified through that one); DOWN when none is up.
     */
    public enum LineState { VERIFIED, DEGRADED, DOWN }

    public static LineState state(List<RelayPathStatus> paths) {
        long up = paths.stream().filter(RelayPathStatus::up).count();
        return up == 0 ? LineState.DOWN : up == paths.size() ? LineState.VERIFIED : LineState.DEGRADED;
    }

    /**
     * For people, e.g. "line verified end to end via relay-in 12 s ago, via relay-pk 9 s ago", or
     * "line verified end to end via relay-in 3 s ago; DEGRADED: relay-pk down (connection refused)".
     */
    public static String describe(List<RelayPathStatus> paths, Instant now) {
        String verified = paths.stream().filter(p -> p.up() && p.lastDelivered().isPresent())
                .map(p -> "via " + p.relay() + " " + ago(p.lastDelivered().get(), now))
                .collect(Collectors.joining(", "));
        String down = paths.stream().filter(p -> !p.up())
                .map(p -> p.relay() + " down" + p.downReason().map(r -> " (" + r + ")").orElse(""))
                .collect(Collectors.joining(", "));
        return switch (state(paths)) {
            case DOWN -> "line down: no relay reachable (" + down + ")";
            case DEGRADED -> (verified.isEmpty() ? "line up" : "line verified end to end " + verified) + "; DEGRADED: "
                    + down;
            case VERIFIED -> verified.isEmpty() ? "connected to every relay; waiting for the first message through each"
                    : "line verified end to end " + verified;
        };
    }

    private static String ago(Instant t, Instant now) {
        long s = Math.max(0, Duration.between(t, now).toSeconds());
        return s < 120 ? s + " s ago" : (s / 60) + " min ago";
    }
}
