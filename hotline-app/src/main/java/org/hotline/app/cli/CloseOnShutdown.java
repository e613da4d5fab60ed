package org.hotline.app.cli;

import java.io.PrintWriter;

/**
 * Closes a client (or relay) when the JVM is shut down by SIGTERM or Ctrl+C, so its audit log gets
 * its final signed checkpoint (PROTOCOL.md §11.2) instead of an unsigned tail. Closing this object
 * (the command ending normally, which closes the target itself) removes the hook again.
 */
public final class CloseOnShutdown implements AutoCloseable {

    private final Thread hook;

    private CloseOnShutdown(Thread hook) {
        this.hook = hook;
    }

    /**
     * @param what   how the target is named in the one line printed if closing fails
     * @param target closed once, from the hook thread; its {@code close} must be idempotent
     * @param err    where that line goes
     */
    public static CloseOnShutdown register(String what, AutoCloseable target, PrintWriter err) {
        Thread hook = new Thread(() -> {
            try {
                target.close();
            } catch (Exception e) {
                err.println("hotline: " + what + " was not closed cleanly at shutdown: " + e.getMessage());
                err.flush();
            }
        }, "hotline-shutdown-" + what);
        Runtime.getRuntime().addShutdownHook(hook);
        return new CloseOnShutdown(hook);
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already shutting down: the hook runs (or ran) and closes the target.
        }
    }
}
