package org.hotline.protocol.signals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hotline.protocol.exercise.Party;

/**
 * A message's canonical words in every language of the catalog, the reference (English) first:
 * what {@code listen --json} prints as {@code rendered}, and what replay and the after-action
 * report show beside the reference wording. Free text is never translated: it reads the same
 * under every language code ({@link #asWritten}).
 */
public final class EveryLanguage {

    private EveryLanguage() {
    }

    /**
     * The words in one catalog language.
     *
     * @param reviewed true for the reference wording, and for a translation whose wording and
     *                 language forms someone has reviewed ({@link TranslationReview})
     */
    public record Wording(CatalogLanguage language, String text, boolean reviewed) {
        public Wording {
            Objects.requireNonNull(language, "language");
            Objects.requireNonNull(text, "text");
        }

        public String code() {
            return language.code();
        }

        public boolean reference() {
            return language.code().equals(SignalCatalog.REFERENCE);
        }

        public boolean rightToLeft() {
            return language.rightToLeft();
        }

        /** {@code English (reference)}, {@code Hindi · हिन्दी}, {@code Urdu · اردو}. */
        public String label() {
            return reference() ? language.name() + " (reference)" : language.name() + " \u00b7 " + language.nativeName();
        }

        /** Whether a reader must be told that nobody has checked this translation yet. */
        public boolean needsReviewMark() {
            return !reference() && !reviewed;
        }
    }

    /** What a reader is shown beside an unreviewed translation. */
    public static final String NOT_REVIEWED = "translation not reviewed";

    /**
     * The signal rendered in every catalog language, reference first (parties give the time zones
     * shown beside UTC, exactly as {@link SignalCatalog#render} does).
     *
     * @throws SignalException if the signal is unknown or its parameters are not valid
     */
    public static List<Wording> render(SignalCatalog catalog, String signalId, Map<String, String> params,
                                       List<Party> parties) throws SignalException {
        Signal signal = catalog.require(signalId);
        List<Wording> out = new ArrayList<>();
        for (CatalogLanguage l : catalog.languages()) {
            boolean reviewed = l.code().equals(SignalCatalog.REFERENCE)
                    || (signal.wording(l.code()).reviewed() && l.review().reviewed());
            out.add(new Wording(l, catalog.render(signalId, params, parties, l.code()), reviewed));
        }
        return List.copyOf(out);
    }

    /** Language code to words, in the catalog's order (reference first). */
    public static Map<String, String> texts(List<Wording> wordings) {
        Map<String, String> out = new LinkedHashMap<>();
        wordings.forEach(w -> out.put(w.code(), w.text()));
        return out;
    }

    /** Free text (or anything that is not a signal): the same words under every catalog language code. */
    public static Map<String, String> asWritten(SignalCatalog catalog, String text) {
        Map<String, String> out = new LinkedHashMap<>();
        catalog.languages().forEach(l -> out.put(l.code(), text));
        return out;
    }
}
