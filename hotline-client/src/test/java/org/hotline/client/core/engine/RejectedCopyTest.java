package org.hotline.client.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
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
 * Review F1, with two relays (PROTOCOL.md §13): a recipient's rejection names one relay's copy. A
 * message is rejected for its sender only once the recipient rejected the copy of every relay that
 * accepted it, so one relay that delivers the genuine box with its {@code acceptedAt} postdated (a
 * revoked sender) or its prekey id changed cannot get a message recorded as rejected that the
 * other relay delivered.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RejectedCopyTest {

    @TempDir
    static Path shared;
    static TestExercise exercise;
    static RelayCredential relayIn;
    static RelayCredential relayPk;

    @TempDir
    Path tmp;
    EngineHarness india;

    @BeforeAll
    static void pki() throws Exception {
        exercise = TestExercise.withRelays(shared, 2);
        relayIn = exercise.relay("relay-in");
        relayPk = exercise.relay("relay-pk");
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

    /** Relay {@code relay}'s signed ACCEPTED of {@code m} at {@code at}. */
    private static Frame.Accepted accepted(RelayCredential relay, Frame.Send m, Instant at) {
        return new Frame.Accepted(ReceiptSigner.signAccepted(relay.identity(), relay.name(), relay.exerciseId(), m, at));
    }

    /** Pakistan's rejection of the genuine box, as delivered with {@code acceptedAt}. */
    private static Receipt rejection(Frame.Send m, Instant acceptedAt, Receipt.RejectReason reason) throws Exception {
        return ReceiptSigner.signRejected(exercise.role("pk.pm").identity(), exercise.role("pk.pm").exerciseId(),
                new Frame.Deliver(m.messageId(), m.sender(), m.channel(), acceptedAt,
                        EngineHarness.deliverTo("pk.pm", m).box()), "pk.pm", reason, Instant.now());
    }

    private Frame.Send sent(String text) throws Exception {
        Frame.Send m = InboxTest.send(india, "pk.pm", text);
        return (Frame.Send) FrameCodec.decode(india.memory.outgoing(m.messageId()).orElseThrow().sendFrame());
    }

    @Test
    void aRejectionOfOneRelaysCopy_whileTheOtherRelayAcceptedIt_doesNotMarkItRejected_andDeliveryStillCounts()
            throws Exception {
        Frame.Send m = sent("postdated by relay-in");
        MessageId id = m.messageId();
        Instant atIn = Instant.now().minusSeconds(5);
        Instant atPk = atIn.plusMillis(40);
        toIndia(accepted(relayIn, m, atIn));
        toIndia(accepted(relayPk, m, atPk));

        // relay-in signed its own acceptedAt, so the rejection of its copy matches it: a genuine
        // rejection of relay-in's copy, but relay-pk's copy may still be taken.
        Receipt ofInCopy = rejection(m, atIn, Receipt.RejectReason.SENDER_REVOKED);
        toIndia(new Frame.ReceiptNotice(ofInCopy));
        toIndia(new Frame.ReceiptNotice(ofInCopy)); // repeated: confirmed again, said once
        assertThat(india.events.statesOf(id)).containsExactly(DeliveryState.QUEUED, DeliveryState.ACCEPTED);
        assertThat(india.memory.outgoing(id).orElseThrow().state()).isEqualTo(DeliveryState.ACCEPTED);
        assertThat(india.connection.sent(Frame.ReceiptAck.class)).hasSize(2)
                .allSatisfy(a -> assertThat(a).isEqualTo(new Frame.ReceiptAck(id, Receipt.Type.REJECTED, "pk.pm")));
        assertThat(india.events.problems).singleElement().satisfies(p -> assertThat(p)
                .contains("relay-in delivered was rejected by pk.pm").contains("not marked rejected"));

        // relay-pk's genuine copy was stored and shown: its delivered receipt moves the message on.
        Receipt delivered = ReceiptSigner.sign(exercise.role("pk.pm").identity(), Receipt.Type.DELIVERED,
                india.memory.outgoing(id).orElseThrow().message(), "pk.pm", Instant.now());
        toIndia(new Frame.ReceiptNotice(delivered));
        assertThat(india.events.statesOf(id)).containsExactly(DeliveryState.QUEUED, DeliveryState.ACCEPTED,
                DeliveryState.DELIVERED);
    }

    @Test
    void rejectionsOfEveryAcceptingRelaysCopy_markItRejected() throws Exception {
        Frame.Send m = sent("nobody can open this");
        MessageId id = m.messageId();
        Instant atIn = Instant.now().minusSeconds(5);
        Instant atPk = atIn.plusMillis(40);
        toIndia(accepted(relayIn, m, atIn));
        toIndia(accepted(relayPk, m, atPk));

        toIndia(new Frame.ReceiptNotice(rejection(m, atPk, Receipt.RejectReason.UNKNOWN_PREKEY)));
        assertThat(india.memory.outgoing(id).orElseThrow().state()).isEqualTo(DeliveryState.ACCEPTED);
        toIndia(new Frame.ReceiptNotice(rejection(m, atIn, Receipt.RejectReason.UNKNOWN_PREKEY)));
        assertThat(india.events.statesOf(id)).containsExactly(DeliveryState.QUEUED, DeliveryState.ACCEPTED,
                DeliveryState.REJECTED);
        assertThat(india.events.problems).anySatisfy(p -> assertThat(p).contains("was rejected by pk.pm"));
    }

    @Test
    void aRejectionNamingATimeNoRelaySigned_isRefused() throws Exception {
        Frame.Send m = sent("backdated");
        Instant atIn = Instant.now().minusSeconds(5);
        toIndia(accepted(relayIn, m, atIn));
        toIndia(new Frame.ReceiptNotice(rejection(m, atIn.plusSeconds(60), Receipt.RejectReason.SENDER_REVOKED)));
        assertThat(india.events.statesOf(m.messageId())).containsExactly(DeliveryState.QUEUED, DeliveryState.ACCEPTED);
        assertThat(india.connection.sent(Frame.ReceiptAck.class)).isEmpty();
        assertThat(india.events.problems).anySatisfy(p -> assertThat(p).contains("another box"));
    }

    @Test
    void withTwoConfiguredRelays_aRejectionBeforeTheOtherRelaysAcceptance_doesNotMarkItRejected() throws Exception {
        india.connection.relays(List.of("relay-in", "relay-pk"));
        Frame.Send m = sent("relay-pk is slow");
        MessageId id = m.messageId();
        Instant atIn = Instant.now().minusSeconds(5);
        Instant atPk = atIn.plusMillis(40);
        // Only the hostile relay's acceptance is recorded so far (review R1).
        toIndia(accepted(relayIn, m, atIn));
        toIndia(new Frame.ReceiptNotice(rejection(m, atIn, Receipt.RejectReason.UNKNOWN_PREKEY)));
        assertThat(india.memory.outgoing(id).orElseThrow().state()).isEqualTo(DeliveryState.ACCEPTED);
        assertThat(india.connection.sent(Frame.ReceiptAck.class))
                .containsExactly(new Frame.ReceiptAck(id, Receipt.Type.REJECTED, "pk.pm"));
        assertThat(india.events.problems).singleElement().satisfies(p -> assertThat(p)
                .contains("relay-in delivered was rejected by pk.pm").contains("not marked rejected"));

        // relay-pk accepts later; once its copy is rejected too, the message is rejected.
        toIndia(accepted(relayPk, m, atPk));
        toIndia(new Frame.ReceiptNotice(rejection(m, atPk, Receipt.RejectReason.UNKNOWN_PREKEY)));
        assertThat(india.events.statesOf(id)).containsExactly(DeliveryState.QUEUED, DeliveryState.ACCEPTED,
                DeliveryState.REJECTED);
    }

    @Test
    void aRejectionAfterTheRecipientsDeliveredReceipt_leavesItDelivered() throws Exception {
        Frame.Send m = sent("delivered first");
        MessageId id = m.messageId();
        Instant atIn = Instant.now().minusSeconds(5);
        toIndia(accepted(relayIn, m, atIn));
        Receipt delivered = ReceiptSigner.sign(exercise.role("pk.pm").identity(), Receipt.Type.DELIVERED,
                india.memory.outgoing(id).orElseThrow().message(), "pk.pm", Instant.now());
        toIndia(new Frame.ReceiptNotice(delivered));

        // Every accepting relay's copy rejected, but pk.pm already confirmed delivery (review R1).
        toIndia(new Frame.ReceiptNotice(rejection(m, atIn, Receipt.RejectReason.UNKNOWN_PREKEY)));
        assertThat(india.events.statesOf(id)).containsExactly(DeliveryState.QUEUED, DeliveryState.ACCEPTED,
                DeliveryState.DELIVERED);
        assertThat(india.memory.outgoing(id).orElseThrow().state()).isEqualTo(DeliveryState.DELIVERED);
        assertThat(india.connection.sent(Frame.ReceiptAck.class))
                .contains(new Frame.ReceiptAck(id, Receipt.Type.REJECTED, "pk.pm"));
        assertThat(india.events.problems).anySatisfy(p -> assertThat(p)
                .contains("relay-in delivered was rejected by pk.pm").contains("stays delivered"));
    }

    /**
     * Review N4: both relays signed the same {@code acceptedAt} (the same millisecond), so their
     * copies are identical and share one copy hash; the recipient's one rejection of that copy
     * rejects it for both relays, and the message is rejected.
     */
    @Test
    void bothRelaysSignedTheSameMillisecond_oneRejectionRejectsTheSharedCopy() throws Exception {
        india.connection.relays(List.of("relay-in", "relay-pk"));
        Frame.Send m = sent("same millisecond");
        MessageId id = m.messageId();
        Instant at = Instant.now().minusSeconds(5);
        toIndia(accepted(relayIn, m, at));
        toIndia(accepted(relayPk, m, at));
        toIndia(new Frame.ReceiptNotice(rejection(m, at, Receipt.RejectReason.DECRYPTION_FAILED)));
        assertThat(india.events.statesOf(id)).containsExactly(DeliveryState.QUEUED, DeliveryState.ACCEPTED,
                DeliveryState.REJECTED);
        assertThat(india.memory.rejectedCopies(id, "pk.pm")).containsExactlyInAnyOrder("relay-in", "relay-pk");
    }
}
