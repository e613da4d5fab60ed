package org.hotline.app.participant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.hotline.client.core.MessageReading;
import org.hotline.protocol.text.DisplaySafe;

/**
 * How {@code listen} prints, at exercise control, a participant's reading of a message
 * (PROTOCOL.md §4.2, Reading): one line, plain or JSON.
 */
final class ReadingLines {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReadingLines() {
    }

    /** {@code "type":"reading"}: the message read, its sender, the reader, how, the note, and the times. */
    static String json(MessageReading r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", "reading");
        o.put("messageId", r.messageId().hex());
        o.put("from", r.sender());
        o.put("channel", r.channel());
        o.put("reader", r.reader());
        o.put("readAs", r.readAs().label());
        o.put("note", r.note());
        o.put("receivedAt", r.receivedAt().toString());
        o.put("readAt", r.readAt().toString());
        o.put("latencyMillis", r.latency().toMillis());
        o.put("verified", true);
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The plain line, marked as a reading so nobody takes it for a message. */
    static String human(MessageReading r) {
        return String.format("%s  READING of %s from %s by %s: %s%s  (%d s after delivery, signature verified)",
                r.readAt(), r.messageId().shortForm(), DisplaySafe.line(r.sender()), DisplaySafe.line(r.reader()),
                r.readAs().label(), r.note().isEmpty() ? "" : ", note: " + DisplaySafe.line(r.note()),
                r.latency().toSeconds());
    }
}
