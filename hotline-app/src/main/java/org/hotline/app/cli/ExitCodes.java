package org.hotline.app.cli;

/** Process exit codes of every hotline command (README.md, "Exit codes of every command"). */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int USAGE = 2;
    public static final int AUTH_OR_PKI = 3;
    public static final int NETWORK = 4;
    public static final int INTEGRITY = 5;
    /**
     * {@code log verify}: every log is intact, and the relay's own signatures in it prove that it
     * signed two inconsistent histories of its log (PROTOCOL.md §12.5). The relay's fault, not the log's.
     */
    public static final int RELAY_FORKED = 6;
    /** Anything else: a bug or an I/O failure we did not anticipate. */
    public static final int FAILURE = 1;

    private ExitCodes() {
    }
}
