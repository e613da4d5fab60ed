package org.hotline.client.ui.facilitator;

/**
 * One participant seat as exercise control's own client knows it (FacilitatorViewModel says how
 * each column is derived; the window says it too).
 *
 * @param online       "yes", "no (4 min)" (not heard for that long) or "not yet"
 * @param line         "yes, 06:42" (first verified then, UTC) or "not yet"
 * @param unanswered   messages from the seat to control that control has not acknowledged
 * @param lastActivity "06:42:10 message" (UTC) and the like, or "none"
 */
public record SeatRow(String role, String title, String online, String line, int unanswered, String lastActivity) {
}
