package org.hotline.client.ui.console;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.hotline.client.core.LinkStatus;
import org.hotline.protocol.exercise.Party;

/**
 * Remembers when the line went down and, once it is back, gives the conversation a marker for the
 * outage: afterwards nobody can tell from the messages alone that nothing could arrive between
 * 10:23 and 10:25, and a late reply looks like a slow one.
 */
final class OutageMarker {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ENGLISH);

    private final List<Party> parties;
    private boolean wasUp;
    private Instant downSince;

    OutageMarker(List<Party> parties) {
        this.parties = List.copyOf(parties);
    }

    /** Follows the link; returns the marker's text when an outage has just ended. */
    Optional<String> linkChanged(LinkStatus status, Instant now) {
        if (status.connected()) {
            Instant since = downSince;
            downSince = null;
            wasUp = true;
            return since == null ? Optional.empty() : Optional.of(describe(since, now));
        }
        if (wasUp && downSince == null) {
            downSince = now;
        }
        return Optional.empty();
    }

    private String describe(Instant from, Instant to) {
        long s = Math.max(0, Duration.between(from, to).toSeconds());
        String length = s < 120 ? s + " s" : (s / 60) + " min " + (s % 60) + " s";
        StringBuilder local = new StringBuilder();
        for (Party p : parties) {
            local.append(", ").append(CLOCK.format(from.atZone(p.timeZone()))).append('\u2013')
                    .append(CLOCK.format(to.atZone(p.timeZone()))).append(' ').append(p.zoneLabel());
        }
        return "Line was down from " + CLOCK.format(from.atZone(ZoneOffset.UTC)) + " to "
                + CLOCK.format(to.atZone(ZoneOffset.UTC)) + " UTC" + local + " (" + length + "): nothing could "
                + "arrive or leave in that time; messages written meanwhile were queued.";
    }
}
