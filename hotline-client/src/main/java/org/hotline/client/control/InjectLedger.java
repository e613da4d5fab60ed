package org.hotline.client.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.MessageId;

/**
 * What control has done with each inject of its MSEL: sent (when, and the message id per
 * recipient), skipped, or edited before sending; and the ad-hoc injects the facilitator composed. Stored in control's data directory ({@value #FILE})
 * after every change, so a restarted control process neither sends an inject twice nor forgets an
 * edit. Not thread-safe: the player's thread owns it.
 */
final class InjectLedger {

    static final String FILE = "msel-state.json";

    record Sent(Instant sentAt, Instant scenarioTime, Map<String, MessageId> messages) {
        Sent {
            messages = Map.copyOf(messages);
        }
    }

    record Words(String title, String text) {
    }

    /** An inject the facilitator composed during the exercise, outside the MSEL. */
    record AdHoc(String id, List<String> recipients, Content.InjectKind kind, String title, String text) {
        AdHoc {
            recipients = List.copyOf(recipients);
        }
    }

    private final StateFile file;
    private final String mselName;
    private final Map<String, Sent> sent = new LinkedHashMap<>();
    private final Map<String, Boolean> skipped = new LinkedHashMap<>();
    private final Map<String, Words> edits = new LinkedHashMap<>();
    private final Map<String, AdHoc> adHoc = new LinkedHashMap<>();

    private InjectLedger(StateFile file, String mselName) {
        this.file = file;
        this.mselName = mselName;
    }

    /** The ledger in {@code dataDir}; one kept for another MSEL is refused rather than mixed up. */
    static InjectLedger open(Path dataDir, String mselName) throws IOException {
        InjectLedger l = new InjectLedger(new StateFile(dataDir.resolve(FILE)), mselName);
        var stored = l.file.read();
        if (stored.isEmpty()) {
            return l;
        }
        JsonNode n = stored.get();
        String was = n.path("msel").asText();
        if (!was.equals(mselName)) {
            throw new IOException(l.file.path() + " belongs to scenario '" + was + "', not '" + mselName
                    + "': use another --data directory for another scenario");
        }
        try {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.path("sent").fields(); it.hasNext(); ) {
                var e = it.next();
                Map<String, MessageId> messages = new LinkedHashMap<>();
                e.getValue().path("messages").fields().forEachRemaining(m ->
                        messages.put(m.getKey(), MessageId.parse(m.getValue().asText())));
                l.sent.put(e.getKey(), new Sent(Instant.parse(e.getValue().get("sentAt").asText()),
                        Instant.parse(e.getValue().get("scenarioTime").asText()), messages));
            }
            n.path("skipped").forEach(s -> l.skipped.put(s.asText(), true));
            n.path("edits").fields().forEachRemaining(e -> l.edits.put(e.getKey(),
                    new Words(e.getValue().get("title").asText(), e.getValue().get("text").asText())));
            for (JsonNode a : n.path("adHoc")) {
                List<String> to = new ArrayList<>();
                a.get("to").forEach(r -> to.add(r.asText()));
                String kind = a.get("kind").asText();
                l.adHoc.put(a.get("id").asText(), new AdHoc(a.get("id").asText(), to, Content.InjectKind.ofLabel(kind)
                        .orElseThrow(() -> new IllegalArgumentException("unknown kind " + kind)),
                        a.get("title").asText(), a.get("text").asText()));
            }
        } catch (RuntimeException e) {
            throw new IOException(l.file.path() + " is not a stored MSEL state: " + e.getMessage(), e);
        }
        return l;
    }

    Optional<Sent> sent(String injectId) {
        return Optional.ofNullable(sent.get(injectId));
    }

    boolean skipped(String injectId) {
        return skipped.containsKey(injectId);
    }

    boolean done(String injectId) {
        return sent.containsKey(injectId) || skipped.containsKey(injectId);
    }

    Optional<Words> edit(String injectId) {
        return Optional.ofNullable(edits.get(injectId));
    }

    void markSent(String injectId, Sent s) throws IOException {
        sent.put(injectId, s);
        save();
    }

    void markSkipped(String injectId) throws IOException {
        skipped.put(injectId, true);
        save();
    }

    void markEdited(String injectId, Words words) throws IOException {
        edits.put(injectId, words);
        save();
    }

    /** Records an ad-hoc inject once it is sent ({@link #markSent} first), so a restart still shows it. */
    void addAdHoc(AdHoc a) throws IOException {
        adHoc.put(a.id(), a);
        save();
    }

    /** The ad-hoc injects in the order they were composed. */
    List<AdHoc> adHoc() {
        return List.copyOf(adHoc.values());
    }

    Map<String, Sent> allSent() {
        return Map.copyOf(sent);
    }

    private void save() throws IOException {
        ObjectNode n = StateFile.JSON.createObjectNode();
        n.put("msel", mselName);
        ObjectNode s = n.putObject("sent");
        sent.forEach((id, x) -> {
            ObjectNode o = s.putObject(id);
            o.put("sentAt", x.sentAt().toString());
            o.put("scenarioTime", x.scenarioTime().toString());
            ObjectNode m = o.putObject("messages");
            x.messages().forEach((r, mid) -> m.put(r, mid.hex()));
        });
        var k = n.putArray("skipped");
        skipped.keySet().forEach(k::add);
        ObjectNode e = n.putObject("edits");
        edits.forEach((id, w) -> e.putObject(id).put("title", w.title()).put("text", w.text()));
        var a = n.putArray("adHoc");
        adHoc.values().forEach(x -> {
            ObjectNode o = a.addObject().put("id", x.id());
            x.recipients().forEach(o.putArray("to")::add);
            o.put("kind", x.kind().label()).put("title", x.title()).put("text", x.text());
        });
        file.write(n);
    }
}
