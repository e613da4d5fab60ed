package org.hotline.app.demo;

import javafx.geometry.Rectangle2D;
import org.hotline.client.ui.app.DesktopApp;

/**
 * Whether the demo's screen takes exercise control's window as a third column beside the two
 * consoles: only where every column keeps at least a console's minimum width (a 1920-pixel screen,
 * not a 1366 one), so the consoles never shrink below what they were tested at.
 */
final class FacilitatorTile {

    private FacilitatorTile() {
    }

    static boolean fits(Rectangle2D visual) {
        return visual.getWidth() >= 3 * DesktopApp.MIN_WIDTH && visual.getHeight() >= DesktopApp.MIN_HEIGHT;
    }
}
