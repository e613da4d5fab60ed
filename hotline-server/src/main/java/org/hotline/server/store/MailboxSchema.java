package org.hotline.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.wire.FrameDecodeException;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SealedBox;

/**
 * The tables of {@code mailbox.db} and their version ({@code PRAGMA user_version}, PROTOCOL.md §3.4.10).
 *
 * <p>Version 1 (no version set) kept one receipt per (addressee, message, type): on a channel with
 * more than one recipient, exercise control's {@code delivered} receipt could take the place of the
 * peer's, and the sender never heard that the peer had the message. Version 2 keys receipts by
 * their asserter too; a version-1 database's receipts are migrated by reading the asserter out of
 * each stored receipt. Version 3 kept, apart from the box, the hash a {@code rejected} receipt of
 * it must name (PROTOCOL.md §6, {@code Hashes.copyHash}), stored at acceptance so that checking a
 * rejection neither reads the box nor hashes it on the writer thread. Version 4 cuts what every
 * stored and delivered box writes (docs/benchmarks.md, issue 18): a box's delivered state is a row
 * of {@code delivered} keyed by the box's seq, so marking it delivered writes a 16-byte row instead
 * of rewriting the box's 2.2 KB row (a page of its own); the copy hash is a column of the box's row
 * (taken from version 3's table, or computed for a version-2 box), so it goes with the box in
 * retention (review R7); {@code messages} has an integer row id that {@code envelopes} and the leaf
 * index refer to, so the random message id is indexed once ({@code messages}) instead of four
 * times. An older database is brought to version 4 in place, keeping every seq, state and leaf, in
 * one transaction whose last write is the version number (see {@link #apply}). A database of a
 * later version is refused, since this relay cannot know what its tables mean.
 */
final class MailboxSchema {

    /** The schema this build writes. */
    static final int VERSION = 4;

    private MailboxSchema() {
    }

    /**
     * Creates the tables, or brings an older database to this version; on the writer connection.
     * All of it is one transaction, the version number its last write: a crash or a failed step
     * leaves the old layout under the old number, so an older relay never opens a layout it does
     * not know under a number it does (SQLite's DDL and {@code PRAGMA user_version} are
     * transactional).
     */
    static void apply(Connection c) throws SQLException {
        int version = userVersion(c);
        if (version > VERSION) {
            throw new SQLException("mailbox.db has schema version " + version + ", newer than this relay's "
                    + VERSION + ": run the relay build that wrote it, or start with an empty data directory");
        }
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            // The relay's log (PROTOCOL.md §12.1): never purged; idx is 0, 1, 2, ... without gaps.
            s.execute("CREATE TABLE IF NOT EXISTS relay_log(idx INTEGER PRIMARY KEY, message_id BLOB NOT NULL,"
                    + " leaf_hash BLOB NOT NULL)");
            if (hasColumn(c, "envelopes", "delivered_at")) {
                toVersion4(c, s);
            }
            s.execute(MESSAGES);
            s.execute(ENVELOPES);
            s.execute(DELIVERED);
            s.execute(ENVELOPES_PENDING);
            s.execute("CREATE TABLE IF NOT EXISTS prekeys(role TEXT NOT NULL, prekey_id INTEGER NOT NULL,"
                    + " signed BLOB NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY(role, prekey_id))");
            if (version < 2 && hasTable(c, "receipts")) {
                migrateReceipts(c, s);
            } else {
                s.execute(receiptsTable("receipts"));
                s.execute("CREATE INDEX IF NOT EXISTS receipts_pending ON receipts(addressee, delivered_at, seq)");
            }
            s.execute("PRAGMA user_version = " + VERSION);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /**
     * One row per accepted message; {@code row} is what boxes refer to (an integer that grows, so
     * their index takes its inserts at one end), {@code leaf_idx} the message's leaf in the relay's
     * log (absent for a message stored before the relay kept one). The message id's index is the
     * only one keyed by a random value.
     */
    private static final String MESSAGES = "CREATE TABLE IF NOT EXISTS messages(row INTEGER PRIMARY KEY,"
            + " message_id BLOB NOT NULL UNIQUE, sender TEXT NOT NULL, channel TEXT NOT NULL, send_hash BLOB NOT NULL,"
            + " accepted_at INTEGER NOT NULL, accepted_receipt BLOB NOT NULL, leaf_idx INTEGER)";
    /**
     * One row per box, written once (a rejection erases its bytes). {@code copy_hash}: the hash a
     * {@code rejected} receipt of it must name (PROTOCOL.md §6), computed at acceptance.
     */
    private static final String ENVELOPES = "CREATE TABLE IF NOT EXISTS envelopes(seq INTEGER PRIMARY KEY AUTOINCREMENT,"
            + " message_row INTEGER NOT NULL, message_id BLOB NOT NULL, recipient TEXT NOT NULL, sender TEXT NOT NULL,"
            + " channel TEXT NOT NULL, accepted_at INTEGER NOT NULL, prekey_id INTEGER NOT NULL,"
            + " encapsulation BLOB NOT NULL, ciphertext BLOB NOT NULL, size INTEGER NOT NULL, copy_hash BLOB,"
            + " UNIQUE(message_row, recipient))";
    /** A box is delivered exactly when its seq has a row here; deleted with the box in retention. */
    private static final String DELIVERED = "CREATE TABLE IF NOT EXISTS delivered(seq INTEGER PRIMARY KEY,"
            + " delivered_at INTEGER NOT NULL)";
    private static final String ENVELOPES_PENDING = "CREATE INDEX IF NOT EXISTS envelopes_pending"
            + " ON envelopes(recipient, seq)";

    /**
     * Version 2 or 3 to 4, all or nothing: {@code messages} and {@code envelopes} are rebuilt, each
     * box keeping its seq (the delivery order) and the table its AUTOINCREMENT high-water mark; each
     * delivered box gets its {@code delivered} row; each message its newest leaf; each box still
     * held its copy hash, from {@code copy_hashes} (version 3) or computed (version 2). A step of
     * {@link #apply}'s transaction.
     */
    private static void toVersion4(Connection c, Statement s) throws SQLException {
        long highWater = highWater(s, "envelopes");
        boolean copyHashes = hasTable(c, "copy_hashes");
        s.execute("DROP INDEX IF EXISTS envelopes_pending");
        s.execute("ALTER TABLE messages RENAME TO messages_v3");
        s.execute("ALTER TABLE envelopes RENAME TO envelopes_v3");
        s.execute(MESSAGES);
        s.execute(ENVELOPES);
        s.execute(DELIVERED);
        // relay_log_message (the index a version-3 relay found a message's leaf by) is still there.
        s.execute("INSERT INTO messages(message_id, sender, channel, send_hash, accepted_at, accepted_receipt,"
                + " leaf_idx) SELECT m.message_id, m.sender, m.channel, m.send_hash, m.accepted_at,"
                + " m.accepted_receipt, (SELECT max(l.idx) FROM relay_log l WHERE l.message_id = m.message_id)"
                + " FROM messages_v3 m ORDER BY m.accepted_at, m.rowid");
        int copied = s.executeUpdate("INSERT INTO envelopes(seq, message_row, message_id, recipient, sender,"
                + " channel, accepted_at, prekey_id, encapsulation, ciphertext, size, copy_hash)"
                + " SELECT e.seq, m.row, e.message_id, e.recipient, e.sender, e.channel, e.accepted_at,"
                + " e.prekey_id, e.encapsulation, e.ciphertext, e.size, "
                + (copyHashes ? "(SELECT h.copy_hash FROM copy_hashes h WHERE h.message_id = e.message_id"
                        + " AND h.recipient = e.recipient)" : "NULL")
                + " FROM envelopes_v3 e JOIN messages m ON m.message_id = e.message_id ORDER BY e.seq");
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM envelopes_v3")) {
            if (rs.next() && rs.getLong(1) != copied) {
                throw new SQLException("cannot migrate mailbox.db: " + (rs.getLong(1) - copied)
                        + " stored boxes have no message row");
            }
        }
        s.execute("INSERT INTO delivered(seq, delivered_at) SELECT seq, delivered_at FROM envelopes_v3"
                + " WHERE delivered_at IS NOT NULL");
        addMissingCopyHashes(c, s);
        keepHighWater(c, "envelopes", highWater);
        s.execute("DROP TABLE envelopes_v3");
        s.execute("DROP TABLE messages_v3");
        s.execute("DROP TABLE IF EXISTS copy_hashes");
        s.execute("DROP INDEX IF EXISTS relay_log_message");
        s.execute(ENVELOPES_PENDING);
    }

    /** The copy hash of every box still held (its bytes not erased) that has none: a version-2 database. */
    private static void addMissingCopyHashes(Connection c, Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT seq, recipient, prekey_id, accepted_at, encapsulation, ciphertext"
                + " FROM envelopes WHERE copy_hash IS NULL AND (length(ciphertext) > 0 OR length(encapsulation) > 0)");
             PreparedStatement up = c.prepareStatement("UPDATE envelopes SET copy_hash = ? WHERE seq = ?")) {
            while (rs.next()) {
                SealedBox box = new SealedBox(rs.getString(2), (int) rs.getLong(3), rs.getBytes(5), rs.getBytes(6));
                up.setBytes(1, Hashes.copyHash(box, Instant.ofEpochMilli(rs.getLong(4))).bytes());
                up.setLong(2, rs.getLong(1));
                up.executeUpdate();
            }
        }
    }

    /** The AUTOINCREMENT high-water mark of {@code table}: the highest number it ever handed out. */
    private static long highWater(Statement s, String table) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT seq FROM sqlite_sequence WHERE name = '" + table + "'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /**
     * Copying rows into a new AUTOINCREMENT table sets its mark to their highest seq only; the old
     * one may be higher (its newest rows purged), and a number once handed out is never handed out again.
     */
    private static void keepHighWater(Connection c, String table, long highWater) throws SQLException {
        try (PreparedStatement up = c.prepareStatement("UPDATE sqlite_sequence SET seq = ? WHERE name = ? AND seq < ?")) {
            up.setLong(1, highWater);
            up.setString(2, table);
            up.setLong(3, highWater);
            up.executeUpdate();
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO sqlite_sequence(name, seq) SELECT ?, ?"
                + " WHERE ? > 0 AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)")) {
            ins.setString(1, table);
            ins.setLong(2, highWater);
            ins.setLong(3, highWater);
            ins.setString(4, table);
            ins.executeUpdate();
        }
    }

    private static String receiptsTable(String name) {
        return "CREATE TABLE IF NOT EXISTS " + name + "(seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                + " addressee TEXT NOT NULL, message_id BLOB NOT NULL, type INTEGER NOT NULL, asserter TEXT NOT NULL,"
                + " receipt BLOB NOT NULL, created_at INTEGER NOT NULL, delivered_at INTEGER,"
                + " UNIQUE(addressee, message_id, type, asserter))";
    }

    /**
     * Version 1 to 2: the receipts move to a table with an asserter column, each row keeping its
     * sequence number (the delivery order) and state, and the table its AUTOINCREMENT high-water
     * mark, so a number once handed out (to a receipt since removed) is never handed out again. A
     * step of {@link #apply}'s transaction.
     */
    private static void migrateReceipts(Connection c, Statement s) throws SQLException {
        long highWater = highWater(s, "receipts");
        s.execute("DROP INDEX IF EXISTS receipts_pending");
        s.execute("ALTER TABLE receipts RENAME TO receipts_v1");
        s.execute(receiptsTable("receipts"));
        try (ResultSet rs = s.executeQuery("SELECT seq, addressee, message_id, type, receipt, created_at,"
                + " delivered_at FROM receipts_v1 ORDER BY seq");
             PreparedStatement ins = c.prepareStatement("INSERT INTO receipts(seq, addressee, message_id, type,"
                     + " asserter, receipt, created_at, delivered_at) VALUES (?,?,?,?,?,?,?,?)")) {
            while (rs.next()) {
                ins.setLong(1, rs.getLong(1));
                ins.setString(2, rs.getString(2));
                ins.setBytes(3, rs.getBytes(3));
                ins.setInt(4, rs.getInt(4));
                ins.setString(5, asserterOf(rs.getBytes(5)));
                ins.setBytes(6, rs.getBytes(5));
                ins.setLong(7, rs.getLong(6));
                ins.setObject(8, rs.getObject(7));
                ins.executeUpdate();
            }
        }
        keepHighWater(c, "receipts", highWater);
        s.execute("DROP TABLE receipts_v1");
        s.execute("CREATE INDEX receipts_pending ON receipts(addressee, delivered_at, seq)");
    }

    private static String asserterOf(byte[] stored) throws SQLException {
        try {
            return Receipt.decode(stored).asserter();
        } catch (FrameDecodeException e) {
            throw new SQLException("cannot migrate mailbox.db: a stored receipt cannot be read: " + e.getMessage(), e);
        }
    }

    private static int userVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static boolean hasColumn(Connection c, String table, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pragma_table_info(?) WHERE name = ?")) {
            ps.setString(1, table);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static boolean hasTable(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
