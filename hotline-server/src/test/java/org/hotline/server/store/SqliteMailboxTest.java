package org.hotline.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SealedBox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@org.junit.jupiter.api.Timeout(value = 60, unit = java.util.concurrent.TimeUnit.SECONDS)
class SqliteMailboxTest {

    @TempDir
    Path dir;
    SqliteMailbox mailbox;
    final SecureRandom random = new SecureRandom();
    final Instant now = Instant.parse("2026-05-10T14:00:00Z");

    @BeforeEach
    void open() {
        mailbox = SqliteMailbox.open(dir, 64, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        mailbox.close();
    }

    /**
     * kill -9 leaves the page cache intact, so the crash suites pass even with fsync off: the
     * durability settings are checked on the writer connection itself. FULL is 2 in SQLite's numbering.
     */
    @Test
    void writerConnection_isWalWithSynchronousFull_thoughReopened() throws Exception {
        assertThat(mailbox.writerPragma("journal_mode").get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("wal");
        assertThat(mailbox.writerPragma("synchronous").get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("2");
        mailbox.close();
        mailbox = SqliteMailbox.open(dir, 64, Clock.systemUTC());
        assertThat(mailbox.writerPragma("journal_mode").get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("wal");
        assertThat(mailbox.writerPragma("synchronous").get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("2");
    }

    Envelope envelope(MessageId id, byte fill, String... recipients) {
        List<SealedBox> boxes = new ArrayList<>();
        for (String r : recipients) {
            byte[] ct = new byte[1024];
            java.util.Arrays.fill(ct, fill);
            boxes.add(new SealedBox(r, 1, new byte[1120], ct));
        }
        Receipt receipt = receipt(Receipt.Type.ACCEPTED, id, "relay", "in.pm", "leaders");
        return new Envelope(id, "in.pm", "leaders", now, boxes, new byte[] {fill}, receipt);
    }

    Receipt delivered(MessageId id) {
        return receipt(Receipt.Type.DELIVERED, id, "pk.pm", "in.pm", "leaders");
    }

    /** Receipts whose signature does not matter here: the mailbox stores what the relay checked. */
    Receipt receipt(Receipt.Type type, MessageId id, String asserter, String sender, String channel) {
        return Receipt.of(new Receipt.Fields(type, ExerciseId.of(new byte[32]), id, asserter, sender, channel, now,
                Hash32.ZERO), new byte[64]);
    }

    @Test
    void markDelivered_withAReceiptNamingAnotherSender_changesNothing() throws Exception {
        MessageId id = MessageId.random(random);
        mailbox.append(envelope(id, (byte) 1, "pk.pm"), 10, 1 << 20).get();
        Receipt wrong = receipt(Receipt.Type.DELIVERED, id, "pk.pm", "in.nsa", "leaders");
        assertThat(mailbox.markDelivered(id, "pk.pm", wrong, now).get()).contains(new Mailbox.Origin("in.pm", "leaders"));
        assertThat(mailbox.pending("pk.pm", 0, 10).get()).hasSize(1);
        assertThat(mailbox.pendingReceipts("in.nsa", 0, 10).get()).isEmpty();
    }

    @Test
    void markDelivered_withAReceiptNamingAnotherChannel_changesNothing() throws Exception {
        MessageId id = MessageId.random(random);
        mailbox.append(envelope(id, (byte) 1, "pk.pm"), 10, 1 << 20).get();
        Receipt wrong = receipt(Receipt.Type.DELIVERED, id, "pk.pm", "in.pm", "nsa");
        assertThat(mailbox.markDelivered(id, "pk.pm", wrong, now).get()).contains(new Mailbox.Origin("in.pm", "leaders"));
        assertThat(mailbox.pending("pk.pm", 0, 10).get()).hasSize(1);
        assertThat(mailbox.pendingReceipts("in.pm", 0, 10).get()).isEmpty();
    }

    @Test
    void append_thenPending_inArrivalOrder() throws Exception {
        List<MessageId> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            MessageId id = MessageId.random(random);
            ids.add(id);
            assertThat(mailbox.append(envelope(id, (byte) i, "pk.pm"), 100, 1 << 20).get())
                    .isInstanceOf(AppendResult.Stored.class);
        }
        assertThat(mailbox.pending("pk.pm", 0, 100).get()).extracting(StoredEnvelope::messageId).containsExactlyElementsOf(ids);
        long third = mailbox.pending("pk.pm", 0, 100).get().get(2).seq();
        assertThat(mailbox.pending("pk.pm", third, 100).get()).hasSize(2);
        assertThat(mailbox.pending("in.nsa", 0, 100).get()).isEmpty();
    }

    @Test
    void append_sameIdSameBytes_isDuplicate_differentBytes_isConflict() throws Exception {
        MessageId id = MessageId.random(random);
        mailbox.append(envelope(id, (byte) 1, "pk.pm"), 100, 1 << 20).get();
        assertThat(mailbox.append(envelope(id, (byte) 1, "pk.pm"), 100, 1 << 20).get())
                .isInstanceOf(AppendResult.Duplicate.class);
        assertThat(mailbox.append(envelope(id, (byte) 2, "pk.pm"), 100, 1 << 20).get())
                .isInstanceOf(AppendResult.Conflict.class);
        assertThat(mailbox.pending("pk.pm", 0, 100).get()).hasSize(1);
    }

    @Test
    void queueLimits_countOnlyUndelivered_andSurviveReopen() throws Exception {
        MessageId a = MessageId.random(random);
        mailbox.append(envelope(a, (byte) 1, "pk.pm"), 2, 1 << 20).get();
        mailbox.append(envelope(MessageId.random(random), (byte) 2, "pk.pm"), 2, 1 << 20).get();
        assertThat(mailbox.append(envelope(MessageId.random(random), (byte) 3, "pk.pm"), 2, 1 << 20).get())
                .isInstanceOf(AppendResult.QueueFull.class);
        mailbox.close();
        mailbox = SqliteMailbox.open(dir, 64, Clock.systemUTC());
        assertThat(mailbox.append(envelope(MessageId.random(random), (byte) 3, "pk.pm"), 2, 1 << 20).get())
                .isInstanceOf(AppendResult.QueueFull.class);
        assertThat(mailbox.markDelivered(a, "pk.pm", delivered(a), now).get())
                .contains(new Mailbox.Origin("in.pm", "leaders"));
        assertThat(mailbox.pendingReceipts("in.pm", 0, 10).get()).extracting(r -> r.receipt().messageId()).containsExactly(a);
        assertThat(mailbox.append(envelope(MessageId.random(random), (byte) 3, "pk.pm"), 2, 1 << 20).get())
                .isInstanceOf(AppendResult.Stored.class);
        assertThat(mailbox.append(envelope(MessageId.random(random), (byte) 4, "in.nsa"), 2, 100).get())
                .isInstanceOf(AppendResult.QueueFull.class);
    }

    @Test
    void multiRecipientAppend_isAllOrNothing() throws Exception {
        mailbox.append(envelope(MessageId.random(random), (byte) 1, "pk.pm"), 1, 1 << 20).get();
        MessageId both = MessageId.random(random);
        assertThat(mailbox.append(envelope(both, (byte) 2, "pk.nsa", "pk.pm"), 1, 1 << 20).get())
                .isInstanceOf(AppendResult.QueueFull.class);
        assertThat(mailbox.pending("pk.nsa", 0, 10).get()).isEmpty();
    }

    @Test
    void receipts_areStoredOnce_andPendingUntilAcknowledged() throws Exception {
        MessageId id = MessageId.random(random);
        Receipt r = delivered(id);
        mailbox.storeReceipt("in.pm", r).get();
        mailbox.storeReceipt("in.pm", r).get();
        assertThat(mailbox.pendingReceipts("in.pm", 0, 10).get()).extracting(StoredReceipt::receipt).containsExactly(r);
        mailbox.markReceiptDelivered("in.pm", id, Receipt.Type.DELIVERED, "pk.pm", now).get();
        assertThat(mailbox.pendingReceipts("in.pm", 0, 10).get()).isEmpty();
    }

    @Test
    void receiptsOfOneTypeFromTwoAsserters_areBothStored_andEachIsAcknowledgedOnItsOwn() throws Exception {
        MessageId id = MessageId.random(random);
        Receipt fromControl = receipt(Receipt.Type.DELIVERED, id, "control", "in.pm", "leaders");
        Receipt fromPeer = delivered(id);
        mailbox.storeReceipt("in.pm", fromControl).get();
        mailbox.storeReceipt("in.pm", fromPeer).get();
        assertThat(mailbox.pendingReceipts("in.pm", 0, 10).get()).extracting(StoredReceipt::receipt)
                .containsExactly(fromControl, fromPeer);
        mailbox.markReceiptDelivered("in.pm", id, Receipt.Type.DELIVERED, "control", now).get();
        assertThat(mailbox.pendingReceipts("in.pm", 0, 10).get()).extracting(StoredReceipt::receipt)
                .containsExactly(fromPeer);
    }

    /** A mailbox.db written before receipts were keyed by asserter keeps its receipts, in order, after the upgrade. */
    @Test
    void aVersion1Database_isMigrated_keepingEveryReceiptAndItsState() throws Exception {
        mailbox.close();
        java.nio.file.Path old = dir.resolve("old");
        java.nio.file.Files.createDirectories(old);
        MessageId waiting = MessageId.random(random);
        MessageId confirmed = MessageId.random(random);
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + old.resolve(SqliteMailbox.FILE_NAME));
             java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE TABLE receipts(seq INTEGER PRIMARY KEY AUTOINCREMENT, addressee TEXT NOT NULL,"
                    + " message_id BLOB NOT NULL, type INTEGER NOT NULL, receipt BLOB NOT NULL,"
                    + " created_at INTEGER NOT NULL, delivered_at INTEGER, UNIQUE(addressee, message_id, type))");
            try (java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO receipts(addressee, message_id, type,"
                    + " receipt, created_at, delivered_at) VALUES ('in.pm', ?, 2, ?, 1, ?)")) {
                ps.setBytes(1, confirmed.bytes());
                ps.setBytes(2, delivered(confirmed).encode());
                ps.setLong(3, 5);
                ps.executeUpdate();
                ps.setBytes(1, waiting.bytes());
                ps.setBytes(2, delivered(waiting).encode());
                ps.setObject(3, null);
                ps.executeUpdate();
                MessageId removed = MessageId.random(random);
                ps.setBytes(1, removed.bytes());
                ps.setBytes(2, delivered(removed).encode());
                ps.setLong(3, 6);
                ps.executeUpdate();
            }
            // The newest receipt purged: seq 3 was handed out and must never be handed out again.
            s.execute("DELETE FROM receipts WHERE seq = 3");
        }
        mailbox = SqliteMailbox.open(old, 64, Clock.systemUTC());
        assertThat(mailbox.pendingReceipts("in.pm", 0, 10).get()).extracting(StoredReceipt::receipt)
                .containsExactly(delivered(waiting));
        mailbox.storeReceipt("in.pm", receipt(Receipt.Type.DELIVERED, waiting, "control", "in.pm", "leaders")).get();
        assertThat(mailbox.pendingReceipts("in.pm", 0, 10).get()).hasSize(2);
        mailbox.markReceiptDelivered("in.pm", waiting, Receipt.Type.DELIVERED, "pk.pm", now).get();
        assertThat(mailbox.pendingReceipts("in.pm", 0, 10).get()).extracting(r -> r.receipt().asserter())
                .containsExactly("control");
        assertThat(mailbox.writerPragma("user_version").get()).isEqualTo(Integer.toString(MailboxSchema.VERSION));
        mailbox.close();
        List<String> rows = new ArrayList<>();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + old.resolve(SqliteMailbox.FILE_NAME));
             java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT seq, addressee, message_id, type, asserter, delivered_at"
                     + " FROM receipts ORDER BY seq")) {
            while (rs.next()) {
                rows.add(rs.getLong(1) + " " + rs.getString(2) + " " + MessageId.of(rs.getBytes(3)).shortForm() + " "
                        + rs.getInt(4) + " " + rs.getString(5) + " " + rs.getObject(6));
            }
        }
        // Every row with its seq and state; the receipt stored after the upgrade numbered past the purged 3.
        assertThat(rows).containsExactly(
                "1 in.pm " + confirmed.shortForm() + " 2 pk.pm 5",
                "2 in.pm " + waiting.shortForm() + " 2 pk.pm " + now.toEpochMilli(),
                "4 in.pm " + waiting.shortForm() + " 2 control null");
        mailbox = SqliteMailbox.open(old, 64, Clock.systemUTC());
    }

    /** A rejection of the box of {@code id} for pk.pm naming {@code subject}. */
    Receipt rejection(MessageId id, Hash32 subject) {
        return Receipt.of(new Receipt.Fields(Receipt.Type.REJECTED, ExerciseId.of(new byte[32]), id, "pk.pm", "in.pm",
                "leaders", now, subject, java.util.Optional.of(Receipt.RejectReason.DECRYPTION_FAILED)), new byte[64]);
    }

    /**
     * Review F2: a version-2 database (no copy hashes) opens, gains the copy hash of every box it
     * holds, and a rejection is compared with it: the copy (prekey id, acceptedAt, box) purges the box,
     * a rejection of the same box delivered with another acceptedAt does not. The version-2 database
     * is the version-3 fixture without its copy hashes (MailboxSchemaMigrationTest).
     */
    @Test
    void aVersion2Database_gainsTheCopyHashOfEveryHeldBox_andRejectionsAreComparedWithIt() throws Exception {
        mailbox.close();
        java.nio.file.Path old = dir.resolve("v2");
        MailboxSchemaMigrationTest.copyFixture(old);
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + old.resolve(SqliteMailbox.FILE_NAME));
             java.sql.Statement s = c.createStatement()) {
            s.execute("DROP TABLE copy_hashes");
            s.execute("PRAGMA user_version = 2");
        }
        mailbox = SqliteMailbox.open(old, 64, Clock.systemUTC());
        assertThat(mailbox.writerPragma("user_version").get()).isEqualTo(Integer.toString(MailboxSchema.VERSION));
        MessageId id = MailboxSchemaMigrationTest.id(1);
        SealedBox box = MailboxSchemaMigrationTest.box(1, "pk.pm");
        Instant acceptedAt = MailboxSchemaMigrationTest.NOW;

        CompletableFuture<?> other = mailbox.markDelivered(id, "pk.pm", rejection(id,
                org.hotline.protocol.crypto.Hashes.copyHash(box, acceptedAt.plusSeconds(1))), now);
        org.assertj.core.api.Assertions.assertThatThrownBy(other::get).hasRootCauseInstanceOf(Mailbox.OtherBox.class);
        assertThat(mailbox.pending("pk.pm", 0, 10).get()).hasSize(1);

        assertThat(mailbox.markDelivered(id, "pk.pm", rejection(id, org.hotline.protocol.crypto.Hashes.copyHash(box,
                acceptedAt)), now).get()).isPresent();
        assertThat(mailbox.pending("pk.pm", 0, 10).get()).isEmpty();
    }

    @Test
    void aDatabaseOfALaterSchema_isRefusedWithItsVersion() throws Exception {
        mailbox.close();
        java.nio.file.Path later = dir.resolve("later");
        java.nio.file.Files.createDirectories(later);
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + later.resolve(SqliteMailbox.FILE_NAME));
             java.sql.Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = " + (MailboxSchema.VERSION + 1));
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SqliteMailbox.open(later, 64, Clock.systemUTC()))
                .isInstanceOf(StoreException.class).hasMessageContaining("schema version " + (MailboxSchema.VERSION + 1)
                        + ", newer than this relay's " + MailboxSchema.VERSION);
        mailbox = SqliteMailbox.open(dir, 64, Clock.systemUTC());
    }

    @Test
    void purge_removesOnlyDeliveredAndOld() throws Exception {
        MessageId delivered = MessageId.random(random);
        MessageId waiting = MessageId.random(random);
        mailbox.append(envelope(delivered, (byte) 1, "pk.pm"), 10, 1 << 20).get();
        mailbox.append(envelope(waiting, (byte) 2, "pk.pm"), 10, 1 << 20).get();
        mailbox.markDelivered(delivered, "pk.pm", delivered(delivered), now).get();
        assertThat(mailbox.purgeDeliveredBefore(now.plus(Duration.ofDays(1))).get()).isGreaterThanOrEqualTo(1);
        assertThat(mailbox.originOf(delivered, "pk.pm").get()).isEmpty();
        assertThat(mailbox.pending("pk.pm", 0, 10).get()).extracting(StoredEnvelope::messageId).containsExactly(waiting);
    }

    @Test
    void concurrentAppends_areGroupCommitted_andAllComplete() throws Exception {
        List<CompletableFuture<AppendResult>> futures = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            futures.add(mailbox.append(envelope(MessageId.random(random), (byte) i, "pk.pm"), 10_000, 1L << 30));
        }
        CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).get();
        assertThat(futures).allMatch(f -> f.join() instanceof AppendResult.Stored);
        assertThat(mailbox.pending("pk.pm", 0, 5000).get()).hasSize(2000);
    }

    /** Reads never block the caller: they run on the mailbox's reader thread and complete there. */
    @Test
    void reads_runOnTheMailboxsOwnReaderThread_notTheCallers() throws Exception {
        mailbox.append(envelope(MessageId.random(random), (byte) 1, "pk.pm"), 10, 1 << 20).get();
        String caller = Thread.currentThread().getName();
        List<String> completedOn = new java.util.concurrent.CopyOnWriteArrayList<>();
        // A callback attached to a future not yet complete runs on the thread that completes it; a
        // fast read may complete before the callback is attached (then it runs on the caller), so
        // read until one callback shows the reader thread (bounded: reads run on the caller would
        // never show it).
        for (int i = 0; i < 2_000 && !completedOn.contains("mailbox-reader"); i++) {
            mailbox.pending("pk.pm", 0, 10).thenRun(() -> completedOn.add(Thread.currentThread().getName())).get();
            mailbox.originOf(MessageId.random(random), "pk.pm")
                    .thenRun(() -> completedOn.add(Thread.currentThread().getName())).get();
        }
        assertThat(completedOn).allMatch(t -> t.equals("mailbox-reader") || t.equals(caller))
                .contains("mailbox-reader");
    }

    @Test
    void readsAfterClose_failInsteadOfHanging() {
        mailbox.close();
        assertThat(mailbox.pending("pk.pm", 0, 10)).isCompletedExceptionally();
        assertThat(mailbox.prekeys("pk.pm")).isCompletedExceptionally();
        mailbox = SqliteMailbox.open(dir, 64, Clock.systemUTC());
    }

    @Test
    void writesAfterClose_failInsteadOfVanishing() {
        mailbox.close();
        var f = mailbox.append(envelope(MessageId.random(random), (byte) 1, "pk.pm"), 10, 1 << 20);
        assertThat(f).isCompletedExceptionally();
        mailbox = SqliteMailbox.open(dir, 64, Clock.systemUTC());
    }

    /** PROTOCOL.md §12.1: one leaf per stored message, in commit order, none for a re-send or a refusal, kept across a restart. */
    @Test
    void relayLog_oneLeafPerStoredMessage_noneForAResendOrAFullQueue_survivesReopening() throws Exception {
        MessageId a = MessageId.random(new java.security.SecureRandom());
        MessageId b = MessageId.random(new java.security.SecureRandom());
        AppendResult first = mailbox.append(envelope(a, (byte) 1, "pk.pm"), 10, 1 << 20).get();
        AppendResult again = mailbox.append(envelope(a, (byte) 1, "pk.pm"), 10, 1 << 20).get();
        AppendResult full = mailbox.append(envelope(MessageId.random(new java.security.SecureRandom()), (byte) 2, "pk.pm"), 1, 1 << 20).get();
        AppendResult second = mailbox.append(envelope(b, (byte) 3, "pk.pm"), 10, 1 << 20).get();

        assertThat(((AppendResult.Stored) first).leafIndex()).hasValue(0);
        assertThat(((AppendResult.Duplicate) again).leafIndex()).hasValue(0);
        assertThat(full).isInstanceOf(AppendResult.QueueFull.class);
        assertThat(((AppendResult.Stored) second).leafIndex()).hasValue(1);
        org.hotline.protocol.tlog.MerkleLog log = mailbox.relayLog().orElseThrow();
        assertThat(log.size()).isEqualTo(2);
        assertThat(log.leafHash(1)).isEqualTo(org.hotline.protocol.tlog.RelayLogProofs.leafHashOf(
                envelope(b, (byte) 3, "pk.pm").acceptedReceipt()));
        byte[] root = log.root(2);

        mailbox.close();
        mailbox = SqliteMailbox.open(dir, 64, Clock.systemUTC());
        assertThat(mailbox.relayLog().orElseThrow().root(2)).isEqualTo(root);
        AppendResult third = mailbox.append(envelope(MessageId.random(new java.security.SecureRandom()), (byte) 4, "pk.pm"), 10, 1 << 20).get();
        assertThat(((AppendResult.Stored) third).leafIndex()).hasValue(2);
    }
}
