package org.hotline.client.ui.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import javafx.geometry.Rectangle2D;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The demo's two consoles on the screens of issue 15: side by side, no overlap, all of the usable height. */
class WindowTilingTest {

    @ParameterizedTest
    @CsvSource({"1920, 1080, 0", "1366, 768, 0", "1280, 800, 0", "1920, 1080, 32", "1366, 768, 40"})
    void twoConsoles_fillTheVisualBounds_withoutOverlap(double width, double height, double panel) {
        Rectangle2D visual = new Rectangle2D(0, panel, width, height - panel);
        List<Rectangle2D> tiles = WindowTiling.columns(visual, 2);
        assertThat(tiles).hasSize(2);
        Rectangle2D left = tiles.get(0);
        Rectangle2D right = tiles.get(1);
        assertThat(left.getMinX()).isEqualTo(visual.getMinX());
        assertThat(right.getMaxX()).isEqualTo(visual.getMaxX());
        assertThat(left.getMaxX()).isEqualTo(right.getMinX());
        assertThat(left.intersects(right.getMinX() + 0.5, right.getMinY(), right.getWidth() - 1, right.getHeight()))
                .as("overlap").isFalse();
        for (Rectangle2D t : tiles) {
            assertThat(t.getMinY()).isEqualTo(visual.getMinY());
            assertThat(t.getHeight()).isEqualTo(visual.getHeight());
            assertThat(visual.contains(t)).isTrue();
            assertThat(t.getWidth()).isGreaterThanOrEqualTo(DesktopApp.MIN_WIDTH);
        }
    }

    @ParameterizedTest
    @CsvSource({"1920, 1080, 1280, 800", "1366, 768, 1280, 768", "1024, 600, 1024, 600"})
    void oneWindow_isCentred_andNeverLargerThanTheScreen(double width, double height, double w, double h) {
        Rectangle2D visual = new Rectangle2D(0, 0, width, height);
        Rectangle2D at = WindowTiling.centred(visual, 1280, 800);
        assertThat(at.getWidth()).isEqualTo(w);
        assertThat(at.getHeight()).isEqualTo(h);
        assertThat(visual.contains(at)).isTrue();
    }
}
