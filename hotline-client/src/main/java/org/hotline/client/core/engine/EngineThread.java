package org.hotline.client.core.engine;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The one thread every engine component runs on: API calls, connection events and timers all
 * become tasks here, in order, so engine state needs no locks (STYLE.md rule 10c).
 */
final class EngineThread implements Executor, EngineTimer {

    private final ScheduledExecutorService executor;

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
        try {
            executor.execute(() -> {
                try {
                    f.complete(task.call());
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new IllegalStateException("the client is closed"));
        }
        return f;
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(task);
    }

    @Override
    public void after(Duration delay, Runnable task) {
        executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    void every(Duration interval, Runnable task) {
        executor.scheduleWithFixedDelay(task, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void shutdownNow() {
        executor.shutdownNow();
    }
}
