package org.hotline.protocol.exercise.msel;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Master Scenario Events List (docs/exercise-control.md): the scenario's start as a scenario
 * date-time and its injects in the order they are due (by offset, then file order).
 *
 * @param template the exercise template it is written for (its roles and parties)
 */
public record Msel(String name, String template, String title, OffsetDateTime scenarioStart, List<MselInject> injects) {
    public Msel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(scenarioStart, "scenarioStart");
        injects = injects.stream().sorted(Comparator.comparing(MselInject::offset)).toList();
    }

    public Instant start() {
        return scenarioStart.toInstant();
    }

    /** The scenario instant an inject is due at. */
    public Instant dueAt(MselInject inject) {
        return start().plus(inject.offset());
    }

    public Optional<MselInject> inject(String id) {
        return injects.stream().filter(i -> i.id().equals(id)).findFirst();
    }
}
