package org.hotline.protocol.exercise;

import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * A seat in the exercise, e.g. {@code in.pm} = India, Prime Minister.
 *
 * @param languages the languages its participant reads (catalog codes, e.g. {@code en}, {@code hi}),
 *                  in the order the console shows them beside the English reference wording
 */
public record Role(String id, Party party, String title, ZoneId timeZone, List<String> languages) {
    public Role {
        Objects.requireNonNull(id);
        Objects.requireNonNull(party);
        Objects.requireNonNull(title);
        Objects.requireNonNull(timeZone);
        languages = List.copyOf(languages);
        if (languages.isEmpty()) {
            throw new IllegalArgumentException("role " + id + " reads no language");
        }
    }

    /** A seat reading one language. */
    public Role(String id, Party party, String title, ZoneId timeZone, String language) {
        this(id, party, title, timeZone, List.of(language));
    }

    /** "India Prime Minister": how people name the seat. */
    public String displayName() {
        return party.name() + " " + title;
    }
}
