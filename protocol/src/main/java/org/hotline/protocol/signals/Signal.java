package org.hotline.protocol.signals;

import java.util.List;
import java.util.Map;

/**
 * A prefabricated signal: id, category, typed parameters, wording per language (each with its
 * review record), and the ids of signals that naturally answer it. A language's {@link Wording}
 * review covers that language's title, parameter labels and template of this signal.
 */
public record Signal(String id, String category, Map<String, String> titles, List<SignalParam> params,
                     Map<String, Wording> wordings, List<String> replies) {

    /** A template in one language, with who (if anyone) has checked it against the reference wording. */
    public record Wording(String template, TranslationReview review) {
        public Wording {
            java.util.Objects.requireNonNull(template, "template");
            java.util.Objects.requireNonNull(review, "review");
        }

        /** Whether the team has checked the wording (for the reference language: it is the reference). */
        public boolean reviewed() {
            return review.reviewed();
        }
    }

    public Signal {
        titles = Map.copyOf(titles);
        params = List.copyOf(params);
        wordings = Map.copyOf(wordings);
        replies = List.copyOf(replies);
    }

    public String title(String language) {
        return titles.getOrDefault(language, titles.get("en"));
    }

    /** The wording in {@code language}, or the English reference wording when the catalog has none. */
    public Wording wording(String language) {
        return wordings.getOrDefault(language, wordings.get("en"));
    }
}
