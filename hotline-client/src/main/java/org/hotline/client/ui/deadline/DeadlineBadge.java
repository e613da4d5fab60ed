package org.hotline.client.ui.deadline;

import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import org.hotline.protocol.wire.MessageId;

/**
 * The answer-by line under a message (countdown, "no reply by …", and the escalation button), bound
 * to its {@link DeadlineViewModel.Line}; hidden while the message asks for nothing.
 */
public final class DeadlineBadge {

    private static final String CSS = DeadlineBadge.class.getResource("/org/hotline/client/ui/deadline.css")
            .toExternalForm();

    private DeadlineBadge() {
    }

    public static Node of(DeadlineViewModel vm, MessageId id) {
        DeadlineViewModel.Line line = vm.lineOf(id);
        Label text = new Label();
        text.setId("deadline-" + id.shortForm());
        text.getStyleClass().add("deadline-text");
        text.textProperty().bind(line.textProperty());
        text.setWrapText(true);
        text.setMinHeight(Region.USE_PREF_SIZE);
        Button action = new Button();
        action.setId("deadline-action-" + id.shortForm());
        action.getStyleClass().add("deadline-action");
        action.textProperty().bind(line.actionProperty());
        action.visibleProperty().bind(line.actionProperty().isNotEmpty());
        action.managedProperty().bind(action.visibleProperty());
        action.disableProperty().bind(line.busyProperty());
        action.setMinWidth(Region.USE_PREF_SIZE);
        action.setOnAction(e -> vm.act(id));
        HBox box = new HBox(10, text, action);
        box.getStylesheets().add(CSS);
        box.setAlignment(Pos.CENTER_LEFT);
        box.getStyleClass().addAll("deadline", line.styleProperty().get());
        line.styleProperty().addListener((o, a, b) -> {
            box.getStyleClass().remove(a);
            box.getStyleClass().add(b);
        });
        box.visibleProperty().bind(line.textProperty().isNotEmpty());
        box.managedProperty().bind(box.visibleProperty());
        return box;
    }
}
