package org.hotline.client.core.engine;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one thread every engine component runs on: API calls, connection events and timers all
 * become tasks here, in order, so engine state needs no locks (STYLE.md rule 10c).
 *
 * <p>A task may leave work to finish together with the tasks queued behind it (the inbox's group
 * commit: deliveries that arrived together are stored in one transaction). That work, the
 * {@link #whenIdle} hook, runs at the latest when no handed-over task waits any more, and before
 * every API call and timer task, so what they see is finished.
 */
final class EngineThread implements Executor, EngineTimer {

    private final ScheduledExecutorService executor;
    /** Tasks handed over with {@link #execute} or {@link #call} and not started yet. */
    private final AtomicInteger waiting = new AtomicInteger();
    /** Set once while the engine is wired, before any task that could leave work runs. */
    private volatile Runnable idle = () -> { };

    EngineThread(String role) {
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hotline-core-" + role);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code task} on the engine thread; the future completes there, or fails once closed. */
    <T> CompletableFuture<T> call(Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        waiting.incrementAndGet();
        try {
            executor.execute(() -> {
                waiting.decrementAndGet();
                try {
                    idle.run();
                    f.complete(task.call());
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            waiting.decrementAndGet();
            f.completeExceptionally(new IllegalStateException("the client is closed"));
        }
        return f;
    }

    /**
     * The work tasks may leave for later ({@link Inbox#commitPending}); it must not throw and is a
     * no-op when nothing was left.
     */
    void whenIdle(Runnable work) {
        this.idle = work;
    }

    @Override
    public void execute(Runnable task) {
        waiting.incrementAndGet();
        try {
            executor.execute(() -> {
                waiting.decrementAndGet();
                try {
                    task.run();
                } finally {
                    if (waiting.get() == 0) {
                        idle.run();
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            waiting.decrementAndGet();
            throw e;
        }
    }

    @Override
    public void after(Duration delay, Runnable task) {
        executor.schedule(afterIdleWork(task), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    void every(Duration interval, Runnable task) {
        executor.scheduleWithFixedDelay(afterIdleWork(task), interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private Runnable afterIdleWork(Runnable task) {
        return () -> {
            idle.run();
            task.run();
        };
    }

    void shutdownNow() {
        executor.shutdownNow();
    }

    /**
     * Waits at most {@code bound} for the task running when {@link #shutdownNow} was called to end;
     * returns whether the thread ended (false also when the waiting thread was interrupted).
     */
    boolean awaitTermination(Duration bound) {
        try {
            return executor.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
