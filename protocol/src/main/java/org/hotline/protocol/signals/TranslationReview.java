package org.hotline.protocol.signals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a translation has been checked against the reference (English) wording, by whom and
 * when. A reviewed translation names its reviewer and date; an unreviewed one names neither, so
 * the catalog can never claim a review nobody made.
 */
public record TranslationReview(boolean reviewed, Optional<String> reviewer, Optional<LocalDate> reviewedOn) {

    /** Nobody has checked it yet. */
    public static final TranslationReview NOT_REVIEWED = new TranslationReview(false, Optional.empty(), Optional.empty());

    /** The reference wording itself: nothing to review it against. */
    public static final TranslationReview REFERENCE = new TranslationReview(true, Optional.empty(), Optional.empty());

    public TranslationReview {
        Objects.requireNonNull(reviewer, "reviewer");
        Objects.requireNonNull(reviewedOn, "reviewedOn");
        if (!reviewed && (reviewer.isPresent() || reviewedOn.isPresent())) {
            throw new IllegalArgumentException("an unreviewed translation names no reviewer and no date");
        }
    }

    /**
     * Reads {@code reviewed}, {@code reviewer} and {@code reviewedOn} of a catalog object. In a
     * translation ({@code reference} false), {@code reviewed: true} needs both a reviewer and an
     * ISO date.
     *
     * @throws IllegalStateException naming {@code where} when the record is incomplete or inconsistent
     */
    static TranslationReview parse(JsonNode node, boolean reference, String where) {
        boolean reviewed = node.path("reviewed").asBoolean(false);
        Optional<String> reviewer = Optional.ofNullable(node.get("reviewer")).filter(n -> !n.isNull()).map(JsonNode::asText)
                .filter(s -> !s.isBlank());
        Optional<LocalDate> on;
        try {
            on = Optional.ofNullable(node.get("reviewedOn")).filter(n -> !n.isNull()).map(n -> LocalDate.parse(n.asText()));
        } catch (DateTimeParseException e) {
            throw new IllegalStateException("catalog: " + where + ": reviewedOn must be a date like 2026-12-01");
        }
        if (reference) {
            if (!reviewed) {
                throw new IllegalStateException("catalog: " + where + ": the reference wording must be marked reviewed");
            }
            return new TranslationReview(true, reviewer, on);
        }
        if (reviewed && (reviewer.isEmpty() || on.isEmpty())) {
            throw new IllegalStateException("catalog: " + where + ": a reviewed translation names its reviewer and reviewedOn");
        }
        if (!reviewed && (reviewer.isPresent() || on.isPresent())) {
            throw new IllegalStateException("catalog: " + where + ": an unreviewed translation names no reviewer or date");
        }
        return new TranslationReview(reviewed, reviewer, on);
    }
}
