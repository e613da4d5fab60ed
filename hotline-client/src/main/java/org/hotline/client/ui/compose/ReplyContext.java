package org.hotline.client.ui.compose;

import java.util.List;
import java.util.Objects;
import org.hotline.protocol.signals.Signal;
import org.hotline.protocol.wire.MessageId;

/**
 * The received message a reply answers: its id (sent as the reply's {@code inReplyTo}), a one-line
 * quote of its words for the compose panel, and the catalog's suggested replies to its signal
 * (empty for free text), offered first.
 */
public record ReplyContext(MessageId id, String sender, String quote, List<Signal> suggested) {
    public ReplyContext {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(quote, "quote");
        suggested = List.copyOf(suggested);
    }

    /** At most this many characters of the original are quoted on one line. */
    static final int QUOTE_LENGTH = 90;

    /** The original's words on one line, shortened with an ellipsis. */
    public static String oneLine(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= QUOTE_LENGTH ? line : line.substring(0, QUOTE_LENGTH - 1) + "\u2026";
    }
}
