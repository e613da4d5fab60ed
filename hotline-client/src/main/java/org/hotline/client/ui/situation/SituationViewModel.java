package org.hotline.client.ui.situation;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.hotline.client.core.ClientListener;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.core.ReceivedInject;
import org.hotline.client.core.ScenarioClock;
import org.hotline.protocol.exercise.Channel;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.ExerciseControl;
import org.hotline.protocol.exercise.Role;
import org.hotline.protocol.text.DisplaySafe;

/**
 * The participant's Situation feed: injects from exercise control (newest first), the scenario
 * clock as control last set it, and what control reads of the participant's channels. Injects are
 * kept apart from the hotline conversation: they are not messages of the other state.
 */
public final class SituationViewModel implements ClientListener {

    private static final DateTimeFormatter SCENARIO = DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);

    private final HotlineClient core;
    private final Executor ui;
    private final ZoneId zone;
    private final String zoneLabel;
    private final ObservableList<InjectItem> injects = FXCollections.observableArrayList();
    private final StringProperty scenarioClock = new SimpleStringProperty("Scenario clock not started");
    private final BooleanProperty paused = new SimpleBooleanProperty(false);
    private final StringProperty controlReads = new SimpleStringProperty("");
    private final Clock now;
    private ScenarioClock clock;

    public SituationViewModel(HotlineClient core, Executor ui, Clock now) {
        this.core = core;
        this.ui = ui;
        this.now = now;
        Exercise exercise = core.exercise();
        Role me = exercise.role(core.role()).orElseThrow();
        this.zone = me.timeZone();
        this.zoneLabel = me.party().zoneLabel();
        controlReads.set(readsLine(exercise, me.id()));
        tick(now.instant());
    }

    /** Whether {@code core}'s exercise has exercise control, and so a Situation feed. */
    public static boolean applies(HotlineClient core) {
        return core.exercise().control().isPresent() && !core.exercise().isControl(core.role());
    }

    /** Loads what the core already holds, then follows its events. */
    public void bind() {
        core.addListener(this);
        core.receivedInjects().thenAccept(list -> core.scenarioClock().thenAccept(c -> ui.execute(() -> {
            list.forEach(this::add);
            c.ifPresent(this::setClock);
        })));
    }

    @Override
    public void injectReceived(ReceivedInject inject) {
        ui.execute(() -> add(inject));
    }

    @Override
    public void exerciseClockChanged(ScenarioClock c) {
        ui.execute(() -> setClock(c));
    }

    /** Once a second (UI thread): the scenario clock's text. */
    public void tick(Instant now) {
        if (clock == null) {
            return;
        }
        scenarioClock.set("Scenario " + CLOCK.format(clock.scenarioAt(now).atZone(zone)) + " " + zoneLabel);
    }

    public ObservableList<InjectItem> injects() {
        return injects;
    }

    public ReadOnlyStringProperty scenarioClockProperty() {
        return scenarioClock;
    }

    public ReadOnlyBooleanProperty pausedProperty() {
        return paused;
    }

    public ReadOnlyStringProperty controlReadsProperty() {
        return controlReads;
    }

    private void add(ReceivedInject i) {
        if (injects.stream().anyMatch(x -> x.injectId().equals(i.injectId()) && x.title().equals(i.title()))) {
            return;
        }
        // Control's words are shown as text, never interpreted: the same sanitising as every peer text.
        injects.add(0, new InjectItem(DisplaySafe.line(i.injectId()), i.kind(),
                SCENARIO.format(i.scenarioTime().atZone(zone)) + " " + zoneLabel, DisplaySafe.line(i.title()),
                DisplaySafe.multiline(i.text())));
    }

    private void setClock(ScenarioClock c) {
        if (clock != null && clock.setAt().isAfter(c.setAt())) {
            return;
        }
        clock = c;
        paused.set(c.paused());
        tick(now.instant());
    }

    /** "Leaders: exercise control reads this channel", for each of the participant's channels without control. */
    private static String readsLine(Exercise exercise, String role) {
        Optional<ExerciseControl> control = exercise.control();
        if (control.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (Channel c : exercise.channelsOf(role)) {
            if (!c.hasMember(control.get().role())) {
                parts.add(c.name() + ": " + (c.hasObserver(control.get().role()) ? "Exercise control reads this channel"
                        : "Exercise control does not read this channel"));
            }
        }
        return String.join("\n", parts);
    }
}
