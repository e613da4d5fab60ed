package org.hotline.client.ui.app;

import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Rectangle2D;

/**
 * Where windows go on a screen: side by side across its visual bounds (the screen minus panels and
 * docks), each the full usable height, none overlapping; or one window, as large as wanted but
 * never larger than the screen. Pure geometry, so it is tested without a display.
 */
public final class WindowTiling {

    private WindowTiling() {
    }

    /** {@code n} columns filling {@code visual}; widths are whole pixels and add up to its width. */
    public static List<Rectangle2D> columns(Rectangle2D visual, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("no windows to tile");
        }
        List<Rectangle2D> out = new ArrayList<>();
        double x = visual.getMinX();
        for (int i = 0; i < n; i++) {
            double right = i == n - 1 ? visual.getMaxX() : Math.floor(visual.getMinX() + visual.getWidth() * (i + 1) / n);
            out.add(new Rectangle2D(x, visual.getMinY(), right - x, visual.getHeight()));
            x = right;
        }
        return out;
    }

    /** One window of at most {@code width}×{@code height}, centred in {@code visual} and never larger. */
    public static Rectangle2D centred(Rectangle2D visual, double width, double height) {
        double w = Math.min(width, visual.getWidth());
        double h = Math.min(height, visual.getHeight());
        return new Rectangle2D(visual.getMinX() + Math.floor((visual.getWidth() - w) / 2),
                visual.getMinY() + Math.floor((visual.getHeight() - h) / 2), w, h);
    }
}
