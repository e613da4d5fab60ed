package org.hotline.app.bench;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import org.HdrHistogram.Histogram;

/**
 * The floor under durable latency on this disk: the time of one SQLite commit of a small row with
 * the pragmas the relay mailbox and the client store use (WAL, {@code synchronous=FULL}). A message
 * is committed three times in series on its way (sender's outbox, relay's mailbox, recipient's
 * inbox) before it is shown, so three of these bound the unloaded end-to-end latency from below.
 */
final class DurableCommitProbe {

    private DurableCommitProbe() {
    }

    /** Microseconds per commit of a {@code size}-byte row, {@code samples} commits after 20 warm-ups. */
    static Histogram measure(Path dir, int size, int samples, SecureRandom random) throws Exception {
        Histogram h = new Histogram(3);
        byte[] row = new byte[size];
        random.nextBytes(row);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("commit-probe.db"))) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("CREATE TABLE IF NOT EXISTS probe (id INTEGER PRIMARY KEY, body BLOB NOT NULL)");
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO probe (body) VALUES (?)")) {
                for (int i = 0; i < samples + 20; i++) {
                    long t0 = System.nanoTime();
                    insert.setBytes(1, row);
                    insert.executeUpdate();
                    if (i >= 20) {
                        h.recordValue((System.nanoTime() - t0) / 1000);
                    }
                }
            }
        }
        return h;
    }
}
