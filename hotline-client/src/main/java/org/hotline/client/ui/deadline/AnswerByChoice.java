package org.hotline.client.ui.deadline;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.hotline.client.core.AnswerByInput;
import org.hotline.client.core.DeadlineLine;
import org.hotline.protocol.exercise.Party;
import org.hotline.protocol.signals.SignalCatalog;

/**
 * The compose form's answer-by choice: preset to the chosen signal's catalog default (PROTOCOL.md
 * §4.1; none for free text and for signals that ask nothing), which the sender may change to any
 * duration or clear ("none"). The hint says the resulting time in both parties' zones.
 */
public final class AnswerByChoice {

    private final SignalCatalog catalog;
    private final Clock clock;
    private final java.util.List<Party> parties;
    private final StringProperty value = new SimpleStringProperty("none");
    private final StringProperty hint = new SimpleStringProperty("");

    public AnswerByChoice(SignalCatalog catalog, java.util.List<Party> parties, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
        this.parties = java.util.List.copyOf(parties);
        value.addListener((o, a, b) -> refreshHint());
        refreshHint();
    }

    /** A signal was chosen (or none, for free text): its default, or none. */
    public void useDefaultOf(Optional<String> signalId) {
        value.set(signalId.flatMap(catalog::defaultAnswerBy).map(AnswerByInput::format).orElse("none"));
    }

    /** What the sender typed or chose: {@code none}, a duration ({@code 30m}) or a time with offset. */
    public StringProperty valueProperty() {
        return value;
    }

    /** "Reply asked by 14:30 IST · 14:00 PKT (09:00 UTC)", "No reply asked for", or what is wrong. */
    public ReadOnlyStringProperty hintProperty() {
        return hint;
    }

    /**
     * The answer-by time to sign, counted from now.
     *
     * @throws IllegalArgumentException the value is neither none, a duration nor a time
     */
    public Optional<Instant> deadline() {
        return AnswerByInput.parse(value.get() == null ? "none" : value.get(), clock.instant(), catalog, Optional.empty());
    }

    private void refreshHint() {
        try {
            hint.set(deadline().map(t -> "Reply asked by " + times(t)).orElse("No reply asked for"));
        } catch (IllegalArgumentException e) {
            hint.set("Not a duration: give 10m, 30m, 1h, a time like 2026-05-10T14:30Z, or none");
        }
    }

    private String times(Instant t) {
        return DeadlineLine.times(parties, t);
    }
}

