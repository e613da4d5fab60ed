package org.hotline.client.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hotline.client.core.DeliveryState;
import org.hotline.protocol.crypto.ReceiptSigner;
import org.hotline.protocol.pki.RelayCredential;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Receipts and acknowledgements without a relay: the test signs as the relay and reads what the engines send. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeliveryTrackerTest {

    @TempDir
    static Path shared;
    static TestExercise exercise;
    static RelayCredential relay;

    @TempDir
    Path tmp;
    EngineHarness india;
    EngineHarness pakistan;

    @BeforeAll
    static void pki() throws Exception {
        exercise = TestExercise.create(shared);
        relay = exercise.relay();
    }

    @BeforeEach
    void engines() throws Exception {
        india = EngineHarness.open(exercise, tmp.resolve("in.pm"), "in.pm");
        pakistan = EngineHarness.open(exercise, tmp.resolve("pk.pm"), "pk.pm");
        india.welcome();
        pakistan.welcome();
    }

    @AfterEach
    void close() {
        india.close();
        pakistan.close();
    }

    /** India sends; Pakistan receives; returns Pakistan's DELIVERED receipt as the relay would pass it on. */
    Receipt sendAndDeliver(String text) throws Exception {
        Frame.Send m = InboxTest.send(india, "pk.pm", text);
        pakistan.connection.inject(EngineHarness.deliverTo("pk.pm", m));
        pakistan.sync();
        return pakistan.connection.sent(Frame.DeliveryAck.class).stream()
                .filter(a -> a.receipt().messageId().equals(m.messageId())).findFirst().orElseThrow().receipt();
    }

    void toIndia(Frame f) throws Exception {
        india.connection.inject(f);
        india.sync();
    }

    List<Frame.ReceiptAck> receiptAcks() {
        return india.connection.sent(Frame.ReceiptAck.class);
    }

    @Test
    void accepted_thenDelivered_moveTheStates_andOnlyTheNoticeIsConfirmed() throws Exception {
        Receipt delivered = sendAndDeliver("hello");
        MessageId id = delivered.messageId();
        toIndia(EngineHarness.accepted(relay, id, "in.pm"));
        assertThat(india.events.statesOf(id)).containsExactly(DeliveryState.QUEUED, DeliveryState.ACCEPTED);
        assertThat(receiptAcks()).isEmpty();
        toIndia(new Frame.ReceiptNotice(delivered));
        assertThat(india.events.statesOf(id)).containsExactly(DeliveryState.QUEUED, DeliveryState.ACCEPTED,
                DeliveryState.DELIVERED);
        assertThat(receiptAcks()).containsExactly(new Frame.ReceiptAck(id, Receipt.Type.DELIVERED));
        assertThat(india.memory.outgoing(id).orElseThrow().state()).isEqualTo(DeliveryState.DELIVERED);
        assertThat(india.events.problems).isEmpty();
    }

    @Test
    void whenState_completesWithTheReceipt_andAtOnceWhenAlreadyReached() throws Exception {
        Receipt delivered = sendAndDeliver("wait for me");
        MessageId id = delivered.messageId();
        CompletableFuture<DeliveryState> waiting = india.onEngine(() -> india.engine.tracker.whenState(id,
                DeliveryState.DELIVERED));
        toIndia(EngineHarness.accepted(relay, id, "in.pm"));
        assertThat(waiting).isNotDone();
        toIndia(new Frame.ReceiptNotice(delivered));
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo(DeliveryState.DELIVERED);
        CompletableFuture<DeliveryState> late = india.onEngine(() -> india.engine.tracker.whenState(id,
                DeliveryState.ACCEPTED));
        assertThat(late).isCompletedWithValue(DeliveryState.DELIVERED);
    }

    @Test
    void anAcknowledgement_impliesDelivery_andIsReSentOnEveryConnect() throws Exception {
        MessageId id = sendAndDeliver("please acknowledge").messageId();
        pakistan.onEngine(() -> {
            pakistan.engine.tracker.acknowledge(id);
            return null;
        });
        Receipt ack = pakistan.connection.sent(Frame.ReceiptNotice.class).get(0).receipt();
        assertThat(ack.type()).isEqualTo(Receipt.Type.ACKNOWLEDGED);
        assertThat(pakistan.events.received).last().satisfies(r -> assertThat(r.acknowledged()).isTrue());

        toIndia(new Frame.ReceiptNotice(ack));
        assertThat(india.events.statesOf(id)).containsExactly(DeliveryState.QUEUED, DeliveryState.ACCEPTED,
                DeliveryState.DELIVERED, DeliveryState.ACKNOWLEDGED);

        pakistan.connection.disconnect("test");
        pakistan.connection.forget();
        pakistan.welcome();
        assertThat(pakistan.connection.sent(Frame.ReceiptNotice.class)).extracting(Frame.ReceiptNotice::receipt)
                .containsExactly(ack);
    }

    @Test
    void aReceiptFromSomeoneWhoWasNotARecipient_isIgnored() throws Exception {
        MessageId id = sendAndDeliver("for pk.pm only").messageId();
        Receipt stranger = ReceiptSigner.sign(exercise.role("in.nsa").identity(), Receipt.Type.DELIVERED, id, "in.nsa",
                "in.pm", Instant.now());
        toIndia(new Frame.ReceiptNotice(stranger));
        assertThat(india.events.statesOf(id)).containsExactly(DeliveryState.QUEUED);
        assertThat(receiptAcks()).isEmpty();
        assertThat(india.events.problems).anySatisfy(p -> assertThat(p).contains("who was not a recipient"));
    }

    @Test
    void aReceiptSignedWithTheWrongKey_isRejected() throws Exception {
        MessageId id = sendAndDeliver("forge me").messageId();
        Receipt forged = ReceiptSigner.sign(exercise.role("in.nsa").identity(), Receipt.Type.DELIVERED, id, "pk.pm",
                "in.pm", Instant.now());
        toIndia(new Frame.ReceiptNotice(forged));
        assertThat(india.events.statesOf(id)).containsExactly(DeliveryState.QUEUED);
        assertThat(receiptAcks()).isEmpty();
        assertThat(india.events.problems).anySatisfy(p -> assertThat(p).contains("rejected"));
    }

    @Test
    void aReceiptWhoseStateCannotBeStored_isNotConfirmed_andCountsWhenTheRelaySendsItAgain() throws Exception {
        Receipt delivered = sendAndDeliver("store me");
        MessageId id = delivered.messageId();
        india.outbox.failNextWrites(1);
        toIndia(new Frame.ReceiptNotice(delivered));
        assertThat(receiptAcks()).as("the relay keeps re-sending an unconfirmed notice").isEmpty();
        assertThat(india.events.statesOf(id)).containsExactly(DeliveryState.QUEUED);
        assertThat(india.events.problems).anySatisfy(p -> assertThat(p).contains("disk full"));

        toIndia(new Frame.ReceiptNotice(delivered));
        assertThat(receiptAcks()).containsExactly(new Frame.ReceiptAck(id, Receipt.Type.DELIVERED));
        assertThat(india.events.statesOf(id)).containsExactly(DeliveryState.QUEUED, DeliveryState.ACCEPTED,
                DeliveryState.DELIVERED);
    }
}
