package org.hotline.client.ui.language;

import javafx.beans.value.ObservableDoubleValue;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/** The compose preview per recipient: "Pakistan Prime Minister will read:" and the words in each of their languages. */
public final class RecipientReadingsView {

    private RecipientReadingsView() {
    }

    /** A box that follows {@code readings}; invisible (and taking no space) while there are none. */
    public static VBox of(ObservableList<RecipientReading> readings, ObservableDoubleValue textWidth) {
        VBox box = new VBox(6);
        box.setId("recipient-readings");
        Runnable render = () -> {
            box.getChildren().clear();
            for (RecipientReading r : readings) {
                Label who = new Label(r.recipient() + " will read exactly:");
                who.getStyleClass().addAll("section-title", "recipient-reading-title");
                box.getChildren().addAll(who, TranslatedTextView.of(r.texts(), textWidth));
            }
            box.setVisible(!readings.isEmpty());
            box.setManaged(!readings.isEmpty());
        };
        readings.addListener((ListChangeListener<RecipientReading>) c -> render.run());
        render.run();
        return box;
    }
}
