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
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.hotline.client.ui.deadline.AnswerByField;
import javafx.scene.text.TextFlow;
import org.hotline.client.ui.language.RecipientReadingsView;
import org.hotline.protocol.signals.Signal;

/** The compose panel: "Prefabricated signals" and "Free text" tabs. */
public final class ComposeView {

    /** Wide enough for "All categories" and the box's arrow. */
    static final double CATEGORY_MIN_WIDTH = 145;

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
        // The console decides the height (its divider with the conversation); the form scrolls and
        // the action row stays: tab headers, a row of the signal list and the Send button fit in this.
        tabs.setMinHeight(160);
        root = new VBox(4, ReplyBar.of(vm), tabs);
        VBox.setVgrow(tabs, Priority.ALWAYS);
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
                // A narrow list wraps a long title instead of scrolling it sideways.
                setWrapText(true);
                setPrefWidth(0);
            }
        });
        list.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> vm.selectedProperty().set(b));
        vm.selectedProperty().addListener((o, a, b) -> {
            if (b != null && list.getSelectionModel().getSelectedItem() != b) {
                list.getSelectionModel().select(b);
                list.scrollTo(b);
            }
        });
        vm.selectedProperty().addListener((o, a, b) -> {
            if (b == null) {
                list.getSelectionModel().clearSelection();
            }
        });
        VBox left = new VBox(8, filters, list);
        VBox.setVgrow(list, Priority.ALWAYS);
        left.setPrefWidth(440);
        // The category keeps room for "All categories" in a 640-px console (two on a 1280-px screen);
        // the search field, whose text scrolls, gives way first.
        category.setMinWidth(CATEGORY_MIN_WIDTH);
        search.setMinWidth(80);
        left.setMinWidth(CATEGORY_MIN_WIDTH + 8 + 80);

        ParamForm form = new ParamForm(vm);
        vm.fields().addListener((ListChangeListener<ParamField>) c -> form.render());
        vm.selectedProperty().addListener((o, a, b) -> form.render());
        form.render();
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
        previewTitle.setWrapText(true);
        previewTitle.setMinHeight(Region.USE_PREF_SIZE);
        previewTitle.managedProperty().bind(preview.visibleProperty());
        Button send = new Button("Send signal");
        send.setId("send-signal");
        send.getStyleClass().add("accent");
        send.disableProperty().bind(vm.signalReadyProperty().not());
        send.setOnAction(e -> vm.sendSignal());
        VBox content = new VBox(8, form.node(), AnswerByField.of(vm.answerBy()), previewTitle, preview,
                RecipientReadingsView.of(vm.recipientReadings()));
        content.setPadding(new Insets(0, 6, 0, 0));
        Node right = scrollingWithActions(content, send, "signal-form-scroll");
        HBox.setHgrow(right, Priority.ALWAYS);
        HBox pane = new HBox(14, left, right);
        pane.setPadding(new Insets(10));
        return pane;
    }

    /**
     * A form that scrolls above an action row that never does: however many fields a signal has
     * and however small the window, the Send button stays in view at its full width.
     */
    private Node scrollingWithActions(Node content, Button send, String scrollId) {
        ScrollPane scroll = new ScrollPane(content);
        scroll.setId(scrollId);
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        scroll.getStyleClass().add("edge-to-edge");
        scroll.setMinHeight(0);
        // A modest preferred width: the preview's one-line width would otherwise squeeze the signal list.
        scroll.setPrefViewportWidth(320);
        FocusScroll.follow(scroll);
        send.setMinWidth(Region.USE_PREF_SIZE);
        Label status = new Label();
        status.setId(scrollId.replace("-scroll", "-status"));
        status.textProperty().bind(vm.statusProperty());
        status.getStyleClass().add("hint");
        // The room beside the button, at most two lines (the whole text in a tooltip): by its one-line
        // width "Delivered: <title>" took the room of the signal list and its category box, and
        // wrapped in what was left it took four lines of the form's height.
        status.setWrapText(true);
        status.setMinWidth(0);
        status.setPrefWidth(0);
        status.setMaxWidth(Double.MAX_VALUE);
        status.setMaxHeight(40);
        javafx.scene.control.Tooltip whole = new javafx.scene.control.Tooltip();
        whole.textProperty().bind(vm.statusProperty());
        status.setTooltip(whole);
        HBox actions = new HBox(10, send, status);
        actions.setAlignment(Pos.CENTER_LEFT);
        actions.setMinHeight(Region.USE_PREF_SIZE);
        HBox.setHgrow(status, Priority.ALWAYS);
        BorderPane box = new BorderPane(scroll);
        box.setBottom(actions);
        BorderPane.setMargin(actions, new Insets(8, 0, 0, 0));
        box.setMinWidth(180);
        return box;
    }

    private Node freeTextPane() {
        TextArea text = new TextArea();
        text.setId("free-text");
        text.setPromptText("Write calmly: facts, intentions, proposals. Name times in both parties' zones.");
        text.setWrapText(true);
        text.textProperty().bindBidirectional(vm.freeTextProperty());
        text.setPrefRowCount(3);
        text.setMinHeight(60);
        // A TextArea cannot colour a range, so the flagged wording is shown highlighted in a copy below it.
        TextFlow highlighted = new TextFlow();
        highlighted.setId("calm-highlight");
        highlighted.getStyleClass().add("calm-highlight");
        VBox findings = new VBox(4);
        findings.setId("calm-findings");
        Runnable render = () -> {
            findings.getChildren().clear();
            highlighted.getChildren().setAll(CalmHighlight.spans(vm.freeTextProperty().get(), vm.findings()));
            if (!vm.findings().isEmpty()) {
                findings.getChildren().add(highlighted);
            }
            vm.warnings().forEach(f -> {
                Label l = new Label("\u26A0 " + vm.explanationOf(f));
                l.getStyleClass().add("calm-warning");
                l.setWrapText(true);
                l.setMinHeight(Region.USE_PREF_SIZE);
                findings.getChildren().add(l);
            });
            vm.suggestedSignal().ifPresent(s -> {
                Button use = new Button("Use the signal \u201c" + s.title("en") + "\u201d instead");
                use.setId("use-suggestion");
                use.setMinWidth(Region.USE_PREF_SIZE);
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
        VBox content = new VBox(8, text, new IntentPicker(vm.intentProperty()), findings);
        content.setPadding(new Insets(0, 6, 0, 0));
        BorderPane pane = new BorderPane(scrollingWithActions(content, send, "free-text-scroll"));
        pane.setPadding(new Insets(10));
        return pane;
    }
}
