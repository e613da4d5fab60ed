package org.hotline.client.ui.compose;

import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.hotline.client.ui.language.RecipientReadingsView;
import org.hotline.protocol.signals.Signal;

/** The compose panel: "Prefabricated signals" and "Free text" tabs. */
public final class ComposeView {

    private final ComposeViewModel vm;
    private final TabPane tabs = new TabPane();
    private final TextField search = new TextField();
    private final VBox root;

    public ComposeView(ComposeViewModel vm) {
        this.vm = vm;
        Tab signals = new Tab("Prefabricated signals", signalsPane());
        signals.setClosable(false);
        Tab free = new Tab("Free text", freeTextPane());
        free.setClosable(false);
        tabs.getTabs().addAll(signals, free);
        tabs.setId("compose-tabs");
        tabs.getStyleClass().add("compose");
        tabs.setPrefHeight(310);
        tabs.setMinHeight(280);
        root = new VBox(4, ReplyBar.of(vm), tabs);
    }

    public Node node() {
        return root;
    }

    public void focusSearch() {
        tabs.getSelectionModel().select(0);
        search.requestFocus();
    }

    /** Ctrl+Enter: sends whatever the visible tab holds. */
    public void send() {
        if (tabs.getSelectionModel().getSelectedIndex() == 0) {
            vm.sendSignal();
        } else {
            vm.sendText();
        }
    }

    private Node signalsPane() {
        ComboBox<String> category = new ComboBox<>(vm.categories());
        category.setId("category");
        category.valueProperty().bindBidirectional(vm.categoryProperty());
        category.setPrefWidth(190);
        category.setMinWidth(150);
        search.setId("signal-search");
        search.setPromptText("Search signals (Ctrl+F)");
        search.textProperty().bindBidirectional(vm.searchProperty());
        HBox filters = new HBox(8, category, search);
        HBox.setHgrow(search, Priority.ALWAYS);

        ListView<Signal> list = new ListView<>(vm.signals());
        list.setId("signal-list");
        list.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(Signal s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty || s == null ? null : s.title("en") + "   \u00b7 " + vm.categoryLabelOf(s));
            }
        });
        list.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> vm.selectedProperty().set(b));
        vm.selectedProperty().addListener((o, a, b) -> {
            if (b != null && list.getSelectionModel().getSelectedItem() != b) {
                list.getSelectionModel().select(b);
                list.scrollTo(b);
            }
        });
        VBox left = new VBox(8, filters, list);
        VBox.setVgrow(list, Priority.ALWAYS);
        left.setPrefWidth(440);
        left.setMinWidth(400);

        GridPane form = new GridPane();
        form.setId("param-form");
        form.setHgap(8);
        form.setVgap(4);
        vm.fields().addListener((ListChangeListener<ParamField>) c -> renderForm(form));
        vm.selectedProperty().addListener((o, a, b) -> renderForm(form));
        renderForm(form);
        Label previewTitle = new Label("The other side will read exactly:");
        previewTitle.getStyleClass().add("section-title");
        Label preview = new Label();
        preview.setId("preview");
        preview.getStyleClass().add("preview");
        preview.setWrapText(true);
        preview.setMinHeight(Region.USE_PREF_SIZE);
        preview.textProperty().bind(vm.previewProperty());
        // Once the fields are valid, the preview shows each recipient's languages (RecipientReadingsView) instead.
        preview.visibleProperty().bind(vm.previewProperty().isNotEmpty().and(Bindings.isEmpty(vm.recipientReadings())));
        preview.managedProperty().bind(preview.visibleProperty());
        previewTitle.visibleProperty().bind(preview.visibleProperty());
        previewTitle.managedProperty().bind(preview.visibleProperty());
        Button send = new Button("Send signal");
        send.setId("send-signal");
        send.getStyleClass().add("accent");
        send.disableProperty().bind(vm.signalReadyProperty().not());
        send.setOnAction(e -> vm.sendSignal());
        Label status = new Label();
        status.textProperty().bind(vm.statusProperty());
        status.getStyleClass().add("hint");
        HBox actions = new HBox(10, send, status);
        actions.setAlignment(Pos.CENTER_LEFT);
        VBox right = new VBox(8, form, previewTitle, preview);
        right.getChildren().addAll(RecipientReadingsView.of(vm.recipientReadings()), actions);
        HBox.setHgrow(right, Priority.ALWAYS);
        HBox pane = new HBox(14, left, right);
        pane.setPadding(new Insets(10));
        return pane;
    }

    private void renderForm(GridPane form) {
        form.getChildren().clear();
        int row = 0;
        for (ParamField f : vm.fields()) {
            Label label = new Label(f.label());
            label.getStyleClass().add("param-label");
            TextField input = new TextField();
            input.setId("param-" + f.name());
            input.setPromptText(f.hint());
            input.textProperty().bindBidirectional(f.valueProperty());
            input.setPrefColumnCount(18);
            label.setLabelFor(input);
            Label error = new Label();
            error.textProperty().bind(f.errorProperty());
            error.getStyleClass().add("field-error");
            error.visibleProperty().bind(f.errorProperty().isNotEmpty());
            error.managedProperty().bind(error.visibleProperty());
            form.add(label, 0, row);
            form.add(input, 1, row);
            form.add(error, 1, row + 1);
            row += 2;
        }
        if (vm.fields().isEmpty() && vm.selectedProperty().get() != null) {
            form.add(new Label("This signal has no fields to fill."), 0, 0);
        } else if (vm.selectedProperty().get() == null) {
            form.add(new Label("Choose a signal on the left."), 0, 0);
        }
    }

    private Node freeTextPane() {
        TextArea text = new TextArea();
        text.setId("free-text");
        text.setPromptText("Write calmly: facts, intentions, proposals. Name times in both parties' zones.");
        text.setWrapText(true);
        text.textProperty().bindBidirectional(vm.freeTextProperty());
        text.setPrefRowCount(4);
        VBox findings = new VBox(4);
        findings.setId("calm-findings");
        Runnable render = () -> {
            findings.getChildren().clear();
            vm.findings().forEach(f -> {
                Label l = new Label("\u26A0 " + vm.explanationOf(f));
                l.getStyleClass().add("calm-warning");
                l.setWrapText(true);
                findings.getChildren().add(l);
            });
            vm.suggestedSignal().ifPresent(s -> {
                Button use = new Button("Use the signal \u201c" + s.title("en") + "\u201d instead");
                use.setId("use-suggestion");
                use.setOnAction(e -> {
                    vm.useSuggestion();
                    tabs.getSelectionModel().select(0);
                });
                findings.getChildren().add(use);
            });
        };
        vm.findings().addListener((ListChangeListener<Object>) c -> render.run());
        Button send = new Button();
        send.setId("send-text");
        send.textProperty().bind(Bindings.when(vm.warningShownProperty()).then("Send as written")
                .otherwise("Send text"));
        send.getStyleClass().add("accent");
        send.setOnAction(e -> vm.sendText());
        Label status = new Label();
        status.textProperty().bind(vm.statusProperty());
        status.getStyleClass().add("hint");
        status.setWrapText(true);
        HBox actions = new HBox(10, send, status);
        actions.setAlignment(Pos.CENTER_LEFT);
        VBox pane = new VBox(8, text, findings, actions);
        pane.setPadding(new Insets(10));
        return pane;
    }
}
