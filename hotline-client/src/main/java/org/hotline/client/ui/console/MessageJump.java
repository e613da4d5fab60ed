package org.hotline.client.ui.console;

import javafx.scene.control.ListView;
import org.hotline.protocol.wire.MessageId;

/** Goes to a message of the conversation: scrolls it into view, selects it, and redraws its highlight. */
final class MessageJump {

    private MessageJump() {
    }

    static boolean to(ListView<MessageItem> list, MessageId id) {
        for (int i = 0; i < list.getItems().size(); i++) {
            if (list.getItems().get(i).id().filter(id::equals).isPresent()) {
                // A row or two of context above the message, unless it is the newest.
                list.scrollTo(Math.max(0, i - 1));
                list.getSelectionModel().clearAndSelect(i);
                list.refresh();
                list.requestFocus();
                return true;
            }
        }
        return false;
    }
}
