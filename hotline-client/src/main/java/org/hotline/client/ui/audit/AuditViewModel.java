package org.hotline.client.ui.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.hotline.client.core.HotlineClient;

/** The audit tab: the log as a table, "Verify log" with its result, and export of the file. */
public final class AuditViewModel {

    /** One row: time, type, and a one-line summary. */
    public record Row(String time, String type, String summary) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HotlineClient core;
    private final Executor ui;
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final StringProperty result = new SimpleStringProperty("Not verified yet.");

    public AuditViewModel(HotlineClient core, Executor ui) {
        this.core = core;
        this.ui = ui;
    }

    public void refresh() {
        List<Row> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(core.auditLogFile())) {
                try {
                    JsonNode e = JSON.readTree(line);
                    out.add(new Row(e.path("time").asText().replace('T', ' ').replaceAll("\\.\\d+Z$", "Z"),
                            e.path("type").asText(), summary(e)));
                } catch (IOException bad) {
                    out.add(new Row("?", "unreadable", "a line that is not a log entry"));
                }
            }
        } catch (IOException e) {
            out.add(new Row("?", "error", "cannot read the log: " + e.getMessage()));
        }
        rows.setAll(out);
    }

    static String summary(JsonNode e) {
        String type = e.path("type").asText();
        return switch (type) {
            case "message-sent" -> "to " + String.join(", ", list(e.path("to"))) + ": " + e.path("text").asText();
            case "message-received" -> "from " + e.path("from").asText() + ": " + e.path("text").asText();
            case "receipt" -> e.path("state").asText() + " receipt for " + shortId(e);
            case "acknowledged" -> "acknowledged " + shortId(e);
            case "checkpoint" -> "signed checkpoint over " + e.path("treeSize").asText() + " entries";
            case "log-opened" -> "log of " + e.path("owner").asText() + " opened";
            case "peer-certificate" -> "certificate of " + e.path("role").asText();
            case "link-verified" -> "line verified end to end, round trip " + e.path("roundTripMillis").asText() + " ms";
            case "prekey-rotated" -> "new prekey " + e.path("newPrekeyId").asText() + ", valid until "
                    + e.path("expiresAt").asText();
            case "gap-detected" -> "missing " + e.path("missingCounters").asText() + " from " + e.path("from").asText();
            default -> e.path("text").asText("");
        };
    }

    private static List<String> list(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static String shortId(JsonNode e) {
        String id = e.path("id").asText();
        return "message " + (id.length() >= 8 ? id.substring(0, 8) : id);
    }

    /** Checkpoints the live log and verifies it against the exercise CA and CRL. */
    public CompletableFuture<Void> verify() {
        result.set("Verifying...");
        return core.verifyAuditLog().handle((report, error) -> {
            String text;
            if (error != null) {
                text = "Verification failed: " + error.getMessage();
            } else if (report.intact()) {
                text = "Intact and authentic: " + report.entries() + " entries, " + report.checkpoints()
                        + " signed checkpoints, " + report.signedItemsVerified() + " signatures verified.";
            } else {
                text = "NOT INTACT: " + report.problem().get();
            }
            ui.execute(() -> {
                result.set(text);
                refresh();
            });
            return null;
        });
    }

    public void export(Path target) throws IOException {
        core.checkpointAuditLog().join();
        Files.copy(core.auditLogFile(), target, StandardCopyOption.REPLACE_EXISTING);
    }

    public ObservableList<Row> rows() {
        return rows;
    }

    public ReadOnlyStringProperty resultProperty() {
        return result;
    }
}
