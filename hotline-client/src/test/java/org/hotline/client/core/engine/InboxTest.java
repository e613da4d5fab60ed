package org.hotline.client.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hotline.client.core.ReceivedMessage;
import org.hotline.protocol.audit.AuditCodec;
import org.hotline.protocol.audit.AuditEntryType;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.crypto.ReceiptSigner;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SealedBox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The inbox without a relay: real keys and crypto, in-memory and faulty stores, a recording connection. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InboxTest {

    @TempDir
    static Path shared;
    static TestExercise exercise;

    @TempDir
    Path tmp;
    EngineHarness india;
    EngineHarness pakistan;

    @BeforeAll
    static void pki() {
        exercise = TestExercise.withoutControlReading(shared);
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

    /** India composes {@code text} to Pakistan; returns the SEND frame the relay would get. */
    static Frame.Send send(EngineHarness from, String to, String text) throws Exception {
        MessageId id = from.onEngine(() -> from.engine.outbox.compose(from.engine.exercise.channelFor(from.role, to)
                .orElseThrow(), new Content.Text(text), Optional.empty(), Optional.empty()));
        from.sync(); // the relay's answer to a prekey fetch before sealing (PROTOCOL.md §5.2)
        return from.connection.sent(Frame.Send.class).stream().filter(s -> s.messageId().equals(id)).findFirst()
                .orElseThrow();
    }

    void deliver(Frame.Send send) throws Exception {
        pakistan.connection.inject(EngineHarness.deliverTo("pk.pm", send));
        pakistan.sync();
    }

    /**
     * Messages Pakistan confirmed to the relay as stored, in the order it did: {@code delivered}
     * receipts and the ids listed by its cumulative {@code delivered-through} receipts (§6.1).
     */
    List<MessageId> acknowledgedToRelay() {
        return confirmedAsStored(pakistan);
    }

    static List<MessageId> confirmedAsStored(EngineHarness h) {
        return h.connection.sent(Frame.class).stream().flatMap(f -> f instanceof Frame.DeliveryAck a
                ? a.receipt().type() == Receipt.Type.DELIVERED ? java.util.stream.Stream.of(a.receipt().messageId())
                        : java.util.stream.Stream.<MessageId>empty()
                : f instanceof Frame.DeliveredThrough t ? t.receipt().coveredIds().stream()
                        : java.util.stream.Stream.<MessageId>empty()).toList();
    }

    /** Pakistan's {@code rejected} receipts sent to the relay, in order. */
    List<Receipt> rejectedToRelay() {
        return pakistan.connection.sent(Frame.DeliveryAck.class).stream().map(Frame.DeliveryAck::receipt)
                .filter(r -> r.type() == Receipt.Type.REJECTED).toList();
    }

    /** The entries of Pakistan's audit log of {@code type}, decoded. */
    List<AuditEvent> pakistanLogged(String type) throws Exception {
        Path file = pakistan.onEngine(() -> pakistan.engine.audit.file());
        List<AuditEvent> out = new java.util.ArrayList<>();
        for (String line : java.nio.file.Files.readAllLines(file)) {
            var e = AuditCodec.decode(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (e.event().type().equals(type)) {
                out.add(e.event());
            }
        }
        return out;
    }

    static Frame.Deliver withCiphertextByteFlipped(Frame.Send m) {
        SealedBox box = EngineHarness.deliverTo("pk.pm", m).box();
        byte[] ct = box.ciphertext();
        ct[ct.length / 2] ^= 0x01;
        return new Frame.Deliver(m.messageId(), m.sender(), m.channel(), java.time.Instant.now(),
                new SealedBox(box.recipient(), box.prekeyId(), box.encapsulation(), ct));
    }

    List<ReceivedMessage> shown() throws Exception {
        return pakistan.onEngine(() -> pakistan.engine.inbox.receivedMessages());
    }

    /**
     * PROTOCOL.md §13 rule 8: the relay's copy counts as delivered only once verified: new when
     * stored, a repeat when it carries the very message stored; a copy with the stored id but other
     * bytes counts for nothing.
     */
    @Test
    void onlyVerifiedCopiesAreReportedForTheRelayThatDeliveredThem() throws Exception {
        Frame.Send m = send(india, "pk.pm", "hello");
        deliver(m);
        String id = m.messageId().shortForm();
        assertThat(pakistan.connection.verifiedCopies()).containsExactly(id + " NEW");
        deliver(m);
        assertThat(pakistan.connection.verifiedCopies()).containsExactly(id + " NEW", id + " REPEAT");
        pakistan.connection.inject(withCiphertextByteFlipped(m));
        pakistan.sync();
        assertThat(pakistan.connection.verifiedCopies()).containsExactly(id + " NEW", id + " REPEAT");

        Frame.Send other = send(india, "pk.pm", "altered on the way");
        pakistan.connection.inject(withCiphertextByteFlipped(other)); // a new id whose copy fails: rejected
        pakistan.sync();
        assertThat(pakistan.connection.verifiedCopies()).containsExactly(id + " NEW", id + " REPEAT");
    }

    /**
     * Issue 19, PROTOCOL.md §11.3 {@code duplicate}, §13 rule 5: with several relays the first copy's
     * relay is named on its message-received entry; a later copy through another relay is recorded
     * once as a duplicate and never shown; redeliveries by either relay add nothing, after a restart
     * either; a copy with other bytes under the stored id is no duplicate.
     */
    @Test
    void severalRelays_firstCopyNamesItsRelay_laterCopiesAreOneDuplicatePerRelay_evenAfterARestart() throws Exception {
        Frame.Send m = send(india, "pk.pm", "hello");
        Frame.Deliver copy = EngineHarness.deliverTo("pk.pm", m);
        pakistan.connection.inject(copy, "relay-pk");
        pakistan.sync();
        pakistan.connection.inject(copy, "relay-in");
        pakistan.connection.inject(copy, "relay-in");
        pakistan.connection.inject(copy, "relay-pk");
        pakistan.connection.inject(withCiphertextByteFlipped(m), "relay-other");
        pakistan.sync();
        assertThat(pakistanLogged("message-received")).singleElement().satisfies(e ->
                assertThat(((AuditEvent.MessageReceived) e).via()).contains("relay-pk"));
        assertThat(pakistanLogged("duplicate")).containsExactly(new AuditEvent.DuplicateCopy(m.messageId(), "relay-in"));
        assertThat(shown()).hasSize(1);

        pakistan.close();
        pakistan = EngineHarness.reopen(exercise, tmp.resolve("pk.pm"), "pk.pm", pakistan.memory);
        pakistan.welcome();
        pakistan.connection.inject(copy, "relay-in");
        pakistan.connection.inject(copy, "relay-pk");
        pakistan.sync();
        assertThat(pakistanLogged("duplicate")).as("the bound holds across a restart").hasSize(1);
        pakistan.connection.inject(copy, "relay-third");
        pakistan.sync();
        assertThat(pakistanLogged("duplicate")).containsExactly(new AuditEvent.DuplicateCopy(m.messageId(), "relay-in"),
                new AuditEvent.DuplicateCopy(m.messageId(), "relay-third"));
        assertThat(shown()).hasSize(1);
    }

    /**
     * Review R1, PROTOCOL.md §11.5: a crash tore the message-received line (complete JSON, its
     * final 0x0A lost). The verifier never reads a torn line, so the other relay's copy after the
     * restart must not be recorded as a duplicate of it: the log still verifies.
     */
    @Test
    void severalRelays_aTornMessageReceivedLine_isNotCounted_soTheLaterCopyLeavesAVerifiableLog() throws Exception {
        Frame.Send m = send(india, "pk.pm", "héllo ✓");
        Frame.Deliver copy = EngineHarness.deliverTo("pk.pm", m);
        pakistan.connection.inject(copy, "relay-pk");
        pakistan.sync();
        pakistan.close();
        Path log = tmp.resolve("pk.pm").resolve("audit.jsonl");
        byte[] all = java.nio.file.Files.readAllBytes(log);
        String text = new String(all, java.nio.charset.StandardCharsets.UTF_8);
        int start = text.indexOf("\"type\":\"message-received\"");
        assertThat(start).isPositive();
        int end = text.indexOf('\n', start);
        // The crash: the line reached the disk without its 0x0A, and nothing after it did.
        java.nio.file.Files.write(log, text.substring(0, end).getBytes(java.nio.charset.StandardCharsets.UTF_8));

        pakistan = EngineHarness.reopen(exercise, tmp.resolve("pk.pm"), "pk.pm", pakistan.memory);
        pakistan.welcome();
        pakistan.connection.inject(copy, "relay-in");
        pakistan.sync();
        pakistan.close();

        var report = org.hotline.protocol.audit.AuditVerifier.verify(log, Optional.of(exercise.directory().validator()));
        assertThat(report.problem()).isEmpty();
        assertThat(report.warnings()).anySatisfy(w -> assertThat(w).contains("torn"));
        assertThat(report.accepted()).noneMatch(e -> e.event() instanceof AuditEvent.DuplicateCopy);
    }

    /** With one relay neither via nor duplicate is written: single-relay logs keep their bytes. */
    @Test
    void oneRelay_noViaAndNoDuplicate() throws Exception {
        Frame.Send m = send(india, "pk.pm", "hello");
        deliver(m);
        deliver(m);
        assertThat(pakistanLogged("message-received")).singleElement().satisfies(e ->
                assertThat(((AuditEvent.MessageReceived) e).via()).isEmpty());
        assertThat(pakistanLogged("duplicate")).isEmpty();
    }

    @Test
    void deliver_isStoredConfirmedAndShownOnce_aRedeliveryIsOnlyConfirmedAgain() throws Exception {
        Frame.Send m = send(india, "pk.pm", "hello");
        deliver(m);
        assertThat(pakistan.memory.hasIncoming(m.messageId())).isTrue();
        assertThat(acknowledgedToRelay()).containsExactly(m.messageId());
        assertThat(pakistan.events.received).singleElement().satisfies(r -> {
            assertThat(r.text()).isEqualTo("hello");
            assertThat(r.from()).isEqualTo("in.pm");
            assertThat(r.verified()).isTrue();
            assertThat(r.missing()).isEmpty();
        });
        deliver(m);
        assertThat(acknowledgedToRelay()).containsExactly(m.messageId(), m.messageId());
        assertThat(pakistan.events.received).hasSize(1);
        assertThat(shown()).hasSize(1);
        assertThat(pakistan.events.problems).isEmpty();
    }

    /** Hands {@code sends} to Pakistan's engine while it is busy, so they wait for it together (one burst). */
    void deliverTogether(Frame.Send... sends) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        pakistan.engine.thread.execute(() -> {
            try {
                go.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (Frame.Send s : sends) {
            pakistan.connection.inject(EngineHarness.deliverTo("pk.pm", s));
        }
        go.countDown();
        pakistan.sync();
    }

    @Test
    void deliveriesArrivingTogether_areStoredInOneCommit_andNoneIsConfirmedBeforeItSucceeds() throws Exception {
        Frame.Send one = send(india, "pk.pm", "one");
        Frame.Send two = send(india, "pk.pm", "two");
        Frame.Send three = send(india, "pk.pm", "three");
        pakistan.inbox.failNextWrites(1);
        deliverTogether(one, two, three);
        assertThat(acknowledgedToRelay()).as("their one commit failed: none is confirmed").isEmpty();
        assertThat(pakistan.events.received).isEmpty();
        assertThat(pakistan.memory.hasIncoming(one.messageId()) || pakistan.memory.hasIncoming(three.messageId()))
                .isFalse();
        assertThat(pakistan.events.problems).anySatisfy(p -> assertThat(p).contains("disk full"));

        deliverTogether(one, two, three, two); // delivered again, "two" twice in the same burst
        assertThat(pakistan.inbox.writeSizes()).as("one write for the burst").containsExactly(3);
        // The burst is confirmed by one cumulative receipt after its commit, the repeat of "two" by its own
        // receipt (PROTOCOL.md §6.1), which may go first: every one confirmed, none twice but the repeat.
        assertThat(acknowledgedToRelay()).containsExactlyInAnyOrder(one.messageId(), two.messageId(),
                three.messageId(), two.messageId());
        assertThat(pakistan.events.received).extracting(ReceivedMessage::text).containsExactly("one", "two", "three");
        assertThat(pakistan.events.received).allSatisfy(r -> assertThat(r.missing()).isEmpty());
        assertThat(pakistan.onEngine(() -> pakistan.engine.inbox.gaps())).isEmpty();
    }

    @Test
    void storeFailingMidReceive_isNotConfirmedNorShown_andTheRedeliveryIsReceivedOnce() throws Exception {
        Frame.Send m = send(india, "pk.pm", "after a full disk");
        pakistan.inbox.failNextWrites(1);
        deliver(m);
        assertThat(acknowledgedToRelay()).as("not stored, so not confirmed").isEmpty();
        assertThat(pakistan.events.received).as("not stored, so not shown").isEmpty();
        assertThat(shown()).isEmpty();
        assertThat(pakistan.memory.hasIncoming(m.messageId())).isFalse();
        assertThat(pakistan.events.problems).anySatisfy(p -> assertThat(p).contains("disk full"));

        deliver(m); // the relay delivers again: it had no DELIVERY_ACK
        assertThat(acknowledgedToRelay()).containsExactly(m.messageId());
        assertThat(pakistan.events.received).singleElement().satisfies(r -> {
            assertThat(r.text()).isEqualTo("after a full disk");
            assertThat(r.missing()).isEmpty();
            assertThat(r.late()).isFalse();
        });
        assertThat(pakistan.onEngine(() -> pakistan.engine.inbox.gaps())).isEmpty();
    }

    @Test
    void storeGoingDownMidReceive_confirmsNothingWhileDown_thenTheSequenceResumesWithoutAFalseGap() throws Exception {
        Frame.Send first = send(india, "pk.pm", "one");
        Frame.Send second = send(india, "pk.pm", "two");
        Frame.Send third = send(india, "pk.pm", "three");
        deliver(first);
        pakistan.inbox.goDownAtNextWrite();
        deliver(second);
        deliver(second); // redelivered while the store is still down
        assertThat(acknowledgedToRelay()).containsExactly(first.messageId());
        assertThat(pakistan.events.received).extracting(ReceivedMessage::text).containsExactly("one");

        pakistan.inbox.down(false);
        deliver(second);
        deliver(third);
        assertThat(acknowledgedToRelay()).containsExactly(first.messageId(), second.messageId(), third.messageId());
        assertThat(pakistan.events.received).extracting(ReceivedMessage::text).containsExactly("one", "two", "three");
        assertThat(pakistan.events.received).allSatisfy(r -> assertThat(r.missing()).isEmpty());
        assertThat(pakistan.onEngine(() -> pakistan.engine.inbox.gaps())).isEmpty();
        assertThat(pakistan.events.problems).noneSatisfy(p -> assertThat(p).startsWith("gap"));
    }

    @Test
    void aTamperedCiphertext_isRejected_notConfirmed_notShown() throws Exception {
        Frame.Send m = send(india, "pk.pm", "do not touch");
        pakistan.connection.inject(withCiphertextByteFlipped(m));
        pakistan.sync();
        assertThat(acknowledgedToRelay()).isEmpty();
        assertThat(pakistan.events.received).isEmpty();
        assertThat(pakistan.events.problems).anySatisfy(p -> assertThat(p).contains("rejected"));
    }

    @Test
    void anUnopenableMessage_isAnsweredWithASignedRejection_loggedAndShownOnce_andARedeliveryGetsTheSameReceipt()
            throws Exception {
        Frame.Send m = send(india, "pk.pm", "sealed so that it cannot be opened");
        Frame.Deliver broken = withCiphertextByteFlipped(m);
        for (int i = 0; i < 3; i++) { // the relay lost the answer twice and delivers again
            pakistan.connection.inject(broken);
            pakistan.sync();
        }
        var ours = exercise.role("pk.pm").exerciseId();
        assertThat(rejectedToRelay()).hasSize(3).allSatisfy(r -> {
            assertThat(r).isEqualTo(rejectedToRelay().get(0));
            assertThat(r.reason()).contains(Receipt.RejectReason.DECRYPTION_FAILED);
            assertThat(r.asserter()).isEqualTo("pk.pm");
            assertThat(r.sender()).isEqualTo("in.pm");
            assertThat(r.channel()).contains(m.channel());
            assertThat(r.exerciseId()).isEqualTo(ours);
            assertThat(r.subjectHash()).contains(Hashes.copyHash(broken.box(), broken.acceptedAt()));
        });
        Receipt r = rejectedToRelay().get(0);
        ReceiptSigner.verify(r, exercise.role("pk.pm").identity().publicKey(), exercise.role("pk.pm").exerciseId());
        assertThat(pakistan.events.problems).filteredOn(p -> p.contains("decryption-failed")).hasSize(1);
        assertThat(pakistanLogged(AuditEntryType.RECEIPT)).singleElement()
                .satisfies(e -> assertThat(((AuditEvent.ReceiptRecorded) e).receipt()).isEqualTo(r));
        assertThat(pakistan.events.received).isEmpty();
        assertThat(acknowledgedToRelay()).isEmpty();

        pakistan.close(); // the verifier accepts the log with its own rejected receipt
        var report = org.hotline.protocol.audit.AuditVerifier.verify(tmp.resolve("pk.pm").resolve("audit.jsonl"),
                Optional.of(exercise.directory().validator()), Optional.of(exercise.exercise()));
        assertThat(report.problem()).isEmpty();
        assertThat(report.accepted()).filteredOn(e -> e.event() instanceof AuditEvent.ReceiptRecorded).hasSize(1);
    }

    /**
     * PROTOCOL.md §13 (two relays): one relay delivers an altered copy first (a flipped ciphertext
     * byte, or another prekey id); the recipient rejects that copy. The other relay's genuine copy
     * of the same id is still opened, stored, shown and confirmed. A redelivery of the rejected copy
     * gets the same receipt, without being shown or logged again.
     */
    @Test
    void aRejectedCopy_doesNotSuppressAnotherCopyOfTheSameId_whichIsJudgedOnItsOwn() throws Exception {
        Frame.Send m = send(india, "pk.pm", "the genuine words");
        Frame.Deliver genuine = EngineHarness.deliverTo("pk.pm", m);
        Frame.Deliver flipped = withCiphertextByteFlipped(m);
        Frame.Deliver movedPrekey = new Frame.Deliver(genuine.messageId(), genuine.sender(), genuine.channel(),
                genuine.acceptedAt(), new SealedBox("pk.pm", genuine.box().prekeyId() + 7777,
                        genuine.box().encapsulation(), genuine.box().ciphertext()));
        // The second flipped copy: the relay lost our answer and delivers that copy again.
        for (Frame.Deliver altered : List.of(flipped, movedPrekey, flipped)) {
            pakistan.connection.inject(altered);
            pakistan.sync();
        }
        assertThat(rejectedToRelay()).hasSize(3);
        assertThat(rejectedToRelay().get(2)).as("the same receipt again").isEqualTo(rejectedToRelay().get(0));
        assertThat(rejectedToRelay().get(1).reason()).contains(Receipt.RejectReason.UNKNOWN_PREKEY);
        // Review F1: the rejection names the copy with the moved prekey id, never the genuine copy.
        assertThat(rejectedToRelay().get(1).subjectHash()).as("the prekey id is in the copy hash")
                .contains(Hashes.copyHash(movedPrekey.box(), movedPrekey.acceptedAt()))
                .isNotEqualTo(java.util.Optional.of(Hashes.copyHash(genuine.box(), genuine.acceptedAt())));
        // Review F3, R4: shown and logged once per message id and reason; the redelivered copy is
        // answered only, the copy failing for another reason is logged for that reason.
        assertThat(pakistanLogged(AuditEntryType.RECEIPT)).as("the id's rejection logged once per reason")
                .hasSize(2);
        assertThat(pakistan.events.received).isEmpty();

        deliver(m);
        assertThat(pakistan.events.received).singleElement()
                .satisfies(r -> assertThat(r.text()).isEqualTo("the genuine words"));
        assertThat(acknowledgedToRelay()).containsExactly(m.messageId());
        assertThat(rejectedToRelay()).hasSize(3);
    }

    /**
     * Review F3: a relay replaying one failing box with ever new {@code acceptedAt} values gets every
     * copy answered with a signed rejection, but it is shown and logged once for the message id,
     * and at most {@link Rejections#MAX_REJECTED_COPIES} copies are kept.
     */
    @Test
    void copiesOfAFailingBoxWithNewAcceptedAt_areAnswered_butShownAndLoggedOnce_andKeptUpToACap() throws Exception {
        Frame.Send m = send(india, "pk.pm", "flood me");
        Frame.Deliver flipped = withCiphertextByteFlipped(m);
        for (int i = 0; i < Rejections.MAX_REJECTED_COPIES + 4; i++) {
            pakistan.connection.inject(new Frame.Deliver(flipped.messageId(), flipped.sender(), flipped.channel(),
                    flipped.acceptedAt().plusMillis(i), flipped.box()));
            pakistan.sync();
        }
        assertThat(rejectedToRelay()).hasSize(Rejections.MAX_REJECTED_COPIES + 4);
        assertThat(pakistanLogged(AuditEntryType.RECEIPT)).hasSize(1);
        assertThat(pakistan.events.problems).filteredOn(p -> p.contains("rejected")).hasSize(1);
        assertThat(pakistan.memory.rejectedCopyCount(m.messageId())).isEqualTo(Rejections.MAX_REJECTED_COPIES);
    }

    /**
     * Review N3: once {@link Rejections#MAX_REJECTED_COPIES} copies of an id are kept, copies with
     * a reason not among them are logged and shown once, not once per copy; each is still answered.
     */
    @Test
    void beyondTheCopyCap_aNewReasonIsLoggedAndShownOnce() throws Exception {
        Frame.Deliver d = EngineHarness.deliverTo("pk.pm", send(india, "pk.pm", "will be mangled"));
        SealedBox box = d.box();
        SealedBox unknownPrekey = new SealedBox(box.recipient(), box.prekeyId() + 7777, box.encapsulation(),
                box.ciphertext());
        byte[] ct = box.ciphertext().clone();
        ct[ct.length - 1] ^= 1;
        SealedBox flipped = new SealedBox(box.recipient(), box.prekeyId(), box.encapsulation(), ct);
        int copies = Rejections.MAX_REJECTED_COPIES + 4;
        for (int i = 0; i < copies; i++) {
            pakistan.connection.inject(new Frame.Deliver(d.messageId(), d.sender(), d.channel(),
                    d.acceptedAt().plusMillis(i), unknownPrekey));
            pakistan.sync();
        }
        for (int i = copies; i < 2 * copies; i++) {
            pakistan.connection.inject(new Frame.Deliver(d.messageId(), d.sender(), d.channel(),
                    d.acceptedAt().plusMillis(i), flipped));
            pakistan.sync();
        }
        assertThat(rejectedToRelay()).as("every copy answered").hasSize(2 * copies);
        assertThat(pakistanLogged(AuditEntryType.RECEIPT)).as("one rejection per reason").hasSize(2);
        assertThat(pakistan.events.problems).filteredOn(p -> p.contains("rejected")).hasSize(2);
        assertThat(pakistan.memory.rejectedCopyCount(d.messageId())).isEqualTo(Rejections.MAX_REJECTED_COPIES + 1);
    }

    /**
     * Review R4: a relay colluding with an equivocating sender delivers a junk copy of the
     * equivocating id first (another prekey id: rejected as unknown prekey). The genuine
     * equivocating copy that follows is still logged as equivocation evidence, with its own
     * rejection reason; a redelivery of it logs nothing more.
     */
    @Test
    void aJunkCopyFirst_doesNotSuppressTheEquivocationEvidence_norItsRejectionReason() throws Exception {
        deliver(send(india, "pk.pm", "first words"));
        assertThat(pakistan.events.received).hasSize(1);
        Frame.Deliver genuine = EngineHarness.deliverTo("pk.pm", signedAgainAtCounterOne("other words, same number"));
        Frame.Deliver junk = new Frame.Deliver(genuine.messageId(), genuine.sender(), genuine.channel(),
                genuine.acceptedAt(), new SealedBox("pk.pm", genuine.box().prekeyId() + 7777,
                        genuine.box().encapsulation(), genuine.box().ciphertext()));
        for (Frame.Deliver d : List.of(junk, genuine, genuine)) {
            pakistan.connection.inject(d);
            pakistan.sync();
        }
        assertThat(rejectedToRelay()).extracting(r -> r.reason().orElseThrow()).containsExactly(
                Receipt.RejectReason.UNKNOWN_PREKEY, Receipt.RejectReason.EQUIVOCATION,
                Receipt.RejectReason.EQUIVOCATION);
        assertThat(pakistanLogged(AuditEntryType.EQUIVOCATION)).as("the evidence, logged once").hasSize(1);
        assertThat(pakistan.events.problems).filteredOn(p -> p.contains("rejected (equivocation)")).hasSize(1);
        assertThat(pakistanLogged(AuditEntryType.RECEIPT)).as("one rejection per reason").hasSize(2);
        assertThat(pakistan.events.received).hasSize(1);
    }

    /**
     * Review N5: the evidence is recorded as logged only once its audit entry is written. Here the
     * write fails (the audit log is closed under the engine); after a restart the next copy of the
     * equivocating message writes the evidence.
     */
    @Test
    void equivocationEvidenceWhoseWriteFailed_isWrittenOnTheNextCopy() throws Exception {
        deliver(send(india, "pk.pm", "first words"));
        Frame.Deliver genuine = EngineHarness.deliverTo("pk.pm", signedAgainAtCounterOne("other words, same number"));
        pakistan.onEngine(() -> {
            pakistan.engine.audit.close();
            return null;
        });
        pakistan.connection.inject(genuine);
        pakistan.sync();
        assertThat(rejectedToRelay()).as("not settled while the evidence is unwritten").isEmpty();

        pakistan.close();
        pakistan = EngineHarness.reopen(exercise, tmp.resolve("pk.pm"), "pk.pm", pakistan.memory);
        pakistan.welcome();
        pakistan.connection.inject(genuine);
        pakistan.sync();
        assertThat(pakistanLogged(AuditEntryType.EQUIVOCATION)).as("written on the next copy").hasSize(1);
        assertThat(rejectedToRelay()).extracting(r -> r.reason().orElseThrow())
                .containsExactly(Receipt.RejectReason.EQUIVOCATION);
    }

    /** India's real key signs a second message numbered 1 on its channel to Pakistan (an equivocation). */
    static Frame.Send signedAgainAtCounterOne(String text) throws Exception {
        var india = exercise.role("in.pm");
        var pakistan = exercise.role("pk.pm");
        String channel = exercise.exercise().channelFor("in.pm", "pk.pm").orElseThrow().id();
        java.time.Instant now = java.time.Instant.now();
        var header = new org.hotline.protocol.wire.MessageHeader(india.exerciseId(),
                MessageId.random(new java.security.SecureRandom()), "in.pm", List.of("pk.pm"), channel, 1, now,
                org.hotline.protocol.wire.Hash32.ZERO, org.hotline.protocol.wire.Hash32.ZERO,
                org.hotline.protocol.signals.SignalCatalog.builtIn().version(), Optional.empty(), Optional.empty());
        var signed = org.hotline.protocol.crypto.MessageSigner.sign(india.identity(), header, new Content.Text(text));
        var prekey = org.hotline.protocol.crypto.VerifiedPrekey.verify(pakistan.initialPrekey().orElseThrow().signed(),
                "pk.pm", pakistan.identity().publicKey(), pakistan.exerciseId(), now);
        return org.hotline.protocol.crypto.MessageSealer.seal(signed, List.of(prekey), new java.security.SecureRandom());
    }

    /**
     * India signs a signal whose header names catalog {@code catalogVersion}, as India's own engine
     * would with that catalog, and seals it to Pakistan's initial prekey.
     */
    static Frame.Send signalFromCatalog(String catalogVersion) throws Exception {
        var india = exercise.role("in.pm");
        var pakistan = exercise.role("pk.pm");
        String channel = exercise.exercise().channelFor("in.pm", "pk.pm").orElseThrow().id();
        java.time.Instant now = java.time.Instant.now();
        var header = new org.hotline.protocol.wire.MessageHeader(india.exerciseId(),
                MessageId.random(new java.security.SecureRandom()), "in.pm", List.of("pk.pm"), channel, 1, now,
                org.hotline.protocol.wire.Hash32.ZERO, org.hotline.protocol.wire.Hash32.ZERO, catalogVersion,
                Optional.empty(), Optional.empty());
        var signed = org.hotline.protocol.crypto.MessageSigner.sign(india.identity(), header, new Content.Signal(
                "posture.normal-readiness", new java.util.TreeMap<>(java.util.Map.of("asOf", "2026-05-10T14:00:00Z"))));
        var prekey = org.hotline.protocol.crypto.VerifiedPrekey.verify(pakistan.initialPrekey().orElseThrow().signed(),
                "pk.pm", pakistan.identity().publicKey(), pakistan.exerciseId(), now);
        return org.hotline.protocol.crypto.MessageSealer.seal(signed, List.of(prekey), new java.security.SecureRandom());
    }

    @Test
    void aSignalFromACatalogVersionWeDoNotHave_isShownFlagged_andTheMismatchIsLoggedAndReported() throws Exception {
        String ours = pakistan.engine.catalog.version();
        deliver(signalFromCatalog("2099.01-9"));
        assertThat(pakistan.events.received).singleElement().satisfies(r -> {
            assertThat(r.catalogMismatch()).isTrue();
            assertThat(r.linkBroken()).isFalse();
            assertThat(r.warnings()).anySatisfy(w -> assertThat(w).startsWith(ReceivedMessage.CATALOG_MISMATCH)
                    .contains("2099.01-9").contains(ours).contains("not necessarily the sender's"));
        });
        assertThat(pakistan.events.problems).anySatisfy(p -> assertThat(p).contains("catalog mismatch")
                .contains("2099.01-9"));
        assertThat(pakistanLogged(AuditEntryType.ERROR_SHOWN)).anySatisfy(e ->
                assertThat(((AuditEvent.ErrorShown) e).text()).contains("catalog mismatch"));
    }

    @Test
    void aSignalFromOurOwnCatalogVersion_isNotFlagged() throws Exception {
        deliver(signalFromCatalog(pakistan.engine.catalog.version()));
        assertThat(pakistan.events.received).singleElement()
                .satisfies(r -> assertThat(r.catalogMismatch()).isFalse());
        assertThat(pakistan.events.problems).isEmpty();
    }

    @Test
    void aBoxForAPrekeyNeverHeld_isRejectedAsUnknownPrekey() throws Exception {
        Frame.Send m = send(india, "pk.pm", "to a prekey that does not exist");
        SealedBox box = EngineHarness.deliverTo("pk.pm", m).box();
        pakistan.connection.inject(new Frame.Deliver(m.messageId(), m.sender(), m.channel(), java.time.Instant.now(),
                new SealedBox(box.recipient(), box.prekeyId() + 1000, box.encapsulation(), box.ciphertext())));
        pakistan.sync();
        assertThat(rejectedToRelay()).singleElement()
                .satisfies(r -> assertThat(r.reason()).contains(Receipt.RejectReason.UNKNOWN_PREKEY));
        assertThat(pakistan.events.received).isEmpty();
    }

    @Test
    void aMissingCounter_isShownAsAGap() throws Exception {
        send(india, "pk.pm", "lost on the way");
        Frame.Send second = send(india, "pk.pm", "arrives");
        deliver(second);
        assertThat(pakistan.events.received).singleElement()
                .satisfies(r -> assertThat(r.missing()).containsExactly(1L));
        assertThat(pakistan.onEngine(() -> pakistan.engine.inbox.gaps())).containsEntry("in.pm/" + second.channel(),
                List.of(1L));
        assertThat(pakistan.events.problems).anySatisfy(p -> assertThat(p).startsWith("gap"));
    }
}
