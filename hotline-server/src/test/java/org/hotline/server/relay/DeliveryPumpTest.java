package org.hotline.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.server.store.AppendResult;
import org.hotline.server.store.StoredEnvelope;
import org.hotline.server.testing.RecordingSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One session's delivery loop against the real mailbox: order, exactly once per connection, its states. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeliveryPumpTest {

    @TempDir
    Path tmp;
    RelayParts parts;
    RecordingSession session;
    DeliveryPump pump;

    @BeforeEach
    void wire() throws Exception {
        parts = new RelayParts(tmp);
        session = new RecordingSession("pk.pm");
        pump = new DeliveryPump(session, parts.mailbox);
    }

    @AfterEach
    void close() throws Exception {
        parts.close();
    }

    private void awaitState(DeliveryPump.State expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (pump.state() != expected) {
            assertThat(System.nanoTime()).as("pump state " + pump.state() + ", expected " + expected)
                    .isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private List<MessageId> delivered() {
        return session.sent(Frame.Deliver.class).stream().map(Frame.Deliver::messageId).toList();
    }

    /**
     * A freshly committed box reaches an idle, caught-up recipient from memory: the store reports
     * each box with the seq of the one before it for that recipient, and the pump sends it only when
     * its cursor is exactly there, so nothing is skipped and nothing read back.
     */
    @Test
    void freshBox_atTheCursor_isSentFromMemory_inOrder_andNeverTwice() throws Exception {
        pump.wake();
        awaitState(DeliveryPump.State.IDLE);
        List<MessageId> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            AppendResult.Stored stored = parts.storedWithBoxes("in.pm", "pk.pm");
            AppendResult.Fresh fresh = stored.fresh().get(0);
            // A box the mailbox never holds proves the pump did not read it back: only memory had it.
            pump.offer(new AppendResult.Fresh(fresh.previousSeq(), new StoredEnvelope(fresh.envelope().seq(),
                    MessageId.of(idBytes(i)), "in.pm", "leaders", fresh.envelope().acceptedAt(),
                    fresh.envelope().box())));
            ids.add(session.sent(Frame.Deliver.class).get(i).messageId());
            awaitState(DeliveryPump.State.IDLE);
            pump.offer(fresh); // the same box again: the cursor is past it
        }
        assertThat(session.sent(Frame.Deliver.class)).hasSize(3);
        assertThat(delivered()).containsExactlyElementsOf(ids);
    }

    /** A fresh box that does not follow the cursor (one before it was never sent) makes the pump read. */
    @Test
    void freshBox_afterAGap_makesThePumpRead_soTheEarlierBoxIsNotSkipped() throws Exception {
        pump.wake();
        awaitState(DeliveryPump.State.IDLE);
        MessageId missed = parts.stored("in.pm", "pk.pm"); // committed, its offer lost
        AppendResult.Stored next = parts.storedWithBoxes("in.pm", "pk.pm");
        pump.offer(next.fresh().get(0));
        session.await(Frame.Deliver.class, 2, Duration.ofSeconds(10));
        awaitState(DeliveryPump.State.IDLE);
        assertThat(delivered()).containsExactly(missed, next.acceptedReceipt().messageId());
    }

    @Test
    void newPump_isIdle_andAnEmptyMailboxSendsNothing() throws Exception {
        assertThat(pump.state()).isEqualTo(DeliveryPump.State.IDLE);
        pump.wake();
        awaitState(DeliveryPump.State.IDLE);
        assertThat(session.sent()).isEmpty();
    }

    @Test
    void backlogLargerThanABatch_isDeliveredInOrder_once_thenTheReceipts_thenIdle() throws Exception {
        List<MessageId> ids = new ArrayList<>();
        for (int i = 0; i < DeliveryPump.BATCH + 20; i++) {
            ids.add(parts.stored("in.pm", "pk.pm"));
        }
        MessageId mine = parts.stored("pk.pm", "in.pm");
        Receipt receipt = parts.receipt(Receipt.Type.DELIVERED, mine, "in.pm", "pk.pm");
        parts.mailbox.storeReceipt("pk.pm", receipt).get();

        pump.wake();

        session.await(Frame.Deliver.class, ids.size(), Duration.ofSeconds(20));
        assertThat(session.await(Frame.ReceiptNotice.class).receipt()).isEqualTo(receipt);
        awaitState(DeliveryPump.State.IDLE);
        assertThat(delivered()).containsExactlyElementsOf(ids);

        pump.wake();
        awaitState(DeliveryPump.State.IDLE);
        Thread.sleep(100);
        assertThat(delivered()).as("nothing is sent twice on one connection").hasSize(ids.size());
        assertThat(session.sent(Frame.ReceiptNotice.class)).hasSize(1);
    }

    @Test
    void wakesWhileDraining_deliverEverythingCommitted_exactlyOnce() throws Exception {
        List<MessageId> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(parts.stored("in.pm", "pk.pm"));
            pump.wake();
        }
        session.await(Frame.Deliver.class, ids.size(), Duration.ofSeconds(10));
        awaitState(DeliveryPump.State.IDLE);
        Thread.sleep(100);
        assertThat(delivered()).containsExactlyElementsOf(ids);
    }

    @Test
    void failedRead_leavesThePumpIdle_andTheNextWakeStartsFromTheSameCursor() throws Exception {
        MessageId first = parts.stored("in.pm", "pk.pm");
        pump.wake();
        session.await(Frame.Deliver.class);
        awaitState(DeliveryPump.State.IDLE);

        MessageId second = parts.stored("in.pm", "pk.pm");
        parts.mailbox.failReads(true);
        pump.wake();
        awaitState(DeliveryPump.State.IDLE);
        assertThat(delivered()).containsExactly(first);

        parts.mailbox.failReads(false);
        pump.wake();
        session.await(Frame.Deliver.class, 2, Duration.ofSeconds(10));
        awaitState(DeliveryPump.State.IDLE);
        assertThat(delivered()).containsExactly(first, second);
    }

    @Test
    void stoppedPump_ignoresWakes() throws Exception {
        parts.stored("in.pm", "pk.pm");
        pump.stop();
        pump.wake();
        Thread.sleep(200);
        assertThat(pump.state()).isEqualTo(DeliveryPump.State.STOPPED);
        assertThat(session.sent()).isEmpty();
    }

    static byte[] idBytes(int i) {
        byte[] b = new byte[16];
        java.util.Arrays.fill(b, (byte) (0x40 + i));
        return b;
    }
}
