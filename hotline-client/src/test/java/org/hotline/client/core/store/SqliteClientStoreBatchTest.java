package org.hotline.client.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.crypto.IdentityKeyPair;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.SignedMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inbox's group commit ({@link InboxStore#addIncomingAll}): a burst of received messages is
 * stored in arrival order in one transaction, and a failure on any of them stores none, so the
 * engine confirms none of them and the relay delivers them all again.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqliteClientStoreBatchTest {

    @TempDir
    Path dir;
    final SecureRandom random = new SecureRandom();
    final IdentityKeyPair india = IdentityKeyPair.generate(random);
    final Instant t = Instant.parse("2026-05-10T14:00:00Z");

    InboxStore.NewIncoming received(long counter) {
        SignedMessage m = MessageSigner.sign(india, new MessageHeader(ExerciseId.of(new byte[32]),
                MessageId.random(random), "in.pm", List.of("pk.pm"), "leaders", counter, t, Hash32.ZERO, Hash32.ZERO,
                "1", Optional.empty(), Optional.empty()), new Content.Text("text " + counter));
        return new InboxStore.NewIncoming(m, Hashes.messageHash(m), t.plusSeconds(counter), Optional.empty());
    }

    static List<MessageId> ids(List<InboxStore.NewIncoming> l) {
        return l.stream().map(n -> n.message().header().messageId()).toList();
    }

    @Test
    void aBurst_isStoredInArrivalOrder_andAFailureOnOneOfItStoresNoneOfIt() throws Exception {
        SqliteClientStore.open(dir).close(); // the tables
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("client.db"));
             Statement s = c.createStatement()) {
            // A disk error on the third row of the burst, as SQLite reports one.
            s.execute("CREATE TRIGGER fail_third BEFORE INSERT ON inbox WHEN NEW.counter = 3"
                    + " BEGIN SELECT RAISE(ABORT, 'disk I/O error (injected)'); END");
        }
        List<InboxStore.NewIncoming> burst = List.of(received(1), received(2), received(3));
        SqliteClientStore store = SqliteClientStore.open(dir);
        try {
            assertThatThrownBy(() -> store.addIncomingAll(burst)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("injected");
            assertThat(store.allIncoming()).as("none of the burst is stored").isEmpty();
            assertThat(store.hasIncoming(burst.get(0).message().header().messageId())).isFalse();
        } finally {
            store.close();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("client.db"));
             Statement s = c.createStatement()) {
            s.execute("DROP TRIGGER fail_third");
        }
        SqliteClientStore again = SqliteClientStore.open(dir);
        try {
            again.addIncomingAll(List.of(burst.get(0)));
            again.addIncomingAll(burst); // the first is already stored: left as it is
        } finally {
            again.close();
        }
        SqliteClientStore reopened = SqliteClientStore.open(dir);
        try {
            assertThat(reopened.allIncoming()).extracting(in -> in.message().header().messageId())
                    .containsExactlyElementsOf(ids(burst));
        } finally {
            reopened.close();
        }
    }

    /**
     * Each insert takes max(seq)+1 as its place in arrival order: answered from an index, not by
     * reading every stored message, in a database made before the index existed too.
     */
    @Test
    void theArrivalOrderOfEachInsert_isReadFromAnIndex_evenInAnOlderDatabase() throws Exception {
        SqliteClientStore.open(dir).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("client.db"));
             Statement s = c.createStatement()) {
            s.execute("DROP INDEX inbox_seq"); // as a store written before the index
            s.execute("DROP INDEX outbox_seq");
        }
        SqliteClientStore store = SqliteClientStore.open(dir);
        try {
            store.addIncomingAll(List.of(received(1), received(2)));
            assertThat(store.allIncoming()).hasSize(2);
        } finally {
            store.close();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("client.db"));
             Statement s = c.createStatement()) {
            for (String table : List.of("inbox", "outbox")) {
                StringBuilder plan = new StringBuilder();
                try (var rs = s.executeQuery("EXPLAIN QUERY PLAN SELECT coalesce(max(seq),0)+1 FROM " + table)) {
                    while (rs.next()) {
                        plan.append(rs.getString("detail")).append('\n');
                    }
                }
                assertThat(plan.toString()).as(table).contains("INDEX " + table + "_seq");
            }
        }
    }
}
