package org.hotline.protocol.text;

/**
 * Makes peer-supplied text safe to show to a person: on a terminal, in a log line, in the HTML
 * report, in the console (THREAT_MODEL.md §8). Free text, ERROR texts and software strings are
 * chosen by a peer; printed raw, {@code ESC [2J} clears the screen, a {@code \r} or {@code \n}
 * forges a whole output or log line ("LINE VERIFIED"), and a bidi override (U+202E) makes text read
 * differently from what was signed.
 *
 * <p>Every C0 control, DEL and C1 control is shown as an escape ({@code \n}, {@code \r},
 * {@code \t}, otherwise {@code \xNN}); every bidi formatting character (U+061C, U+200E, U+200F,
 * U+202A–U+202E, U+2066–U+2069) and the line and paragraph separators U+2028/U+2029 as a visible
 * mark {@code [U+hhhh]}. Everything else passes unchanged, so ordinary text in any script reads
 * as written. Only what is shown changes: the signed text, the stored text and the JSON output
 * (which escapes through its encoder) keep the original characters.
 */
public final class DisplaySafe {

    private DisplaySafe() {
    }

    /** For a single-line field (terminal line, log line, table cell): no character survives that moves the cursor. */
    public static String line(String s) {
        return escape(s, false);
    }

    /**
     * For a multi-line text area (the console's message body): line breaks ({@code \n}) are kept,
     * everything else as in {@link #line}.
     */
    public static String multiline(String s) {
        return escape(s, true);
    }

    /** Whether {@code s} holds anything {@link #line} would change. */
    public static boolean isSafeLine(String s) {
        return s.codePoints().noneMatch(cp -> isControl(cp) || isMarked(cp));
    }

    private static String escape(String s, boolean keepNewlines) {
        if (s == null) {
            return "null";
        }
        if (isSafeLine(s)) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        s.codePoints().forEach(cp -> {
            if (cp == '\n' && keepNewlines) {
                b.append('\n');
            } else if (isControl(cp)) {
                switch (cp) {
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> b.append(String.format("\\x%02X", cp));
                }
            } else if (isMarked(cp)) {
                b.append(String.format("[U+%04X]", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.toString();
    }

    /** C0 controls, DEL and C1 controls. */
    private static boolean isControl(int cp) {
        return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
    }

    /** Bidi formatting characters and the Unicode line/paragraph separators. */
    private static boolean isMarked(int cp) {
        return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E)
                || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029;
    }
}
