package org.hotline.client.ui.facilitator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.util.Duration;
import org.hotline.protocol.wire.Content;

/**
 * The facilitator's window (exercise control): header with the scenario clock and its controls,
 * the MSEL timeline with fire now / skip / edit / ad-hoc inject, the participant seats, the traffic
 * the exercise setting lets control read, and evaluator notes. Binds to its view model only.
 */
public final class FacilitatorView {

    /** Below this width the panels are stacked rather than side by side. */
    static final double NARROW = 1000;

    private final FacilitatorViewModel vm;
    private final Timeline ticker;
    private TableView<InjectRow> table;

    public FacilitatorView(FacilitatorViewModel vm) {
        this.vm = vm;
        ticker = new Timeline(new KeyFrame(Duration.seconds(1), e -> vm.tick()));
        ticker.setCycleCount(Animation.INDEFINITE);
        ticker.play();
    }

    public void stop() {
        ticker.stop();
    }

    public Scene scene(double w, double h) {
        BorderPane root = new BorderPane();
        root.getStyleClass().addAll("console", "facilitator");
        root.setTop(header());
        SplitPane split = new SplitPane(timeline(), side());
        split.setDividerPositions(0.61);
        root.setCenter(split);
        // A narrow window (the demo's third column) stacks the seats, traffic and notes under the timeline.
        root.widthProperty().addListener((o, a, b) -> {
            javafx.geometry.Orientation want = b.doubleValue() < NARROW ? javafx.geometry.Orientation.VERTICAL
                    : javafx.geometry.Orientation.HORIZONTAL;
            if (split.getOrientation() != want) {
                split.setOrientation(want);
                split.setDividerPositions(want == javafx.geometry.Orientation.VERTICAL ? 0.5 : 0.61);
            }
        });
        root.setBottom(statusBar());
        Scene scene = new Scene(root, w, h);
        scene.getStylesheets().add(FacilitatorView.class.getResource("/org/hotline/client/ui/hotline.css").toExternalForm());
        scene.getStylesheets().add(FacilitatorView.class.getResource("/org/hotline/client/ui/facilitator.css")
                .toExternalForm());
        vm.tick();
        return scene;
    }

    // ------------------------------------------------------------ header: who, the scenario clock, its controls

    private Node header() {
        Label banner = new Label("EXERCISE");
        banner.getStyleClass().add("exercise-banner");
        Label who = new Label("Exercise control");
        who.getStyleClass().add("identity");
        // Who this is never shrinks to "..."; the exercise and scenario names give way first.
        banner.setMinWidth(Region.USE_PREF_SIZE);
        who.setMinWidth(Region.USE_PREF_SIZE);
        Label exercise = new Label(vm.exerciseName() + "  ·  " + vm.scenarioTitle());
        exercise.getStyleClass().add("exercise-name");
        exercise.setMinWidth(0);
        Label clock = new Label();
        clock.setId("control-scenario-clock");
        clock.textProperty().bind(vm.scenarioClockProperty());
        clock.getStyleClass().add("clock");
        clock.setMinWidth(Region.USE_PREF_SIZE);
        Label paused = new Label("PAUSED");
        paused.setId("control-paused");
        paused.getStyleClass().add("scenario-paused");
        paused.visibleProperty().bind(vm.pausedProperty());
        paused.managedProperty().bind(vm.pausedProperty());
        paused.setMinWidth(Region.USE_PREF_SIZE);
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox top = new HBox(12, banner, who, exercise, grow, clock, paused);
        top.setAlignment(Pos.CENTER_LEFT);

        Label lineBadge = new Label();
        lineBadge.getStyleClass().add("line-state");
        lineBadge.textProperty().bind(Bindings.createStringBinding(() -> lineWord(vm.lineStateProperty().get()),
                vm.lineStateProperty()));
        vm.lineStateProperty().addListener((o, a, b) -> styleLine(lineBadge, b));
        styleLine(lineBadge, vm.lineStateProperty().get());
        lineBadge.setMinWidth(Region.USE_PREF_SIZE);
        Label lineText = new Label();
        lineText.textProperty().bind(vm.lineProperty());
        lineText.getStyleClass().add("hint");
        lineText.setMinWidth(0);
        Label state = new Label();
        state.setId("control-clock-state");
        state.textProperty().bind(Bindings.concat("Clock: ", vm.clockStateProperty()));
        state.setMinWidth(Region.USE_PREF_SIZE);
        Button start = new Button("Start clock");
        start.setId("clock-start");
        start.disableProperty().bind(vm.startedProperty());
        start.setOnAction(e -> vm.startClock());
        Button pause = new Button("Pause");
        pause.setId("clock-pause");
        pause.disableProperty().bind(vm.startedProperty().not().or(vm.pausedProperty()));
        pause.setOnAction(e -> vm.pause());
        Button resume = new Button("Resume");
        resume.setId("clock-resume");
        resume.disableProperty().bind(vm.pausedProperty().not());
        resume.setOnAction(e -> vm.resume());
        ComboBox<String> speed = new ComboBox<>();
        speed.setId("clock-speed");
        speed.setEditable(true);
        speed.getItems().addAll("1", "2", "5", "10", "30", "60");
        speed.setPrefWidth(80);
        speed.setPromptText("speed");
        vm.speedProperty().addListener((o, a, b) -> {
            if (!speed.isFocused()) {
                speed.getEditor().setText(b.replace("x", ""));
            }
        });
        Button setSpeed = new Button("Set speed");
        setSpeed.setId("clock-set-speed");
        setSpeed.setOnAction(e -> vm.setSpeed(speed.getEditor().getText()));
        for (Node n : List.of(start, pause, resume, setSpeed)) {
            ((Region) n).setMinWidth(Region.USE_PREF_SIZE);
        }
        HBox lineBox = new HBox(8, lineBadge, lineText);
        lineBox.setAlignment(Pos.CENTER_LEFT);
        HBox clockBox = new HBox(8, state, start, pause, resume, speed, setSpeed);
        clockBox.setAlignment(Pos.CENTER_LEFT);
        // Side by side on a wide window (the clock controls pushed right); on a narrow one they wrap below.
        Region grow2 = new Region();
        HBox.setHgrow(grow2, Priority.ALWAYS);
        HBox wide = new HBox(8, lineBox, grow2, clockBox);
        wide.setAlignment(Pos.CENTER_LEFT);
        VBox narrow = new VBox(6);
        javafx.scene.layout.StackPane controls = new javafx.scene.layout.StackPane(wide);
        controls.widthProperty().addListener((o, a, b) -> {
            boolean fits = b.doubleValue() >= lineBox.prefWidth(-1) + clockBox.prefWidth(-1) + 16;
            if (fits && controls.getChildren().get(0) != wide) {
                wide.getChildren().setAll(lineBox, grow2, clockBox);
                controls.getChildren().setAll(wide);
            } else if (!fits && controls.getChildren().get(0) != narrow) {
                narrow.getChildren().setAll(lineBox, clockBox);
                controls.getChildren().setAll(narrow);
            }
        });
        controls.setAlignment(Pos.CENTER_LEFT);
        VBox header = new VBox(8, top, controls);
        header.getStyleClass().add("header");
        header.setPadding(new Insets(10, 14, 10, 14));
        return header;
    }

    private static String lineWord(String state) {
        return switch (state) {
            case "verified" -> "LINE VERIFIED";
            case "degraded" -> "LINE DEGRADED";
            case "down" -> "LINE DOWN";
            default -> "CONNECTING";
        };
    }

    private static void styleLine(Label l, String state) {
        l.getStyleClass().removeAll("state-verified", "state-connecting", "state-degraded", "state-down");
        l.getStyleClass().add("state-" + state);
    }

    // ------------------------------------------------------------ the MSEL timeline

    private Node timeline() {
        Label title = new Label("Scenario timeline (MSEL)");
        title.getStyleClass().add("section-title");
        table = new TableView<>(vm.injects());
        table.setId("msel-timeline");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        table.setPlaceholder(new Label("No injects"));
        TableColumn<InjectRow, String> id = text("Inject", InjectRow::id, 56);
        TableColumn<InjectRow, String> time = text("Due", InjectRow::time, 100);
        TableColumn<InjectRow, InjectRow> kind = new TableColumn<>("Kind");
        kind.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        kind.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(InjectRow item, boolean empty) {
                super.updateItem(item, empty);
                setText(null);
                if (empty || item == null) {
                    setGraphic(null);
                    return;
                }
                Label badge = new Label(item.adHoc() ? item.badge() + " (AD HOC)" : item.badge());
                badge.getStyleClass().addAll("inject-badge", "inject-" + item.kind());
                setGraphic(badge);
            }
        });
        kind.setPrefWidth(104);
        kind.setMinWidth(96);
        TableColumn<InjectRow, String> head = wrapped("Title", InjectRow::title, 200);
        TableColumn<InjectRow, String> expected = wrapped("Expected player action", InjectRow::expected, 170);
        TableColumn<InjectRow, String> recipients = wrapped("State per recipient", InjectRow::recipients, 170);
        table.getColumns().add(id);
        table.getColumns().add(time);
        table.getColumns().add(kind);
        table.getColumns().add(head);
        table.getColumns().add(expected);
        table.getColumns().add(recipients);
        table.setRowFactory(t -> new javafx.scene.control.TableRow<>() {
            @Override
            protected void updateItem(InjectRow item, boolean empty) {
                super.updateItem(item, empty);
                getStyleClass().removeAll("inject-row-skipped", "inject-row-sent");
                if (!empty && item != null && !item.pending()) {
                    getStyleClass().add(item.state().equals("skipped") ? "inject-row-skipped" : "inject-row-sent");
                }
            }
        });
        // Rows are replaced in place as states change: keep the facilitator's selection on the same inject.
        String[] selected = {null};
        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null) {
                selected[0] = b.id();
            }
        });
        vm.injects().addListener((ListChangeListener<InjectRow>) c -> {
            if (table.getSelectionModel().getSelectedItem() == null && selected[0] != null) {
                for (int i = 0; i < vm.injects().size(); i++) {
                    if (vm.injects().get(i).id().equals(selected[0])) {
                        table.getSelectionModel().select(i);
                    }
                }
            }
        });
        VBox.setVgrow(table, Priority.ALWAYS);

        Label detail = new Label();
        detail.setId("inject-detail");
        detail.setWrapText(true);
        detail.getStyleClass().add("inject-detail");
        detail.setMinHeight(Region.USE_PREF_SIZE);
        detail.setMaxHeight(90);
        detail.textProperty().bind(Bindings.createStringBinding(() -> {
            InjectRow r = table.getSelectionModel().getSelectedItem();
            return r == null ? "Select an inject to see its text; fire it now, skip it or edit it before it is sent."
                    : r.id() + " (" + r.state() + "): " + r.text();
        }, table.getSelectionModel().selectedItemProperty()));

        var pendingSelected = Bindings.createBooleanBinding(() -> {
            InjectRow r = table.getSelectionModel().getSelectedItem();
            return r != null && r.pending();
        }, table.getSelectionModel().selectedItemProperty(), vm.injects());
        Button fire = new Button("Fire now");
        fire.setId("inject-fire");
        fire.getStyleClass().add("accent");
        fire.disableProperty().bind(pendingSelected.not());
        fire.setOnAction(e -> vm.fireNow(table.getSelectionModel().getSelectedItem().id()));
        Button skip = new Button("Skip");
        skip.setId("inject-skip");
        skip.disableProperty().bind(pendingSelected.not());
        skip.setOnAction(e -> vm.skip(table.getSelectionModel().getSelectedItem().id()));
        Button edit = new Button("Edit before sending...");
        edit.setId("inject-edit");
        edit.disableProperty().bind(pendingSelected.not());
        edit.setOnAction(e -> edit(table.getSelectionModel().getSelectedItem()));
        Button adHoc = new Button("New ad-hoc inject...");
        adHoc.setId("inject-adhoc");
        adHoc.setOnAction(e -> adHoc());
        HBox actions = new HBox(8, fire, skip, edit, adHoc);
        actions.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(8, title, table, detail, actions);
        box.setPadding(new Insets(10, 10, 10, 14));
        return box;
    }

    private static TableColumn<InjectRow, String> text(String name, java.util.function.Function<InjectRow, String> f,
                                                       double width) {
        TableColumn<InjectRow, String> c = new TableColumn<>(name);
        c.setCellValueFactory(v -> new ReadOnlyStringWrapper(f.apply(v.getValue())));
        c.setPrefWidth(width);
        c.setMinWidth(width * 0.9);
        return c;
    }

    /** A column whose text wraps in the cell rather than being cut off. */
    private static TableColumn<InjectRow, String> wrapped(String name, java.util.function.Function<InjectRow, String> f,
                                                          double width) {
        TableColumn<InjectRow, String> c = new TableColumn<>(name);
        c.setCellValueFactory(v -> new ReadOnlyStringWrapper(f.apply(v.getValue())));
        c.setPrefWidth(width);
        c.setCellFactory(col -> new TableCell<>() {
            // A Text node wraps at the column's width and gives the row its height (a Label would be clipped).
            private final Text words = new Text();

            {
                words.wrappingWidthProperty().bind(col.widthProperty().subtract(12));
                words.getStyleClass().add("cell-words");
                setPrefHeight(Control.USE_COMPUTED_SIZE);
            }

            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(null);
                words.setText(empty || item == null ? "" : item);
                setGraphic(empty ? null : words);
            }
        });
        return c;
    }

    private void edit(InjectRow row) {
        Dialog<ButtonType> d = new Dialog<>();
        d.setTitle("Edit inject " + row.id());
        d.setHeaderText("Edit " + row.id() + " before it is sent (the MSEL file is not changed)");
        TextField title = new TextField(row.title());
        title.setId("edit-title");
        TextArea text = new TextArea(row.text());
        text.setId("edit-text");
        text.setWrapText(true);
        text.setPrefRowCount(6);
        VBox box = new VBox(8, new Label("Title"), title, new Label("Text"), text);
        box.setPrefWidth(520);
        d.getDialogPane().setContent(box);
        ButtonType save = new ButtonType("Save words", ButtonBar.ButtonData.OK_DONE);
        d.getDialogPane().getButtonTypes().addAll(save, ButtonType.CANCEL);
        d.getDialogPane().lookupButton(save).setId("edit-save");
        if (d.showAndWait().filter(b -> b == save).isPresent()) {
            vm.edit(row.id(), title.getText(), text.getText());
        }
    }

    private void adHoc() {
        Dialog<ButtonType> d = new Dialog<>();
        d.setTitle("New ad-hoc inject");
        d.setHeaderText("Compose an inject outside the MSEL: it is signed and sent now, and recorded");
        List<CheckBox> to = new ArrayList<>();
        HBox recipients = new HBox(10);
        for (String r : vm.participants()) {
            CheckBox c = new CheckBox(r);
            c.setId("adhoc-to-" + r.replace('.', '-'));
            to.add(c);
            recipients.getChildren().add(c);
        }
        ComboBox<Content.InjectKind> kind = new ComboBox<>();
        kind.setId("adhoc-kind");
        kind.getItems().addAll(Content.InjectKind.values());
        kind.getSelectionModel().select(Content.InjectKind.SITUATION);
        kind.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(Content.InjectKind k) {
                return k == null ? "" : k.label();
            }

            @Override
            public Content.InjectKind fromString(String s) {
                return Content.InjectKind.ofLabel(s).orElse(null);
            }
        });
        TextField title = new TextField();
        title.setId("adhoc-title");
        TextArea text = new TextArea();
        text.setId("adhoc-text");
        text.setWrapText(true);
        text.setPrefRowCount(5);
        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(8);
        grid.addRow(0, new Label("To"), recipients);
        grid.addRow(1, new Label("Kind"), kind);
        grid.addRow(2, new Label("Title"), title);
        grid.addRow(3, new Label("Text"), text);
        grid.setPrefWidth(560);
        d.getDialogPane().setContent(grid);
        ButtonType send = new ButtonType("Sign and send", ButtonBar.ButtonData.OK_DONE);
        d.getDialogPane().getButtonTypes().addAll(send, ButtonType.CANCEL);
        Node sendButton = d.getDialogPane().lookupButton(send);
        sendButton.setId("adhoc-send");
        List<javafx.beans.Observable> inputs = new ArrayList<>(List.of(title.textProperty(), text.textProperty()));
        to.forEach(c -> inputs.add(c.selectedProperty()));
        sendButton.disableProperty().bind(Bindings.createBooleanBinding(() -> title.getText().isBlank()
                || text.getText().isBlank() || to.stream().noneMatch(CheckBox::isSelected),
                inputs.toArray(javafx.beans.Observable[]::new)));
        Optional<ButtonType> r = d.showAndWait();
        if (r.filter(b -> b == send).isPresent()) {
            vm.adHoc(to.stream().filter(CheckBox::isSelected).map(CheckBox::getText).toList(), kind.getValue(),
                    title.getText(), text.getText());
        }
    }

    // ------------------------------------------------------------ seats, traffic, notes

    private Node side() {
        Label seatsTitle = new Label("Seats");
        seatsTitle.getStyleClass().add("section-title");
        TableView<SeatRow> seats = new TableView<>(vm.seats());
        seats.setId("seats");
        seats.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        seats.getColumns().add(seatColumn("Seat", SeatRow::role, 62));
        seats.getColumns().add(seatColumn("Online", SeatRow::online, 70));
        seats.getColumns().add(seatColumn("Line verified", SeatRow::line, 100));
        seats.getColumns().add(seatColumn("Unanswered", s -> String.valueOf(s.unanswered()), 92));
        seats.getColumns().add(seatColumn("Last heard (UTC)", SeatRow::lastActivity, 140));
        seats.setFixedCellSize(28);
        // Every seat visible without scrolling: the exercise has a handful.
        seats.prefHeightProperty().bind(Bindings.size(vm.seats()).multiply(28).add(42));
        seats.minHeightProperty().bind(seats.prefHeightProperty());
        seats.maxHeightProperty().bind(seats.prefHeightProperty());
        Label legend = new Label(FacilitatorViewModel.seatLegend());
        legend.setWrapText(true);
        legend.getStyleClass().add("situation-source");
        legend.setMinHeight(Region.USE_PREF_SIZE);

        TabPane tabs = new TabPane(new Tab("Traffic", traffic()), new Tab("Evaluator notes", notes()));
        tabs.setId("control-tabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        VBox.setVgrow(tabs, Priority.ALWAYS);
        VBox box = new VBox(6, seatsTitle, seats, legend, tabs);
        box.setPadding(new Insets(10, 14, 10, 10));
        box.setMinWidth(300);
        return box;
    }

    private static TableColumn<SeatRow, String> seatColumn(String name, java.util.function.Function<SeatRow, String> f,
                                                           double width) {
        TableColumn<SeatRow, String> c = new TableColumn<>(name);
        c.setCellValueFactory(v -> new ReadOnlyStringWrapper(f.apply(v.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    private Node traffic() {
        Label notice = new Label();
        notice.setId("traffic-notice");
        notice.textProperty().bind(vm.trafficNoticeProperty());
        notice.setWrapText(true);
        notice.getStyleClass().add("situation-source");
        notice.setMinHeight(Region.USE_PREF_SIZE);
        ListView<TrafficItem> list = new ListView<>(vm.traffic());
        list.setId("traffic-feed");
        list.setPlaceholder(new Label("No traffic yet"));
        list.setCellFactory(l -> new ListCell<>() {
            {
                setPrefWidth(0);
            }

            @Override
            protected void updateItem(TrafficItem item, boolean empty) {
                super.updateItem(item, empty);
                setText(null);
                if (empty || item == null) {
                    setGraphic(null);
                    return;
                }
                Label head = new Label(item.time() + "  " + item.from() + " on " + item.channel()
                        + (item.toControl() ? (item.acknowledged() ? "  (to control, acknowledged)" : "  (to control, unanswered)")
                        : ""));
                head.getStyleClass().add("msg-time");
                Label body = new Label(item.text());
                body.setWrapText(true);
                body.maxWidthProperty().bind(list.widthProperty().subtract(30));
                body.setMinHeight(Region.USE_PREF_SIZE);
                setGraphic(new VBox(2, head, body));
            }
        });
        VBox.setVgrow(list, Priority.ALWAYS);
        Button ack = new Button("Acknowledge question");
        ack.setId("traffic-ack");
        ack.disableProperty().bind(Bindings.createBooleanBinding(() -> {
            TrafficItem t = list.getSelectionModel().getSelectedItem();
            return t == null || !t.toControl() || t.acknowledged();
        }, list.getSelectionModel().selectedItemProperty(), vm.traffic()));
        ack.setOnAction(e -> vm.acknowledge(list.getSelectionModel().getSelectedItem().id()));
        VBox box = new VBox(6, notice, list, ack);
        box.setPadding(new Insets(8, 0, 0, 0));
        return box;
    }

    private Node notes() {
        Label hint = new Label("A timestamped observation for the after-action review: signed with control's key "
                + "and written to control's audit log (never sent to the players).");
        hint.setWrapText(true);
        hint.getStyleClass().add("situation-source");
        hint.setMinHeight(Region.USE_PREF_SIZE);
        TextArea text = new TextArea();
        text.setId("note-text");
        text.setWrapText(true);
        text.setPrefRowCount(3);
        text.setPromptText("e.g. in.pm asked for facts before replying to the media inject");
        Button add = new Button("Sign and record note");
        add.setId("note-add");
        add.disableProperty().bind(Bindings.createBooleanBinding(() -> text.getText().isBlank(), text.textProperty()));
        add.setOnAction(e -> vm.addNote(text.getText()).thenRun(() -> javafx.application.Platform.runLater(text::clear)));
        ListView<NoteItem> list = new ListView<>(vm.notes());
        list.setId("notes");
        list.setPlaceholder(new Label("No notes yet"));
        list.setCellFactory(l -> new ListCell<>() {
            {
                setPrefWidth(0);
            }

            @Override
            protected void updateItem(NoteItem item, boolean empty) {
                super.updateItem(item, empty);
                setText(null);
                if (empty || item == null) {
                    setGraphic(null);
                    return;
                }
                Label head = new Label(item.observedAt() + "  (scenario " + item.scenarioTime() + ")");
                head.getStyleClass().add("msg-time");
                Label body = new Label(item.text());
                body.setWrapText(true);
                body.maxWidthProperty().bind(list.widthProperty().subtract(30));
                body.setMinHeight(Region.USE_PREF_SIZE);
                setGraphic(new VBox(2, head, body));
            }
        });
        VBox.setVgrow(list, Priority.ALWAYS);
        VBox box = new VBox(6, hint, text, add, list);
        box.setPadding(new Insets(8, 0, 0, 0));
        return box;
    }

    private Node statusBar() {
        Label status = new Label();
        status.setId("control-status");
        status.textProperty().bind(vm.statusProperty());
        HBox bar = new HBox(status);
        bar.getStyleClass().add("status-bar");
        bar.setPadding(new Insets(4, 14, 4, 14));
        return bar;
    }
}
