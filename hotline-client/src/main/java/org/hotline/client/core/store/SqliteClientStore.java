package org.hotline.client.core.store;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hotline.client.core.DeliveryState;
import org.hotline.protocol.files.OwnerOnlyFiles;
import org.hotline.protocol.wire.FrameDecodeException;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SignedMessage;
import org.hotline.protocol.wire.SignedPrekeyBytes;

/**
 * The client's durable state in {@code <data>/client.db} (SQLite, WAL, {@code synchronous=FULL}):
 * the outbox, the inbox, the per-channel send chain, and peers' last known prekeys. Every
 * {@link SQLException} leaves as a {@link StoreException}, so the engine never sees JDBC. Used from
 * the engine's single thread only.
 */
public final class SqliteClientStore implements OutboxStore, InboxStore, PeerPrekeyStore, AutoCloseable {

    private final Connection db;
    /**
     * The statements of the per-message paths, prepared once and reused (compiling SQL for every
     * message and receipt is work the hot path need not do); engine thread only, as the store.
     */
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    private SqliteClientStore(Connection db) {
        this.db = db;
    }

    /** {@code sql} prepared once on this connection, its parameters cleared; never closed by the caller. */
    private PreparedStatement prepared(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = db.prepareStatement(sql);
            statements.put(sql, ps);
        } else {
            ps.clearParameters();
        }
        return ps;
    }

    /**
     * The value of {@code PRAGMA name} on the store's connection: lets a test see the durability
     * settings in force (synchronous, journal mode), which a kill -9 alone cannot show because the
     * page cache survives it.
     */
    String pragma(String name) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getString(1) : "";
        }
    }

    /** Opens (creating if needed) {@code <dataDir>/client.db}. */
    public static SqliteClientStore open(Path dataDir) throws IOException {
        try {
            // Owner-only, whatever the umask: created 0600 so SQLite gives its -wal/-shm the same mode.
            OwnerOnlyFiles.file(dataDir.resolve("client.db"));
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("client.db").toAbsolutePath());
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("CREATE TABLE IF NOT EXISTS outbox(message_id BLOB PRIMARY KEY, channel TEXT NOT NULL,"
                        + " recipients TEXT NOT NULL, counter INTEGER NOT NULL, send_frame BLOB NOT NULL,"
                        + " signed_message BLOB NOT NULL, signal_id TEXT, text TEXT NOT NULL, created_at INTEGER NOT NULL,"
                        + " state TEXT NOT NULL, accepted_at INTEGER, delivered_at INTEGER, acknowledged_at INTEGER,"
                        + " seq INTEGER NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS inbox(message_id BLOB PRIMARY KEY, sender TEXT NOT NULL,"
                        + " channel TEXT NOT NULL, counter INTEGER NOT NULL, signed_message BLOB NOT NULL,"
                        + " hash BLOB NOT NULL, received_at INTEGER NOT NULL, acknowledged_at INTEGER,"
                        + " seq INTEGER NOT NULL, ack_receipt BLOB)");
                addColumnIfMissing(s, "inbox", "ack_receipt", "BLOB");
                // Set when the message was verified under a certificate revoked since (PROTOCOL.md §4.4),
                // so it is flagged again after a reopen; NULL in rows stored before the columns existed.
                addColumnIfMissing(s, "inbox", "sender_revoked_since", "INTEGER");
                addColumnIfMissing(s, "inbox", "signer_fingerprint", "TEXT");
                // 1 while a message composed here has not gone to the relay (PROTOCOL.md §5.2).
                addColumnIfMissing(s, "outbox", "held", "INTEGER NOT NULL DEFAULT 0");
                // Each insert takes max(seq)+1 as the row's place in arrival order. Without an index SQLite
                // reads every row for it (and, seq being stored after the message blob, its overflow
                // pages), so every message stored cost more than the one before: about 2 ms per insert
                // at 4,500 rows, most of a recipient's time draining a backlog (docs/benchmarks.md).
                s.execute("CREATE INDEX IF NOT EXISTS inbox_seq ON inbox(seq)");
                s.execute("CREATE INDEX IF NOT EXISTS outbox_seq ON outbox(seq)");
                s.execute("CREATE TABLE IF NOT EXISTS chains(channel TEXT PRIMARY KEY, next_counter INTEGER NOT NULL,"
                        + " last_sent_hash BLOB NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS peer_prekeys(role TEXT PRIMARY KEY, signed BLOB NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS rejected(message_id BLOB PRIMARY KEY, receipt BLOB NOT NULL,"
                        + " rejected_at INTEGER NOT NULL)");
                // Rejections per copy of a message (PROTOCOL.md §13: another relay's copy of the same
                // id is judged on its own). Rows of the older table keyed by id alone are no longer
                // read: a redelivery of such a copy is judged again and answered with a new receipt.
                s.execute("CREATE TABLE IF NOT EXISTS rejected_copies(message_id BLOB NOT NULL, copy BLOB NOT NULL,"
                        + " receipt BLOB NOT NULL, rejected_at INTEGER NOT NULL, PRIMARY KEY(message_id, copy))");
                // Equivocation evidence already logged, per signed message (review R4); a table of its
                // own, so an older database gains it as is.
                s.execute("CREATE TABLE IF NOT EXISTS equivocations_logged(sender TEXT NOT NULL, channel TEXT NOT NULL,"
                        + " counter INTEGER NOT NULL, message_hash BLOB NOT NULL,"
                        + " PRIMARY KEY(sender, channel, counter, message_hash))");
                // Peers known to have rotated: a table of its own, so an older database gains it as is.
                s.execute("CREATE TABLE IF NOT EXISTS peer_rotated(role TEXT PRIMARY KEY)");
                // Our messages whose relay-inclusion entry is in the audit log, per relay (PROTOCOL.md §12.5):
                // a table of its own, so an older database gains it as is.
                s.execute("CREATE TABLE IF NOT EXISTS relay_inclusions(message_id BLOB NOT NULL, relay TEXT NOT NULL,"
                        + " PRIMARY KEY(message_id, relay))");
                // Per relay, when it accepted our message (its accepted receipt's time, the acceptedAt
                // of its copy), and per recipient the relays whose copy it rejected (PROTOCOL.md §13):
                // tables of their own, so an older database gains them as is.
                s.execute("CREATE TABLE IF NOT EXISTS relay_acceptances(message_id BLOB NOT NULL, relay TEXT NOT NULL,"
                        + " accepted_at INTEGER NOT NULL, PRIMARY KEY(message_id, relay))");
                s.execute("CREATE TABLE IF NOT EXISTS copy_rejections(message_id BLOB NOT NULL, asserter TEXT NOT NULL,"
                        + " relay TEXT NOT NULL, PRIMARY KEY(message_id, asserter, relay))");
                // Per message the recipients whose own receipt confirmed it (review N2): a table of
                // its own, so an older database gains it as is.
                s.execute("CREATE TABLE IF NOT EXISTS recipient_confirmations(message_id BLOB NOT NULL,"
                        + " asserter TEXT NOT NULL, PRIMARY KEY(message_id, asserter))");
                addPresentationMarks(c, s);
            }
            // SQLite created these itself; they hold the same data as the database file.
            OwnerOnlyFiles.restrictIfPresent(dataDir.resolve("client.db-wal"));
            OwnerOnlyFiles.restrictIfPresent(dataDir.resolve("client.db-shm"));
            return new SqliteClientStore(c);
        } catch (SQLException e) {
            throw new IOException("cannot open the local store in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Chain chain(String channel) throws StoreException {
        return run(() -> {
            PreparedStatement ps = prepared("SELECT next_counter, last_sent_hash FROM chains WHERE channel=?");
            ps.setString(1, channel);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Chain(rs.getLong(1), Hash32.of(rs.getBytes(2))) : new Chain(1, Hash32.ZERO);
            }
        });
    }

    /** Stores a new outgoing message and advances the channel's chain, in one transaction. */
    @Override
    public void addOutgoing(Outgoing o, Hash32 messageHash, boolean held) throws StoreException {
        inTransaction(() -> {
            PreparedStatement ps = prepared("INSERT INTO outbox (message_id, channel, recipients,"
                    + " counter, send_frame, signed_message, signal_id, text, created_at, state, accepted_at,"
                    + " delivered_at, acknowledged_at, seq, held) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,"
                    + " (SELECT coalesce(max(seq),0)+1 FROM outbox), ?)");
            ps.setBytes(1, o.id().bytes());
            ps.setString(2, o.channel());
            ps.setString(3, String.join(",", o.recipients()));
            ps.setLong(4, o.counter());
            ps.setBytes(5, o.sendFrame());
            ps.setBytes(6, o.message().encode());
            ps.setString(7, o.signalId().orElse(null));
            ps.setString(8, o.text());
            ps.setLong(9, o.createdAt().toEpochMilli());
            ps.setString(10, o.state().name());
            ps.setObject(11, null);
            ps.setObject(12, null);
            ps.setObject(13, null);
            ps.setInt(14, held ? 1 : 0);
            ps.executeUpdate();
            PreparedStatement chain = prepared("INSERT OR REPLACE INTO chains VALUES (?,?,?)");
            chain.setString(1, o.channel());
            chain.setLong(2, o.counter() + 1);
            chain.setBytes(3, messageHash.bytes());
            chain.executeUpdate();
        });
    }

    @Override
    public boolean resealed(MessageId id, byte[] sendFrame) throws StoreException {
        return run(() -> {
            try (PreparedStatement ps = db.prepareStatement(
                    "UPDATE outbox SET send_frame=? WHERE message_id=? AND state='QUEUED'")) {
                ps.setBytes(1, sendFrame);
                ps.setBytes(2, id.bytes());
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Moves a message forward to {@code state} (never backwards); returns true if it changed. */
    @Override
    public boolean advance(MessageId id, DeliveryState state, Instant at) throws StoreException {
        return run(() -> {
            // Only the state: decoding the whole row (SEND frame, signed message) per receipt is wasted work.
            Optional<DeliveryState> current;
            PreparedStatement select = prepared("SELECT state FROM outbox WHERE message_id=?");
            select.setBytes(1, id.bytes());
            try (ResultSet rs = select.executeQuery()) {
                current = rs.next() ? Optional.of(DeliveryState.valueOf(rs.getString(1))) : Optional.empty();
            }
            if (current.isEmpty() || !state.isAfter(current.get())) {
                return false;
            }
            if (state == DeliveryState.REJECTED && current.get().isAfter(DeliveryState.ACCEPTED)) {
                // Delivered or acknowledged: a recipient confirmed it, a rejection cannot undo that (review R1).
                return false;
            }
            if (state == DeliveryState.REJECTED) {
                // The rejection's time and reason are in its signed receipt, kept by the audit log.
                PreparedStatement ps = prepared("UPDATE outbox SET state=? WHERE message_id=?");
                ps.setString(1, state.name());
                ps.setBytes(2, id.bytes());
                ps.executeUpdate();
                return true;
            }
            String column = switch (state) {
                case ACCEPTED -> "accepted_at";
                case DELIVERED -> "delivered_at";
                case ACKNOWLEDGED -> "acknowledged_at";
                case QUEUED, REJECTED -> throw new IllegalArgumentException();
            };
            PreparedStatement ps = prepared("UPDATE outbox SET state=?, " + column + "=? WHERE message_id=?");
            ps.setString(1, state.name());
            ps.setLong(2, at.toEpochMilli());
            ps.setBytes(3, id.bytes());
            ps.executeUpdate();
            return true;
        });
    }

    @Override
    public boolean relayInclusionRecorded(MessageId id, String relay) throws StoreException {
        return run(() -> {
            PreparedStatement ps = prepared("SELECT 1 FROM relay_inclusions WHERE message_id=? AND relay=?");
            ps.setBytes(1, id.bytes());
            ps.setString(2, relay);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    @Override
    public void markRelayInclusionRecorded(MessageId id, String relay) throws StoreException {
        run(() -> {
            PreparedStatement ps = prepared("INSERT OR IGNORE INTO relay_inclusions(message_id, relay) VALUES (?, ?)");
            ps.setBytes(1, id.bytes());
            ps.setString(2, relay);
            ps.executeUpdate();
            return null;
        });
    }

    @Override
    public boolean recordRelayAcceptance(MessageId id, String relay, Instant acceptedAt) throws StoreException {
        return run(() -> {
            PreparedStatement ps = prepared("INSERT OR IGNORE INTO relay_acceptances(message_id, relay, accepted_at)"
                    + " VALUES (?, ?, ?)");
            ps.setBytes(1, id.bytes());
            ps.setString(2, relay);
            ps.setLong(3, acceptedAt.toEpochMilli());
            return ps.executeUpdate() > 0;
        });
    }

    @Override
    public Map<String, Instant> relayAcceptances(MessageId id) throws StoreException {
        return run(() -> {
            PreparedStatement ps = prepared("SELECT relay, accepted_at FROM relay_acceptances WHERE message_id=?");
            ps.setBytes(1, id.bytes());
            Map<String, Instant> out = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)));
                }
            }
            return out;
        });
    }

    @Override
    public boolean addCopyRejection(MessageId id, String asserter, String relay) throws StoreException {
        return run(() -> {
            PreparedStatement ps = prepared("INSERT OR IGNORE INTO copy_rejections(message_id, asserter, relay)"
                    + " VALUES (?, ?, ?)");
            ps.setBytes(1, id.bytes());
            ps.setString(2, asserter);
            ps.setString(3, relay);
            return ps.executeUpdate() > 0;
        });
    }

    @Override
    public Set<String> rejectedCopies(MessageId id, String asserter) throws StoreException {
        return run(() -> {
            PreparedStatement ps = prepared("SELECT relay FROM copy_rejections WHERE message_id=? AND asserter=?");
            ps.setBytes(1, id.bytes());
            ps.setString(2, asserter);
            Set<String> out = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    @Override
    public void addConfirmation(MessageId id, String asserter) throws StoreException {
        run(() -> {
            PreparedStatement ps = prepared("INSERT OR IGNORE INTO recipient_confirmations(message_id, asserter)"
                    + " VALUES (?, ?)");
            ps.setBytes(1, id.bytes());
            ps.setString(2, asserter);
            return ps.executeUpdate();
        });
    }

    @Override
    public void addConfirmations(List<MessageId> ids, String asserter) throws StoreException {
        inTransaction(() -> {
            PreparedStatement ps = prepared("INSERT OR IGNORE INTO recipient_confirmations(message_id, asserter)"
                    + " VALUES (?, ?)");
            for (MessageId id : ids) {
                ps.setBytes(1, id.bytes());
                ps.setString(2, asserter);
                ps.executeUpdate();
            }
        });
    }

    @Override
    public boolean confirmRejected(MessageId id, Instant at) throws StoreException {
        return run(() -> {
            PreparedStatement ps = prepared("UPDATE outbox SET state='DELIVERED', delivered_at=? WHERE message_id=?"
                    + " AND state='REJECTED'");
            ps.setLong(1, at.toEpochMilli());
            ps.setBytes(2, id.bytes());
            return ps.executeUpdate() == 1;
        });
    }

    @Override
    public boolean confirmedBy(MessageId id, String asserter) throws StoreException {
        return run(() -> {
            PreparedStatement ps = prepared("SELECT 1 FROM recipient_confirmations WHERE message_id=? AND asserter=?");
            ps.setBytes(1, id.bytes());
            ps.setString(2, asserter);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    @Override
    public Optional<Outgoing> outgoing(MessageId id) throws StoreException {
        return run(() -> {
            List<Outgoing> l = outgoing("WHERE message_id=?", id.bytes());
            return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
        });
    }

    @Override
    public List<Outgoing> queued() throws StoreException {
        return run(() -> {
            // Held rows never went out and carry only a provisional box: releaseHeld decides for them.
            return outgoing("WHERE state='QUEUED' AND held=0 ORDER BY seq");
        });
    }

    @Override
    public List<Outgoing> held() throws StoreException {
        return run(() -> outgoing("WHERE state='QUEUED' AND held=1 ORDER BY seq"));
    }

    @Override
    public void released(MessageId id) throws StoreException {
        run(() -> {
            try (PreparedStatement ps = db.prepareStatement("UPDATE outbox SET held=0 WHERE message_id=?")) {
                ps.setBytes(1, id.bytes());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<Outgoing> allOutgoing() throws StoreException {
        return run(() -> {
            return outgoing("ORDER BY seq");
        });
    }

    private List<Outgoing> outgoing(String where, Object... args) throws SQLException {
        List<Outgoing> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT message_id, channel, recipients, counter, send_frame,"
                + " signed_message, signal_id, text, created_at, state, accepted_at, delivered_at, acknowledged_at"
                + " FROM outbox " + where)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Outgoing(MessageId.of(rs.getBytes(1)), rs.getString(2),
                            Arrays.asList(rs.getString(3).split(",")), rs.getLong(4), rs.getBytes(5),
                            decode(rs.getBytes(6)), Optional.ofNullable(rs.getString(7)), rs.getString(8),
                            Instant.ofEpochMilli(rs.getLong(9)), DeliveryState.valueOf(rs.getString(10)),
                            instant(rs, 11), instant(rs, 12), instant(rs, 13)));
                }
            }
        }
        return out;
    }

    @Override
    public boolean hasIncoming(MessageId id) throws StoreException {
        return run(() -> {
            PreparedStatement ps = prepared("SELECT 1 FROM inbox WHERE message_id=?");
            ps.setBytes(1, id.bytes());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    @Override
    public Optional<SignedMessage> incoming(MessageId id) throws StoreException {
        return run(() -> {
            PreparedStatement ps = prepared("SELECT signed_message FROM inbox WHERE message_id=?");
            ps.setBytes(1, id.bytes());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(decode(rs.getBytes(1))) : Optional.empty();
            }
        });
    }

    @Override
    public void addIncoming(SignedMessage m, Hash32 hash, Instant receivedAt, Optional<RevokedSigner> revokedSigner)
            throws StoreException {
        run(() -> {
            PreparedStatement ps = prepared(INSERT_INCOMING);
            bindIncoming(ps, new NewIncoming(m, hash, receivedAt, revokedSigner));
            ps.executeUpdate();
            return null;
        });
    }

    /** One transaction, so one sync of the WAL for the whole burst; rolled back whole on any failure. */
    @Override
    public void addIncomingAll(List<NewIncoming> messages) throws StoreException {
        if (messages.size() == 1) {
            NewIncoming m = messages.get(0);
            addIncoming(m.message(), m.hash(), m.receivedAt(), m.revokedSigner());
            return;
        }
        inTransaction(() -> {
            PreparedStatement ps = prepared(INSERT_INCOMING);
            for (NewIncoming m : messages) {
                bindIncoming(ps, m);
                ps.executeUpdate();
            }
        });
    }

    private static final String INSERT_INCOMING = "INSERT OR IGNORE INTO inbox(message_id, sender, channel,"
            + " counter, signed_message, hash, received_at, acknowledged_at, seq, sender_revoked_since,"
            + " signer_fingerprint) VALUES (?,?,?,?,?,?,?,NULL, (SELECT coalesce(max(seq),0)+1 FROM inbox),?,?)";

    private static void bindIncoming(PreparedStatement ps, NewIncoming n) throws SQLException {
        SignedMessage m = n.message();
        ps.setBytes(1, m.header().messageId().bytes());
        ps.setString(2, m.header().sender());
        ps.setString(3, m.header().channel());
        ps.setLong(4, m.header().counter());
        ps.setBytes(5, m.encode());
        ps.setBytes(6, n.hash().bytes());
        ps.setLong(7, n.receivedAt().toEpochMilli());
        ps.setObject(8, n.revokedSigner().map(r -> r.since().toEpochMilli()).orElse(null));
        ps.setString(9, n.revokedSigner().map(RevokedSigner::fingerprint).orElse(null));
    }

    /**
     * Where each consumer that presents arrivals ({@code hotline listen}) got to, by inbox seq. Created
     * with its baseline row ({@link #BASELINE}) in one transaction: in a store that already holds
     * messages the baseline is its last seq, so the first run after the upgrade does not present the
     * whole history again (those versions presented only live messages); in a new store it is 0.
     */
    private static void addPresentationMarks(Connection c, Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT 1 FROM sqlite_master WHERE type='table' AND name='presented_marks'")) {
            if (rs.next()) {
                return;
            }
        }
        c.setAutoCommit(false);
        try {
            s.execute("CREATE TABLE presented_marks(consumer TEXT PRIMARY KEY, through_seq INTEGER NOT NULL)");
            s.execute("INSERT INTO presented_marks(consumer, through_seq) SELECT '" + BASELINE + "',"
                    + " coalesce(max(seq), 0) FROM inbox");
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** The mark of every consumer without one of its own; no consumer is named by the empty string. */
    private static final String BASELINE = "";

    @Override
    public List<MessageId> unpresented(String consumer) throws StoreException {
        requireConsumer(consumer);
        return run(() -> {
            PreparedStatement ps = prepared("SELECT message_id FROM inbox WHERE seq > coalesce("
                    + "(SELECT through_seq FROM presented_marks WHERE consumer=?),"
                    + " (SELECT through_seq FROM presented_marks WHERE consumer='" + BASELINE + "'), 0) ORDER BY seq");
            ps.setString(1, consumer);
            List<MessageId> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(MessageId.of(rs.getBytes(1)));
                }
            }
            return out;
        });
    }

    @Override
    public void markPresented(String consumer, MessageId through) throws StoreException {
        requireConsumer(consumer);
        run(() -> {
            PreparedStatement ps = prepared("INSERT INTO presented_marks(consumer, through_seq)"
                    // A first mark below the baseline would present again what counts as presented.
                    + " SELECT ?, max(seq, coalesce((SELECT through_seq FROM presented_marks WHERE consumer='"
                    + BASELINE + "'), 0)) FROM inbox WHERE message_id=?"
                    + " ON CONFLICT(consumer) DO UPDATE SET through_seq=max(through_seq, excluded.through_seq)");
            ps.setString(1, consumer);
            ps.setBytes(2, through.bytes());
            ps.executeUpdate();
            return null;
        });
    }

    private static void requireConsumer(String consumer) {
        if (consumer.isEmpty()) {
            throw new IllegalArgumentException("a consumer has a name");
        }
    }

    /** Stores a store written before the column existed keeps working. */
    private static void addColumnIfMissing(Statement s, String table, String column, String type) throws SQLException {
        try (ResultSet rs = s.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (rs.next()) {
                if (rs.getString("name").equals(column)) {
                    return;
                }
            }
        }
        s.execute("ALTER TABLE " + table + " ADD COLUMN " + column + " " + type);
    }

    /** Records the acknowledgement and its signed receipt, so it is re-sent after a restart. */
    @Override
    public void markAcknowledged(MessageId id, Instant at, Receipt receipt) throws StoreException {
        run(() -> {
            try (PreparedStatement ps = db.prepareStatement(
                    "UPDATE inbox SET acknowledged_at=?, ack_receipt=? WHERE message_id=? AND acknowledged_at IS NULL")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setBytes(2, receipt.encode());
                ps.setBytes(3, id.bytes());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Acknowledgement receipts made at or after {@code since}, oldest first. The relay does not
     * confirm a receipt notice, so the client re-sends these on every connect; the relay stores a
     * receipt once and ignores repeats.
     */
    @Override
    public List<Receipt> acknowledgementsSince(Instant since) throws StoreException {
        return run(() -> {
            List<Receipt> out = new ArrayList<>();
            try (PreparedStatement ps = db.prepareStatement("SELECT ack_receipt FROM inbox"
                    + " WHERE ack_receipt IS NOT NULL AND acknowledged_at >= ? ORDER BY seq")) {
                ps.setLong(1, since.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        try {
                            out.add(Receipt.decode(rs.getBytes(1)));
                        } catch (FrameDecodeException e) {
                            throw new SQLException("stored acknowledgement receipt is corrupt: " + e.getMessage(), e);
                        }
                    }
                }
            }
            return out;
        });
    }

    @Override
    public void addRejection(Receipt rejected, Hash32 copy, Instant at) throws StoreException {
        run(() -> {
            try (PreparedStatement ps = db.prepareStatement("INSERT OR IGNORE INTO rejected_copies(message_id, copy,"
                    + " receipt, rejected_at) VALUES (?,?,?,?)")) {
                ps.setBytes(1, rejected.messageId().bytes());
                ps.setBytes(2, copy.bytes());
                ps.setBytes(3, rejected.encode());
                ps.setLong(4, at.toEpochMilli());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public int rejectedCopyCount(MessageId id) throws StoreException {
        return run(() -> {
            PreparedStatement ps = prepared("SELECT count(*) FROM rejected_copies WHERE message_id=?");
            ps.setBytes(1, id.bytes());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        });
    }

    @Override
    public List<Receipt.RejectReason> rejectionReasons(MessageId id) throws StoreException {
        return run(() -> {
            PreparedStatement ps = prepared("SELECT receipt FROM rejected_copies WHERE message_id=?");
            ps.setBytes(1, id.bytes());
            List<Receipt.RejectReason> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    try {
                        Receipt.decode(rs.getBytes(1)).reason().ifPresent(out::add);
                    } catch (FrameDecodeException e) {
                        throw new SQLException("stored rejection receipt is corrupt: " + e.getMessage(), e);
                    }
                }
            }
            return out;
        });
    }

    @Override
    public boolean equivocationLogged(String sender, String channel, long counter, Hash32 messageHash)
            throws StoreException {
        return run(() -> {
            PreparedStatement ps = prepared("SELECT 1 FROM equivocations_logged WHERE sender=? AND channel=?"
                    + " AND counter=? AND message_hash=?");
            ps.setString(1, sender);
            ps.setString(2, channel);
            ps.setLong(3, counter);
            ps.setBytes(4, messageHash.bytes());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    @Override
    public boolean markEquivocationLogged(String sender, String channel, long counter, Hash32 messageHash)
            throws StoreException {
        return run(() -> {
            PreparedStatement ps = prepared("INSERT OR IGNORE INTO equivocations_logged(sender, channel, counter,"
                    + " message_hash) VALUES (?,?,?,?)");
            ps.setString(1, sender);
            ps.setString(2, channel);
            ps.setLong(3, counter);
            ps.setBytes(4, messageHash.bytes());
            return ps.executeUpdate() > 0;
        });
    }

    @Override
    public Optional<Receipt> rejection(MessageId id, Hash32 copy) throws StoreException {
        return run(() -> {
            PreparedStatement ps = prepared("SELECT receipt FROM rejected_copies WHERE message_id=? AND copy=?");
            ps.setBytes(1, id.bytes());
            ps.setBytes(2, copy.bytes());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                try {
                    return Optional.of(Receipt.decode(rs.getBytes(1)));
                } catch (FrameDecodeException e) {
                    throw new SQLException("stored rejection receipt is corrupt: " + e.getMessage(), e);
                }
            }
        });
    }

    @Override
    public List<Incoming> allIncoming() throws StoreException {
        return run(() -> {
            List<Incoming> out = new ArrayList<>();
            try (Statement s = db.createStatement();
                 ResultSet rs = s.executeQuery("SELECT signed_message, hash, received_at, acknowledged_at,"
                         + " sender_revoked_since, signer_fingerprint FROM inbox ORDER BY seq")) {
                while (rs.next()) {
                    Optional<Instant> revokedSince = instant(rs, 5);
                    String fingerprint = rs.getString(6);
                    out.add(new Incoming(decode(rs.getBytes(1)), Hash32.of(rs.getBytes(2)),
                            Instant.ofEpochMilli(rs.getLong(3)), instant(rs, 4),
                            revokedSince.map(at -> new RevokedSigner(at, fingerprint == null ? "?" : fingerprint))));
                }
            }
            return out;
        });
    }

    @Override
    public void putPeerPrekey(String role, SignedPrekeyBytes p) throws StoreException {
        run(() -> {
            try (PreparedStatement ps = db.prepareStatement("INSERT OR REPLACE INTO peer_prekeys VALUES (?,?)")) {
                ps.setString(1, role);
                ps.setBytes(2, p.encode());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<SignedPrekeyBytes> peerPrekey(String role) throws StoreException {
        return run(() -> {
            PreparedStatement ps = prepared("SELECT signed FROM peer_prekeys WHERE role=?");
            ps.setString(1, role);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(SignedPrekeyBytes.decode(rs.getBytes(1))) : Optional.empty();
            } catch (FrameDecodeException e) {
                throw new SQLException("stored prekey of " + role + " is corrupt");
            }
        });
    }

    @Override
    public void markPeerRotated(String role) throws StoreException {
        run(() -> {
            try (PreparedStatement ps = db.prepareStatement("INSERT OR IGNORE INTO peer_rotated VALUES (?)")) {
                ps.setString(1, role);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public boolean peerRotated(String role) throws StoreException {
        return run(() -> {
            PreparedStatement ps = prepared("SELECT 1 FROM peer_rotated WHERE role=?");
            ps.setString(1, role);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    private static Optional<Instant> instant(ResultSet rs, int col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
    }

    private static SignedMessage decode(byte[] b) throws SQLException {
        try {
            return SignedMessage.decode(b);
        } catch (FrameDecodeException e) {
            throw new SQLException("stored message is corrupt: " + e.getMessage());
        }
    }

    /** A JDBC step whose {@link SQLException} leaves as a {@link StoreException}. */
    private interface Sql<T> {
        T call() throws SQLException;
    }

    /** JDBC steps with no result, run together by {@link #inTransaction}. */
    private interface SqlSteps {
        void call() throws SQLException;
    }

    /** Runs {@code steps} as one transaction: all of them committed, or none (rolled back). */
    private void inTransaction(SqlSteps steps) throws StoreException {
        run(() -> {
            db.setAutoCommit(false);
            try {
                steps.call();
                db.commit();
            } catch (SQLException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
            return null;
        });
    }

    private <T> T run(Sql<T> step) throws StoreException {
        try {
            return step.call();
        } catch (SQLException e) {
            // After a failure the reused statements are prepared afresh rather than trusted.
            statements.values().forEach(SqliteClientStore::closeQuietly);
            statements.clear();
            throw new StoreException(e.getMessage(), e);
        }
    }

    private static void closeQuietly(PreparedStatement ps) {
        try {
            ps.close();
        } catch (SQLException ignored) {
            // Being replaced: a statement that cannot even close is dropped all the same.
        }
    }

    @Override
    public void close() {
        try {
            db.close();
        } catch (SQLException ignored) {
            // Closing: nothing more to protect.
        }
    }
}
