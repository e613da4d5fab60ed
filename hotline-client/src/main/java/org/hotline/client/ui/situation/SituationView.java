package org.hotline.client.ui.situation;

import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

/**
 * The Situation feed beside the hotline conversation: injects from exercise control with a kind
 * badge and scenario time, set apart from messages of the other state, and the scenario clock with
 * PAUSED for the console's header. Binds to its view model only.
 */
public final class SituationView {

    private final SituationViewModel vm;
    private final Timeline ticker;

    /** @param clock the time of the once-a-second tick of the scenario clock */
    public SituationView(SituationViewModel vm, java.time.Clock clock) {
        this.vm = vm;
        ticker = new Timeline(new KeyFrame(Duration.seconds(1), e -> vm.tick(clock.instant())));
        ticker.setCycleCount(Animation.INDEFINITE);
        ticker.play();
    }

    public void stop() {
        ticker.stop();
    }

    /** The feed panel. */
    public Node feed() {
        Label title = new Label("Situation");
        title.getStyleClass().add("section-title");
        Label source = new Label("From exercise control, not from the other side");
        source.getStyleClass().add("situation-source");
        source.setWrapText(true);
        Label reads = new Label();
        reads.setId("control-reads");
        reads.textProperty().bind(vm.controlReadsProperty());
        reads.getStyleClass().add("situation-source");
        reads.setWrapText(true);
        ListView<InjectItem> list = new ListView<>(vm.injects());
        list.setId("situation-feed");
        list.getStyleClass().add("situation-feed");
        list.setPlaceholder(new Label("No situation reports yet"));
        list.setCellFactory(l -> new ListCell<>() {
            {
                setPrefWidth(0);
            }

            @Override
            protected void updateItem(InjectItem item, boolean empty) {
                super.updateItem(item, empty);
                setText(null);
                if (empty || item == null) {
                    setGraphic(null);
                    return;
                }
                Label badge = new Label(item.badge());
                badge.getStyleClass().addAll("inject-badge", "inject-" + item.kind());
                Label when = new Label(item.scenarioTime());
                when.getStyleClass().add("inject-time");
                Label head = new Label(item.title());
                head.getStyleClass().add("inject-title");
                head.setWrapText(true);
                Label body = new Label(item.text());
                body.getStyleClass().add("inject-text");
                body.setWrapText(true);
                // Wrap within the list's width rather than growing past it and cutting the words off.
                for (Label l : new Label[] {head, body}) {
                    l.maxWidthProperty().bind(list.widthProperty().subtract(40));
                    l.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
                }
                // The kind badge keeps its whole word; in a narrow column the time goes under it and wraps.
                badge.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
                when.setWrapText(true);
                when.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
                when.maxWidthProperty().bind(list.widthProperty().subtract(40));
                FlowPane top = new FlowPane(8, 2, badge, when);
                top.prefWrapLengthProperty().bind(list.widthProperty().subtract(40));
                VBox cell = new VBox(4, top, head, body);
                cell.getStyleClass().add("inject-cell");
                setGraphic(cell);
            }
        });
        VBox box = new VBox(6, title, source, reads, list);
        VBox.setVgrow(list, Priority.ALWAYS);
        box.setPadding(new Insets(12));
        box.setPrefWidth(280);
        box.getStyleClass().add("situation");
        return box;
    }

    /** The scenario clock for the header: "Scenario 7 May 06:42 IST", and PAUSED while paused. */
    public Node clock() {
        Label time = new Label();
        time.setId("scenario-clock");
        time.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        time.textProperty().bind(vm.scenarioClockProperty());
        time.getStyleClass().add("clock");
        Label paused = new Label("PAUSED");
        paused.setId("scenario-paused");
        paused.getStyleClass().add("scenario-paused");
        paused.visibleProperty().bind(vm.pausedProperty());
        paused.managedProperty().bind(Bindings.createBooleanBinding(() -> vm.pausedProperty().get(), vm.pausedProperty()));
        HBox box = new HBox(8, time, paused);
        box.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        return box;
    }
}
