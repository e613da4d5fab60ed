package org.hotline.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SealedBox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema version 3 to 4 on a {@code mailbox.db} written by the version-3 relay itself
 * ({@code src/test/resources/mailbox-v3/}: built by {@code GenV3.java} there, run against the relay
 * jar of a94d8a0). What it holds: message 1 waiting for pk.pm; message 2 delivered to pk.pm and
 * waiting for control; message 3 rejected by pk.pm (its bytes erased); message 5 delivered and
 * purged, so seq 5 was handed out and is gone; leaves 0 to 3 in the relay's log.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MailboxSchemaMigrationTest {

    static final Instant NOW = Instant.parse("2026-05-10T14:00:00Z");

    @TempDir
    Path dir;

    static MessageId id(int n) {
        byte[] b = new byte[16];
        Arrays.fill(b, (byte) n);
        return MessageId.of(b);
    }

    /** The box GenV3 stored for {@code recipient}: its bytes are a function of the message number. */
    static SealedBox box(int n, String recipient) {
        byte[] ct = new byte[1024];
        Arrays.fill(ct, (byte) n);
        byte[] enc = new byte[1120];
        Arrays.fill(enc, (byte) (n + 100));
        return new SealedBox(recipient, 7, enc, ct);
    }

    static Receipt receipt(Receipt.Type type, MessageId id, Hash32 subject, Optional<Receipt.RejectReason> reason) {
        Receipt.Fields f = reason.isPresent()
                ? new Receipt.Fields(type, ExerciseId.of(new byte[32]), id, "pk.pm", "in.pm", "leaders", NOW, subject,
                        reason)
                : new Receipt.Fields(type, ExerciseId.of(new byte[32]), id, "pk.pm", "in.pm", "leaders", NOW, subject);
        return Receipt.of(f, new byte[64]);
    }

    static Envelope envelope(int n, Instant at, String... recipients) {
        List<SealedBox> boxes = new ArrayList<>();
        for (String r : recipients) {
            boxes.add(box(n, r));
        }
        Receipt accepted = Receipt.of(new Receipt.Fields(Receipt.Type.ACCEPTED, ExerciseId.of(new byte[32]), id(n),
                "relay", "in.pm", "leaders", NOW, Hash32.ZERO), new byte[64]);
        return new Envelope(id(n), "in.pm", "leaders", at, boxes, new byte[] {(byte) n}, accepted);
    }

    /** As GenV3 stored message {@code n}, but sent with other bytes (another SEND hash). */
    static Envelope otherBytes(int n, Instant at, String... recipients) {
        Envelope e = envelope(n, at, recipients);
        return new Envelope(e.messageId(), e.sender(), e.channel(), at, e.boxes(), new byte[] {(byte) (n + 50)},
                e.acceptedReceipt());
    }

    /** Copies the version-3 fixture into {@code into}. */
    static void copyFixture(Path into) throws Exception {
        Files.createDirectories(into);
        try (InputStream in = MailboxSchemaMigrationTest.class.getResourceAsStream("/mailbox-v3/mailbox.db")) {
            assertThat(in).as("fixture").isNotNull();
            Files.copy(in, into.resolve(SqliteMailbox.FILE_NAME));
        }
    }

    static List<String> sql(Path dataDir, String query) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(SqliteMailbox.FILE_NAME));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> cols = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    cols.add(String.valueOf(rs.getObject(i)));
                }
                rows.add(String.join(" ", cols));
            }
        }
        return rows;
    }

    @Test
    void theFixture_isAVersion3Database() throws Exception {
        copyFixture(dir);
        assertThat(sql(dir, "PRAGMA user_version")).containsExactly("3");
        // Boxes 1, 2 (twice) and the rejected 3; the purged 5's went with the purge's scan.
        assertThat(sql(dir, "SELECT count(*) FROM copy_hashes")).containsExactly("4");
        assertThat(sql(dir, "SELECT seq FROM sqlite_sequence WHERE name = 'envelopes'")).containsExactly("5");
    }

    /**
     * A step that fails rolls back the whole upgrade, the version number included (review w8 L1):
     * the same state a crash mid-way leaves under WAL. Message 2's row removed, its boxes have none
     * to refer to and the rebuild refuses.
     */
    @Test
    void aFailedUpgrade_leavesTheVersion3LayoutUnderVersion3() throws Exception {
        copyFixture(dir);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteMailbox.FILE_NAME));
             Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("DELETE FROM messages WHERE message_id = x'"
                    + "02".repeat(16) + "'")).isEqualTo(1);
        }
        assertThatThrownBy(() -> SqliteMailbox.open(dir, 64, Clock.systemUTC()))
                .isInstanceOf(StoreException.class).hasMessageContaining("have no message row");
        assertThat(sql(dir, "PRAGMA user_version")).containsExactly("3");
        assertThat(sql(dir, "SELECT count(*) FROM pragma_table_info('envelopes') WHERE name = 'delivered_at'"))
                .containsExactly("1");
        assertThat(sql(dir, "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN"
                + " ('messages_v3', 'envelopes_v3', 'delivered')")).isEmpty();
        assertThat(sql(dir, "SELECT count(*) FROM copy_hashes")).containsExactly("4");
        assertThat(sql(dir, "SELECT count(*) FROM sqlite_master WHERE name = 'relay_log_message'")).containsExactly("1");
    }

    /**
     * A version-1 file takes two steps (boxes, then receipts); a failure in the second rolls back
     * the first too, so the file keeps its version-1 layout under version 0 rather than a
     * version-4 layout under a number an older relay would open (review w8 L1). The fixture's boxes
     * with a version-1 receipts table holding one receipt that cannot be read.
     */
    @Test
    void aVersion1Upgrade_failingAtTheReceipts_rollsBackTheBoxesToo() throws Exception {
        copyFixture(dir);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteMailbox.FILE_NAME));
             Statement s = c.createStatement()) {
            s.execute("DROP TABLE receipts");
            s.execute("CREATE TABLE receipts(seq INTEGER PRIMARY KEY AUTOINCREMENT, addressee TEXT NOT NULL,"
                    + " message_id BLOB NOT NULL, type INTEGER NOT NULL, receipt BLOB NOT NULL,"
                    + " created_at INTEGER NOT NULL, delivered_at INTEGER, UNIQUE(addressee, message_id, type))");
            s.execute("INSERT INTO receipts(addressee, message_id, type, receipt, created_at)"
                    + " VALUES ('in.pm', x'" + "01".repeat(16) + "', 2, x'00', 0)");
            s.execute("PRAGMA user_version = 0");
        }
        assertThatThrownBy(() -> SqliteMailbox.open(dir, 64, Clock.systemUTC()))
                .hasMessageContaining("a stored receipt cannot be read");
        assertThat(sql(dir, "PRAGMA user_version")).containsExactly("0");
        assertThat(sql(dir, "SELECT count(*) FROM pragma_table_info('envelopes') WHERE name = 'delivered_at'"))
                .containsExactly("1");
        assertThat(sql(dir, "SELECT count(*) FROM pragma_table_info('receipts') WHERE name = 'asserter'"))
                .containsExactly("0");
        assertThat(sql(dir, "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN"
                + " ('messages_v3', 'envelopes_v3', 'receipts_v1', 'delivered')")).isEmpty();
        assertThat(sql(dir, "SELECT count(*) FROM copy_hashes")).containsExactly("4");
    }

    @Test
    void aVersion3Database_keepsEveryBoxStateLeafAndCopyHash() throws Exception {
        copyFixture(dir);
        SqliteMailbox mailbox = SqliteMailbox.open(dir, 64, Clock.systemUTC());
        try {
            assertThat(mailbox.writerPragma("user_version").get()).isEqualTo(Integer.toString(MailboxSchema.VERSION));
            // Waiting boxes, in their order, with their bytes; delivered, rejected and purged ones are not.
            List<StoredEnvelope> forPm = mailbox.pending("pk.pm", 0, 10).get();
            assertThat(forPm).extracting(StoredEnvelope::seq).containsExactly(1L);
            assertThat(forPm.get(0).box().ciphertext()).isEqualTo(box(1, "pk.pm").ciphertext());
            assertThat(forPm.get(0).box().encapsulation()).isEqualTo(box(1, "pk.pm").encapsulation());
            assertThat(forPm.get(0).acceptedAt()).isEqualTo(NOW);
            assertThat(mailbox.pending("control", 0, 10).get()).extracting(StoredEnvelope::seq).containsExactly(3L);
            assertThat(mailbox.originOf(id(2), "pk.pm").get()).isPresent();
            assertThat(mailbox.originOf(id(5), "pk.pm").get()).as("purged before the upgrade").isEmpty();

            // Every leaf kept; a re-send is answered with its message's leaf.
            assertThat(mailbox.relayLog().orElseThrow().size()).isEqualTo(4);
            assertThat(mailbox.append(envelope(2, NOW.plusSeconds(1), "pk.pm", "control"), 100, 1 << 24).get())
                    .isInstanceOfSatisfying(AppendResult.Duplicate.class,
                            d -> assertThat(d.leafIndex()).hasValue(1));
            assertThat(mailbox.append(otherBytes(3, NOW.plusSeconds(2), "pk.pm"), 100, 1 << 24).get())
                    .as("other bytes under a stored id").isInstanceOf(AppendResult.Conflict.class);

            // The copy hash of the waiting box came across: another copy's rejection does not purge it, its own does.
            SealedBox held = box(1, "pk.pm");
            CompletableFuture<?> other = mailbox.markDelivered(id(1), "pk.pm", receipt(Receipt.Type.REJECTED, id(1),
                    Hashes.copyHash(held, NOW.plusSeconds(1)), Optional.of(Receipt.RejectReason.DECRYPTION_FAILED)),
                    NOW);
            assertThatThrownBy(other::get).hasRootCauseInstanceOf(Mailbox.OtherBox.class);
            assertThat(mailbox.pending("pk.pm", 0, 10).get()).hasSize(1);

            // A seq handed out before the upgrade (5, purged) is never handed out again.
            AppendResult fresh = mailbox.append(envelope(6, NOW.plusSeconds(20), "pk.pm"), 100, 1 << 24).get();
            assertThat(fresh).isInstanceOfSatisfying(AppendResult.Stored.class, s -> {
                assertThat(s.fresh()).singleElement().satisfies(f -> {
                    assertThat(f.envelope().seq()).isEqualTo(6);
                    assertThat(f.previousSeq()).as("pk.pm's newest box before it").isEqualTo(4);
                });
                assertThat(s.leafIndex()).hasValue(4);
            });

            assertThat(mailbox.markDelivered(id(1), "pk.pm", receipt(Receipt.Type.REJECTED, id(1),
                    Hashes.copyHash(held, NOW), Optional.of(Receipt.RejectReason.DECRYPTION_FAILED)), NOW).get())
                    .isPresent();
            assertThat(mailbox.pending("pk.pm", 0, 10).get()).extracting(StoredEnvelope::seq).containsExactly(6L);
        } finally {
            mailbox.close();
        }
        // The old tables and the indexes on the random message id are gone; delivered states moved.
        assertThat(sql(dir, "SELECT name FROM sqlite_master WHERE name IN ('copy_hashes', 'messages_v3',"
                + " 'envelopes_v3', 'relay_log_message')")).isEmpty();
        assertThat(sql(dir, "SELECT seq, delivered_at FROM delivered ORDER BY seq")).containsExactly(
                "1 " + NOW.toEpochMilli(), "2 " + NOW.plusSeconds(10).toEpochMilli(),
                "4 " + NOW.plusSeconds(11).toEpochMilli());
    }

    @Test
    void retention_afterTheUpgrade_removesDeliveredBoxesWithTheirStateAndCopyHash() throws Exception {
        copyFixture(dir);
        SqliteMailbox mailbox = SqliteMailbox.open(dir, 64, Clock.systemUTC());
        try {
            assertThat(mailbox.purgeDeliveredBefore(NOW.plusSeconds(3600)).get()).isGreaterThanOrEqualTo(2);
            assertThat(mailbox.originOf(id(2), "pk.pm").get()).isEmpty();
            assertThat(mailbox.originOf(id(3), "pk.pm").get()).isEmpty();
            assertThat(mailbox.pending("pk.pm", 0, 10).get()).extracting(StoredEnvelope::seq).containsExactly(1L);
            assertThat(mailbox.pending("control", 0, 10).get()).extracting(StoredEnvelope::seq).containsExactly(3L);
        } finally {
            mailbox.close();
        }
        assertThat(sql(dir, "SELECT count(*) FROM delivered")).containsExactly("0");
        assertThat(sql(dir, "SELECT seq FROM envelopes ORDER BY seq")).containsExactly("1", "3");
        // Message 2's row stays while control's box waits; message 3 has no box left.
        assertThat(sql(dir, "SELECT hex(message_id) FROM messages ORDER BY row")).containsExactly(
                id(1).hex().toUpperCase(), id(2).hex().toUpperCase());
    }
}
