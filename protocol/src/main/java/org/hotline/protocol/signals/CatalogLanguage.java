package org.hotline.protocol.signals;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A language of the signal catalog: its code ({@code en}, {@code hi}, {@code ur}), English and own
 * names, writing direction, the words a translation renders parameter values with, and the review
 * of its category labels and those words (each signal's wording carries its own review).
 *
 * @param messageRef the word before a message id ({@code संदेश 3f2a91c0}); empty for the reference
 *                   language, which keeps the wording of PROTOCOL.md §4.2 ({@code message 3f2a91c0})
 * @param months     twelve month names for dates in this language; empty for the reference language
 */
public record CatalogLanguage(String code, String name, String nativeName, boolean rightToLeft,
                              Optional<String> messageRef, List<String> months, TranslationReview review) {
    public CatalogLanguage {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(nativeName, "nativeName");
        Objects.requireNonNull(messageRef, "messageRef");
        months = List.copyOf(months);
        Objects.requireNonNull(review, "review");
        if (!months.isEmpty() && months.size() != 12) {
            throw new IllegalArgumentException("language " + code + " needs 12 month names, has " + months.size());
        }
    }

    /** {@code 7 फ़रवरी 2026}: day, month name of this language, year, in Western digits like every value. */
    String day(LocalDate date) {
        return date.getDayOfMonth() + " " + months.get(date.getMonthValue() - 1) + " " + date.getYear();
    }

    /** Whether values render with this language's own words, rather than the reference forms. */
    boolean hasOwnForms() {
        return messageRef.isPresent() && !months.isEmpty();
    }
}
