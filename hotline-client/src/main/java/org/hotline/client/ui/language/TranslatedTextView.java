package org.hotline.client.ui.language;

import java.util.List;
import javafx.geometry.NodeOrientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.TextAlignment;
import org.hotline.protocol.text.DisplaySafe;

/**
 * A message's words in every language its reader reads: each block labelled with its language,
 * the reference wording first, an unreviewed translation marked "translation not reviewed", and
 * right-to-left text (Urdu) laid out right to left in its own font.
 */
public final class TranslatedTextView {

    private static final String STYLESHEET = TranslatedTextView.class
            .getResource("/org/hotline/client/ui/language.css").toExternalForm();

    private TranslatedTextView() {
    }

    /** The blocks for {@code texts}, one under the other; {@code textWidth} bounds the wrapped lines. */
    public static VBox of(List<LanguageText> texts, javafx.beans.value.ObservableDoubleValue textWidth) {
        VBox box = new VBox(6);
        box.getStyleClass().add("translated-text");
        box.getStylesheets().add(STYLESHEET);
        for (LanguageText t : texts) {
            box.getChildren().add(block(t, textWidth));
        }
        return box;
    }

    private static Node block(LanguageText t, javafx.beans.value.ObservableDoubleValue textWidth) {
        Label language = new Label(t.label());
        language.getStyleClass().addAll("lang-label", "lang-" + t.code());
        HBox head = new HBox(8, language);
        head.setAlignment(Pos.CENTER_LEFT);
        if (t.needsReviewMark()) {
            Label mark = new Label("\u26A0 " + LanguageText.NOT_REVIEWED);
            mark.getStyleClass().add("translation-unreviewed");
            head.getChildren().add(mark);
        }
        // Each Label is its own bidi paragraph; the catalog text and canonical values hold no controls.
        Label text = new Label(DisplaySafe.multiline(t.text()));
        text.getStyleClass().addAll("msg-text", "lang-text", "lang-" + t.code());
        text.setWrapText(true);
        text.setMinHeight(Region.USE_PREF_SIZE);
        text.setId("text-" + t.code());
        if (textWidth != null) {
            text.maxWidthProperty().bind(textWidth);
        }
        VBox block = new VBox(2, head, text);
        if (t.rightToLeft()) {
            // The paragraph runs right to left and fills the width, so its first word sits at the right edge.
            text.setNodeOrientation(NodeOrientation.RIGHT_TO_LEFT);
            text.setTextAlignment(TextAlignment.RIGHT);
            if (textWidth != null) {
                text.prefWidthProperty().bind(textWidth);
            }
        }
        block.getStyleClass().add(t.reference() ? "lang-block-reference" : "lang-block-translation");
        return block;
    }
}
