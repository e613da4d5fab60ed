package org.hotline.client.ui.situation;

import java.util.Objects;

/**
 * One row of the Situation feed: an inject from exercise control, as shown.
 *
 * @param kind         the inject kind ({@code news}, {@code media}, ...), shown as a badge
 * @param scenarioTime the scenario time as the participant reads it (own time zone)
 */
public record InjectItem(String injectId, String kind, String scenarioTime, String title, String text) {
    public InjectItem {
        Objects.requireNonNull(injectId);
        Objects.requireNonNull(kind);
        Objects.requireNonNull(scenarioTime);
        Objects.requireNonNull(title);
        Objects.requireNonNull(text);
    }

    /** The badge's words: the kind in capitals ({@code THIRD-PARTY}). */
    public String badge() {
        return kind.toUpperCase(java.util.Locale.ROOT);
    }
}
