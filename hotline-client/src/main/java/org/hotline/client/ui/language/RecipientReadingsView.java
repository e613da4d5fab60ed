package org.hotline.client.ui.language;

import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.VBox;

/** The compose preview per recipient: "Pakistan Prime Minister will read exactly:" and the words in each of their languages. */
public final class RecipientReadingsView {

    /** Three languages of a long signal do not fit the compose panel; past this height the preview scrolls. */
    private static final double MAX_HEIGHT = 190;

    private RecipientReadingsView() {
    }

    /** A scrolling box that follows {@code readings}; invisible (and taking no space) while there are none. */
    public static ScrollPane of(ObservableList<RecipientReading> readings) {
        VBox content = new VBox(6);
        ScrollPane scroll = new ScrollPane(content);
        scroll.setId("recipient-readings");
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        scroll.setMaxHeight(MAX_HEIGHT);
        scroll.getStyleClass().add("recipient-readings");
        var textWidth = scroll.widthProperty().subtract(30);
        Runnable render = () -> {
            content.getChildren().clear();
            for (RecipientReading r : readings) {
                Label who = new Label(r.recipient() + " will read exactly:");
                who.getStyleClass().addAll("section-title", "recipient-reading-title");
                content.getChildren().addAll(who, TranslatedTextView.of(r.texts(), textWidth));
            }
            scroll.setVisible(!readings.isEmpty());
            scroll.setManaged(!readings.isEmpty());
            scroll.setVvalue(0);
        };
        readings.addListener((ListChangeListener<RecipientReading>) c -> render.run());
        render.run();
        return scroll;
    }
}
