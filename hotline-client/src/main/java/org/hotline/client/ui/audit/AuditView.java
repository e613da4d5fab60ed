package org.hotline.client.ui.audit;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

/** The audit tab: the log, "Verify log" and "Export log". */
public final class AuditView {

    private final VBox root;

    public AuditView(AuditViewModel vm) {
        TableView<AuditViewModel.Row> table = new TableView<>(vm.rows());
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
        table.setPlaceholder(new Label("The audit log is empty."));
        Button verify = new Button("Verify log");
        verify.setId("verify-log");
        verify.getStyleClass().add("accent");
        verify.setOnAction(e -> vm.verify());
        Button export = new Button("Export log...");
        export.setId("export-log");
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
        HBox actions = new HBox(10, verify, export, result);
        actions.setAlignment(Pos.CENTER_LEFT);
        root = new VBox(10, actions, table);
        VBox.setVgrow(table, Priority.ALWAYS);
        root.setPadding(new Insets(12));
    }

    public Node node() {
        return root;
    }
}
