package org.hotline.app.cli;

import java.io.PrintWriter;

/**
 * Closes a client (or relay) exactly once: when the command ends, or when the JVM is shut down by
 * SIGTERM or Ctrl+C, so its audit log gets its final signed checkpoint (PROTOCOL.md §11.2) instead
 * of an unsigned tail. A signal that arrives while the command is already closing waits for that
 * close to finish (the JVM waits for its shutdown hooks), so the close is never cut short.
 */
public final class CloseOnShutdown implements AutoCloseable {

    private final String what;
    private final AutoCloseable target;
    private final PrintWriter err;
    private final Thread hook;
    private boolean closed;

    private CloseOnShutdown(String what, AutoCloseable target, PrintWriter err) {
        this.what = what;
        this.target = target;
        this.err = err;
        this.hook = new Thread(this::closeTarget, "hotline-shutdown-" + what);
    }

    /**
     * @param what   how the target is named in the one line printed if closing fails
     * @param target closed once, by {@link #close()} or from the hook thread
     * @param err    where that line goes
     */
    public static CloseOnShutdown register(String what, AutoCloseable target, PrintWriter err) {
        CloseOnShutdown c = new CloseOnShutdown(what, target, err);
        Runtime.getRuntime().addShutdownHook(c.hook);
        return c;
    }

    private synchronized void closeTarget() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            target.close();
        } catch (Exception e) {
            err.println("hotline: " + what + " was not closed cleanly: " + e.getMessage());
            err.flush();
        }
    }

    /** Closes the target (if the hook has not), then removes the hook. */
    @Override
    public void close() {
        closeTarget();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already shutting down: the hook finds the target closed and returns.
        }
    }
}
