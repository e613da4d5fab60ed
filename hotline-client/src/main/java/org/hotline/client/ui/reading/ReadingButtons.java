package org.hotline.client.ui.reading;

import java.util.Locale;
import javafx.beans.InvalidationListener;
import javafx.beans.WeakInvalidationListener;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.ReadAs;

/**
 * The reading buttons under a received message: "How did you read this?" (first click) opens the
 * five readings and an optional note; one of them (second click) records it. Once recorded, the
 * row says how the person read it and can be changed (a new signed reading). Binds only to
 * {@link ReadingViewModel}; a console cell builds one per received message.
 */
public final class ReadingButtons extends VBox {

    private static final String CSS = ReadingButtons.class.getResource("/org/hotline/client/ui/reading.css")
            .toExternalForm();

    private final ReadingViewModel vm;
    private final MessageId id;
    // Held so the weak listener lives as long as this node; a discarded cell's node does not leak.
    private final InvalidationListener rerender = o -> render();

    public ReadingButtons(ReadingViewModel vm, MessageId id) {
        super(4);
        this.vm = vm;
        this.id = id;
        getStyleClass().add("reading-buttons");
        getStylesheets().add(CSS);
        vm.changesProperty().addListener(new WeakInvalidationListener(rerender));
        render();
    }

    private void render() {
        String s = id.shortForm();
        var readAs = vm.readingOf(id);
        if (readAs.isPresent() && !vm.isOpen(id)) {
            Label done = new Label("You read this as " + readAs.get().label());
            done.setId("reading-done-" + s);
            done.getStyleClass().addAll("reading-done", "reading-" + readAs.get().label());
            Button change = new Button("Change");
            change.setId("reading-change-" + s);
            change.getStyleClass().add("reading-change");
            change.setOnAction(e -> vm.open(id));
            HBox row = new HBox(8, done, change);
            row.setAlignment(Pos.CENTER_LEFT);
            getChildren().setAll(row);
            return;
        }
        if (!vm.isOpen(id)) {
            Button ask = new Button("How did you read this?");
            ask.setId("reading-open-" + s);
            ask.getStyleClass().add("reading-open");
            ask.setMinWidth(Region.USE_PREF_SIZE);
            ask.setOnAction(e -> vm.open(id));
            getChildren().setAll(ask);
            return;
        }
        Label question = new Label("I read this as:");
        question.getStyleClass().add("reading-question");
        HBox choices = new HBox(6, question);
        choices.setAlignment(Pos.CENTER_LEFT);
        for (ReadAs r : ReadAs.values()) {
            Button b = new Button(capitalised(r.label()));
            b.setId("read-as-" + r.label() + "-" + s);
            b.getStyleClass().addAll("read-as", "read-as-" + r.label());
            b.setMinWidth(Region.USE_PREF_SIZE);
            b.setOnAction(e -> vm.record(id, r));
            choices.getChildren().add(b);
        }
        Button cancel = new Button("Cancel");
        cancel.setId("reading-cancel-" + s);
        cancel.getStyleClass().add("reading-cancel");
        cancel.setMinWidth(Region.USE_PREF_SIZE);
        cancel.setOnAction(e -> vm.cancel());
        choices.getChildren().add(cancel);
        TextField note = new TextField();
        note.setId("reading-note-" + s);
        note.setPromptText("Optional note: what made you read it so?");
        note.textProperty().bindBidirectional(vm.noteProperty());
        Label audience = new Label(vm.audience());
        audience.getStyleClass().add("reading-audience");
        audience.setWrapText(true);
        audience.setMinHeight(Region.USE_PREF_SIZE);
        getChildren().setAll(choices, note, audience);
    }

    private static String capitalised(String label) {
        return label.substring(0, 1).toUpperCase(Locale.ROOT) + label.substring(1);
    }
}
