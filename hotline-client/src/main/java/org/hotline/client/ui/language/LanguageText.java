package org.hotline.client.ui.language;

import java.util.Objects;

/**
 * A message's words in one language, as a console shows them: the English reference wording, or a
 * catalog translation with whether anyone has reviewed it.
 *
 * @param text        display-ready: made safe with {@code DisplaySafe}, right-to-left text with its
 *                    values isolated ({@code Translations}); the view shows it as it is
 * @param code        catalog language code ({@code en}, {@code hi}, {@code ur})
 * @param label       what the view labels it with, e.g. {@code English (reference)}, {@code Hindi · हिन्दी}
 * @param reference   true for the reference wording (the one the audit log records)
 * @param reviewed    false for a translation nobody has reviewed: the view marks it
 */
public record LanguageText(String code, String label, String text, boolean rightToLeft, boolean reference,
                           boolean reviewed) {
    public LanguageText {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(text, "text");
    }

    /** The mark shown beside an unreviewed translation. */
    public static final String NOT_REVIEWED = "translation not reviewed";

    /** Whether the view must show {@link #NOT_REVIEWED} next to it. */
    public boolean needsReviewMark() {
        return !reference && !reviewed;
    }
}
