package org.hotline.client.ui.compose;

import java.util.ArrayList;
import java.util.List;
import javafx.scene.text.Text;
import org.hotline.protocol.signals.CalmWordingCheck;
import org.hotline.protocol.text.DisplaySafe;

/** The free text cut into plain and flagged pieces, for the highlighted copy under the text area. */
final class CalmHighlight {

    private CalmHighlight() {
    }

    /** Flagged pieces carry the style class {@code calm-flagged}; findings must be in order of appearance. */
    static List<Text> spans(String text, List<CalmWordingCheck.Finding> findings) {
        String t = text == null ? "" : text;
        List<Text> out = new ArrayList<>();
        int at = 0;
        for (CalmWordingCheck.Finding f : findings) {
            if (f.start() < at || f.end() > t.length()) {
                continue; // overlapping matches: the first one is already highlighted
            }
            if (f.start() > at) {
                out.add(new Text(DisplaySafe.multiline(t.substring(at, f.start()))));
            }
            Text flagged = new Text(DisplaySafe.multiline(t.substring(f.start(), f.end())));
            flagged.getStyleClass().add("calm-flagged");
            out.add(flagged);
            at = f.end();
        }
        if (at < t.length()) {
            out.add(new Text(DisplaySafe.multiline(t.substring(at))));
        }
        return out;
    }
}
