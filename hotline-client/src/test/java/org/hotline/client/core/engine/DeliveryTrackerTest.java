package org.hotline.client.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hotline.client.core.DeliveryState;
import org.hotline.protocol.crypto.ReceiptSigner;
import org.hotline.protocol.pki.RelayCredential;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SealedBox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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
        // A first delivery is confirmed by a cumulative receipt (PROTOCOL.md §6.1); a redelivery of a
        // stored message by its own per-message delivered receipt, the one these tests check.
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
        toIndia(india.accepted(relay, id));
        assertThat(india.events.statesOf(id)).containsExactly(DeliveryState.QUEUED, DeliveryState.ACCEPTED);
        assertThat(receiptAcks()).isEmpty();
        toIndia(new Frame.ReceiptNotice(delivered));
        assertThat(india.events.statesOf(id)).containsExactly(DeliveryState.QUEUED, DeliveryState.ACCEPTED,
                DeliveryState.DELIVERED);
        assertThat(receiptAcks()).containsExactly(new Frame.ReceiptAck(id, Receipt.Type.DELIVERED, "pk.pm"));
        assertThat(india.memory.outgoing(id).orElseThrow().state()).isEqualTo(DeliveryState.DELIVERED);
        assertThat(india.events.problems).isEmpty();
    }

    @Test
    void whenState_completesWithTheReceipt_andAtOnceWhenAlreadyReached() throws Exception {
        Receipt delivered = sendAndDeliver("wait for me");
        MessageId id = delivered.messageId();
        CompletableFuture<DeliveryState> waiting = india.onEngine(() -> india.engine.tracker.whenState(id,
                DeliveryState.DELIVERED));
        toIndia(india.accepted(relay, id));
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
        Receipt genuine = pakistan.connection.sent(Frame.DeliveryAck.class).get(0).receipt();
        Receipt stranger = ReceiptSigner.sign(exercise.role("in.nsa").identity(), with(genuine, "in.nsa", null, null,
                null));
        toIndia(new Frame.ReceiptNotice(stranger));
        assertThat(india.events.statesOf(id)).containsExactly(DeliveryState.QUEUED);
        assertThat(receiptAcks()).isEmpty();
        assertThat(india.events.problems).anySatisfy(p -> assertThat(p).contains("who was not a recipient"));
    }

    @Test
    void aReceiptSignedWithTheWrongKey_isRejected() throws Exception {
        MessageId id = sendAndDeliver("forge me").messageId();
        Receipt genuine = pakistan.connection.sent(Frame.DeliveryAck.class).get(0).receipt();
        Receipt forged = ReceiptSigner.sign(exercise.role("in.nsa").identity(), with(genuine, null, null, null, null));
        toIndia(new Frame.ReceiptNotice(forged));
        assertThat(india.events.statesOf(id)).containsExactly(DeliveryState.QUEUED);
        assertThat(receiptAcks()).isEmpty();
        assertThat(india.events.problems).anySatisfy(p -> assertThat(p).contains("rejected"));
    }

    /**
     * Pakistan cannot open India's message (the prekey it was sealed to is gone): its rejection of
     * the relay's copy (the box as sealed, delivered with the acceptedAt of the relay's ACCEPTED,
     * which India got first), as the relay forwards it to India.
     */
    Receipt sendAndReject(String text) throws Exception {
        Frame.Send m = InboxTest.send(india, "pk.pm", text);
        Frame.Accepted accepted = india.accepted(relay, m.messageId());
        toIndia(accepted);
        return rejectionOf(m, accepted.receipt().at(), 0);
    }

    /** Pakistan's rejection of the copy of {@code m} delivered with {@code acceptedAt} and the prekey id shifted. */
    Receipt rejectionOf(Frame.Send m, Instant acceptedAt, int prekeyShift) throws Exception {
        SealedBox box = EngineHarness.deliverTo("pk.pm", m).box();
        return ReceiptSigner.signRejected(exercise.role("pk.pm").identity(), exercise.role("pk.pm").exerciseId(),
                new Frame.Deliver(m.messageId(), m.sender(), m.channel(), acceptedAt, new SealedBox(box.recipient(),
                        box.prekeyId() + prekeyShift, box.encapsulation(), box.ciphertext())), "pk.pm",
                Receipt.RejectReason.UNKNOWN_PREKEY, Instant.now());
    }

    /**
     * Review F1: the relay delivered the genuine box with only acceptedAt or the prekey id changed,
     * so Pakistan rightly rejected that copy. The rejection does not match the copy the relay's
     * ACCEPTED commits to: India refuses it and the message is not marked rejected.
     */
    @Test
    void aRejection_ofTheGenuineBoxDeliveredWithAnotherAcceptedAtOrPrekeyId_movesNothing() throws Exception {
        Frame.Send m = InboxTest.send(india, "pk.pm", "only my copy can be rejected");
        Frame.Accepted accepted = india.accepted(relay, m.messageId());
        toIndia(accepted);
        toIndia(new Frame.ReceiptNotice(rejectionOf(m, accepted.receipt().at().plusSeconds(3600), 0)));
        toIndia(new Frame.ReceiptNotice(rejectionOf(m, accepted.receipt().at(), 1)));
        assertThat(india.events.statesOf(m.messageId())).containsExactly(DeliveryState.QUEUED, DeliveryState.ACCEPTED);
        assertThat(receiptAcks()).isEmpty();
        assertThat(india.events.problems).hasSize(2).allSatisfy(p -> assertThat(p).contains("another box"));
    }

    @Test
    void aRejection_movesTheMessageToRejected_withTheReason_isConfirmed_andEndsAWaitForDelivery() throws Exception {
        Receipt rejected = sendAndReject("you cannot open this");
        MessageId id = rejected.messageId();
        assertThat(rejected.type()).isEqualTo(Receipt.Type.REJECTED);
        CompletableFuture<DeliveryState> waiting = india.onEngine(() -> india.engine.tracker.whenState(id,
                DeliveryState.DELIVERED));
        toIndia(new Frame.ReceiptNotice(rejected));
        assertThat(india.events.statesOf(id)).as("problems: %s", india.events.problems).containsExactly(DeliveryState.QUEUED, DeliveryState.ACCEPTED,
                DeliveryState.REJECTED);
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo(DeliveryState.REJECTED);
        assertThat(india.memory.outgoing(id).orElseThrow().state()).isEqualTo(DeliveryState.REJECTED);
        assertThat(receiptAcks()).containsExactly(new Frame.ReceiptAck(id, Receipt.Type.REJECTED, "pk.pm"));
        assertThat(india.events.problems).singleElement().satisfies(p -> assertThat(p)
                .contains("rejected by pk.pm").contains("unknown-prekey"));

        toIndia(new Frame.ReceiptNotice(rejected)); // the relay repeats it: nothing moves, nothing is shown again
        assertThat(india.events.statesOf(id)).hasSize(3);
        assertThat(india.events.problems).hasSize(1);

        india.close(); // the sender's log holds the rejection once, and verifies
        var report = org.hotline.protocol.audit.AuditVerifier.verify(tmp.resolve("in.pm").resolve("audit.jsonl"),
                java.util.Optional.of(exercise.directory().validator()), java.util.Optional.of(exercise.exercise()));
        assertThat(report.problem()).isEmpty();
        assertThat(report.accepted()).filteredOn(e -> e.event() instanceof org.hotline.protocol.audit.AuditEvent
                .ReceiptRecorded r && r.receipt().type() == Receipt.Type.REJECTED).hasSize(1);
    }

    @Test
    void aRejection_aboutAnotherBox_orFromANonRecipient_movesNothing() throws Exception {
        Receipt genuine = sendAndReject("bind the rejection to my box");
        Receipt otherBox = ReceiptSigner.sign(exercise.role("pk.pm").identity(), new Receipt.Fields(genuine.type(),
                genuine.exerciseId(), genuine.messageId(), "pk.pm", genuine.sender(), genuine.channel().orElseThrow(),
                genuine.at(), Hash32.of(new byte[32]), genuine.reason()));
        toIndia(new Frame.ReceiptNotice(otherBox));
        Receipt stranger = ReceiptSigner.sign(exercise.role("in.nsa").identity(), new Receipt.Fields(genuine.type(),
                genuine.exerciseId(), genuine.messageId(), "in.nsa", genuine.sender(), genuine.channel().orElseThrow(),
                genuine.at(), genuine.subjectHash().orElseThrow(), genuine.reason()));
        toIndia(new Frame.ReceiptNotice(stranger));
        assertThat(india.events.statesOf(genuine.messageId())).containsExactly(DeliveryState.QUEUED,
                DeliveryState.ACCEPTED);
        assertThat(receiptAcks()).isEmpty();
        assertThat(india.events.problems).anySatisfy(p -> assertThat(p).contains("another box"));
    }

    /** The fields of {@code r}, with any non-null replacement: asserter, exercise, channel, subject hash. */
    static Receipt.Fields with(Receipt r, String asserter, ExerciseId exerciseId, String channel, Hash32 subject) {
        return new Receipt.Fields(r.type(), exerciseId != null ? exerciseId : r.exerciseId(), r.messageId(),
                asserter != null ? asserter : r.asserter(), r.sender(),
                channel != null ? channel : r.channel().orElseThrow(), r.at(),
                subject != null ? subject : r.subjectHash().orElseThrow());
    }

    static Stream<Arguments> boundFieldsOfAReceipt() {
        byte[] elsewhere = new byte[ExerciseId.LENGTH];
        elsewhere[0] = 1;
        return Stream.of(
                Arguments.of("exercise id", ExerciseId.of(elsewhere), null, null, "belongs to exercise 01000000"),
                Arguments.of("channel", null, "nsa", null, "names channel nsa"),
                Arguments.of("message hash", null, null, Hash32.of(new byte[32]), "another message than the one sent"));
    }

    /**
     * PROTOCOL.md §6: a receipt really signed by the recipient, but naming another exercise, another
     * channel or another message hash than the message India sent, is refused with its reason and
     * moves nothing (no state, no RECEIPT_ACK).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("boundFieldsOfAReceipt")
    void aGenuinelySignedReceipt_forOtherBytes_isRefused_andMovesNothing(String field, ExerciseId exerciseId,
            String channel, Hash32 subject, String says) throws Exception {
        Receipt genuine = sendAndDeliver("bind me");
        Receipt changed = ReceiptSigner.sign(exercise.role("pk.pm").identity(),
                with(genuine, null, exerciseId, channel, subject));
        toIndia(new Frame.ReceiptNotice(changed));
        assertThat(india.events.statesOf(genuine.messageId())).containsExactly(DeliveryState.QUEUED);
        assertThat(receiptAcks()).isEmpty();
        assertThat(india.events.problems).anySatisfy(p -> assertThat(p).contains("rejected").contains(says));
        toIndia(new Frame.ReceiptNotice(genuine));
        assertThat(india.events.statesOf(genuine.messageId())).as("the genuine receipt still counts")
                .containsExactly(DeliveryState.QUEUED, DeliveryState.ACCEPTED, DeliveryState.DELIVERED);
    }

    /** The relay's ACCEPTED must commit to the SEND payload India sent, not to other bytes. */
    @Test
    void anAcceptedReceipt_forOtherSendBytes_isRefused() throws Exception {
        MessageId id = sendAndDeliver("accept these bytes").messageId();
        Receipt genuine = india.accepted(relay, id).receipt();
        Receipt other = ReceiptSigner.sign(relay.identity(), with(genuine, null, null, null, Hash32.of(new byte[32])));
        toIndia(new Frame.Accepted(other));
        assertThat(india.events.statesOf(id)).containsExactly(DeliveryState.QUEUED);
        assertThat(india.events.problems).anySatisfy(p -> assertThat(p).contains("other SEND bytes"));
        toIndia(new Frame.Accepted(genuine));
        assertThat(india.events.statesOf(id)).containsExactly(DeliveryState.QUEUED, DeliveryState.ACCEPTED);
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
        assertThat(receiptAcks()).containsExactly(new Frame.ReceiptAck(id, Receipt.Type.DELIVERED, "pk.pm"));
        assertThat(india.events.statesOf(id)).containsExactly(DeliveryState.QUEUED, DeliveryState.ACCEPTED,
                DeliveryState.DELIVERED);
    }
}
