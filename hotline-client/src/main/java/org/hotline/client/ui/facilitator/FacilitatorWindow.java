package org.hotline.client.ui.facilitator;

import java.time.Clock;
import javafx.application.Platform;
import javafx.geometry.Rectangle2D;
import javafx.stage.Stage;
import org.hotline.client.control.MselPlayer;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.ui.app.DesktopApp;
import org.hotline.client.ui.console.Theme;

/** Opens the facilitator's window for exercise control's client and player (FX thread). */
public final class FacilitatorWindow {

    /** Smallest size that still shows the timeline, the clock controls and the seats. */
    public static final double MIN_WIDTH = 900;
    public static final double MIN_HEIGHT = 560;

    private FacilitatorWindow() {
    }

    /** Builds the window in {@code stage} at {@code bounds}; returns its view model (already bound). */
    public static FacilitatorViewModel show(Stage stage, HotlineClient control, MselPlayer player, Rectangle2D bounds) {
        if (javafx.application.Application.getUserAgentStylesheet() == null) {
            Theme.apply(false);
        }
        FacilitatorViewModel vm = new FacilitatorViewModel(control, player, Platform::runLater, Clock.systemUTC());
        FacilitatorView view = new FacilitatorView(vm);
        stage.setScene(view.scene(bounds.getWidth(), bounds.getHeight()));
        // A stage that showed another window before may still have that window's title bound.
        stage.titleProperty().unbind();
        stage.setTitle(vm.title());
        stage.setMinWidth(Math.min(MIN_WIDTH, bounds.getWidth()));
        stage.setMinHeight(Math.min(MIN_HEIGHT, bounds.getHeight()));
        DesktopApp.place(stage, bounds.getMinX(), bounds.getMinY(), bounds.getWidth(), bounds.getHeight());
        stage.setOnHidden(e -> view.stop());
        vm.bind();
        stage.show();
        return vm;
    }
}
