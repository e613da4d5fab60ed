package org.hotline.client.ui.console;

/** The line indicator: a colour for the eye and a word for everyone (never colour alone). */
public enum LinkState {
    VERIFIED("VERIFIED", "state-verified"),
    CONNECTING("CONNECTING", "state-connecting"),
    DEGRADED("DEGRADED", "state-degraded"),
    DOWN("DOWN", "state-down");

    private final String word;
    private final String styleClass;

    LinkState(String word, String styleClass) {
        this.word = word;
        this.styleClass = styleClass;
    }

    public String word() {
        return word;
    }

    public String styleClass() {
        return styleClass;
    }
}
