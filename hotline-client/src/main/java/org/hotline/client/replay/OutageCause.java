package org.hotline.client.replay;

import java.util.Locale;

/**
 * Why a participant's line was down, as a facilitator names it in a hot wash. Read from the text
 * the client logged with {@code link-down} (PROTOCOL.md §11.3), which names the cause.
 */
public enum OutageCause {
    /** Another console signed in as the same role and took the line. */
    CONSOLE_SUPERSEDED("console superseded"),
    /** The relay could not be reached, or ended the connection. */
    RELAY_DOWN("relay down"),
    /** The line was up but no end-to-end link test came back. */
    LINK_SILENT("link silent"),
    /** Anything else the client logged. */
    OTHER("line down");

    private final String label;

    OutageCause(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    static OutageCause of(String reason) {
        String r = reason.toLowerCase(Locale.ROOT);
        if (r.contains("superseded") || r.contains("another console")) {
            return CONSOLE_SUPERSEDED;
        }
        if (r.contains("link test") || r.contains("no traffic") || r.contains("silent")) {
            return LINK_SILENT;
        }
        if (r.contains("relay") || r.contains("connect") || r.contains("refused") || r.contains("tls")) {
            return RELAY_DOWN;
        }
        return OTHER;
    }
}
