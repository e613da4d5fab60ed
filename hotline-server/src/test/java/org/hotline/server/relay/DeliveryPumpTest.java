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
}
