package org.hotline.client.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.hotline.client.core.DeliveryState;
import org.hotline.protocol.crypto.ReceiptSigner;
import org.hotline.protocol.pki.RelayCredential;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.FrameCodec;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review N2: on a channel with several recipients (here pk.nsa seated on the leaders' channel too),
 * one recipient's {@code delivered} receipt refuses a later rejection by that recipient only; another
 * recipient that rejected every relay's copy is reported as unable to read it, not as "already
 * delivered".
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RecipientRejectionTest {

    @TempDir
    static Path shared;
    static TestExercise exercise;
    static RelayCredential relay;

    @TempDir
    Path tmp;
    EngineHarness india;

    @BeforeAll
    static void pki() throws Exception {
        exercise = TestExercise.fromTemplate(shared, json -> json.replace(
                "\"members\": [\"in.pm\", \"pk.pm\"]", "\"members\": [\"in.pm\", \"pk.pm\", \"pk.nsa\"]"));
        relay = exercise.relay();
    }

    @BeforeEach
    void engine() throws Exception {
        india = EngineHarness.open(exercise, tmp.resolve("in.pm"), "in.pm");
        india.welcome();
    }

    @AfterEach
    void close() {
        india.close();
    }

    private void toIndia(Frame f) throws Exception {
        india.connection.inject(f);
        india.sync();
    }

    private static Receipt rejection(String by, Frame.Send m, Instant acceptedAt) throws Exception {
        return ReceiptSigner.signRejected(exercise.role(by).identity(), exercise.role(by).exerciseId(),
                new Frame.Deliver(m.messageId(), m.sender(), m.channel(), acceptedAt,
                        EngineHarness.deliverTo(by, m).box()), by, Receipt.RejectReason.DECRYPTION_FAILED, Instant.now());
    }

    @Test
    void oneRecipientsDeliveredReceipt_doesNotHideAnotherRecipientsRejection() throws Exception {
        Frame.Send sent = InboxTest.send(india, "pk.pm", "to both of Pakistan's seats");
        Frame.Send m = (Frame.Send) FrameCodec.decode(india.memory.outgoing(sent.messageId()).orElseThrow().sendFrame());
        MessageId id = m.messageId();
        assertThat(india.memory.outgoing(id).orElseThrow().recipients()).contains("pk.pm", "pk.nsa");
        Instant at = Instant.now().minusSeconds(5);
        toIndia(new Frame.Accepted(ReceiptSigner.signAccepted(relay.identity(), relay.name(), relay.exerciseId(), m, at)));
        toIndia(new Frame.ReceiptNotice(ReceiptSigner.sign(exercise.role("pk.pm").identity(), Receipt.Type.DELIVERED,
                india.memory.outgoing(id).orElseThrow().message(), "pk.pm", Instant.now())));

        toIndia(new Frame.ReceiptNotice(rejection("pk.nsa", m, at)));
        assertThat(india.memory.outgoing(id).orElseThrow().state()).isEqualTo(DeliveryState.DELIVERED);
        assertThat(india.events.problems).anySatisfy(p -> assertThat(p)
                .contains("rejected by pk.nsa").contains("will not be delivered to pk.nsa"));
        assertThat(india.connection.sent(Frame.ReceiptAck.class))
                .contains(new Frame.ReceiptAck(id, Receipt.Type.REJECTED, "pk.nsa"));

        // The recipient who confirmed it cannot take that back.
        toIndia(new Frame.ReceiptNotice(rejection("pk.pm", m, at)));
        assertThat(india.memory.outgoing(id).orElseThrow().state()).isEqualTo(DeliveryState.DELIVERED);
        assertThat(india.events.problems).anySatisfy(p -> assertThat(p)
                .contains("rejected by pk.pm").contains("already delivered to pk.pm, so it stays delivered"));
    }

    @Test
    void anotherRecipientsRejectionFirst_thenADeliveredReceipt_endsDelivered_asInTheOtherOrder() throws Exception {
        Frame.Send sent = InboxTest.send(india, "pk.pm", "to both of Pakistan's seats, receipts reordered");
        Frame.Send m = (Frame.Send) FrameCodec.decode(india.memory.outgoing(sent.messageId()).orElseThrow().sendFrame());
        MessageId id = m.messageId();
        Instant at = Instant.now().minusSeconds(5);
        toIndia(new Frame.Accepted(ReceiptSigner.signAccepted(relay.identity(), relay.name(), relay.exerciseId(), m, at)));

        toIndia(new Frame.ReceiptNotice(rejection("pk.nsa", m, at)));
        assertThat(india.memory.outgoing(id).orElseThrow().state()).isEqualTo(DeliveryState.REJECTED);

        toIndia(new Frame.ReceiptNotice(ReceiptSigner.sign(exercise.role("pk.pm").identity(), Receipt.Type.DELIVERED,
                india.memory.outgoing(id).orElseThrow().message(), "pk.pm", Instant.now())));
        assertThat(india.memory.outgoing(id).orElseThrow().state()).as("pk.pm has it").isEqualTo(DeliveryState.DELIVERED);
        assertThat(india.events.problems).anySatisfy(p -> assertThat(p)
                .contains("rejected by another recipient, but pk.pm confirmed it"));

        // The recipient that rejected every copy cannot confirm it afterwards, nor move it back.
        toIndia(new Frame.ReceiptNotice(rejection("pk.pm", m, at)));
        assertThat(india.memory.outgoing(id).orElseThrow().state()).isEqualTo(DeliveryState.DELIVERED);
    }

    @Test
    void aRecipientThatRejectedEveryCopy_cannotConfirmTheRejectedMessageAfterwards() throws Exception {
        Frame.Send sent = InboxTest.send(india, "pk.pm", "rejected, then a contradicting confirmation");
        Frame.Send m = (Frame.Send) FrameCodec.decode(india.memory.outgoing(sent.messageId()).orElseThrow().sendFrame());
        MessageId id = m.messageId();
        Instant at = Instant.now().minusSeconds(5);
        toIndia(new Frame.Accepted(ReceiptSigner.signAccepted(relay.identity(), relay.name(), relay.exerciseId(), m, at)));
        toIndia(new Frame.ReceiptNotice(rejection("pk.nsa", m, at)));
        toIndia(new Frame.ReceiptNotice(ReceiptSigner.sign(exercise.role("pk.nsa").identity(), Receipt.Type.DELIVERED,
                india.memory.outgoing(id).orElseThrow().message(), "pk.nsa", Instant.now())));
        assertThat(india.memory.outgoing(id).orElseThrow().state()).isEqualTo(DeliveryState.REJECTED);
    }
}
