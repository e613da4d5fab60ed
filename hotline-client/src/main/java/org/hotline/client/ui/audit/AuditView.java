package org.hotline.client.ui.audit;

import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.transformation.FilteredList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.util.Duration;

/**
 * The audit tab: the log (filtered, refreshed every few seconds while the tab is open), "Verify
 * log" and "Export log".
 */
public final class AuditView {

    /** How often an open audit tab re-reads the log: fresh enough to watch an exchange, cheap enough to verify. */
    static final Duration LIVE_EVERY = Duration.seconds(3);

    private final VBox root;
    private final Timeline live;

    public AuditView(AuditViewModel vm) {
        FilteredList<AuditViewModel.Row> shown = new FilteredList<>(vm.rows());
        ComboBox<AuditFilter> filter = new ComboBox<>(FXCollections.observableArrayList(AuditFilter.values()));
        filter.setId("audit-filter");
        filter.setValue(AuditFilter.ALL);
        filter.setMinWidth(Region.USE_PREF_SIZE);
        TextField search = new TextField();
        search.setId("audit-search");
        search.setPromptText("Search the log");
        search.setPrefColumnCount(14);
        shown.predicateProperty().bind(Bindings.createObjectBinding(
                () -> filter.getValue().and(search.getText()), filter.valueProperty(), search.textProperty()));
        TableView<AuditViewModel.Row> table = new TableView<>(shown);
        table.setId("audit-table");
        TableColumn<AuditViewModel.Row, String> time = new TableColumn<>("Time (UTC)");
        time.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().time()));
        time.setPrefWidth(210);
        TableColumn<AuditViewModel.Row, String> type = new TableColumn<>("Type");
        type.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().type()));
        type.setPrefWidth(150);
        TableColumn<AuditViewModel.Row, String> summary = new TableColumn<>("Summary");
        summary.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().summary()));
        TableColumn<AuditViewModel.Row, String> signed = new TableColumn<>("Signed");
        signed.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().signed() ? "\u2714" : "not yet"));
        signed.setPrefWidth(70);
        summary.prefWidthProperty().bind(table.widthProperty().subtract(450));
        table.getColumns().addAll(java.util.List.of(time, type, signed, summary));
        // Entries after the last signed checkpoint are shown, but never like signed ones.
        table.setRowFactory(t -> new javafx.scene.control.TableRow<>() {
            @Override
            protected void updateItem(AuditViewModel.Row row, boolean empty) {
                super.updateItem(row, empty);
                getStyleClass().remove("unsigned-row");
                if (!empty && row != null && !row.signed()) {
                    getStyleClass().add("unsigned-row");
                }
            }
        });
        Label empty = new Label();
        empty.textProperty().bind(Bindings.when(Bindings.isEmpty(vm.rows())).then("The audit log is empty.")
                .otherwise("No entry matches the filter."));
        table.setPlaceholder(empty);
        Button verify = new Button("Verify log");
        verify.setId("verify-log");
        verify.setMinWidth(Region.USE_PREF_SIZE);
        verify.getStyleClass().add("accent");
        verify.setOnAction(e -> vm.verify());
        Button export = new Button("Export log...");
        export.setId("export-log");
        export.setMinWidth(Region.USE_PREF_SIZE);
        export.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setInitialFileName("audit.jsonl");
            var file = chooser.showSaveDialog(export.getScene().getWindow());
            if (file != null) {
                vm.export(file.toPath()).whenComplete((done, ex) -> {
                    if (ex != null) {
                        Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
                        javafx.application.Platform.runLater(() -> new javafx.scene.control.Alert(
                                javafx.scene.control.Alert.AlertType.ERROR, "Export failed: " + cause.getMessage())
                                .showAndWait());
                    }
                });
            }
        });
        Label result = new Label();
        result.setId("verify-result");
        result.textProperty().bind(vm.resultProperty());
        result.setWrapText(true);
        result.setMinWidth(0);
        HBox.setHgrow(result, Priority.ALWAYS);
        HBox actions = new HBox(10, verify, export, result);
        actions.setAlignment(Pos.CENTER_LEFT);
        Label showing = new Label("Show:");
        showing.setMinWidth(Region.USE_PREF_SIZE);
        Label count = new Label();
        count.setId("audit-count");
        count.textProperty().bind(Bindings.createStringBinding(() -> shown.size() + " of " + vm.rows().size() + " entries",
                shown, vm.rows()));
        count.getStyleClass().add("hint");
        count.setMinWidth(Region.USE_PREF_SIZE);
        HBox filters = new HBox(10, showing, filter, search, count);
        filters.setAlignment(Pos.CENTER_LEFT);
        root = new VBox(10, actions, filters, table);
        VBox.setVgrow(table, Priority.ALWAYS);
        root.setPadding(new Insets(12));
        live = new Timeline(new KeyFrame(LIVE_EVERY, e -> vm.refresh()));
        live.setCycleCount(Animation.INDEFINITE);
    }

    /** While the tab is open the table follows the log; closed, it costs nothing. */
    public void live(boolean on) {
        if (on) {
            live.play();
        } else {
            live.stop();
        }
    }

    public Node node() {
        return root;
    }
}
