package org.hotline.protocol.exercise;

import java.time.ZoneId;
import java.util.Objects;

/** A state taking part in the exercise, e.g. India, with the time zone its officials read. */
public record Party(String id, String name, ZoneId timeZone, String zoneLabel) {
    public Party {
        Objects.requireNonNull(id, "party id");
        Objects.requireNonNull(name, "party name");
        Objects.requireNonNull(timeZone, "party time zone");
        Objects.requireNonNull(zoneLabel, "party zone label");
    }
}
