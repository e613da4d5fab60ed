package org.hotline.client.ui.console;

import javafx.application.Platform;
import javafx.scene.control.ListView;
import javafx.scene.control.skin.VirtualFlow;
import org.hotline.protocol.wire.MessageId;

/**
 * Brings a row of the conversation into view. {@code ListView.scrollTo} puts a row at the top of
 * the viewport and, for the last rows, estimates heights: a tall message at the end was left half
 * below the edge. The list's flow scrolls by the least amount that shows the whole row; it is
 * asked again after the next layout, when the row's real height is known.
 */
final class MessageJump {

    private MessageJump() {
    }

    static void intoView(ListView<MessageItem> list, int index) {
        if (index < 0 || index >= list.getItems().size()) {
            return;
        }
        list.scrollTo(index);
        Runnable exact = () -> {
            if (list.lookup(".virtual-flow") instanceof VirtualFlow<?> flow && index < list.getItems().size()) {
                flow.scrollTo(index);
                // A row taller than the viewport cannot be shown whole: show it from its top and filling
                // the viewport (what VisibleRows counts as on screen), not a sliver of it under other rows.
                var cell = flow.getCell(index);
                if (cell != null && cell.getHeight() >= flow.getHeight() - 3) {
                    flow.scrollToTop(index);
                }
            }
        };
        exact.run();
        Platform.runLater(() -> {
            list.layout();
            exact.run();
            // Once more after the layout that follows: opening the new-message banner hides it, and
            // the viewport's height changes only then.
            Platform.runLater(() -> {
                list.layout();
                exact.run();
            });
        });
    }

    static void toNewest(ListView<MessageItem> list) {
        intoView(list, list.getItems().size() - 1);
    }

    /** Goes to the message and selects it (its cell draws the highlight). */
    static boolean to(ListView<MessageItem> list, MessageId id) {
        for (int i = 0; i < list.getItems().size(); i++) {
            if (list.getItems().get(i).id().filter(id::equals).isPresent()) {
                list.getSelectionModel().clearAndSelect(i);
                intoView(list, i);
                list.requestFocus();
                return true;
            }
        }
        return false;
    }
}
