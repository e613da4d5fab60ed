package org.hotline.client.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
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
 * The revoked certificate a message was verified under is kept with it (PROTOCOL.md §4.4), also in
 * a client.db written before the columns existed: its rows read back unflagged, new rows flagged.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqliteClientStoreRevokedSignerTest {

    @TempDir
    Path dir;
    final SecureRandom random = new SecureRandom();
    final IdentityKeyPair india = IdentityKeyPair.generate(random);
    final Instant t = Instant.parse("2026-05-10T14:00:00Z");

    SignedMessage message(long counter) {
        return MessageSigner.sign(india, new MessageHeader(ExerciseId.of(new byte[32]), MessageId.random(random), "in.pm",
                List.of("pk.pm"), "leaders", counter, t, Hash32.ZERO, Hash32.ZERO, "1", Optional.empty(),
                Optional.empty()), new Content.Text("text " + counter));
    }

    @Test
    void anOlderDatabase_gainsTheColumns_andKeepsItsRowsUnflagged_whileNewRowsKeepTheirFlag() throws Exception {
        SignedMessage old = message(1);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("client.db"));
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE inbox(message_id BLOB PRIMARY KEY, sender TEXT NOT NULL,"
                    + " channel TEXT NOT NULL, counter INTEGER NOT NULL, signed_message BLOB NOT NULL,"
                    + " hash BLOB NOT NULL, received_at INTEGER NOT NULL, acknowledged_at INTEGER,"
                    + " seq INTEGER NOT NULL, ack_receipt BLOB)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO inbox VALUES (?,?,?,?,?,?,?,NULL,1,NULL)")) {
                ps.setBytes(1, old.header().messageId().bytes());
                ps.setString(2, "in.pm");
                ps.setString(3, "leaders");
                ps.setLong(4, 1);
                ps.setBytes(5, old.encode());
                ps.setBytes(6, Hashes.messageHash(old).bytes());
                ps.setLong(7, t.toEpochMilli());
                ps.executeUpdate();
            }
        }
        SignedMessage flagged = message(2);
        InboxStore.RevokedSigner signer = new InboxStore.RevokedSigner(t.minusSeconds(60), "ab:cd");
        SqliteClientStore store = SqliteClientStore.open(dir);
        try {
            store.addIncoming(flagged, Hashes.messageHash(flagged), t.plusSeconds(1), Optional.of(signer));
        } finally {
            store.close();
        }
        store = SqliteClientStore.open(dir);
        try {
            assertThat(store.allIncoming()).extracting(in -> in.message().header().messageId(), InboxStore.Incoming::revokedSigner)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(old.header().messageId(), Optional.empty()),
                            org.assertj.core.groups.Tuple.tuple(flagged.header().messageId(), Optional.of(signer)));
        } finally {
            store.close();
        }
    }
}
