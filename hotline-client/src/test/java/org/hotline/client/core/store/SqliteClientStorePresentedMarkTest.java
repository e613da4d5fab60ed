package org.hotline.client.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
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
 * The per-consumer presentation mark of the inbox ({@code hotline listen}'s place in it): durable
 * across a reopen, never moving back, per consumer, and in a client.db written before the mark
 * existed starting at that inbox's end.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqliteClientStorePresentedMarkTest {

    @TempDir
    Path dir;
    final SecureRandom random = new SecureRandom();
    final IdentityKeyPair india = IdentityKeyPair.generate(random);
    final Instant t = Instant.parse("2026-05-10T14:00:00Z");
    long counter;

    SignedMessage message() {
        counter++;
        return MessageSigner.sign(india, new MessageHeader(ExerciseId.of(new byte[32]), MessageId.random(random), "in.pm",
                List.of("pk.pm"), "leaders", counter, t, Hash32.ZERO, Hash32.ZERO, "1", Optional.empty(),
                Optional.empty()), new Content.Text("text " + counter));
    }

    /** Stores {@code n} new messages as one batch; returns their ids in order. */
    List<MessageId> store(SqliteClientStore store, int n) throws StoreException {
        List<InboxStore.NewIncoming> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SignedMessage m = message();
            rows.add(new InboxStore.NewIncoming(m, Hashes.messageHash(m), t, Optional.empty()));
        }
        store.addIncomingAll(rows);
        return rows.stream().map(r -> r.message().header().messageId()).toList();
    }

    @Test
    void aNewStore_presentsEverything_thenWhatFollowsTheMark_acrossAReopen() throws Exception {
        List<MessageId> ids;
        try (SqliteClientStore store = SqliteClientStore.open(dir)) {
            ids = store(store, 5);
            assertThat(store.unpresented("listen")).containsExactlyElementsOf(ids);
            store.markPresented("listen", ids.get(2));
            assertThat(store.unpresented("listen")).containsExactly(ids.get(3), ids.get(4));
        }
        try (SqliteClientStore store = SqliteClientStore.open(dir)) {
            assertThat(store.unpresented("listen")).as("after a reopen").containsExactly(ids.get(3), ids.get(4));
            assertThat(store.unpresented("other")).as("another consumer has its own mark")
                    .containsExactlyElementsOf(ids);
            store.markPresented("listen", ids.get(4));
            assertThat(store.unpresented("listen")).isEmpty();
            List<MessageId> later = store(store, 2);
            assertThat(store.unpresented("listen")).containsExactlyElementsOf(later);
        }
    }

    @Test
    void theMarkNeverMovesBack_andAnUnknownIdChangesNothing() throws Exception {
        try (SqliteClientStore store = SqliteClientStore.open(dir)) {
            List<MessageId> ids = store(store, 4);
            store.markPresented("listen", ids.get(2));
            store.markPresented("listen", ids.get(0));
            store.markPresented("listen", MessageId.random(random));
            assertThat(store.unpresented("listen")).containsExactly(ids.get(3));
            assertThatThrownBy(() -> store.markPresented("", ids.get(3))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /**
     * A client.db of the previous schema (every table but the marks) with messages in it: those
     * count as presented, as that version printed only live ones, and what arrives after the
     * upgrade is presented; the baseline is taken once, not again at the next open.
     */
    @Test
    void aStoreOfThePreviousSchema_startsItsMarksAtItsEnd() throws Exception {
        List<MessageId> before;
        try (SqliteClientStore store = SqliteClientStore.open(dir)) {
            before = store(store, 3);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("client.db"));
             Statement s = c.createStatement()) {
            s.execute("DROP TABLE presented_marks"); // the schema as the previous version left it
        }
        List<MessageId> after;
        try (SqliteClientStore store = SqliteClientStore.open(dir)) {
            assertThat(store.unpresented("listen")).as("stored before the upgrade").isEmpty();
            after = store(store, 2);
            assertThat(store.unpresented("listen")).containsExactlyElementsOf(after);
            store.markPresented("listen", before.get(0));
            assertThat(store.unpresented("listen")).as("a first mark below the baseline")
                    .containsExactlyElementsOf(after);
        }
        try (SqliteClientStore store = SqliteClientStore.open(dir)) {
            assertThat(store.unpresented("listen")).as("the baseline is not moved by a reopen")
                    .containsExactlyElementsOf(after);
            assertThat(store.unpresented("console")).containsExactlyElementsOf(after);
        }
    }

    /** A first run on an empty previous-schema store presents everything that arrives. */
    @Test
    void anEmptyStoreOfThePreviousSchema_presentsEverythingThatArrives() throws Exception {
        try (SqliteClientStore store = SqliteClientStore.open(dir)) {
            assertThat(store.unpresented("listen")).isEmpty();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("client.db"));
             Statement s = c.createStatement()) {
            s.execute("DROP TABLE presented_marks");
        }
        try (SqliteClientStore store = SqliteClientStore.open(dir)) {
            List<MessageId> ids = store(store, 2);
            assertThat(store.unpresented("listen")).containsExactlyElementsOf(ids);
        }
    }
}
