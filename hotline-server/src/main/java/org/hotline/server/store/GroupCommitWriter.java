package org.hotline.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of the mailbox. Writes queue up while a commit is in progress and are then
 * committed together in one transaction (group commit): with {@code synchronous=FULL} each commit
 * is one fsync, so throughput does not collapse to one fsync per message. A write's future
 * completes only after the commit that holds it has returned, in commit order: on the
 * {@code mailbox-completions} thread, or on this writer thread when it is otherwise idle.
 */
final class GroupCommitWriter implements AutoCloseable {

    /** One unit of work inside the shared transaction. */
    interface Write<T> {
        T apply(Connection c) throws SQLException;
    }

    private record Pending<T>(Write<T> write, CompletableFuture<T> future) {
    }

    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final Pending<Void> STOP = new Pending<>(c -> null, new CompletableFuture<>());

    /**
     * Writes waiting beyond this are refused at once: a flood must not grow the heap without bound.
     * A legitimate load keeps at most about two writes per outstanding message waiting (the SEND and
     * its DELIVERY_ACK); 20,000 was reached by the load generator's 100 pairs x 100 outstanding.
     * At about 1.5 KiB per waiting envelope this bounds the queue near 75 MiB.
     */
    static final int DEFAULT_MAX_PENDING = 50_000;

    private final Connection connection;
    /**
     * The savepoint that isolates each write inside the shared transaction, as prepared statements:
     * the JDBC driver's {@code setSavepoint} formats and compiles a new statement for every call,
     * twice per write. Nested in the transaction the driver keeps open, so releasing it commits
     * nothing. Used only on the writer thread.
     */
    private final PreparedStatement savepoint;
    private final PreparedStatement release;
    private final PreparedStatement rollbackTo;
    private final int maxBatch;
    private final int maxPending;
    private final Write<Void> afterRollback;
    private final Runnable afterCommit;
    private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger unfinished = new java.util.concurrent.atomic.AtomicInteger();
    private final Thread thread;
    /**
     * Completes futures, in commit order, off the writer thread: what callers chain on them (the
     * relay writes its audit log, answers and starts deliveries) must not run between two commits,
     * or it would hold up the next one and become part of the serial commit cycle (measured in
     * docs/benchmarks.md, "Load generator"). Except when no commit waits ({@link #complete}).
     */
    private final ExecutorService completions = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "mailbox-completions");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;
    /** True on the thread that is completing one group commit's futures, until they are all completed. */
    private final ThreadLocal<Boolean> completing = ThreadLocal.withInitial(() -> Boolean.FALSE);
    /** Completions handed to the completions thread and not yet finished. */
    private final java.util.concurrent.atomic.AtomicInteger completionsQueued = new java.util.concurrent.atomic.AtomicInteger();
    /**
     * Run, in the order added, on the completions thread after the futures of each group commit have
     * completed. A list, not one slot: a second caller (a second RelayAudit on the same mailbox)
     * must not silently replace the first, whose deferred answers would then never run.
     */
    private final List<Runnable> afterCompletions = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * @param afterRollback runs on the writer thread after a failed commit, so that state the
     *     writes kept in memory (for example queue counters) can be rebuilt from what is stored
     */
    GroupCommitWriter(Connection connection, int maxBatch, Write<Void> afterRollback) throws SQLException {
        this(connection, maxBatch, DEFAULT_MAX_PENDING, afterRollback, () -> { });
    }

    /**
     * @param afterCommit runs on the writer thread after each successful commit, before any of its
     *     futures completes: state kept in memory that must only show committed writes (the relay's
     *     log) is published here
     */
    GroupCommitWriter(Connection connection, int maxBatch, Write<Void> afterRollback, Runnable afterCommit)
            throws SQLException {
        this(connection, maxBatch, DEFAULT_MAX_PENDING, afterRollback, afterCommit);
    }

    GroupCommitWriter(Connection connection, int maxBatch, int maxPending, Write<Void> afterRollback) throws SQLException {
        this(connection, maxBatch, maxPending, afterRollback, () -> { });
    }

    /**
     * @param maxPending writes that may wait for a commit; one more is refused with a
     *     {@link StoreException} (the relay answers STORAGE_FAILURE and the client re-sends later)
     */
    GroupCommitWriter(Connection connection, int maxBatch, int maxPending, Write<Void> afterRollback,
                      Runnable afterCommit) throws SQLException {
        this.connection = connection;
        this.afterCommit = afterCommit;
        this.maxBatch = maxBatch;
        this.maxPending = maxPending;
        this.afterRollback = afterRollback;
        connection.setAutoCommit(false);
        this.savepoint = connection.prepareStatement("SAVEPOINT write");
        this.release = connection.prepareStatement("RELEASE write");
        this.rollbackTo = connection.prepareStatement("ROLLBACK TO write");
        this.thread = new Thread(this::run, "mailbox-writer");
        this.thread.setDaemon(false);
        this.thread.start();
    }

    /**
     * Runs {@code hook} once per group commit, after every future of that commit has completed and
     * what callers chained on it has run: where work they deferred for the batch (the relay's audit
     * entries) is done in one go. Every hook added runs, in the order added; one that throws does
     * not keep the others from running.
     */
    void afterCompletions(Runnable hook) {
        afterCompletions.add(hook);
    }

    /**
     * Whether the calling thread is completing a group commit's futures right now, i.e. whether the
     * {@link #afterCompletions} hook will run on it once they are done. False on any other thread,
     * for example one that attached its work to a future that had already completed.
     */
    boolean isCompleting() {
        return completing.get();
    }

    <T> CompletableFuture<T> submit(Write<T> write) {
        CompletableFuture<T> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new StoreException("mailbox is closed", null));
            return f;
        }
        // Counted until the future completes, not until the commit: completions (and the work callers
        // chain on them) that fall behind must hold the line as much as commits that fall behind.
        int waiting = unfinished.get();
        if (waiting >= maxPending) {
            f.completeExceptionally(new StoreException("relay busy: " + waiting + " writes are waiting to be committed", null));
            return f;
        }
        unfinished.incrementAndGet();
        queue.add(new Pending<>(write, f));
        return f;
    }

    private void run() {
        List<Pending<?>> batch = new ArrayList<>(maxBatch);
        while (true) {
            try {
                Pending<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                boolean stop = batch.remove(STOP);
                commit(batch);
                batch.clear();
                if (stop) {
                    // Anything queued after STOP is refused rather than silently dropped.
                    List<Pending<?>> rest = new ArrayList<>();
                    queue.drainTo(rest);
                    rest.forEach(p -> fail(p, new StoreException("mailbox is closed", null)));
                    closeConnection();
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void commit(List<Pending<?>> batch) {
        if (batch.isEmpty()) {
            return;
        }
        Object[] results = new Object[batch.size()];
        Throwable[] failures = new Throwable[batch.size()];
        try {
            for (int i = 0; i < batch.size(); i++) {
                savepoint.execute();
                try {
                    results[i] = batch.get(i).write().apply(connection);
                    release.execute();
                } catch (SQLException | RuntimeException e) {
                    // ROLLBACK TO keeps the savepoint open; RELEASE then drops it (its changes are undone).
                    rollbackTo.execute();
                    release.execute();
                    failures[i] = e;
                }
            }
            connection.commit();
        } catch (SQLException e) {
            log.error("mailbox commit failed; {} writes refused: {}", batch.size(), e.getMessage());
            try {
                connection.rollback();
                afterRollback.apply(connection);
            } catch (SQLException | RuntimeException again) {
                log.error("mailbox could not recover after a failed commit: {}", again.getMessage());
            }
            List<Pending<?>> refused = List.copyOf(batch);
            complete(() -> {
                completing.set(Boolean.TRUE);
                try {
                    refused.forEach(p -> fail(p, new StoreException("commit failed", e)));
                } finally {
                    completing.set(Boolean.FALSE);
                }
                runAfterCompletions();
            });
            return;
        }
        try {
            afterCommit.run();
        } catch (RuntimeException hookFailed) {
            // The writes are committed: they are still answered (a relay-log leaf not published
            // yet makes its SEND answered with a plain ACCEPTED), and the writer thread lives on.
            log.error("after-commit hook failed; {} committed writes answered without it: {}", batch.size(),
                    String.valueOf(hookFailed));
        }
        List<Pending<?>> committed = List.copyOf(batch);
        complete(() -> {
            completing.set(Boolean.TRUE);
            try {
                for (int i = 0; i < committed.size(); i++) {
                    Pending p = committed.get(i);
                    if (failures[i] != null) {
                        fail(p, new StoreException("write failed", failures[i]));
                    } else {
                        p.future().complete(results[i]);
                        unfinished.decrementAndGet();
                    }
                }
            } finally {
                completing.set(Boolean.FALSE);
            }
            runAfterCompletions();
        });
    }

    private void runAfterCompletions() {
        for (Runnable hook : afterCompletions) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                log.error("after-completions hook failed: {}", String.valueOf(e));
            }
        }
    }

    /**
     * Completes a write's future, then counts it finished: completing runs what callers chained on
     * it, so a write counts towards the limit until that work is done too.
     */
    private void fail(Pending<?> p, StoreException e) {
        p.future().completeExceptionally(e);
        unfinished.decrementAndGet();
    }

    /**
     * On the completions thread, or here on the writer thread when nothing waits to be committed and
     * no completion is queued or running: then running it here keeps commit order and holds up no
     * commit, and the unloaded path (one message, an idle relay) saves a thread hand-off. Called on
     * the writer thread only. Inline too if the completions thread is shut down (close gave up
     * waiting for it).
     */
    private void complete(Runnable completion) {
        if (queue.isEmpty() && completionsQueued.get() == 0) {
            completion.run();
            return;
        }
        completionsQueued.incrementAndGet();
        try {
            completions.execute(() -> {
                try {
                    completion.run();
                } finally {
                    completionsQueued.decrementAndGet();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException shutDown) {
            completionsQueued.decrementAndGet();
            completion.run();
        }
    }

    private void closeConnection() {
        try {
            connection.close();
        } catch (SQLException e) {
            log.warn("closing the mailbox database failed: {}", e.getMessage());
        }
    }

    /** Commits everything already queued, then stops. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(STOP);
        try {
            thread.join(30_000);
            completions.shutdown();
            completions.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
