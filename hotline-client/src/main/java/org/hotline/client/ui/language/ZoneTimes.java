package org.hotline.client.ui.language;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.hotline.protocol.exercise.Party;

/** A time as both parties read it: UTC, then each party's zone with its label. */
public final class ZoneTimes {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ENGLISH);

    private ZoneTimes() {
    }

    /** {@code 14:00:05 UTC · 19:30:05 IST · 19:00:05 PKT}. */
    public static String of(Instant t, List<Party> parties) {
        StringBuilder sb = new StringBuilder(CLOCK.format(t.atZone(ZoneOffset.UTC))).append(" UTC");
        for (Party p : parties) {
            sb.append(" \u00b7 ").append(CLOCK.format(t.atZone(p.timeZone()))).append(' ').append(p.zoneLabel());
        }
        return sb.toString();
    }
}
