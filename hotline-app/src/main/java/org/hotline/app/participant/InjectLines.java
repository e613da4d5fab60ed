package org.hotline.app.participant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.hotline.client.core.ReceivedInject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hotline.protocol.signals.SignalCatalog;
import org.hotline.protocol.text.DisplaySafe;

/** How {@code listen} prints an inject from exercise control: one line, plain or JSON. */
final class InjectLines {

    private static final ObjectMapper JSON = new ObjectMapper();

    private InjectLines() {
    }

    /** The JSON object of {@code listen --json}: {@code "type":"inject"} and the inject's fields. */
    static String json(ReceivedInject i, SignalCatalog catalog) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", "inject");
        o.put("id", i.injectId());
        o.put("messageId", i.id().hex());
        o.put("from", i.from());
        o.putPOJO("to", i.to());
        o.put("channel", i.channel());
        o.put("kind", i.kind());
        o.put("title", i.title());
        o.put("text", i.text());
        // Control writes an inject in one language; "rendered" is there so every object has the same shape.
        RenderedField.put(o, catalog, List.of(), Optional.empty(), Map.of(), i.text());
        o.put("scenarioTime", i.scenarioTime().toString());
        o.put("sentAt", i.sentAt().toString());
        o.put("receivedAt", i.receivedAt().toString());
        o.put("verified", i.verified());
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The plain line: marked as an inject, so nobody takes it for a message of the other state. */
    static String human(ReceivedInject i) {
        return String.format("%s  INJECT %s [%s] scenario %s  %s: %s  (from exercise control, %s)", i.sentAt(),
                DisplaySafe.line(i.injectId()), i.kind(), i.scenarioTime(), DisplaySafe.line(i.title()),
                DisplaySafe.line(i.text()), i.verified() ? "signature verified" : "NOT VERIFIED");
    }
}
