package org.hotline.client.ui.console;

import javafx.application.Platform;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.SplitPane;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Region;

/**
 * The Line tab's height, shared between the conversation (above) and the compose panel (below) by
 * a divider the person can drag. The compose panel grew (answer-by, intent, reply suggestions) and
 * had left the conversation a third of a 1280×800 window, one received signal at most. Now the
 * conversation gets {@link #CONVERSATION_SHARE} of the window's height and the compose panel the
 * rest of the tab, between {@link #COMPOSE_MIN} and {@link #COMPOSE_MAX} pixels (on a tall screen
 * the conversation takes everything above that). The compose form scrolls above an action row that
 * never does (ComposeView), so the Send button stays in view at any of these heights, and never
 * gets less than its minimum (a reply bar above the tabs raises it). Once the person drags the
 * divider, their choice stands: a taller window then gives its extra height to the conversation.
 */
final class ConversationSplit {

    /** The conversation's part of the window's height, before the person moves the divider. */
    static final double CONVERSATION_SHARE = 0.47;
    /** Tab headers, two rows of the signal list and the action row with the Send button. */
    static final double COMPOSE_MIN = 170;
    /** A three-field signal's form with little scrolling; more goes to the conversation. */
    static final double COMPOSE_MAX = 300;

    private final SplitPane split = new SplitPane() {
        @Override
        protected void layoutChildren() {
            super.layoutChildren();
            // Moved after this layout pass, not during it: a divider moved inside layoutChildren
            // marks the split for layout while its parents are being marked clean, and the form
            // below was then never laid out again.
            if (!pending && target(getHeight()).isPresent()) {
                pending = true;
                Platform.runLater(() -> {
                    pending = false;
                    target(getHeight()).ifPresent(p -> getDividers().get(0).setPosition(p));
                });
            }
        }
    };
    private boolean pending;
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
        // Only a press on the divider itself is the person choosing the split.
        split.addEventFilter(MouseEvent.MOUSE_PRESSED, e -> moved |= onDivider(e.getTarget()));
    }

    /** The split pane holding {@code conversation} above {@code compose}. */
    static SplitPane of(Region conversation, Region compose) {
        return new ConversationSplit(conversation, compose).split;
    }

    /**
     * The compose panel's height in a Line tab {@code height} pixels tall in a window whose content
     * is {@code windowHeight} tall, before the person drags the divider.
     */
    static double composeHeight(double height, double windowHeight) {
        return Math.max(COMPOSE_MIN, Math.min(COMPOSE_MAX, height - CONVERSATION_SHARE * windowHeight));
    }

    /**
     * Where the divider belongs in a split {@code height} pixels tall, if not where it is: the compose
     * panel at its share, or where the person put it, and never below its minimum height (the reply
     * bar above the tabs raises it), so that its Send button stays in view.
     */
    private java.util.Optional<Double> target(double height) {
        if (height <= 0 || split.getDividers().isEmpty()) {
            return java.util.Optional.empty();
        }
        double current = height * (1 - split.getDividers().get(0).getPosition());
        // At the actual width: the reply bar's suggestions wrap, and take more rows when narrow.
        double min = compose.minHeight(split.getWidth());
        double window = split.getScene() == null ? height : split.getScene().getHeight();
        double wanted = moved ? Math.max(current, min) : Math.max(composeHeight(height, window), min);
        if (Math.abs(wanted - current) <= 0.5) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(Math.max(0, Math.min(1, (height - wanted) / height)));
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
