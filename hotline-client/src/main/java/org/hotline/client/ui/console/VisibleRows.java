package org.hotline.client.ui.console;

import java.util.Comparator;
import java.util.List;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;

/**
 * Which rows of the conversation a person can see right now: cells that are laid out, hold a row
 * and lie wholly inside the list's viewport, or, for a row taller than the viewport (a signal with
 * its translations, answer-by line and reading buttons on a small screen), fill the viewport from
 * edge to edge, so the person sees nothing but that row. Keyboard acknowledgement uses this, so
 * Ctrl+Shift+A never acknowledges a proposal that is scrolled out of view, and a tall row can still
 * be acknowledged when it is the one on screen.
 */
final class VisibleRows {

    private VisibleRows() {
    }

    static List<MessageItem> of(ListView<MessageItem> list) {
        Bounds view = list.localToScene(list.getLayoutBounds());
        return list.lookupAll(".list-cell").stream()
                .filter(n -> n instanceof ListCell<?> c && c.isVisible() && !c.isEmpty() && c.getItem() instanceof MessageItem)
                .map(n -> (ListCell<?>) n)
                .filter(c -> wholly(view, c) || fills(view, c))
                .sorted(Comparator.comparingInt(ListCell::getIndex))
                .map(c -> (MessageItem) c.getItem())
                .toList();
    }

    private static boolean wholly(Bounds view, Node cell) {
        Bounds b = cell.localToScene(cell.getLayoutBounds());
        // Half a pixel of slack for rounding at the edges of the viewport.
        return b.getHeight() > 0 && b.getMinY() >= view.getMinY() - 0.5 && b.getMaxY() <= view.getMaxY() + 0.5;
    }

    /**
     * A row at least as tall as the viewport that covers it from top to bottom; the list's bounds
     * include its one-pixel border, hence the slack.
     */
    private static boolean fills(Bounds view, Node cell) {
        Bounds b = cell.localToScene(cell.getLayoutBounds());
        return b.getHeight() >= view.getHeight() - 3 && b.getMinY() <= view.getMinY() + 1.5
                && b.getMaxY() >= view.getMaxY() - 1.5;
    }
}
