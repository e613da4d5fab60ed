package org.hotline.client.ui.console;

import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.SplitPane;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Region;

/**
 * The Line tab's height, shared between the conversation (above) and the compose panel (below) by
 * a divider the person can drag. The compose panel grew (answer-by, intent, reply suggestions) and
 * had left the conversation a quarter of a 1280×800 window, one received signal at most; now the
 * compose panel gets {@link #COMPOSE_SHARE} of the height, between {@link #COMPOSE_MIN} and
 * {@link #COMPOSE_MAX} pixels, and the conversation everything else. Its form scrolls above an
 * action row that never does (ComposeView), so the Send button stays in view at any of these
 * heights. Once the person drags the divider, their choice stands: a taller window then gives its
 * extra height to the conversation only.
 */
final class ConversationSplit {

    /** The compose panel's part of the Line tab's height, before the person moves the divider. */
    static final double COMPOSE_SHARE = 0.32;
    /** Tab headers, one row of the signal list and the action row with the Send button. */
    static final double COMPOSE_MIN = 170;
    /** A three-field signal's form without scrolling on a tall screen; more goes to the conversation. */
    static final double COMPOSE_MAX = 330;

    private final SplitPane split = new SplitPane();
    private final Region compose;
    private boolean moved;

    private ConversationSplit(Region conversation, Region compose) {
        this.compose = compose;
        split.setId("line-split");
        split.getStyleClass().add("line-split");
        split.setOrientation(Orientation.VERTICAL);
        split.getItems().addAll(conversation, compose);
        SplitPane.setResizableWithParent(compose, false);
        conversation.setMinHeight(80);
        split.heightProperty().addListener((o, a, h) -> place(h.doubleValue()));
        // Only a press on the divider itself is the person choosing the split.
        split.addEventFilter(MouseEvent.MOUSE_PRESSED, e -> moved |= onDivider(e.getTarget()));
    }

    /** The split pane holding {@code conversation} above {@code compose}. */
    static SplitPane of(Region conversation, Region compose) {
        return new ConversationSplit(conversation, compose).split;
    }

    /** The compose panel's height in a Line tab {@code height} pixels tall, before the person drags the divider. */
    static double composeHeight(double height) {
        return Math.max(COMPOSE_MIN, Math.min(COMPOSE_MAX, height * COMPOSE_SHARE));
    }

    private void place(double height) {
        if (moved || height <= 0) {
            return;
        }
        // The compose panel never gets less than it needs to show its Send button (its minimum height).
        double wanted = Math.max(composeHeight(height), compose.minHeight(-1));
        split.setDividerPositions(Math.max(0, Math.min(1, (height - wanted) / height)));
    }

    private static boolean onDivider(Object target) {
        for (Node n = target instanceof Node t ? t : null; n != null; n = n.getParent()) {
            if (n.getStyleClass().contains("split-pane-divider")) {
                return true;
            }
        }
        return false;
    }
}
