package org.hotline.client.ui.language;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import javafx.scene.text.Font;

/**
 * Registers the bundled Noto fonts (resources {@code ui/fonts/}, OFL, see the README there) with
 * the toolkit, so Devanagari and Urdu render on machines without such fonts installed. The
 * stylesheet then names their families ({@code .lang-hi}, {@code .lang-ur}). Registering a font
 * twice is harmless, so each console may call {@link #load()}.
 */
public final class BundledFonts {

    /** Family names the stylesheet uses. */
    public static final String DEVANAGARI = "Noto Sans Devanagari";
    /** Urdu is set in Naskh: JavaFX renders Nastaliq's joining but not its sloping attachment (see language.css). */
    public static final String NASKH = "Noto Naskh Arabic";

    private static final List<String> FILES = List.of("NotoSansDevanagari-Regular.ttf", "NotoNaskhArabic-Regular.ttf");

    private BundledFonts() {
    }

    /**
     * Loads every bundled font; call on the FX thread before the first translated text is shown.
     *
     * @return the families the toolkit registered
     */
    public static List<String> load() {
        return FILES.stream().map(BundledFonts::loadOne).toList();
    }

    private static String loadOne(String file) {
        try (InputStream in = BundledFonts.class.getResourceAsStream("/org/hotline/client/ui/fonts/" + file)) {
            if (in == null) {
                throw new IllegalStateException("font " + file + " missing from the build");
            }
            Font f = Font.loadFont(in, 13);
            if (f == null) {
                throw new IllegalStateException("font " + file + " could not be loaded");
            }
            return f.getFamily();
        } catch (IOException e) {
            throw new UncheckedIOException("font " + file + " unreadable", e);
        }
    }
}
