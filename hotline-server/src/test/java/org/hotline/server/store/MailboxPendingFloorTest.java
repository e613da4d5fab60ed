package org.hotline.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SealedBox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader's per-recipient pending floor (review w8 M1): a pass from cursor 0 starts at the
 * first box the last walk found pending, not at the recipient's first box still within retention.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MailboxPendingFloorTest {

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

    MessageId append(String recipient) throws Exception {
        MessageId id = MessageId.random(random);
        Receipt accepted = receipt(Receipt.Type.ACCEPTED, id, "relay");
        Envelope e = new Envelope(id, "in.pm", "leaders", now,
                List.of(new SealedBox(recipient, 1, new byte[1120], new byte[64])), new byte[] {1}, accepted);
        mailbox.append(e, 10_000, 1 << 30).get(10, TimeUnit.SECONDS);
        return id;
    }

    void deliver(MessageId id, String recipient) throws Exception {
        assertThat(mailbox.markDelivered(id, recipient, receipt(Receipt.Type.DELIVERED, id, recipient), now)
                .get(10, TimeUnit.SECONDS)).isPresent();
    }

    Receipt receipt(Receipt.Type type, MessageId id, String asserter) {
        return Receipt.of(new Receipt.Fields(type, ExerciseId.of(new byte[32]), id, asserter, "in.pm", "leaders", now,
                Hash32.ZERO), new byte[64]);
    }

    List<Long> pendingSeqs(String recipient, long afterSeq) throws Exception {
        List<Long> seqs = new ArrayList<>();
        for (StoredEnvelope e : mailbox.pending(recipient, afterSeq, 100).get(10, TimeUnit.SECONDS)) {
            seqs.add(e.seq());
        }
        return seqs;
    }

    long seqOf(MessageId id, String recipient) throws Exception {
        return mailbox.pending(recipient, 0, 100).get(10, TimeUnit.SECONDS).stream()
                .filter(e -> e.messageId().equals(id)).findFirst().orElseThrow().seq();
    }

    /**
     * Makes box {@code seq} pending again behind the mailbox's back. That state cannot arise (a
     * delivered row goes only with its box), which is what makes it a probe: a walk that starts at
     * the floor does not visit that row, a walk from the recipient's first box would return it.
     */
    void forgetDelivery(long seq) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteMailbox.FILE_NAME));
             PreparedStatement ps = c.prepareStatement("DELETE FROM delivered WHERE seq = ?")) {
            ps.setLong(1, seq);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    @Test
    void aPassFromCursorZero_afterManyDeliveredBoxes_startsAtTheFloor() throws Exception {
        List<MessageId> ids = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            MessageId id = append("pk.pm");
            ids.add(id);
            seqs.add(seqOf(id, "pk.pm"));
            deliver(id, "pk.pm");
        }
        // Another recipient's boxes interleave with the seqs and have floors of their own.
        MessageId other = append("pk.nsa");
        assertThat(pendingSeqs("pk.pm", 0)).isEmpty(); // this walk sets the floor above the newest box
        MessageId fresh = append("pk.pm");
        long freshSeq = seqOf(fresh, "pk.pm");

        forgetDelivery(seqs.get(0));
        forgetDelivery(seqs.get(299));
        // From cursor 0 the walk starts at the floor: only the new box, none of the 300 below it.
        assertThat(pendingSeqs("pk.pm", 0)).containsExactly(freshSeq);
        // A cursor above the floor is kept as it is.
        assertThat(pendingSeqs("pk.pm", freshSeq)).isEmpty();
        assertThat(mailbox.pending("pk.nsa", 0, 100).get(10, TimeUnit.SECONDS))
                .extracting(StoredEnvelope::messageId).containsExactly(other);

        // A reopened mailbox has no floor yet: the first walk goes over every box again.
        mailbox.close();
        mailbox = SqliteMailbox.open(dir, 64, Clock.systemUTC());
        assertThat(pendingSeqs("pk.pm", 0)).containsExactly(seqs.get(0), seqs.get(299), freshSeq);
    }

    @Test
    void aBoxSentButNotAcknowledged_isSentAgainAfterAReconnect_thoughLaterBoxesWereDelivered() throws Exception {
        for (int i = 0; i < 50; i++) {
            deliver(append("pk.pm"), "pk.pm");
        }
        MessageId unacked = append("pk.pm");
        long unackedSeq = seqOf(unacked, "pk.pm");
        List<MessageId> later = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            later.add(append("pk.pm"));
        }
        // The first session's pass from cursor 0 sends everything pending; the pump's cursor moves on.
        List<Long> sent = pendingSeqs("pk.pm", 0);
        assertThat(sent).hasSize(21).startsWith(unackedSeq);
        // Every box after the unacknowledged one is acknowledged; the floor is still its seq.
        for (MessageId id : later) {
            deliver(id, "pk.pm");
        }
        assertThat(pendingSeqs("pk.pm", sent.get(20))).isEmpty();

        // Reconnect: a pass from cursor 0 (twice: the floor stays) sends it again.
        assertThat(pendingSeqs("pk.pm", 0)).containsExactly(unackedSeq);
        assertThat(pendingSeqs("pk.pm", 0)).containsExactly(unackedSeq);
        MessageId fresh = append("pk.pm");
        assertThat(pendingSeqs("pk.pm", 0)).containsExactly(unackedSeq, seqOf(fresh, "pk.pm"));

        // Once acknowledged, the floor moves above it and the next pass finds only the new box.
        deliver(unacked, "pk.pm");
        assertThat(pendingSeqs("pk.pm", 0)).containsExactly(seqOf(fresh, "pk.pm"));
    }
}
