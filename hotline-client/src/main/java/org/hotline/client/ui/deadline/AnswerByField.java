package org.hotline.client.ui.deadline;

import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.Region;
import org.hotline.client.core.AnswerByInput;

/** The compose form's "Ask for a reply within" row, bound to an {@link AnswerByChoice}. */
public final class AnswerByField {

    private AnswerByField() {
    }

    public static Node of(AnswerByChoice choice) {
        Label label = new Label("Ask for a reply within");
        label.setMinWidth(Region.USE_PREF_SIZE);
        ComboBox<String> within = new ComboBox<>();
        within.getItems().setAll(AnswerByInput.CHOICES);
        within.setEditable(true);
        within.setId("answer-by");
        within.setPrefWidth(100);
        within.valueProperty().bindBidirectional(choice.valueProperty());
        Label hint = new Label();
        hint.setId("answer-by-hint");
        hint.getStyleClass().add("hint");
        hint.setWrapText(true);
        hint.textProperty().bind(choice.hintProperty());
        FlowPane row = new FlowPane(8, 4, label, within, hint);
        row.setAlignment(Pos.CENTER_LEFT);
        return row;
    }
}
