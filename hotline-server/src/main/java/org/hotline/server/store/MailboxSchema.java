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
 * their asserter too. A version-1 database is migrated in place, in one transaction, by reading the
 * asserter out of each stored receipt. Version 3 adds {@code copy_hashes}: per box, the hash a
 * {@code rejected} receipt of it must name (PROTOCOL.md §6, {@code Hashes.copyHash}), stored at
 * acceptance so that checking a rejection neither reads the box nor hashes it on the writer
 * thread; an older database gains the table and the hash of every box it still holds, once, when
 * it is opened. A database of a later version is refused, since this relay cannot know what its
 * tables mean.
 */
final class MailboxSchema {

    /** The schema this build writes. */
    static final int VERSION = 3;

    private MailboxSchema() {
    }

    /** Creates the tables, or brings a version-1 database to this version; on the writer connection. */
    static void apply(Connection c) throws SQLException {
        int version = userVersion(c);
        if (version > VERSION) {
            throw new SQLException("mailbox.db has schema version " + version + ", newer than this relay's "
                    + VERSION + ": run the relay build that wrote it, or start with an empty data directory");
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS messages(message_id BLOB PRIMARY KEY, sender TEXT NOT NULL,"
                    + " channel TEXT NOT NULL, send_hash BLOB NOT NULL, accepted_at INTEGER NOT NULL,"
                    + " accepted_receipt BLOB NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS envelopes(seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                    + " message_id BLOB NOT NULL, recipient TEXT NOT NULL, sender TEXT NOT NULL, channel TEXT NOT NULL,"
                    + " accepted_at INTEGER NOT NULL, prekey_id INTEGER NOT NULL, encapsulation BLOB NOT NULL,"
                    + " ciphertext BLOB NOT NULL, size INTEGER NOT NULL, delivered_at INTEGER,"
                    + " UNIQUE(message_id, recipient))");
            s.execute("CREATE INDEX IF NOT EXISTS envelopes_pending ON envelopes(recipient, delivered_at, seq)");
            // The relay's log (PROTOCOL.md §12.1): never purged; idx is 0, 1, 2, ... without gaps.
            s.execute("CREATE TABLE IF NOT EXISTS relay_log(idx INTEGER PRIMARY KEY, message_id BLOB NOT NULL,"
                    + " leaf_hash BLOB NOT NULL)");
            s.execute("CREATE INDEX IF NOT EXISTS relay_log_message ON relay_log(message_id, idx)");
            s.execute("CREATE TABLE IF NOT EXISTS prekeys(role TEXT NOT NULL, prekey_id INTEGER NOT NULL,"
                    + " signed BLOB NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY(role, prekey_id))");
            if (version < 2 && hasTable(c, "receipts")) {
                migrateReceipts(c, s);
            } else {
                s.execute(receiptsTable("receipts"));
                s.execute("CREATE INDEX IF NOT EXISTS receipts_pending ON receipts(addressee, delivered_at, seq)");
            }
            if (!hasTable(c, "copy_hashes")) {
                addCopyHashes(c, s);
            }
            s.execute("PRAGMA user_version = " + VERSION);
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
     * mark, so a number once handed out (to a receipt since removed) is never handed out again. All
     * or nothing: autocommit is off for it.
     */
    private static void migrateReceipts(Connection c, Statement s) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            long highWater = 0;
            try (ResultSet rs = s.executeQuery("SELECT seq FROM sqlite_sequence WHERE name = 'receipts'")) {
                if (rs.next()) {
                    highWater = rs.getLong(1);
                }
            }
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
            // Copying the rows set the new table's mark to their highest seq only; the old one may be higher.
            try (PreparedStatement up = c.prepareStatement(
                    "UPDATE sqlite_sequence SET seq = ? WHERE name = 'receipts' AND seq < ?")) {
                up.setLong(1, highWater);
                up.setLong(2, highWater);
                up.executeUpdate();
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO sqlite_sequence(name, seq) SELECT 'receipts', ?"
                    + " WHERE ? > 0 AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'receipts')")) {
                ins.setLong(1, highWater);
                ins.setLong(2, highWater);
                ins.executeUpdate();
            }
            s.execute("DROP TABLE receipts_v1");
            s.execute("CREATE INDEX receipts_pending ON receipts(addressee, delivered_at, seq)");
            s.execute("PRAGMA user_version = 2");
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /**
     * To version 3: the copy hash of every box still held (its ciphertext not erased), all or
     * nothing. A fresh database gets the empty table.
     */
    private static void addCopyHashes(Connection c, Statement s) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            s.execute("CREATE TABLE copy_hashes(message_id BLOB NOT NULL, recipient TEXT NOT NULL,"
                    + " copy_hash BLOB NOT NULL, PRIMARY KEY(message_id, recipient))");
            try (ResultSet rs = s.executeQuery("SELECT message_id, recipient, prekey_id, accepted_at, encapsulation,"
                    + " ciphertext FROM envelopes WHERE length(ciphertext) > 0 OR length(encapsulation) > 0");
                 PreparedStatement ins = c.prepareStatement("INSERT INTO copy_hashes(message_id, recipient, copy_hash)"
                         + " VALUES (?,?,?)")) {
                while (rs.next()) {
                    SealedBox box = new SealedBox(rs.getString(2), (int) rs.getLong(3), rs.getBytes(5), rs.getBytes(6));
                    ins.setBytes(1, rs.getBytes(1));
                    ins.setString(2, rs.getString(2));
                    ins.setBytes(3, Hashes.copyHash(box, Instant.ofEpochMilli(rs.getLong(4))).bytes());
                    ins.executeUpdate();
                }
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
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

    private static boolean hasTable(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
