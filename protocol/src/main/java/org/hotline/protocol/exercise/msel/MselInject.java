package org.hotline.protocol.exercise.msel;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hotline.protocol.wire.Content;

/**
 * One scheduled event of a Master Scenario Events List.
 *
 * @param offset     scenario time after the MSEL's start at which control sends it
 * @param recipients the roles it goes to, resolved from the file's roles, parties and {@code all}
 * @param expected   the player action the facilitator looks for (never sent to the players)
 * @param line       the line of the file the inject starts on, for messages about it
 */
public record MselInject(String id, Duration offset, List<String> recipients, Content.InjectKind kind, String title,
                         String text, Optional<String> expected, int line) {
    public MselInject {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(offset, "offset");
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(expected, "expected");
    }

    /** The same inject with other words, as the facilitator edited it before sending. */
    public MselInject withWords(String newTitle, String newText) {
        return new MselInject(id, offset, recipients, kind, newTitle, newText, expected, line);
    }
}
