package org.hotline.client.ui.console;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.scene.Scene;

/**
 * The AtlantaFX theme: Primer light by default, Primer dark on request. A console window sets it on
 * its own scene, so the Dark toggle of one demo window leaves the other window as it is.
 */
public final class Theme {

    private Theme() {
    }

    /** The default for every window (and dialogs) of this process. */
    public static void apply(boolean dark) {
        Application.setUserAgentStylesheet(sheet(dark));
    }

    /** One window only. */
    public static void apply(Scene scene, boolean dark) {
        scene.setUserAgentStylesheet(sheet(dark));
    }

    /** Whether the process-wide default is the dark theme (a new window starts with it). */
    public static boolean darkByDefault() {
        return sheet(true).equals(Application.getUserAgentStylesheet());
    }

    private static String sheet(boolean dark) {
        return dark ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet();
    }
}
