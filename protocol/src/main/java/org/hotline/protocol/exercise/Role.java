package org.hotline.protocol.exercise;

import java.time.ZoneId;
import java.util.Objects;

/** A seat in the exercise, e.g. {@code in.pm} = India, Prime Minister. */
public record Role(String id, Party party, String title, ZoneId timeZone, String language) {
    public Role {
        Objects.requireNonNull(id);
        Objects.requireNonNull(party);
        Objects.requireNonNull(title);
        Objects.requireNonNull(timeZone);
        Objects.requireNonNull(language);
    }

    /** "India Prime Minister": how people name the seat. */
    public String displayName() {
        return party.name() + " " + title;
    }
}
