package org.hotline.client.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether the line works end to end, not just whether TCP is up.
 *
 * @param connected      TLS session with the relay is up and the relay said WELCOME
 * @param lastVerified   when a link test last came back from a peer
 * @param roundTrip      that test's round-trip time
 * @param alarm          a link test has gone unanswered for two intervals
 */
public record LinkStatus(boolean connected, Optional<Instant> lastVerified, Optional<Duration> roundTrip, boolean alarm) {

    public static LinkStatus down() {
        return new LinkStatus(false, Optional.empty(), Optional.empty(), false);
    }

    /** A one-line description for people: "line verified end to end 12 s ago (RTT 40 ms)". */
    public String describe(Instant now) {
        if (!connected) {
            return "line down: no connection to the relay" + lastVerified.map(t -> "; last verified "
                    + ago(t, now)).orElse("");
        }
        if (alarm) {
            return "line degraded: link test unanswered" + lastVerified.map(t -> "; last verified " + ago(t, now))
                    .orElse("");
        }
        return lastVerified.map(t -> "line verified end to end " + ago(t, now)
                + roundTrip.map(r -> " (round trip " + r.toMillis() + " ms)").orElse(""))
                .orElse("connected; waiting for the first end-to-end link test");
    }

    private static String ago(Instant t, Instant now) {
        long s = Math.max(0, Duration.between(t, now).toSeconds());
        return s < 120 ? s + " s ago" : (s / 60) + " min ago";
    }
}
