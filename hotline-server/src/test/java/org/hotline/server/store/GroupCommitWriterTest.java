package org.hotline.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitWriterTest {

    @TempDir
    Path dir;

    /** A deferred foreign key is checked only at COMMIT, which makes the commit itself fail. */
    private Connection database() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"));
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA foreign_keys=ON");
            s.execute("CREATE TABLE parent(id INTEGER PRIMARY KEY)");
            s.execute("CREATE TABLE child(id INTEGER PRIMARY KEY,"
                    + " parent INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)");
            s.execute("INSERT INTO parent VALUES (1)");
        }
        return c;
    }

    private static GroupCommitWriter.Write<Integer> insertChild(int id, int parent) {
        return c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("INSERT INTO child VALUES (" + id + "," + parent + ")");
            }
        };
    }

    private static long children(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM child")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aFailedCommit_failsEveryWriteInIt_runsTheRecoveryHook_andLaterWritesSucceed() throws Exception {
        AtomicInteger recoveries = new AtomicInteger();
        Connection c = database();
        try (GroupCommitWriter writer = new GroupCommitWriter(c, 1, conn -> {
            recoveries.incrementAndGet();
            return null;
        })) {
            // Batches of one: the bad write's commit fails on its own.
            CompletableFuture<Integer> bad = writer.submit(insertChild(10, 99));
            assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(StoreException.class);
            assertThat(recoveries).hasValue(1);

            assertThat(writer.submit(insertChild(11, 1)).get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(writer.submit(GroupCommitWriterTest::children).get(10, TimeUnit.SECONDS))
                    .as("the failed row was rolled back, the good one kept")
                    .isEqualTo(1L);
        }
    }

    @Test
    void aWriteThatThrows_failsAlone_andTheRestOfTheBatchCommits() throws Exception {
        Connection c = database();
        try (GroupCommitWriter writer = new GroupCommitWriter(c, 64, conn -> null)) {
            CompletableFuture<Integer> good = writer.submit(insertChild(1, 1));
            CompletableFuture<Integer> broken = writer.submit(conn -> {
                throw new SQLException("simulated");
            });
            CompletableFuture<Integer> alsoGood = writer.submit(insertChild(2, 1));
            assertThat(good.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(alsoGood.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThatThrownBy(() -> broken.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(StoreException.class);
            assertThat(writer.submit(GroupCommitWriterTest::children).get(10, TimeUnit.SECONDS)).isEqualTo(2L);
        }
    }

    @Test
    void writesBeyondTheLimit_areRefusedAtOnce_andTheQueuedOnesStillCommit() throws Exception {
        Connection c = database();
        java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
        try (GroupCommitWriter writer = new GroupCommitWriter(c, 1, 3, conn -> null)) {
            CompletableFuture<Integer> first = writer.submit(conn -> {
                holding.countDown();
                try {
                    hold.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return insertChild(1, 1).apply(conn);
            });
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Integer> second = writer.submit(insertChild(2, 1));
            CompletableFuture<Integer> third = writer.submit(insertChild(3, 1));
            CompletableFuture<Integer> flood = writer.submit(insertChild(4, 1));
            assertThat(flood).isCompletedExceptionally();
            assertThatThrownBy(flood::get).hasCauseInstanceOf(StoreException.class).hasMessageContaining("relay busy");
            hold.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(third.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(writer.submit(GroupCommitWriterTest::children).get(10, TimeUnit.SECONDS)).isEqualTo(3L);
        }
    }

    /** Completed but not yet handed back (the completions thread is busy with callers' work): still counted. */
    @Test
    void writesWhoseCompletionIsStillPending_countTowardsTheLimit_andCompleteInCommitOrder() throws Exception {
        Connection c = database();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.List<Integer> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (GroupCommitWriter writer = new GroupCommitWriter(c, 1, 2, conn -> null)) {
            java.util.concurrent.CountDownLatch chained = new java.util.concurrent.CountDownLatch(1);
            CompletableFuture<Integer> first = writer.submit(conn -> {
                try {
                    chained.await(10, TimeUnit.SECONDS); // commit only once the slow work below is chained
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return insertChild(1, 1).apply(conn);
            });
            // A caller's slow work chained on the first completion holds the completions thread.
            first.thenRun(() -> {
                order.add(1);
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            chained.countDown();
            CompletableFuture<Integer> second = writer.submit(insertChild(2, 1));
            second.thenRun(() -> order.add(2));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> order.contains(1));
            assertThat(writer.submit(GroupCommitWriterTest::children).isCompletedExceptionally())
                    .as("both writes committed or queued, neither handed back: the limit of two holds").isTrue();
            release.countDown();
            assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> writer.submit(GroupCommitWriterTest::children).get(10, TimeUnit.SECONDS) == 2L);
            assertThat(order).containsExactly(1, 2);
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void anAfterCommitHookThatThrows_doesNotKillTheWriter_andEveryWriteIsAnswered() throws Exception {
        Connection c = database();
        AtomicInteger hookRuns = new AtomicInteger();
        try (GroupCommitWriter writer = new GroupCommitWriter(c, 1, conn -> null, () -> {
            hookRuns.incrementAndGet();
            throw new IllegalStateException("simulated hook failure");
        })) {
            assertThat(writer.submit(insertChild(1, 1)).get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(writer.submit(insertChild(2, 1)).get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(writer.submit(GroupCommitWriterTest::children).get(10, TimeUnit.SECONDS)).isEqualTo(2L);
            assertThat(hookRuns.get()).isGreaterThanOrEqualTo(2);
        }
    }

    /** Review A-L3: a second hook is added, not swapped in, and a failing hook does not stop the next. */
    @Test
    @org.junit.jupiter.api.Timeout(30)
    void everyAfterCompletionsHookRuns_evenAfterOneThatThrows() throws Exception {
        Connection c = database();
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        try (GroupCommitWriter writer = new GroupCommitWriter(c, 64, conn -> null)) {
            writer.afterCompletions(() -> {
                first.incrementAndGet();
                throw new IllegalStateException("first hook fails");
            });
            writer.afterCompletions(second::incrementAndGet);
            writer.submit(insertChild(1, 1)).get(10, TimeUnit.SECONDS);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (second.get() == 0 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
        }
        assertThat(first.get()).as("the first hook was not replaced by the second").isEqualTo(1);
        assertThat(second.get()).isEqualTo(1);
    }
}
