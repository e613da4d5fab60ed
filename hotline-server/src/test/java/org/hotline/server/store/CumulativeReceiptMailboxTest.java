package org.hotline.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.wire.CumulativeReceipt;
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
 * What the mailbox stores of a cumulative receipt (PROTOCOL.md §6.1): only one that completes at
 * least one box it holds, once, and at most a bounded number waiting for one sender from one
 * asserter. The relay has verified the signature before; the mailbox does not look at it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CumulativeReceiptMailboxTest {

    private static final int CAP = 3;

    @TempDir
    Path dir;
    SqliteMailbox mailbox;
    final SecureRandom random = new SecureRandom();
    final Instant now = Instant.parse("2026-05-10T14:00:00Z");
    final ExerciseId exercise = ExerciseId.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
            17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});

    @BeforeEach
    void open() {
        mailbox = SqliteMailbox.open(dir, 64, Clock.systemUTC(), CAP);
    }

    @AfterEach
    void close() {
        mailbox.close();
    }

    private MessageId stored() throws Exception {
        MessageId id = MessageId.random(random);
        Receipt accepted = Receipt.of(new Receipt.Fields(Receipt.Type.ACCEPTED, exercise, id, "relay", "in.pm",
                "leaders", now, Hash32.ZERO), new byte[64]);
        AppendResult r = mailbox.append(new Envelope(id, "in.pm", "leaders", now,
                List.of(new SealedBox("pk.pm", 1, new byte[32], new byte[64])), new byte[] {1}, accepted),
                10_000, 1L << 30).get();
        assertThat(r).isInstanceOf(AppendResult.Stored.class);
        return id;
    }

    private CumulativeReceipt receipt(List<MessageId> ids) {
        return CumulativeReceipt.of(new CumulativeReceipt.Fields(exercise, "pk.pm", "in.pm", "leaders", 1,
                ids.size(), Hash32.ZERO, now, ids), new byte[64]);
    }

    private Mailbox.ThroughOutcome through(List<MessageId> ids) throws Exception {
        return mailbox.markDeliveredThrough("pk.pm", receipt(ids), now).get();
    }

    private int waitingForSender() throws Exception {
        return mailbox.pendingReceipts("in.pm", 0, 1000).get().size();
    }

    @Test
    void aReceiptOverIdsNeverHeldHere_isNotStored() throws Exception {
        // With several relays: another relay delivered these; this one holds none of them.
        assertThat(through(List.of(MessageId.random(random), MessageId.random(random))))
                .isInstanceOf(Mailbox.ThroughOutcome.Unknown.class);
        assertThat(waitingForSender()).isZero();
    }

    @Test
    void aReceiptPairingAnAlreadyConfirmedBoxWithUnknownIds_isNotStored() throws Exception {
        MessageId old = stored();
        assertThat(through(List.of(old))).isEqualTo(new Mailbox.ThroughOutcome.Stored(1));
        // The review's attack: one real (already delivered) box and a fresh random head, again and again.
        for (int i = 0; i < 5; i++) {
            assertThat(through(List.of(old, MessageId.random(random))))
                    .isInstanceOf(Mailbox.ThroughOutcome.Unknown.class);
        }
        assertThat(waitingForSender()).isEqualTo(1);
    }

    @Test
    void aReplay_isNotStoredAgain_andAPartlyHeldReceipt_marksExactlyTheBoxesHeld() throws Exception {
        MessageId a = stored();
        MessageId b = stored();
        MessageId elsewhere = MessageId.random(random);
        List<MessageId> ids = List.of(a, elsewhere, b);

        assertThat(through(ids)).isEqualTo(new Mailbox.ThroughOutcome.Stored(2));
        assertThat(through(ids)).isInstanceOf(Mailbox.ThroughOutcome.Unknown.class);

        assertThat(mailbox.pending("pk.pm", 0, 100).get()).isEmpty();
        assertThat(waitingForSender()).isEqualTo(1);
    }

    @Test
    void beyondTheBound_aNewReceiptIsRefused_andItsBoxesStayUndelivered_untilTheSenderConfirms() throws Exception {
        List<CumulativeReceipt> kept = new ArrayList<>();
        for (int i = 0; i < CAP; i++) {
            CumulativeReceipt r = receipt(List.of(stored()));
            assertThat(mailbox.markDeliveredThrough("pk.pm", r, now).get()).isEqualTo(new Mailbox.ThroughOutcome.Stored(1));
            kept.add(r);
        }
        MessageId over = stored();

        assertThat(through(List.of(over))).isEqualTo(new Mailbox.ThroughOutcome.Full(CAP));
        assertThat(mailbox.pending("pk.pm", 0, 100).get()).extracting(StoredEnvelope::messageId).containsExactly(over);
        assertThat(waitingForSender()).isEqualTo(CAP);

        // The sender confirms one: room for one more.
        mailbox.markReceiptDelivered("in.pm", kept.get(0).headId(), Receipt.Type.DELIVERED_THROUGH, "pk.pm", now).get();
        assertThat(through(List.of(over))).isEqualTo(new Mailbox.ThroughOutcome.Stored(1));
    }

    @Test
    void theBound_holdsAcrossARestart_andAConfirmationRepeated_freesOnePlaceOnly() throws Exception {
        List<CumulativeReceipt> kept = new ArrayList<>();
        for (int i = 0; i < CAP; i++) {
            CumulativeReceipt r = receipt(List.of(stored()));
            assertThat(mailbox.markDeliveredThrough("pk.pm", r, now).get()).isEqualTo(new Mailbox.ThroughOutcome.Stored(1));
            kept.add(r);
        }
        mailbox.close();
        mailbox = SqliteMailbox.open(dir, 64, Clock.systemUTC(), CAP);
        MessageId over = stored();
        MessageId later = stored();

        assertThat(through(List.of(over))).as("the waiting receipts are counted from disk at open")
                .isEqualTo(new Mailbox.ThroughOutcome.Full(CAP));

        // The same confirmation twice (a re-sent RECEIPT_ACK) and one for a receipt never stored.
        for (int i = 0; i < 2; i++) {
            mailbox.markReceiptDelivered("in.pm", kept.get(0).headId(), Receipt.Type.DELIVERED_THROUGH, "pk.pm", now)
                    .get();
        }
        mailbox.markReceiptDelivered("in.pm", MessageId.random(random), Receipt.Type.DELIVERED_THROUGH, "pk.pm", now)
                .get();
        assertThat(through(List.of(over))).isEqualTo(new Mailbox.ThroughOutcome.Stored(1));
        assertThat(through(List.of(later))).isEqualTo(new Mailbox.ThroughOutcome.Full(CAP));
    }

    @Test
    void aReceiptOverMoreIdsThanOneLookup_marksEveryBox_andAMismatchAnywhereChangesNothing() throws Exception {
        List<MessageId> ids = new ArrayList<>();
        for (int i = 0; i < 75; i++) {
            ids.add(stored());
        }
        // Box 70 came from another sender: the receipt is refused as a whole.
        MessageId foreign = MessageId.random(random);
        Receipt accepted = Receipt.of(new Receipt.Fields(Receipt.Type.ACCEPTED, exercise, foreign, "relay", "cn.pm",
                "leaders", now, Hash32.ZERO), new byte[64]);
        mailbox.append(new Envelope(foreign, "cn.pm", "leaders", now,
                List.of(new SealedBox("pk.pm", 1, new byte[32], new byte[64])), new byte[] {1}, accepted),
                10_000, 1L << 30).get();
        List<MessageId> withForeign = new ArrayList<>(ids);
        withForeign.add(70, foreign);
        assertThat(through(withForeign)).isInstanceOf(Mailbox.ThroughOutcome.Refused.class);
        assertThat(mailbox.pending("pk.pm", 0, 1000).get()).hasSize(76);

        assertThat(through(ids)).isEqualTo(new Mailbox.ThroughOutcome.Stored(75));
        assertThat(mailbox.pending("pk.pm", 0, 1000).get()).extracting(StoredEnvelope::messageId)
                .containsExactly(foreign);
    }
}
