package org.hotline.client.ui.facilitator;

import java.util.Objects;

/**
 * One row of the facilitator's timeline, as shown.
 *
 * @param time       scenario time it is due ("+0:25  06:55"), or for an ad-hoc inject when it was sent
 * @param kind       the inject kind label ({@code news}, {@code third-party}, ...), shown as a badge
 * @param expected   the expected player action from the MSEL, or empty
 * @param state      {@code pending}, {@code sent} or {@code skipped}
 * @param recipients the recipients grouped by delivery state ("acknowledged: in.pm; delivered: pk.pm, in.nsa")
 * @param pending    whether it can still be fired, skipped or edited
 */
public record InjectRow(String id, String time, String kind, String title, String text, String expected, String state,
                        String recipients, boolean pending, boolean adHoc) {
    public InjectRow {
        Objects.requireNonNull(id);
        Objects.requireNonNull(time);
        Objects.requireNonNull(kind);
        Objects.requireNonNull(title);
        Objects.requireNonNull(text);
        Objects.requireNonNull(expected);
        Objects.requireNonNull(state);
        Objects.requireNonNull(recipients);
    }

    /** The badge's words: the kind in capitals ({@code THIRD-PARTY}). */
    public String badge() {
        return kind.toUpperCase(java.util.Locale.ROOT);
    }
}
