package org.hotline.client.ui.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.hotline.client.core.HotlineClient;
import org.hotline.protocol.audit.AuditEntry;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.audit.AuditReport;
import org.hotline.protocol.audit.AuditVerifier;
import org.hotline.protocol.audit.DisplayText;
import org.hotline.protocol.exercise.Party;
import org.hotline.protocol.signals.SignalCatalog;
import org.hotline.protocol.wire.MessageId;

/**
 * The audit tab: the log as a table, "Verify log" with its result, and export of the file. Reading,
 * verifying and exporting run on a background executor; results are applied on the UI executor.
 * The table shows only what the verifier accepted, so a rejected line is never shown as an entry.
 */
public final class AuditViewModel {

    /**
     * One row: time, type, a one-line summary, and whether a valid signed checkpoint covers the
     * entry ({@code signed}); entries after the last checkpoint are shown but marked (PROTOCOL.md §11.4).
     */
    public record Row(String time, String type, String summary, boolean signed) {
        /** A row about the log itself (an error, a rejected line): not an entry, so nothing is signed. */
        public Row(String time, String type, String summary) {
            this(time, type, summary, false);
        }
    }

    private final HotlineClient core;
    private final Executor ui;
    private final Executor background;
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final StringProperty result = new SimpleStringProperty("Not verified yet.");

    /** With its own background thread (a daemon, so it never keeps the application alive). */
    public AuditViewModel(HotlineClient core, Executor ui) {
        this(core, ui, Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "audit-tab");
            t.setDaemon(true);
            return t;
        }));
    }

    public AuditViewModel(HotlineClient core, Executor ui, Executor background) {
        this.core = core;
        this.ui = ui;
        this.background = background;
    }

    /** Re-reads the log through the verifier off the UI thread; completes once the rows are applied. */
    public CompletableFuture<Void> refresh() {
        return CompletableFuture.supplyAsync(this::readRows, background).thenAcceptAsync(rows::setAll, ui);
    }

    private List<Row> readRows() {
        List<Row> out = new ArrayList<>();
        try {
            AuditReport report = AuditVerifier.verify(core.auditLogFile(),
                    Optional.of(core.exerciseDirectory().validator()), Optional.of(core.exercise()));
            List<Party> parties = core.exercise().parties();
            List<AuditEntry> accepted = report.accepted();
            for (int i = 0; i < accepted.size(); i++) {
                AuditEntry e = accepted.get(i);
                out.add(new Row(e.time().toString().replace('T', ' ').replaceAll("\\.\\d+Z$", "Z"), e.type(),
                        summary(e.event(), core.catalog(), parties), report.vouchesFor(i)));
            }
            report.problem().filter(p -> !p.unsignedTail()).ifPresent(p -> out.add(new Row("?", "rejected",
                    "the log fails verification at " + p + "; nothing from that line on is shown")));
            if (report.onlyUnsignedTail()) {
                out.add(new Row("", "unsigned tail", report.unsignedTailEntries() + " entries after the last signed "
                        + "checkpoint (entry " + report.vouchedEntries() + ") are not covered by a signature yet: "
                        + "\u201cVerify log\u201d and closing the console sign them"));
            }
        } catch (IOException | org.hotline.protocol.pki.PkiException e) {
            out.add(new Row("?", "error", "cannot read the log: " + e.getMessage()));
        }
        return out;
    }

    /** Message words are rendered from the signed content, never copied from the line. */
    static String summary(AuditEvent e, SignalCatalog catalog, List<Party> parties) {
        if (e instanceof AuditEvent.MessageSent m) {
            return "to " + String.join(", ", m.header().recipients()) + ": "
                    + DisplayText.render(m.content(), catalog, parties);
        }
        if (e instanceof AuditEvent.MessageReceived m) {
            return "from " + m.header().sender() + m.via().map(v -> " (first copy via " + v + ")").orElse("") + ": "
                    + DisplayText.render(m.content(), catalog, parties);
        }
        if (e instanceof AuditEvent.DuplicateCopy d) {
            return "later copy of " + shortId(d.id()) + " via " + d.via() + " (recorded, not shown)";
        }
        if (e instanceof AuditEvent.RelayInclusion in) {
            return shortId(in.receipt().messageId()) + " accepted in " + in.receipt().asserter() + "'s log at index "
                    + in.leafIndex() + " (checkpoint size " + in.checkpoint().treeSize() + ")";
        }
        if (e instanceof AuditEvent.RelayCheckpoint c) {
            return c.checkpoint().checkpoint().relayName() + "'s log checkpoint " + c.checkpoint().treeSize()
                    + (c.previousSize() == 0 ? " (first seen)" : ", consistent with " + c.previousSize());
        }
        if (e instanceof AuditEvent.RelayFork c) {
            return "FORK ALARM: " + c.checkpoint().checkpoint().relayName() + "'s checkpoint " + c.checkpoint().treeSize()
                    + " is not consistent with " + c.previousSize();
        }
        if (e instanceof AuditEvent.Equivocation m) {
            return m.explanation();
        }
        if (e instanceof AuditEvent.Acknowledged a) {
            return "acknowledged " + shortId(a.receipt().messageId());
        }
        if (e instanceof AuditEvent.ReceiptEntry r) {
            return r.receipt().type().name().toLowerCase(java.util.Locale.ROOT) + " receipt for "
                    + shortId(r.receipt().messageId());
        }
        if (e instanceof AuditEvent.DeliveredThrough d) {
            return "delivered-through receipt from " + d.receipt().asserter() + ": " + d.receipt().sender()
                    + "'s messages " + d.receipt().fromCounter() + " to " + d.receipt().throughCounter() + " on "
                    + d.receipt().channel();
        }
        if (e instanceof AuditEvent.Checkpoint c) {
            return "signed checkpoint over " + c.treeSize() + " entries";
        }
        if (e instanceof AuditEvent.LogOpened o) {
            return "log of " + o.owner() + " opened";
        }
        if (e instanceof AuditEvent.PeerCertificate c) {
            return "certificate of " + c.role();
        }
        if (e instanceof AuditEvent.LinkVerified v) {
            return "line verified end to end, round trip " + v.roundTripMillis() + " ms";
        }
        if (e instanceof AuditEvent.PrekeyRotated p) {
            return "new prekey " + p.newPrekeyId() + ", valid until " + p.expiresAt();
        }
        if (e instanceof AuditEvent.GapDetected g) {
            return "missing " + g.missingCounters() + " from " + g.from();
        }
        if (e instanceof AuditEvent.Note n) {
            return n.text();
        }
        if (e instanceof AuditEvent.Recovered r) {
            return "line " + r.tornLine() + " was torn by a crash (its content is not shown)";
        }
        return "";
    }

    private static String shortId(MessageId id) {
        return "message " + id.hex().substring(0, 8);
    }

    /**
     * Checkpoints the live log and verifies it against the exercise CA and CRL, then re-reads the
     * rows; the result and the rows reach the UI together, so the table never lags the verdict.
     */
    public CompletableFuture<Void> verify() {
        result.set("Verifying...");
        return core.verifyAuditLog().handle((report, error) -> {
            if (error != null) {
                return "Verification failed: " + error.getMessage();
            }
            if (report.intact()) {
                return "Intact and authentic: " + report.entries() + " entries, " + report.checkpoints()
                        + " signed checkpoints, " + report.signedItemsVerified() + " signatures verified.";
            }
            return "NOT INTACT: " + report.problem().get();
        }).thenApplyAsync(text -> Map.entry(text, readRows()), background).thenAcceptAsync(done -> {
            rows.setAll(done.getValue());
            result.set(done.getKey());
        }, ui);
    }

    /** Checkpoints the live log, then copies it to {@code target} off the UI thread. */
    public CompletableFuture<Void> export(Path target) {
        return core.checkpointAuditLog().thenRunAsync(() -> {
            try {
                Files.copy(core.auditLogFile(), target, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, background);
    }

    public ObservableList<Row> rows() {
        return rows;
    }

    public ReadOnlyStringProperty resultProperty() {
        return result;
    }
}
