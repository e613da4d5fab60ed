package org.hotline.client.ui.console;

import java.util.List;
import javafx.beans.binding.DoubleExpression;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.Region;

/**
 * The line above a message: its time in every zone, the sender, the category badge and the
 * signature mark. In a half-screen console (two side by side on 1366 px) they no longer fit on one
 * line; a flow wraps them onto the next instead of cutting them to "16:5…" and "Nucl…": badges and
 * names keep their whole text, and the time, the longest part, wraps between its words.
 */
final class MessageMeta {

    private MessageMeta() {
    }

    /** @param width the room the message has (the time wraps within it) */
    static FlowPane of(Label time, Label sender, Label badge, Label verified, DoubleExpression width) {
        for (Label l : List.of(sender, badge, verified)) {
            l.setMinWidth(Region.USE_PREF_SIZE);
        }
        time.setWrapText(true);
        time.setMinHeight(Region.USE_PREF_SIZE);
        time.maxWidthProperty().bind(width);
        FlowPane meta = new FlowPane(10, 2, time, sender, badge, verified);
        meta.setAlignment(Pos.CENTER_LEFT);
        meta.setRowValignment(javafx.geometry.VPos.CENTER);
        meta.getStyleClass().add("message-meta");
        // The flow wraps at the width it is given, not at FlowPane's default 400 px.
        meta.prefWrapLengthProperty().bind(width);
        return meta;
    }

    /**
     * The line under a message: its delivery state, then its buttons (Reply, Acknowledge, the
     * reading buttons) on the same line, wrapping only when they do not fit in {@code width}.
     */
    static FlowPane foot(Label state, DoubleExpression width) {
        FlowPane foot = new FlowPane(10, 4, state);
        foot.setAlignment(Pos.CENTER_LEFT);
        foot.setRowValignment(javafx.geometry.VPos.CENTER);
        foot.getStyleClass().add("message-foot");
        foot.prefWrapLengthProperty().bind(width);
        return foot;
    }
}
