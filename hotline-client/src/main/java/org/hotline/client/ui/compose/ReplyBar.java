package org.hotline.client.ui.compose;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.hotline.protocol.signals.Signal;

/**
 * Above the compose tabs while replying: a one-line quote of the message being answered, the
 * catalog's suggested replies as one-click buttons (each prefills the form with the original's
 * id), and Cancel. Hidden when not replying.
 */
final class ReplyBar {

    private ReplyBar() {
    }

    static VBox of(ComposeViewModel vm) {
        VBox bar = new VBox(4);
        bar.setId("reply-bar");
        bar.getStyleClass().add("reply-bar");
        bar.setPadding(new Insets(6, 10, 6, 10));
        // Never squeezed: the console's divider makes room for all of it above the compose tabs.
        bar.setMinHeight(Region.USE_PREF_SIZE);
        Runnable render = () -> {
            ReplyContext r = vm.replyToProperty().get();
            bar.getChildren().clear();
            bar.setVisible(r != null);
            bar.setManaged(r != null);
            if (r == null) {
                return;
            }
            Label quote = new Label("\u21A9 Replying to " + r.sender() + ": \u201c" + r.quote() + "\u201d");
            quote.setId("reply-quote");
            quote.getStyleClass().add("reply-quote");
            Region gap = new Region();
            HBox.setHgrow(gap, Priority.ALWAYS);
            Button cancel = new Button("Cancel reply");
            cancel.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            cancel.setId("reply-cancel");
            cancel.setOnAction(e -> vm.cancelReply());
            HBox head = new HBox(8, quote, gap, cancel);
            head.setAlignment(Pos.CENTER_LEFT);
            bar.getChildren().add(head);
            if (!r.suggested().isEmpty()) {
                FlowPane suggestions = new FlowPane(6, 4);
                suggestions.setId("reply-suggestions");
                suggestions.getChildren().add(new Label("Suggested replies:"));
                for (Signal s : r.suggested()) {
                    Button use = new Button(s.title("en"));
                    use.getStyleClass().add("reply-suggestion");
                    use.setOnAction(e -> vm.useReply(s));
                    suggestions.getChildren().add(use);
                }
                bar.getChildren().add(suggestions);
            }
        };
        vm.replyToProperty().addListener((o, a, b) -> render.run());
        render.run();
        return bar;
    }
}
