package org.hotline.client.ui.replay;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javafx.animation.AnimationTimer;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Line;
import javafx.scene.shape.Rectangle;
import javafx.stage.Stage;
import org.hotline.client.replay.InjectLane;
import org.hotline.client.replay.InjectReport;
import org.hotline.client.replay.ReportWriter;
import org.hotline.client.replay.Timeline;
import org.hotline.client.ui.language.BundledFonts;
import org.hotline.client.ui.language.LanguageText;
import org.hotline.client.ui.language.TranslatedTextView;

/**
 * The trainer's replay window: lanes per role and a lane of exercise control's injects, play /
 * pause / step / speed / scrub, both sides' views and the current signal in every catalog language.
 */
public final class ReplayView {

    private static final double LEFT = 170;
    private static final double LANE = 60;
    static final double WIDTH = 1280;
    static final double HEIGHT = 800;

    private final ReplayViewModel vm;
    private final Pane chart = new Pane();
    private final Line cursor = new Line();

    public ReplayView(ReplayViewModel vm) {
        this.vm = vm;
    }

    public void show(Stage stage) {
        VBox integrity = new VBox(2);
        vm.integrity().forEach(s -> {
            Label l = new Label(s);
            l.getStyleClass().add(s.contains("FAILED") ? "problem" : s.contains("UNSIGNED TAIL") ? "unsigned" : "verified");
            l.setWrapText(true);
            integrity.getChildren().add(l);
        });
        TitledPane logs = new TitledPane("Loaded logs", integrity);
        logs.setCollapsible(false);

        chart.setId("replay-chart");
        chart.setPrefHeight(40 + LANE * Math.max(1, vm.lanes().size()) + (hasInjects() ? LANE : 0));
        // The lanes keep their height on a small screen; the views below give way (and scroll).
        chart.setMinHeight(Region.USE_PREF_SIZE);
        chart.widthProperty().addListener((o, a, b) -> draw());
        cursor.setStroke(Color.web("#cf222e"));
        cursor.setStrokeWidth(2);

        Button play = new Button("Play");
        play.setId("replay-play");
        play.getStyleClass().add("accent");
        play.textProperty().bind(javafx.beans.binding.Bindings.when(vm.playingProperty()).then("Pause").otherwise("Play"));
        play.setOnAction(e -> vm.playingProperty().set(!vm.playingProperty().get()));
        Button step = new Button("Step");
        step.setId("replay-step");
        step.setOnAction(e -> vm.step());
        ComboBox<Double> speed = new ComboBox<>(javafx.collections.FXCollections.observableArrayList(1.0, 2.0, 5.0, 10.0,
                25.0, 50.0, 100.0));
        speed.setId("replay-speed");
        speed.setValue(vm.speedProperty().get());
        speed.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(Double d) {
                return d == null ? "" : String.format("%.0fx", d);
            }

            @Override
            public Double fromString(String s) {
                return Double.valueOf(s.replace("x", ""));
            }
        });
        speed.valueProperty().addListener((o, a, b) -> vm.speedProperty().set(b));
        Slider scrub = new Slider(0, 1, 0);
        scrub.setId("replay-scrub");
        HBox.setHgrow(scrub, Priority.ALWAYS);
        boolean[] updating = new boolean[1];
        scrub.valueProperty().addListener((o, a, b) -> {
            if (!updating[0]) {
                vm.scrub(b.doubleValue());
            }
        });
        Label clock = new Label();
        clock.setId("replay-clock");
        clock.textProperty().bind(vm.clockProperty());
        clock.getStyleClass().add("clock");
        Label wall = new Label();
        wall.setId("replay-wall-clock");
        wall.textProperty().bind(vm.wallClockProperty());
        HBox controls = new HBox(10, play, step, new Label("Speed"), speed, scrub, clock, wall);
        controls.setAlignment(Pos.CENTER_LEFT);

        Label sender = new Label();
        sender.setId("replay-sender-view");
        sender.setWrapText(true);
        sender.textProperty().bind(vm.senderViewProperty());
        Label recipient = new Label();
        recipient.setId("replay-recipient-view");
        recipient.setWrapText(true);
        recipient.textProperty().bind(vm.recipientViewProperty());
        TitledPane sv = new TitledPane("As the sender saw it", scrolling(sender));
        sv.setCollapsible(false);
        TitledPane rv = new TitledPane("As the recipient saw it", scrolling(recipient));
        rv.setCollapsible(false);
        TitledPane lv = languagesPane();
        HBox views = new HBox(10, sv, rv, lv);
        HBox.setHgrow(sv, Priority.ALWAYS);
        HBox.setHgrow(rv, Priority.ALWAYS);
        HBox.setHgrow(lv, Priority.ALWAYS);
        sv.prefWidthProperty().bind(views.widthProperty().subtract(20).divide(3));
        rv.prefWidthProperty().bind(views.widthProperty().subtract(20).divide(3));
        lv.prefWidthProperty().bind(views.widthProperty().subtract(20).divide(3));

        VBox center = new VBox(10, chart, controls, views);
        center.setPadding(new Insets(12));
        BorderPane root = new BorderPane(center);
        root.setTop(relaysPane().map(r -> (javafx.scene.Node) new VBox(logs, r)).orElse(logs));
        vm.positionProperty().addListener((o, a, b) -> {
            updating[0] = true;
            scrub.setValue(vm.fraction());
            updating[0] = false;
            placeCursor();
        });
        AnimationTimer timer = new AnimationTimer() {
            private long last;

            @Override
            public void handle(long now) {
                if (last != 0) {
                    vm.tick(Duration.ofNanos(now - last));
                }
                last = now;
            }
        };
        timer.start();
        // Sized and placed explicitly, within the usable screen: left to a window manager, the
        // window opened at 200x200 with every control cut to "...".
        javafx.geometry.Rectangle2D at = org.hotline.client.ui.app.WindowTiling.centred(
                javafx.stage.Screen.getPrimary().getVisualBounds(), WIDTH, HEIGHT);
        Scene scene = new Scene(root, at.getWidth(), at.getHeight());
        org.hotline.client.ui.app.DesktopApp.place(stage, at.getMinX(), at.getMinY(), at.getWidth(), at.getHeight());
        stage.setMinWidth(Math.min(800, at.getWidth()));
        stage.setMinHeight(Math.min(500, at.getHeight()));
        scene.getStylesheets().add(ReplayView.class.getResource("/org/hotline/client/ui/hotline.css").toExternalForm());
        stage.setScene(scene);
        stage.setTitle("Hotline replay \u2014 " + vm.timeline().exerciseName("exercise") + " \u2014 "
                + vm.timeline().messages().size() + " messages" + (hasInjects() ? ", "
                + vm.injects().lane().injects().size() + " injects" : ""));
        stage.setOnHidden(e -> timer.stop());
        stage.show();
        draw();
    }

    private double x(double fraction) {
        return LEFT + (Math.max(200, chart.getWidth()) - LEFT - 20) * fraction;
    }

    private void draw() {
        chart.getChildren().clear();
        List<String> lanes = vm.lanes();
        for (int i = 0; i < lanes.size(); i++) {
            double y = 30 + i * LANE;
            Line l = new Line(LEFT, y, x(1), y);
            l.setStroke(Color.web("#d0d7de"));
            Label name = new Label(vm.laneTitle(lanes.get(i)));
            name.setLayoutX(8);
            name.setLayoutY(y - 10);
            chart.getChildren().addAll(l, name);
        }
        if (hasInjects()) {
            drawInjects(lanes);
        }
        for (ReplayViewModel.OutageBand b : vm.outageBands()) {
            int lane = lanes.indexOf(b.lane());
            if (lane < 0) {
                continue;
            }
            double y = 30 + lane * LANE;
            Color colour = Color.web(ReportWriter.OUTAGE_COLOURS.get(b.cause()));
            Rectangle band = new Rectangle(x(b.from()), y - 16, Math.max(2, x(b.to()) - x(b.from())), 32);
            band.getStyleClass().add("outage-band");
            band.setFill(colour.deriveColor(0, 1, 1, 0.18));
            band.setStroke(colour);
            Tooltip.install(band, new Tooltip(b.label()));
            Label cause = new Label(b.cause().label());
            cause.setTextFill(colour);
            // Near the right edge the label ends where the chart does, rather than being cut off.
            cause.setLayoutX(Math.min(x(b.from()) + 2, x(1) - 8 * b.cause().label().length()));
            cause.setLayoutY(y + 14);
            chart.getChildren().addAll(band, cause);
        }
        for (Timeline.MessageRecord m : vm.timeline().messages()) {
            double sx = x(vm.fractionOf(m.sentAt()));
            double sy = 30 + lanes.indexOf(m.from()) * LANE;
            for (String r : m.to()) {
                double ry = 30 + lanes.indexOf(r) * LANE;
                double dx = m.deliveredAt().map(d -> x(vm.fractionOf(d))).orElse(sx);
                Line d = new Line(sx, sy, dx, ry);
                d.setStroke(Color.web("#57606a", 0.6));
                if (m.deliveredAt().isEmpty()) {
                    d.getStrokeDashArray().addAll(2.0, 2.0);
                }
                chart.getChildren().add(d);
                m.acknowledgedAt().ifPresent(a -> {
                    Line ack = new Line(dx, ry, x(vm.fractionOf(a)), ry);
                    ack.setStroke(Color.web("#1a7f37"));
                    ack.setStrokeWidth(2);
                    ack.getStrokeDashArray().addAll(4.0, 2.0);
                    chart.getChildren().add(ack);
                });
            }
            Circle c = new Circle(sx, sy, 6, m.disagreement().isPresent() || (!m.trusted() && !m.unsignedTail())
                    ? Color.web("#cf222e") : m.unsignedTail() ? Color.web("#bf8700") : Color.web("#0969da"));
            Tooltip.install(c, new Tooltip(vm.lineOf(m)));
            chart.getChildren().add(c);
        }
        chart.getChildren().add(cursor);
        placeCursor();
    }

    private boolean hasInjects() {
        return !vm.injects().lane().injects().isEmpty();
    }

    /**
     * Exercise control's lane under the participants': shaded, a diamond per inject in its kind's
     * colour, a dashed line to each recipient where it was delivered and an orange bar from there
     * to that recipient's first reaction (the report's colours, {@link InjectReport}).
     */
    private void drawInjects(List<String> lanes) {
        double y = 30 + lanes.size() * LANE;
        Rectangle band = new Rectangle(0, y - 20, x(1) + 10, 40);
        band.setId("replay-inject-lane");
        band.setFill(Color.web("#f6f8fa"));
        band.setStroke(Color.web("#d0d7de"));
        Label name = new Label("Injects (control)");
        name.setStyle("-fx-font-weight: bold;");
        name.setLayoutX(8);
        name.setLayoutY(y - 10);
        chart.getChildren().addAll(band, name);
        boolean above = false;
        for (InjectLane.InjectRecord i : vm.injects().lane().injects()) {
            double ix = x(vm.fractionOf(i.sentAt()));
            Color colour = Color.web(InjectReport.colour(i.kind()));
            for (InjectLane.Reaction r : i.reactions()) {
                int lane = lanes.indexOf(r.recipient());
                if (lane < 0 || r.deliveredAt().isEmpty()) {
                    continue;
                }
                double ry = 30 + lane * LANE;
                double dx = x(vm.fractionOf(r.deliveredAt().get()));
                Line d = new Line(ix, y, dx, ry);
                d.setStroke(colour.deriveColor(0, 1, 1, 0.45));
                d.getStrokeDashArray().addAll(5.0, 3.0);
                chart.getChildren().add(d);
                r.first().ifPresent(m -> {
                    Line reaction = new Line(dx, ry + 7, Math.max(dx + 1, x(vm.fractionOf(m.sentAt()))), ry + 7);
                    reaction.setStroke(Color.web(InjectReport.REACTION_COLOUR, 0.8));
                    reaction.setStrokeWidth(3);
                    Tooltip.install(reaction, new Tooltip(vm.laneTitle(r.recipient()) + ", " + i.injectId() + ": "
                            + r.describe()));
                    chart.getChildren().add(reaction);
                });
            }
            javafx.scene.shape.Polygon diamond = new javafx.scene.shape.Polygon(ix, y - 8, ix + 8, y, ix, y + 8, ix - 8, y);
            diamond.getStyleClass().add("replay-inject");
            diamond.setFill(colour);
            Tooltip.install(diamond, new Tooltip(vm.injects().tooltip(i)));
            Label id = new Label(i.injectId());
            id.setTextFill(colour);
            id.setStyle("-fx-font-size: 9px;");
            id.setLayoutX(ix - 12);
            // Alternately under and over the diamonds, so injects sent close together keep readable ids.
            id.setLayoutY(above ? y - 21 : y + 7);
            above = !above;
            chart.getChildren().addAll(diamond, id);
        }
    }

    /** The current message in every catalog language, labelled, RTL laid out right to left (ui.language). */
    /**
     * The relays' records (PROTOCOL.md §12.5, §13), folded so the lanes keep the screen, and open
     * with its alarm in the title when a relay showed two histories of its log; none when the logs
     * say nothing of relays.
     */
    private Optional<TitledPane> relaysPane() {
        List<String> lines = vm.relayLines();
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        Label text = new Label(String.join("\n", lines));
        text.setId("replay-relays");
        text.setWrapText(true);
        ScrollPane scroll = new ScrollPane(text);
        scroll.setFitToWidth(true);
        // A few lines: at 768 px the sender's and recipient's views below must stay in sight.
        scroll.setPrefViewportHeight(90);
        TitledPane pane = new TitledPane((vm.relayForkAlarm() ? "RELAY LOG FORK ALARM — " : "")
                + "Relays: first copies, path disagreements, relay logs", scroll);
        pane.setExpanded(vm.relayForkAlarm());
        if (vm.relayForkAlarm()) {
            pane.getStyleClass().add("problem");
        }
        return Optional.of(pane);
    }

    private TitledPane languagesPane() {
        BundledFonts.load();
        VBox box = new VBox();
        box.setId("replay-languages");
        javafx.scene.control.ScrollPane scroll = new javafx.scene.control.ScrollPane(box);
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(javafx.scene.control.ScrollPane.ScrollBarPolicy.NEVER);
        // Room for the scroll bar and padding: Devanagari measured to the full width was cut at the edge.
        var width = scroll.widthProperty().subtract(44);
        Runnable render = () -> {
            Label none = new Label("Signals show here in every catalog language (free text and injects are never "
                    + "translated).");
            none.setWrapText(true);
            none.getStyleClass().add("muted");
            box.getChildren().setAll(vm.currentLanguages().isEmpty() ? List.of(none)
                    : List.of(TranslatedTextView.of(vm.currentLanguages(), width)));
        };
        vm.currentLanguages().addListener((javafx.collections.ListChangeListener<LanguageText>) c -> render.run());
        render.run();
        TitledPane pane = new TitledPane("In every language", scroll);
        pane.setCollapsible(false);
        return pane;
    }

    /** A view's text, scrolling when it is longer than the space left under the lanes. */
    private static javafx.scene.control.ScrollPane scrolling(Label text) {
        javafx.scene.control.ScrollPane scroll = new javafx.scene.control.ScrollPane(text);
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(javafx.scene.control.ScrollPane.ScrollBarPolicy.NEVER);
        return scroll;
    }

    private void placeCursor() {
        double cx = x(vm.fraction());
        cursor.setStartX(cx);
        cursor.setEndX(cx);
        cursor.setStartY(10);
        cursor.setEndY(chart.getPrefHeight() - 10);
    }
}
