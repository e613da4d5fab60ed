package org.hotline.server.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.files.OwnerOnlyFiles;
import org.hotline.protocol.tlog.MerkleLog;
import org.hotline.protocol.tlog.RelayLogProofs;
import org.hotline.protocol.wire.FrameDecodeException;
import org.hotline.protocol.wire.CumulativeReceipt;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SealedBox;
import org.hotline.protocol.wire.SignedPrekeyBytes;

/**
 * The mailbox in an embedded SQLite database ({@code <data>/mailbox.db}, WAL, {@code synchronous=FULL}).
 * One writer connection behind {@link GroupCommitWriter}, one read connection behind
 * {@link MailboxReader}; each owns its thread. It stores ciphertext only.
 */
public final class SqliteMailbox implements Mailbox {

    public static final String FILE_NAME = "mailbox.db";
    /** WAL pages between automatic checkpoints on the writer connection (SQLite's default: 1,000). */
    static final int WAL_AUTOCHECKPOINT_PAGES = 8192;
    /** Page cache of the writer connection, in KiB (SQLite's default: 2,000). */
    static final int WRITER_CACHE_KIB = 32 * 1024;
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SqliteMailbox.class);

    private final MailboxReader reader;
    private final GroupCommitWriter writer;
    /** Stamps the creation time of stored receipts (the other times are passed in by the relay). */
    private final Clock clock;
    /** Undelivered count and bytes per recipient; touched only on the writer thread. */
    private final Map<String, long[]> queued = new HashMap<>();
    /**
     * Cumulative receipts waiting for their addressee, per addressee and asserter (the bound
     * {@link #MAX_PENDING_CUMULATIVE_RECEIPTS}); touched only on the writer thread. Kept here rather
     * than counted per receipt: a count walked up to that many rows, one table lookup each, for every
     * receipt stored while a sender stayed away.
     */
    private final Map<PendingKey, Integer> pendingCumulative = new HashMap<>();
    /** Writer thread only: true while the in-memory counts above are not known to match the disk. */
    private boolean countersStale;

    private record PendingKey(String addressee, String asserter) {
    }

    /** Ids looked up, or rows marked, per statement when a receipt covers many messages. */
    private static final int IN_CHUNK = 32;

    /** The newest envelope seq per recipient, delivered or not; touched only on the writer thread. */
    private final Map<String, Long> lastSeq = new HashMap<>();
    /**
     * The relay's log (PROTOCOL.md §12): committed leaves only. A write adds its leaf row in its
     * transaction; after the commit, {@link #publishLeaves} appends the rows the commit added. The
     * table, not memory, decides indexes, so a write rolled back to its savepoint leaves no gap.
     */
    private final MerkleLog relayLog = new MerkleLog();
    /** The writer connection, for {@link #publishLeaves} (which runs on the writer thread). */
    private final Connection writerConnectionForPublish;
    /** Prepared statements of the writer connection; touched only on the writer thread. */
    private final Map<String, PreparedStatement> writerStatements = new HashMap<>();

    private PreparedStatement w(Connection c, String sql) throws SQLException {
        PreparedStatement ps = writerStatements.get(sql);
        if (ps == null) {
            ps = c.prepareStatement(sql);
            writerStatements.put(sql, ps);
        }
        return ps;
    }

    /**
     * Cumulative receipts stored for one sender from one asserter and not yet confirmed by the
     * sender (PROTOCOL.md §6.1): beyond this a new one is refused, so one participant cannot grow
     * the table without bound while the sender stays away.
     */
    public static final int MAX_PENDING_CUMULATIVE_RECEIPTS = 1024;

    private final int maxPendingCumulative;

    private SqliteMailbox(Connection readerConnection, Connection writerConnection, int groupCommitMaxBatch, Clock clock,
                          int maxPendingCumulative) throws SQLException {
        this.clock = clock;
        this.maxPendingCumulative = maxPendingCumulative;
        // Counters are loaded before the writer thread starts; from then on only it touches them.
        loadQueueCounters(writerConnection);
        this.writerConnectionForPublish = writerConnection;
        loadRelayLog(writerConnection);
        this.reader = new MailboxReader(readerConnection);
        this.writer = new GroupCommitWriter(writerConnection, groupCommitMaxBatch, this::afterRollback,
                this::publishLeaves);
    }

    public static SqliteMailbox open(Path dataDir, int groupCommitMaxBatch, Clock clock) {
        return open(dataDir, groupCommitMaxBatch, clock, MAX_PENDING_CUMULATIVE_RECEIPTS);
    }

    /** As {@link #open(Path, int, Clock)}, with another bound on unconfirmed cumulative receipts (tests). */
    static SqliteMailbox open(Path dataDir, int groupCommitMaxBatch, Clock clock, int maxPendingCumulative) {
        try {
            // Owner-only, whatever the umask: created 0600 so SQLite gives its -wal/-shm the same mode.
            OwnerOnlyFiles.file(dataDir.resolve(FILE_NAME));
            String url = "jdbc:sqlite:" + dataDir.resolve(FILE_NAME).toAbsolutePath();
            Connection w = DriverManager.getConnection(url);
            try (Statement s = w.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA busy_timeout=10000");
                // Neither changes what a commit promises (each still syncs the WAL, synchronous=FULL).
                // A checkpoint every 8,192 WAL pages (32 MiB) instead of 1,000 copies a page written by
                // several commits (an index page, a box stored then marked delivered) once, not once
                // per few commits; 32 MiB of page cache keeps the indexes keyed by random message ids
                // in memory instead of re-reading their pages from the file (docs/benchmarks.md).
                s.execute("PRAGMA wal_autocheckpoint=" + WAL_AUTOCHECKPOINT_PAGES);
                s.execute("PRAGMA cache_size=-" + WRITER_CACHE_KIB);
            }
            try {
                MailboxSchema.apply(w);
            } catch (SQLException e) {
                w.close();
                throw e;
            }
            Connection r = DriverManager.getConnection(url);
            try (Statement s = r.createStatement()) {
                s.execute("PRAGMA busy_timeout=10000");
            }
            // SQLite created these itself; they hold the same data as the database file.
            OwnerOnlyFiles.restrictIfPresent(dataDir.resolve(FILE_NAME + "-wal"));
            OwnerOnlyFiles.restrictIfPresent(dataDir.resolve(FILE_NAME + "-shm"));
            return new SqliteMailbox(r, w, groupCommitMaxBatch, clock, maxPendingCumulative);
        } catch (Exception e) {
            throw new StoreException("cannot open mailbox in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The value of {@code PRAGMA name} on the writer connection, read on the writer thread: lets a
     * test see the durability settings in force (synchronous, journal mode), which a kill -9 alone
     * cannot show because the page cache survives it.
     */
    CompletableFuture<String> writerPragma(String name) {
        return writer.submit(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
                return rs.next() ? rs.getString(1) : "";
            }
        });
    }

    /**
     * A failed commit undid writes whose counter changes were already made: recount from disk; its
     * leaves were never published and are dropped.
     */
    private Void afterRollback(Connection c) throws SQLException {
        countersStale = true;
        reloadCountersIfStale(c);
        return null;
    }

    /**
     * The queue and cumulative-receipt bounds are counted in memory; when a recount after a failed
     * commit failed too, the counts are unknown, so every bounded write first recounts from disk
     * and fails (refusing the write) rather than check against empty counts.
     */
    private void reloadCountersIfStale(Connection c) throws SQLException {
        if (countersStale) {
            queued.clear();
            loadQueueCounters(c);
            countersStale = false;
        }
    }

    /**
     * After a commit, on the writer thread, before any of its futures completes: the leaves it
     * added are durable now, so the log may show them (and answers may prove them).
     */
    private void publishLeaves() {
        try {
            readLeaves(writerConnectionForPublish);
        } catch (SQLException e) {
            // The leaves are committed; they are published by the next commit or at the next start.
            log.warn("relay log not updated after a commit: {}", e.getMessage());
        }
    }

    /** Appends the committed leaves the in-memory log does not have yet, in index order. */
    private void readLeaves(Connection c) throws SQLException {
        PreparedStatement ps = w(c, "SELECT idx, leaf_hash FROM relay_log WHERE idx >= ? ORDER BY idx");
        ps.setLong(1, relayLog.size());
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (rs.getLong(1) != relayLog.size()) {
                    throw new SQLException("relay log has a gap before leaf " + rs.getLong(1));
                }
                relayLog.append(rs.getBytes(2));
            }
        }
    }

    private void loadRelayLog(Connection c) throws SQLException {
        readLeaves(c);
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }

    @Override
    public Optional<MerkleLog> relayLog() {
        return Optional.of(relayLog);
    }

    private void loadQueueCounters(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT recipient, count(*), coalesce(sum(size),0) FROM envelopes e"
                     + " WHERE NOT EXISTS (SELECT 1 FROM delivered d WHERE d.seq = e.seq) GROUP BY recipient")) {
            while (rs.next()) {
                queued.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
            }
        }
        pendingCumulative.clear();
        try (PreparedStatement ps = c.prepareStatement("SELECT addressee, asserter, count(*) FROM receipts"
                + " WHERE type = ? AND delivered_at IS NULL GROUP BY addressee, asserter")) {
            ps.setInt(1, CumulativeReceipt.TYPE);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pendingCumulative.put(new PendingKey(rs.getString(1), rs.getString(2)), rs.getInt(3));
                }
            }
        }
        lastSeq.clear();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT recipient, max(seq) FROM envelopes GROUP BY recipient")) {
            while (rs.next()) {
                lastSeq.put(rs.getString(1), rs.getLong(2));
            }
        }
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }

    @Override
    public CompletableFuture<AppendResult> append(Envelope e, int maxQueuedEnvelopes, long maxQueuedBytes) {
        return writer.submit(c -> {
            {
                PreparedStatement ps = w(c, "SELECT send_hash, accepted_receipt, leaf_idx FROM messages"
                        + " WHERE message_id = ?");
                ps.setBytes(1, e.messageId().bytes());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        if (!Arrays.equals(rs.getBytes(1), e.sendHash())) {
                            return new AppendResult.Conflict();
                        }
                        Receipt original = decodeReceipt(rs.getBytes(2));
                        long leaf = rs.getLong(3);
                        // No leaf: stored before the relay kept a log.
                        return new AppendResult.Duplicate(original, rs.wasNull() ? OptionalLong.empty()
                                : OptionalLong.of(leaf));
                    }
                }
            }
            reloadCountersIfStale(c);
            for (SealedBox b : e.boxes()) {
                long[] q = queued.getOrDefault(b.recipient(), new long[2]);
                if (q[0] + 1 > maxQueuedEnvelopes || q[1] + b.size() > maxQueuedBytes) {
                    return new AppendResult.QueueFull(b.recipient(), (int) q[0], q[1]);
                }
            }
            long leafIndex;
            {
                // The next index is read in the same statement that takes it; it sees this
                // transaction's own rows, not those of writes rolled back to their savepoint.
                PreparedStatement ps = w(c, "INSERT INTO relay_log(idx, message_id, leaf_hash)"
                        + " SELECT coalesce(max(idx) + 1, 0), ?, ? FROM relay_log RETURNING idx");
                ps.setBytes(1, e.messageId().bytes());
                ps.setBytes(2, RelayLogProofs.leafHashOf(e.acceptedReceipt()));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    leafIndex = rs.getLong(1);
                }
            }
            long messageRow;
            {
                PreparedStatement ps = w(c, "INSERT INTO messages(message_id, sender, channel, send_hash, accepted_at,"
                        + " accepted_receipt, leaf_idx) VALUES (?,?,?,?,?,?,?) RETURNING row");
                ps.setBytes(1, e.messageId().bytes());
                ps.setString(2, e.sender());
                ps.setString(3, e.channel());
                ps.setBytes(4, e.sendHash());
                ps.setLong(5, e.acceptedAt().toEpochMilli());
                ps.setBytes(6, e.acceptedReceipt().encode());
                ps.setLong(7, leafIndex);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    messageRow = rs.getLong(1);
                }
            }
            List<AppendResult.Fresh> fresh = new ArrayList<>(e.boxes().size());
            {
                // RETURNING gives the row's seq in the same statement (the recipient's pump sends
                // the box from memory by it once committed).
                // The copy hash a rejection of this box must name (PROTOCOL.md §6), computed once here so
                // that checking a rejection reads neither the box nor hashes it on the writer thread.
                PreparedStatement ps = w(c, "INSERT INTO envelopes(message_row, message_id, recipient, sender,"
                    + " channel, accepted_at, prekey_id, encapsulation, ciphertext, size, copy_hash)"
                    + " VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING seq");
                for (SealedBox b : e.boxes()) {
                    ps.setLong(1, messageRow);
                    ps.setBytes(2, e.messageId().bytes());
                    ps.setString(3, b.recipient());
                    ps.setString(4, e.sender());
                    ps.setString(5, e.channel());
                    ps.setLong(6, e.acceptedAt().toEpochMilli());
                    ps.setLong(7, b.prekeyId() & 0xffffffffL);
                    ps.setBytes(8, b.encapsulation());
                    ps.setBytes(9, b.ciphertext());
                    ps.setLong(10, b.size());
                    ps.setBytes(11, Hashes.copyHash(b, Instant.ofEpochMilli(e.acceptedAt().toEpochMilli())).bytes());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        fresh.add(new AppendResult.Fresh(0, new StoredEnvelope(rs.getLong(1), e.messageId(), e.sender(),
                                e.channel(), Instant.ofEpochMilli(e.acceptedAt().toEpochMilli()), b)));
                    }
                }
            }
            for (SealedBox b : e.boxes()) {
                long[] q = queued.computeIfAbsent(b.recipient(), k -> new long[2]);
                q[0]++;
                q[1] += b.size();
            }
            // Last, like the counters: a write rolled back to its savepoint changes neither, and a
            // failed commit rebuilds both (afterRollback).
            List<AppendResult.Fresh> chained = new ArrayList<>(fresh.size());
            for (AppendResult.Fresh f : fresh) {
                String recipient = f.envelope().box().recipient();
                chained.add(new AppendResult.Fresh(lastSeq.getOrDefault(recipient, 0L), f.envelope()));
                lastSeq.put(recipient, f.envelope().seq());
            }
            return new AppendResult.Stored(e.acceptedReceipt(), OptionalLong.of(leafIndex), chained);
        });
    }

    @Override
    public CompletableFuture<Optional<Origin>> markDelivered(MessageId id, String recipient, Receipt receipt, Instant at) {
        return writer.submit(c -> {
            Origin origin;
            long size;
            long seq;
            {
                // Lengths only: the box itself is not read (review F2).
                PreparedStatement ps = w(c, "SELECT e.sender, e.channel, e.size,"
                        + " EXISTS (SELECT 1 FROM delivered d WHERE d.seq = e.seq), length(e.encapsulation),"
                        + " length(e.ciphertext), e.copy_hash, e.seq FROM envelopes e"
                        + " WHERE e.message_row = (SELECT row FROM messages WHERE message_id = ?) AND e.recipient = ?");
                ps.setBytes(1, id.bytes());
                ps.setString(2, recipient);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    origin = new Origin(rs.getString(1), rs.getString(2));
                    size = rs.getLong(3);
                    seq = rs.getLong(8);
                    boolean alreadyDelivered = rs.getBoolean(4);
                    if (!origin.matches(receipt)) {
                        return Optional.of(origin);
                    }
                    if (receipt.type() == Receipt.Type.REJECTED) {
                        if (rs.getLong(5) == 0 && rs.getLong(6) == 0) {
                            // Purged by the rejection that matched it: nothing is left to compare or do.
                            return Optional.of(origin);
                        }
                        // A rejection is about the copy the recipient got (PROTOCOL.md §6, §13): its
                        // prekey id, acceptedAt and box. One made for another relay's copy, even of
                        // the same box, must not purge this one. Compared with the hash stored at
                        // acceptance; a box without one (never, after the schema migration) matches nothing.
                        byte[] copyHash = rs.getBytes(7);
                        Optional<Hash32> held = copyHash == null ? Optional.empty() : Optional.of(Hash32.of(copyHash));
                        if (held.isEmpty() || !receipt.subjectHash().equals(held)) {
                            throw new OtherBox("the rejected receipt of " + id.shortForm() + " from " + recipient
                                    + " is about another box than the one this relay holds: it was made for "
                                    + "another relay's copy");
                        }
                    }
                    insertReceipt(c, origin.sender(), receipt);
                    if (alreadyDelivered) {
                        return Optional.of(origin);
                    }
                }
            }
            if (receipt.type() == Receipt.Type.REJECTED) {
                // A rejected box can never be opened by its recipient: its ciphertext goes now, not
                // after the retention period (the row stays, so a repeated receipt is recognised).
                PreparedStatement ps = w(c, "UPDATE envelopes SET encapsulation = x'', ciphertext = x'' WHERE seq = ?");
                ps.setLong(1, seq);
                ps.executeUpdate();
            }
            {
                // A small row of its own: the box's row (a page of its own) is not written again.
                PreparedStatement ps = w(c, "INSERT INTO delivered(seq, delivered_at) VALUES (?,?)");
                ps.setLong(1, seq);
                ps.setLong(2, at.toEpochMilli());
                ps.executeUpdate();
            }
            long[] q = queued.get(recipient);
            if (q != null) {
                q[0] = Math.max(0, q[0] - 1);
                q[1] = Math.max(0, q[1] - size);
            }
            return Optional.of(origin);
        });
    }

    @Override
    public CompletableFuture<ThroughOutcome> markDeliveredThrough(String recipient, CumulativeReceipt receipt,
                                                                  Instant at) {
        return writer.submit(c -> {
            // Every check before the first write, so a refused receipt changes nothing.
            Map<MessageId, HeldBox> held = heldBoxes(c, recipient, receipt.coveredIds());
            List<Long> undelivered = new ArrayList<>();
            long bytes = 0;
            for (MessageId id : receipt.coveredIds()) {
                HeldBox box = held.get(id);
                if (box == null) {
                    // Never held here, or purged: with several relays another one delivered it.
                    continue;
                }
                if (!box.sender().equals(receipt.sender()) || !box.channel().equals(receipt.channel())) {
                    return new ThroughOutcome.Refused("receipt lists message " + id.shortForm() + " as sent by "
                            + receipt.sender() + " on channel " + receipt.channel() + ", but it came from "
                            + box.sender() + " on channel " + box.channel());
                }
                if (!box.delivered()) {
                    undelivered.add(box.seq());
                    bytes += box.size();
                }
            }
            // Stored only if it completes at least one box this relay holds: a replay, a receipt over
            // boxes already confirmed, or one this relay never delivered is not needed here, and
            // every stored row is paid for by a box (PROTOCOL.md §6.1).
            if (undelivered.isEmpty()) {
                return new ThroughOutcome.Unknown();
            }
            PendingKey key = new PendingKey(receipt.sender(), receipt.asserter());
            reloadCountersIfStale(c);
            if (pendingCumulative.getOrDefault(key, 0) >= maxPendingCumulative) {
                return new ThroughOutcome.Full(maxPendingCumulative);
            }
            {
                PreparedStatement ps = w(c, "INSERT OR IGNORE INTO receipts(addressee, message_id, type, asserter,"
                        + " receipt, created_at) VALUES (?,?,?,?,?,?)");
                ps.setString(1, receipt.sender());
                ps.setBytes(2, receipt.headId().bytes());
                ps.setInt(3, CumulativeReceipt.TYPE);
                ps.setString(4, receipt.asserter());
                ps.setBytes(5, receipt.encode());
                ps.setLong(6, clock.millis());
                if (ps.executeUpdate() != 1) {
                    // A receipt with this head from this asserter is already stored (another one
                    // that also marked boxes would be a second signing over the same head; the
                    // first stays the evidence). The boxes are left for a per-message receipt.
                    return new ThroughOutcome.Unknown();
                }
            }
            markSeqsDelivered(c, undelivered, at);
            // Last, after every statement: a write rolled back to its savepoint changes no counter.
            long[] q = queued.get(recipient);
            if (q != null) {
                q[0] = Math.max(0, q[0] - undelivered.size());
                q[1] = Math.max(0, q[1] - bytes);
            }
            pendingCumulative.merge(key, 1, Integer::sum);
            return new ThroughOutcome.Stored(undelivered.size());
        });
    }

    /** What a cumulative receipt's check needs of one box: its row, origin, size and state. */
    private record HeldBox(long seq, String sender, String channel, long size, boolean delivered) {
    }

    /**
     * The boxes of {@code ids} held for {@code recipient}, looked up {@value #IN_CHUNK} ids per
     * statement (one statement for a typical batch instead of one per id); an id with no box is absent.
     */
    private Map<MessageId, HeldBox> heldBoxes(Connection c, String recipient, List<MessageId> ids) throws SQLException {
        Map<MessageId, HeldBox> held = new HashMap<>();
        PreparedStatement ps = w(c, "SELECT m.message_id, e.seq, e.sender, e.channel, e.size,"
                + " EXISTS (SELECT 1 FROM delivered d WHERE d.seq = e.seq) FROM messages m"
                + " JOIN envelopes e ON e.message_row = m.row AND e.recipient = ?"
                + " WHERE m.message_id IN (" + placeholders(IN_CHUNK) + ")");
        for (int from = 0; from < ids.size(); from += IN_CHUNK) {
            List<MessageId> part = ids.subList(from, Math.min(ids.size(), from + IN_CHUNK));
            ps.setString(1, recipient);
            for (int i = 0; i < IN_CHUNK; i++) {
                // Unused places repeat the last id: IN ignores the repetition.
                ps.setBytes(2 + i, part.get(Math.min(i, part.size() - 1)).bytes());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    held.put(MessageId.of(rs.getBytes(1)), new HeldBox(rs.getLong(2), rs.getString(3),
                            rs.getString(4), rs.getLong(5), rs.getBoolean(6)));
                }
            }
        }
        return held;
    }

    /** Marks the boxes with these seqs (all undelivered) delivered, {@value #IN_CHUNK} rows per statement. */
    private void markSeqsDelivered(Connection c, List<Long> seqs, Instant at) throws SQLException {
        PreparedStatement ps = w(c, "INSERT OR IGNORE INTO delivered(seq, delivered_at) VALUES "
                + String.join(",", java.util.Collections.nCopies(IN_CHUNK, "(?,?)")));
        for (int from = 0; from < seqs.size(); from += IN_CHUNK) {
            List<Long> part = seqs.subList(from, Math.min(seqs.size(), from + IN_CHUNK));
            for (int i = 0; i < IN_CHUNK; i++) {
                // Unused places repeat the last seq: OR IGNORE drops the repetition.
                ps.setLong(1 + 2 * i, part.get(Math.min(i, part.size() - 1)));
                ps.setLong(2 + 2 * i, at.toEpochMilli());
            }
            ps.executeUpdate();
        }
    }

    private static String placeholders(int n) {
        return String.join(",", java.util.Collections.nCopies(n, "?"));
    }

    @Override
    public CompletableFuture<Optional<Origin>> originOf(MessageId id, String recipient) {
        return reader.originOf(id, recipient);
    }

    @Override
    public CompletableFuture<List<StoredEnvelope>> pending(String recipient, long afterSeq, int limit) {
        return reader.pending(recipient, afterSeq, limit);
    }

    private void insertReceipt(Connection c, String addressee, Receipt receipt) throws SQLException {
        PreparedStatement ps = w(c, "INSERT OR IGNORE INTO receipts(addressee, message_id, type, asserter, receipt,"
                + " created_at) VALUES (?,?,?,?,?,?)");
        ps.setString(1, addressee);
        ps.setBytes(2, receipt.messageId().bytes());
        ps.setInt(3, receipt.type().code());
        ps.setString(4, receipt.asserter());
        ps.setBytes(5, receipt.encode());
        ps.setLong(6, clock.millis());
        ps.executeUpdate();
    }

    @Override
    public CompletableFuture<Void> storeReceipt(String addressee, Receipt receipt) {
        return writer.submit(c -> {
            insertReceipt(c, addressee, receipt);
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> markReceiptDelivered(String addressee, MessageId id, Receipt.Type type,
                                                        String asserter, Instant at) {
        return writer.submit(c -> {
            {
                PreparedStatement ps = w(c, "UPDATE receipts SET delivered_at = ? WHERE addressee = ?"
                    + " AND message_id = ? AND type = ? AND asserter = ? AND delivered_at IS NULL");
                ps.setLong(1, at.toEpochMilli());
                ps.setString(2, addressee);
                ps.setBytes(3, id.bytes());
                ps.setInt(4, type.code());
                ps.setString(5, asserter);
                if (ps.executeUpdate() == 1 && type == Receipt.Type.DELIVERED_THROUGH) {
                    pendingCumulative.computeIfPresent(new PendingKey(addressee, asserter),
                            (k, n) -> n > 1 ? n - 1 : null);
                }
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<List<StoredReceipt>> pendingReceipts(String addressee, long afterSeq, int limit) {
        return reader.pendingReceipts(addressee, afterSeq, limit);
    }

    @Override
    public CompletableFuture<Void> putPrekeys(String role, List<SignedPrekeyBytes> prekeys) {
        return writer.submit(c -> {
            {
                PreparedStatement del = w(c, "DELETE FROM prekeys WHERE role = ?");
                del.setString(1, role);
                del.executeUpdate();
            }
            {
                PreparedStatement ps = w(c, "INSERT INTO prekeys VALUES (?,?,?,?)");
                for (SignedPrekeyBytes p : prekeys) {
                    ps.setString(1, role);
                    ps.setLong(2, p.prekeyId() & 0xffffffffL);
                    ps.setBytes(3, p.encode());
                    ps.setLong(4, p.expiresAt().toEpochMilli());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<List<SignedPrekeyBytes>> prekeys(String role) {
        return reader.prekeys(role);
    }

    @Override
    public java.util.concurrent.Executor readExecutor() {
        return reader.executor();
    }

    @Override
    public CompletableFuture<Integer> purgeDeliveredBefore(Instant cutoff) {
        return writer.submit(c -> {
            int n = 0;
            {
                // A box's copy hash is a column of its row, so it goes with it (review R7).
                PreparedStatement ps = w(c, "DELETE FROM envelopes WHERE seq IN (SELECT seq FROM delivered"
                        + " WHERE delivered_at < ?)");
                ps.setLong(1, cutoff.toEpochMilli());
                n += ps.executeUpdate();
            }
            {
                // Not counted: a delivered row is part of its box.
                PreparedStatement ps = w(c, "DELETE FROM delivered WHERE delivered_at < ?");
                ps.setLong(1, cutoff.toEpochMilli());
                ps.executeUpdate();
            }
            {
                PreparedStatement ps = w(c, "DELETE FROM receipts WHERE delivered_at IS NOT NULL AND delivered_at < ?");
                ps.setLong(1, cutoff.toEpochMilli());
                n += ps.executeUpdate();
            }
            // A message row outlives its boxes only to answer re-sends; drop it once no box remains.
            {
                PreparedStatement ps = w(c, "DELETE FROM messages WHERE accepted_at < ? AND NOT EXISTS"
                    + " (SELECT 1 FROM envelopes e WHERE e.message_row = messages.row)");
                ps.setLong(1, cutoff.toEpochMilli());
                n += ps.executeUpdate();
            }
            return n;
        });
    }

    private static Receipt decodeReceipt(byte[] bytes) throws SQLException {
        try {
            // The accepted receipt as stored: unsigned (the log leaf) from a relay with a log,
            // signed from one before it (PROTOCOL.md §12.1).
            return Receipt.decodeRecorded(bytes);
        } catch (FrameDecodeException e) {
            throw new SQLException("stored receipt is corrupt: " + e.getMessage());
        }
    }

    @Override
    public boolean afterEachGroupCommit(Runnable hook) {
        writer.afterCompletions(hook);
        return true;
    }

    @Override
    public boolean completingGroupCommit() {
        return writer.isCompleting();
    }

    @Override
    public void close() {
        reader.close();
        writer.close();
    }
}
