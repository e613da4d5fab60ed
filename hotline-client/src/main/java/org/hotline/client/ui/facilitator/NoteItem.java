package org.hotline.client.ui.facilitator;

/** An evaluator's note as written to control's audit log: when, at which scenario time, the words. */
public record NoteItem(String observedAt, String scenarioTime, String text) {
}
