package org.hotline.client.ui.reading;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableMap;
import org.hotline.client.core.HotlineClient;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.ReadAs;

/**
 * The two-click reading of a received message (PROTOCOL.md §4.2, Reading): which message's
 * choices are open, the note being written, and how each message was read in this session. The
 * engine signs and logs the reading and sends it to exercise control alone; the sender never sees
 * it. FX thread only; engine results come back through {@code ui}.
 */
public final class ReadingViewModel {

    private final HotlineClient core;
    private final Executor ui;
    private final boolean toControl;
    private final ObjectProperty<MessageId> open = new SimpleObjectProperty<>();
    private final StringProperty note = new SimpleStringProperty("");
    private final ObservableMap<MessageId, ReadAs> recorded = FXCollections.observableHashMap();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    /** Counts every change the buttons must show; they re-render when it moves. */
    private final ReadOnlyIntegerWrapper changes = new ReadOnlyIntegerWrapper();

    public ReadingViewModel(HotlineClient core, Executor ui) {
        this.core = core;
        this.ui = ui;
        this.toControl = sendsToControl(core.exercise(), core.role());
        open.addListener((o, a, b) -> changes.set(changes.get() + 1));
        recorded.addListener((javafx.collections.MapChangeListener<MessageId, ReadAs>) c -> changes.set(changes.get() + 1));
    }

    /** Whether this seat's readings go to exercise control (on a channel with control alone), or stay in its log. */
    static boolean sendsToControl(Exercise exercise, String role) {
        if (exercise.control().isEmpty() || exercise.isControl(role)) {
            return false;
        }
        String control = exercise.control().get().role();
        return exercise.channelFor(role, control).map(c -> c.addressees(role).equals(List.of(control))).orElse(false);
    }

    /** First click: shows the five readings for {@code id} (and closes any other). */
    public void open(MessageId id) {
        note.set("");
        open.set(id);
    }

    public void cancel() {
        open.set(null);
    }

    /**
     * Second click: signs and records how the person read {@code id}, with the note if one was
     * written. The row shows it once the engine has logged it.
     */
    public void record(MessageId id, ReadAs readAs) {
        String words = note.get() == null ? "" : note.get().strip();
        open.set(null);
        note.set("");
        status.set("Recording your reading\u2026");
        core.recordReading(id, readAs, words).whenComplete((r, failed) -> ui.execute(() -> {
            if (failed != null) {
                Throwable cause = failed.getCause() != null ? failed.getCause() : failed;
                status.set("Reading not recorded: " + cause.getMessage());
                return;
            }
            recorded.put(id, r.readAs());
            status.set("You read message " + id.shortForm() + " as " + r.readAs().label()
                    + (r.sentToControl().isPresent() ? "; only exercise control sees it" : "; kept in your audit log"));
        }));
    }

    public Optional<ReadAs> readingOf(MessageId id) {
        return Optional.ofNullable(recorded.get(id));
    }

    public boolean isOpen(MessageId id) {
        return id.equals(open.get());
    }

    /** The words under the buttons: who will see the reading. */
    public String audience() {
        return toControl ? "Only exercise control sees your reading; the sender never does."
                : "Your reading is signed and kept in your audit log; the sender never sees it.";
    }

    public StringProperty noteProperty() {
        return note;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty changesProperty() {
        return changes.getReadOnlyProperty();
    }
}
