package org.hotline.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.wire.FrameDecodeException;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.CumulativeReceipt;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SealedBox;
import org.hotline.protocol.wire.SignedPrekeyBytes;

/**
 * The read side of {@link SqliteMailbox}: one read connection and the one thread
 * ({@code mailbox-reader}) that uses it. WAL lets it read committed rows while the writer commits.
 * Each read returns a future completed on that thread, so callers continue there and the network
 * event loop never blocks on the disk.
 */
final class MailboxReader implements AutoCloseable {

    /** A query against the read connection; runs on the reader thread only. */
    @FunctionalInterface
    private interface Query<T> {
        T run(Connection c) throws SQLException, FrameDecodeException;
    }

    private final Connection connection;
    private final ExecutorService thread;
    /**
     * The read statements, each prepared once (every delivery pass runs two of them); touched only
     * on the reader thread.
     */
    private final java.util.Map<String, PreparedStatement> statements = new java.util.HashMap<>();
    /**
     * Per recipient, a seq below which every box is delivered (or gone with retention): the seq of
     * the first pending box the last walk from the floor found, or the recipient's highest seq + 1
     * when that walk found none. A walk from a cursor below it starts at it, so a pass from cursor 0
     * (a reconnect, a receipt wake before any box was sent) does not step over every delivered box
     * still within retention. Sound because:
     * <ul>
     * <li>A box is pending while it has no {@code delivered} row. Only the recipient's receipt of
     * it (a rejection too; one or cumulative) writes that row, never the sending of the box,
     * so a box sent but not acknowledged before a disconnect stays pending and stays at or above the
     * floor: it is sent again after the reconnect.</li>
     * <li>A {@code delivered} row is never removed except by retention, in the same transaction that
     * removes its box; so a box below the floor never becomes pending again.</li>
     * <li>Seqs come from the single writer's {@code AUTOINCREMENT}, in commit order: a box committed
     * after a walk's snapshot has a higher seq than every box that snapshot held. The highest seq is
     * read before the walk, so every box at or below it is in the walk's (later) snapshot.</li>
     * </ul>
     * Touched only on the reader thread; one entry per recipient role. A new {@link MailboxReader}
     * (a reopened mailbox) starts with no floors, i.e. from seq 1.
     */
    private final java.util.Map<String, Long> pendingFloor = new java.util.HashMap<>();

    MailboxReader(Connection connection) {
        this.connection = connection;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mailbox-reader");
            t.setDaemon(true);
            return t;
        });
    }

    /** The prepared statement for {@code sql} on the read connection; on the reader thread only. */
    private PreparedStatement statement(Connection c, String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = c.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    private <T> CompletableFuture<T> read(Query<T> query) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                try {
                    result.complete(query.run(connection));
                } catch (SQLException | FrameDecodeException | RuntimeException e) {
                    result.completeExceptionally(new StoreException("mailbox read failed", e));
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new StoreException("the mailbox is closed", e));
        }
        return result;
    }

    CompletableFuture<Optional<Mailbox.Origin>> originOf(MessageId id, String recipient) {
        return read(c -> {
            PreparedStatement ps = statement(c, "SELECT sender, channel FROM envelopes"
                    + " WHERE message_row = (SELECT row FROM messages WHERE message_id = ?) AND recipient = ?");
            ps.setBytes(1, id.bytes());
            ps.setString(2, recipient);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Mailbox.Origin(rs.getString(1), rs.getString(2)))
                        : Optional.empty();
            }
        });
    }

    CompletableFuture<List<StoredEnvelope>> pending(String recipient, long afterSeq, int limit) {
        return read(c -> {
            List<StoredEnvelope> out = new ArrayList<>();
            long floor = pendingFloor.getOrDefault(recipient, 1L);
            // A walk from at or below the floor sees every pending box, so its result moves the floor.
            boolean fromFloor = afterSeq < floor;
            long highest = 0;
            if (fromFloor) {
                // Before the walk: a box committed after this read is above it and in no floor.
                PreparedStatement max = statement(c, "SELECT max(seq) FROM envelopes WHERE recipient = ?");
                max.setString(1, recipient);
                try (ResultSet rs = max.executeQuery()) {
                    highest = rs.next() ? rs.getLong(1) : 0;
                }
            }
            PreparedStatement ps = statement(c, "SELECT seq, message_id, sender, channel, accepted_at,"
                    + " prekey_id, encapsulation, ciphertext FROM envelopes e WHERE recipient = ? AND seq > ?"
                    + " AND NOT EXISTS (SELECT 1 FROM delivered d WHERE d.seq = e.seq) ORDER BY seq LIMIT ?");
            ps.setString(1, recipient);
            ps.setLong(2, Math.max(afterSeq, floor - 1));
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredEnvelope(rs.getLong(1), MessageId.of(rs.getBytes(2)), rs.getString(3),
                            rs.getString(4), Instant.ofEpochMilli(rs.getLong(5)),
                            new SealedBox(recipient, (int) rs.getLong(6), rs.getBytes(7), rs.getBytes(8))));
                }
            }
            if (fromFloor) {
                long next = out.isEmpty() ? highest + 1 : out.get(0).seq();
                pendingFloor.put(recipient, Math.max(floor, next));
            }
            return out;
        });
    }

    CompletableFuture<List<StoredReceipt>> pendingReceipts(String addressee, long afterSeq, int limit) {
        return read(c -> {
            List<StoredReceipt> out = new ArrayList<>();
            PreparedStatement ps = statement(c, "SELECT seq, receipt, type FROM receipts WHERE addressee = ?"
                    + " AND delivered_at IS NULL AND seq > ? ORDER BY seq LIMIT ?");
            ps.setString(1, addressee);
            ps.setLong(2, afterSeq);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // Type 5 rows hold a cumulative receipt (PROTOCOL.md §6.1), every other a per-message one.
                    out.add(rs.getInt(3) == CumulativeReceipt.TYPE
                            ? new StoredReceipt(rs.getLong(1), addressee, CumulativeReceipt.decode(rs.getBytes(2)))
                            : new StoredReceipt(rs.getLong(1), addressee, Receipt.decode(rs.getBytes(2))));
                }
            }
            return out;
        });
    }

    CompletableFuture<List<SignedPrekeyBytes>> prekeys(String role) {
        return read(c -> {
            List<SignedPrekeyBytes> out = new ArrayList<>();
            PreparedStatement ps = statement(c, "SELECT signed FROM prekeys WHERE role = ? ORDER BY expires_at");
            ps.setString(1, role);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(SignedPrekeyBytes.decode(rs.getBytes(1)));
                }
            }
            return out;
        });
    }

    /** The reader thread, for work that continues a read (see {@link Mailbox#readExecutor()}). */
    java.util.concurrent.Executor executor() {
        return thread;
    }

    /** Lets reads already queued finish (a delivery pass in progress), then closes the connection. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Closing; nothing left to protect.
        }
    }
}
