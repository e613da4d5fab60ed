package org.hotline.client.ui.facilitator;

/**
 * One participant seat as exercise control's own client knows it (FacilitatorViewModel says how
 * each column is derived; the window says it too).
 *
 * @param online       "online", "not heard for 4 min" or "not heard yet"
 * @param line         "verified 06:42" or "not verified yet"
 * @param unanswered   messages from the seat to control that control has not acknowledged
 * @param lastActivity "06:42:10 message" and the like, or "none"
 */
public record SeatRow(String role, String title, String online, String line, int unanswered, String lastActivity) {
}
