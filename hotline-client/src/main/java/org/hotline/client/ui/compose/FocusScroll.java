package org.hotline.client.ui.compose;

import javafx.beans.value.ChangeListener;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ScrollPane;

/**
 * Keeps the focused field of a scrolling form in view. The compose panel shares the window's
 * height with the conversation, so a three-field form is usually taller than its viewport; moving
 * through it with Tab (or a click on a half-hidden field) scrolls just enough to show the field
 * whole. A ScrollPane does not do this by itself.
 */
final class FocusScroll {

    private FocusScroll() {
    }

    static void follow(ScrollPane scroll) {
        ChangeListener<Node> onFocus = (o, a, focused) -> reveal(scroll, focused);
        scroll.sceneProperty().addListener((o, before, now) -> {
            if (before != null) {
                before.focusOwnerProperty().removeListener(onFocus);
            }
            if (now != null) {
                now.focusOwnerProperty().addListener(onFocus);
            }
        });
        Scene now = scroll.getScene();
        if (now != null) {
            now.focusOwnerProperty().addListener(onFocus);
        }
    }

    /** Scrolls {@code scroll} the least that shows {@code node} whole, if it lies in its content. */
    static void reveal(ScrollPane scroll, Node node) {
        Node content = scroll.getContent();
        if (node == null || content == null || !inside(node, content)) {
            return;
        }
        double contentHeight = content.getLayoutBounds().getHeight();
        double viewHeight = scroll.getViewportBounds().getHeight();
        if (contentHeight <= viewHeight || viewHeight <= 0) {
            return;
        }
        Bounds b = content.sceneToLocal(node.localToScene(node.getLayoutBounds()));
        double range = contentHeight - viewHeight;
        double top = (scroll.getVvalue() - scroll.getVmin()) / (scroll.getVmax() - scroll.getVmin()) * range;
        double wanted = top;
        if (b.getMinY() < top) {
            wanted = b.getMinY();
        } else if (b.getMaxY() > top + viewHeight) {
            wanted = Math.min(b.getMinY(), b.getMaxY() - viewHeight);
        }
        if (wanted != top) {
            scroll.setVvalue(scroll.getVmin() + Math.max(0, Math.min(range, wanted)) / range
                    * (scroll.getVmax() - scroll.getVmin()));
        }
    }

    private static boolean inside(Node node, Node ancestor) {
        for (Node n = node; n != null; n = n.getParent()) {
            if (n == ancestor) {
                return true;
            }
        }
        return false;
    }
}
