package org.hotline.app.control;

import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.hotline.app.cli.ExitCodes;
import org.hotline.client.control.MselPlayer;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.ui.app.DesktopApp;
import org.hotline.client.ui.app.WindowTiling;
import org.hotline.client.ui.facilitator.FacilitatorWindow;

/**
 * {@code hotline control} with a display: the facilitator's window over control's client and MSEL
 * player. The clock is started from the window; a clock that was running before a restart carries on
 * (and a paused one stays paused) until the facilitator changes it. Returns when the window closes.
 */
final class FacilitatorControl {

    /** The window's preferred size: the timeline's columns and the seats side by side. */
    static final double WIDTH = 1440;
    static final double HEIGHT = 900;

    private final HotlineClient client;
    private final MselPlayer player;
    private final PrintWriter out;

    FacilitatorControl(HotlineClient client, MselPlayer player, PrintWriter out) {
        this.client = client;
        this.player = player;
        this.out = out;
    }

    int run() throws Exception {
        DesktopApp.startToolkit(false);
        Stage[] stage = new Stage[1];
        DesktopApp.onFx(() -> {
            Rectangle2D bounds = WindowTiling.centred(Screen.getPrimary().getVisualBounds(), WIDTH, HEIGHT);
            stage[0] = new Stage();
            FacilitatorWindow.show(stage[0], client, player, bounds);
        }).join();
        client.start();
        player.start().get(30, TimeUnit.SECONDS);
        out.println("control: " + player.msel().name() + " (" + player.msel().injects().size() + " injects) as "
                + client.role() + "; the facilitator's window is open (close it to end exercise control)");
        out.flush();
        DesktopApp.awaitClosed(stage);
        javafx.application.Platform.exit();
        return ExitCodes.OK;
    }
}
