package org.hotline.client.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hotline.protocol.signals.EveryLanguage;
import org.hotline.protocol.signals.SignalCatalog;

/**
 * The transcript of a timeline as CSV (RFC 4180: comma-separated, CRLF line ends, every field
 * quoted) and as JSON (an array of objects), one row per message in sending order. Both carry the
 * same columns: id, exercise time, UTC and local times, roles and titles, category, text, what it
 * answers, when it was accepted, delivered and acknowledged, and its standing (signed, unsigned
 * tail, untrusted), and the words in every catalog language (CSV: a {@code text_<code>} column per
 * translation; JSON: {@code rendered}, language code to words, as {@code listen --json} prints it).
 * Spreadsheets interpret cells starting with = + - @ as formulas, so such text
 * cells are prefixed with an apostrophe in the CSV; the JSON keeps text as signed.
 */
public final class TranscriptExport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> COLUMNS = List.of("id", "exerciseTime", "sentAtUtc", "sentAtLocal", "from",
            "fromTitle", "to", "toTitles", "channel", "category", "text", "inReplyTo", "acceptedAfterSeconds",
            "deliveredAfterSeconds", "acknowledgedAfterSeconds", "standing");

    private TranscriptExport() {
    }

    public static String csv(Timeline t) {
        StringBuilder b = new StringBuilder();
        MessageLanguages languages = MessageLanguages.of(t);
        List<String> translated = SignalCatalog.builtIn().languages().stream().map(l -> l.code())
                .filter(c -> !c.equals(SignalCatalog.REFERENCE)).toList();
        List<String> header = new java.util.ArrayList<>(COLUMNS);
        translated.forEach(c -> header.add("text_" + c));
        b.append(String.join(",", header.stream().map(TranscriptExport::quoted).toList())).append("\r\n");
        for (Timeline.MessageRecord m : t.messages()) {
            List<String> row = new java.util.ArrayList<>(values(t, m));
            Map<String, String> texts = languages.texts(m.id()).orElse(Map.of());
            // Free text is never translated: its cell in every language column is the text as written.
            translated.forEach(c -> row.add(texts.getOrDefault(c, m.text())));
            b.append(String.join(",", row.stream().map(v -> quoted(defused(v))).toList())).append("\r\n");
        }
        return b.toString();
    }

    public static String json(Timeline t) {
        ArrayNode rows = JSON.createArrayNode();
        MessageLanguages languages = MessageLanguages.of(t);
        SignalCatalog catalog = SignalCatalog.builtIn();
        for (Timeline.MessageRecord m : t.messages()) {
            ObjectNode o = rows.addObject();
            List<String> v = values(t, m);
            for (int i = 0; i < COLUMNS.size(); i++) {
                if (v.get(i).isEmpty() && !COLUMNS.get(i).equals("text")) {
                    o.putNull(COLUMNS.get(i));
                } else {
                    o.put(COLUMNS.get(i), v.get(i));
                }
            }
            // As listen --json: every catalog language code to the canonical words ("text" stays the reference).
            ObjectNode rendered = o.putObject("rendered");
            languages.texts(m.id()).orElseGet(() -> EveryLanguage.asWritten(catalog, m.text())).forEach(rendered::put);
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("exercise", t.exerciseName(""));
        root.put("start", t.start().toString());
        root.set("messages", rows);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a transcript of strings cannot fail to encode", e);
        }
    }

    private static List<String> values(Timeline t, Timeline.MessageRecord m) {
        return List.of(m.id(), t.relative(m.sentAt()), m.sentAt().toString(), t.wallClock(m.sentAt()), m.from(),
                t.title(m.from()), String.join(" ", m.to()), String.join("; ", m.to().stream().map(t::title).toList()),
                m.channel(), m.category(), m.text(), m.inReplyTo().orElse(""), after(m.sentAt(), m.acceptedAt()),
                after(m.sentAt(), m.deliveredAt()), after(m.sentAt(), m.acknowledgedAt()), standing(m));
    }

    /** "signed", "unsigned tail" or "untrusted" (PROTOCOL.md §11.4). */
    public static String standing(Timeline.MessageRecord m) {
        return m.trusted() ? "signed" : m.unsignedTail() ? "unsigned tail" : "untrusted";
    }

    private static String after(Instant from, Optional<Instant> to) {
        return to.map(x -> String.format(java.util.Locale.ROOT, "%.1f",
                java.time.Duration.between(from, x).toMillis() / 1000.0)).orElse("");
    }

    private static String defused(String v) {
        return !v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0 ? "'" + v : v;
    }

    private static String quoted(String v) {
        return "\"" + v.replace("\"", "\"\"") + "\"";
    }
}
