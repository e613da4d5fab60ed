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
        Region text = paragraph(t);
        text.getStyleClass().addAll("msg-text", "lang-text", "lang-" + t.code());
        text.setMinHeight(Region.USE_PREF_SIZE);
        text.setId("text-" + t.code());
        // A translation's block is indented by its rule (3 px) and padding (8 px): its lines are that much shorter.
        javafx.beans.value.ObservableDoubleValue width = textWidth == null || t.reference() ? textWidth
                : javafx.beans.binding.Bindings.createDoubleBinding(() -> textWidth.get() - 12, textWidth);
        if (width != null) {
            text.maxWidthProperty().bind(width);
        }
        VBox block = new VBox(2, head, text);
        if (t.rightToLeft()) {
            // The paragraph runs right to left and fills the width, so its first word sits at the right edge.
            text.setNodeOrientation(NodeOrientation.RIGHT_TO_LEFT);
            if (width != null) {
                text.prefWidthProperty().bind(width);
            }
        }
        block.getStyleClass().add(t.reference() ? "lang-block-reference" : "lang-block-translation");
        return block;
    }

    /**
     * The words themselves, one bidi paragraph per language; the text is already display-safe
     * (LanguageText). Text in a complex script (Devanagari, Urdu) goes in a {@link WordWrappedText}:
     * a wrapping Label draws it with repeated lines running past its edge (see there why).
     */
    private static Region paragraph(LanguageText t) {
        if (WordWrappedText.needsOwnSegments(t.text())) {
            WordWrappedText words = new WordWrappedText(t.text());
            // In a right-to-left TextFlow, LEFT is the start edge: the lines are flush right.
            words.setTextAlignment(TextAlignment.LEFT);
            return words;
        }
        Label label = new Label(t.text());
        label.setWrapText(true);
        if (t.rightToLeft()) {
            label.setTextAlignment(TextAlignment.RIGHT);
        }
        return label;
    }
}
