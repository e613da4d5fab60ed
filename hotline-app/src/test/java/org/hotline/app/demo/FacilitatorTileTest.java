package org.hotline.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import javafx.geometry.Rectangle2D;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(5)
class FacilitatorTileTest {

    @Test
    void fullHdScreen_takesTheFacilitatorAsAThirdColumn() {
        assertThat(FacilitatorTile.fits(new Rectangle2D(0, 0, 1920, 1080))).isTrue();
    }

    @Test
    void laptopScreens_keepTwoConsoles() {
        assertThat(FacilitatorTile.fits(new Rectangle2D(0, 0, 1366, 768))).isFalse();
        assertThat(FacilitatorTile.fits(new Rectangle2D(0, 0, 1280, 800))).isFalse();
        // Wide but short (a panel eats the height): the consoles' minimum height decides.
        assertThat(FacilitatorTile.fits(new Rectangle2D(0, 0, 2560, 500))).isFalse();
    }
}
