package org.hotline.client.ui.language;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.AccessibleRole;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;

/**
 * A wrapping paragraph of complex-script text (Urdu, Hindi) that JavaFX draws correctly: one
 * {@link Text} per segment between two line-break opportunities, in a {@link TextFlow}.
 *
 * <p>Why not a wrapping {@code Label}: when JavaFX wraps a line inside one run of complex script,
 * it splits the run and shapes its first part again, and on Linux the shaper (Pango) reuses the
 * text it cached for the whole run. The shortened run then carries the glyphs of the rest of the
 * paragraph: every wrapped line repeats the lines after it and runs past the wrapping width (the
 * Urdu and Hindi blocks of a received message, docs/screenshots/demo-1280x800.png). Here every
 * place the line breaker may break (the same {@link BreakIterator} rules JavaFX uses) is also the
 * boundary between two {@code Text} nodes, so a line always ends where a run ends and no run is
 * split or reshaped. The bidirectional algorithm still runs over the whole paragraph: a
 * {@code TextFlow} orders its children's text as one paragraph. JavaFX still splits a segment
 * wider than a whole line (a single word longer than the line), far narrower than any console
 * column; and it breaks lines where the JDK's line {@code BreakIterator} allows, which includes
 * after the colon of a clock time ("23:" / "42"), as it did in the Label.
 *
 * <p>The segments carry the style class {@code lang-word}; the stylesheet gives them the
 * paragraph's font and colour (language.css).
 */
public final class WordWrappedText extends TextFlow {

    private final String text;

    /** @param text the paragraph, display-ready */
    public WordWrappedText(String text) {
        this.text = text;
        for (String segment : segments(text)) {
            Text t = new Text(segment);
            t.getStyleClass().add("lang-word");
            getChildren().add(t);
        }
        setAccessibleRole(AccessibleRole.TEXT);
        setAccessibleText(text);
    }

    /**
     * Whether {@code text} holds anything but Latin letters and the punctuation, digits and marks
     * all scripts share. Only complex scripts (Devanagari, Arabic, ...) need this node; other
     * scripts are taken in too, which does no harm: the node draws any text as a Label would.
     */
    public static boolean needsOwnSegments(String text) {
        return text.codePoints().anyMatch(cp -> {
            Character.UnicodeScript script = Character.UnicodeScript.of(cp);
            return script != Character.UnicodeScript.LATIN && script != Character.UnicodeScript.COMMON
                    && script != Character.UnicodeScript.INHERITED;
        });
    }

    /** The whole paragraph, as given. */
    public String getText() {
        return text;
    }

    /**
     * {@code text} cut at every line-break opportunity: each piece is a word with the spaces and
     * punctuation that follow it; joined, the pieces are {@code text}.
     */
    static List<String> segments(String text) {
        List<String> out = new ArrayList<>();
        // The default locale's instance, as the one PrismTextLayout breaks lines with.
        BreakIterator lines = BreakIterator.getLineInstance();
        lines.setText(text);
        int start = lines.first();
        for (int end = lines.next(); end != BreakIterator.DONE; start = end, end = lines.next()) {
            out.add(text.substring(start, end));
        }
        return out;
    }
}
