package org.hotline.client.ui.console;

import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.ListView;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * How the console uses its width. Two consoles side by side on a 1366- or 1280-pixel screen get
 * 640 to 683 pixels each: below {@link #NARROW_BELOW} the Situation feed leaves the side of the
 * window for a tab beside "Line" (counting what arrived while it was not looked at), the header's
 * clocks and toggles take a row of their own (the rows closer together), and the exercise's name, the least needed word in the
 * header, gives way; wide again, everything goes back. Nothing is ever cut off or pushed past the
 * window's edge (the feed beside a half-screen console made the window's content 10 to 20 px
 * wider than the window).
 */
public final class ConsoleLayout {

    /** Below this width the conversation, the compose form and a side feed no longer fit side by side. */
    public static final double NARROW_BELOW = 900;

    private final BorderPane root;
    private final TabPane tabs;
    private final Tab situationTab = new Tab("Situation");
    private final HBox secondStatusRow = new HBox(12);
    private Region feed;
    private int unseen;
    private Boolean narrow;

    ConsoleLayout(BorderPane root, TabPane tabs) {
        this.root = root;
        this.tabs = tabs;
        situationTab.setId("situation-tab");
        situationTab.setClosable(false);
        situationTab.selectedProperty().addListener((o, a, selected) -> {
            if (selected) {
                unseen = 0;
                situationTab.setText("Situation");
            }
        });
        secondStatusRow.setId("status-row-2");
        secondStatusRow.setAlignment(Pos.CENTER_RIGHT);
        root.widthProperty().addListener((o, a, w) -> apply(w.doubleValue()));
    }

    /** Whether the console is laid out for a narrow window now. */
    public boolean narrow() {
        return Boolean.TRUE.equals(narrow);
    }

    /** Exercise control's feed: beside the conversation when wide, in its own tab when narrow. */
    void situation(Region feed) {
        this.feed = feed;
        // At most a fifth of a wide window: the compose form and its Send button keep their room.
        feed.prefWidthProperty().bind(Bindings.min(280, root.widthProperty().multiply(0.2)));
        feed.setMinWidth(120);
        if (feed.lookup("#situation-feed") instanceof ListView<?> list) {
            list.getItems().addListener((ListChangeListener<Object>) c -> {
                while (c.next()) {
                    if (c.wasAdded() && narrow() && !situationTab.isSelected()) {
                        unseen += c.getAddedSize();
                        situationTab.setText("Situation (" + unseen + " new)");
                    }
                }
            });
        }
        narrow = null;
        apply(root.getWidth());
    }

    private void apply(double width) {
        if (width <= 0) {
            return;
        }
        boolean wantNarrow = width < NARROW_BELOW;
        if (narrow != null && narrow == wantNarrow) {
            return;
        }
        narrow = wantNarrow;
        placeSituation(wantNarrow);
        arrangeHeader(wantNarrow);
    }

    private void placeSituation(boolean narrow) {
        if (feed == null) {
            return;
        }
        if (narrow) {
            root.setRight(null);
            situationTab.setContent(feed);
            if (!tabs.getTabs().contains(situationTab)) {
                tabs.getTabs().add(Math.min(1, tabs.getTabs().size()), situationTab);
            }
        } else {
            boolean wasShown = situationTab.isSelected();
            tabs.getTabs().remove(situationTab);
            situationTab.setContent(null);
            root.setRight(feed);
            if (wasShown) {
                tabs.getSelectionModel().select(0);
            }
        }
    }

    /** Narrow: clocks, sound and theme toggles on a second status row; the exercise's name hidden. */
    private void arrangeHeader(boolean narrow) {
        if (!(root.lookup("#header") instanceof VBox header) || !(root.lookup("#status-row") instanceof HBox status)) {
            return;
        }
        Node[] moving = {root.lookup("#clocks"), root.lookup("#sound-toggle"), root.lookup("#dark-toggle")};
        for (Node n : moving) {
            if (n == null) {
                return;
            }
        }
        if (narrow) {
            status.getChildren().removeAll(moving);
            secondStatusRow.getChildren().setAll(moving);
            if (!header.getChildren().contains(secondStatusRow)) {
                header.getChildren().add(secondStatusRow);
            }
        } else {
            secondStatusRow.getChildren().clear();
            header.getChildren().remove(secondStatusRow);
            for (Node n : moving) {
                if (n.getParent() != status) {
                    status.getChildren().add(n);
                }
            }
        }
        // Three rows instead of two: closer together, so the conversation keeps the height.
        header.setSpacing(narrow ? 4 : 8);
        header.setPadding(narrow ? new Insets(8, 16, 8, 16) : new Insets(12, 16, 12, 16));
        Node name = root.lookup("#exercise-name");
        if (name != null) {
            name.setVisible(!narrow);
            name.setManaged(!narrow);
        }
    }
}
