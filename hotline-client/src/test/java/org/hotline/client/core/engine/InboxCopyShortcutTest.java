package org.hotline.client.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.audit.AuditCodec;
import org.hotline.protocol.audit.AuditEntryType;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.crypto.MessageSealer;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.crypto.VerifiedPrekey;
import org.hotline.protocol.signals.SignalCatalog;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SealedBox;
import org.hotline.protocol.wire.SignedMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The other relay's copy of a message (PROTOCOL.md §13 rule 5) is recognised without opening it
 * when it has the bytes of the copy that opened ({@link OpenedCopies}), whether that message is
 * stored or still waiting in the inbox's batch; the audit entries, receipts and verified copies are
 * those of an opened copy. A copy with other bytes is opened and judged as before.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InboxCopyShortcutTest {

    @TempDir
    static Path shared;
    static TestExercise exercise;

    @TempDir
    Path tmp;
    EngineHarness pakistan;

    @BeforeAll
    static void pki() {
        exercise = TestExercise.withoutControlReading(shared);
    }

    @BeforeEach
    void engine() throws Exception {
        pakistan = EngineHarness.open(exercise, tmp.resolve("pk.pm"), "pk.pm");
        pakistan.welcome();
    }

    @AfterEach
    void close() {
        pakistan.close();
    }

    /** India signs {@code text} as message {@code id}, counter {@code counter}, sealed to Pakistan's initial prekey. */
    static Frame.Send signed(MessageId id, long counter, String text) throws Exception {
        return seal(message(id, counter, text));
    }

    static SignedMessage message(MessageId id, long counter, String text) throws Exception {
        return message(id, counter, Hash32.ZERO, text);
    }

    /** India's message {@code counter}, following the message whose hash is {@code previousSent}. */
    static SignedMessage message(MessageId id, long counter, Hash32 previousSent, String text) throws Exception {
        var india = exercise.role("in.pm");
        String channel = exercise.exercise().channelFor("in.pm", "pk.pm").orElseThrow().id();
        var header = new MessageHeader(india.exerciseId(), id, "in.pm", List.of("pk.pm"), channel, counter,
                Instant.now(), previousSent, Hash32.ZERO, SignalCatalog.builtIn().version(), Optional.empty(),
                Optional.empty());
        return MessageSigner.sign(india.identity(), header, new Content.Text(text));
    }

    /** {@code m} sealed afresh (new encapsulation, new ciphertext): the same message in other bytes. */
    static Frame.Send seal(SignedMessage m) throws Exception {
        var pakistan = exercise.role("pk.pm");
        var prekey = VerifiedPrekey.verify(pakistan.initialPrekey().orElseThrow().signed(), "pk.pm",
                pakistan.identity().publicKey(), pakistan.exerciseId(), Instant.now());
        return MessageSealer.seal(m, List.of(prekey), new SecureRandom());
    }

    /** India's messages 1, 2, ... with {@code texts}, each following the one before (PROTOCOL.md §4.5). */
    static List<Frame.Deliver> chain(String... texts) throws Exception {
        List<Frame.Deliver> out = new ArrayList<>();
        Hash32 previous = Hash32.ZERO;
        for (int i = 0; i < texts.length; i++) {
            SignedMessage m = message(newId(), i + 1, previous, texts[i]);
            out.add(EngineHarness.deliverTo("pk.pm", seal(m)));
            previous = org.hotline.protocol.crypto.Hashes.messageHash(m);
        }
        return out;
    }

    static MessageId newId() {
        return MessageId.random(new SecureRandom());
    }

    /** {@code d} as another relay would deliver it: the same bytes, its own {@code acceptedAt}. */
    static Frame.Deliver acceptedLater(Frame.Deliver d) {
        return new Frame.Deliver(d.messageId(), d.sender(), d.channel(), d.acceptedAt().plusMillis(1234), d.box());
    }

    static Frame.Deliver ciphertextByteFlipped(Frame.Deliver d) {
        byte[] ct = d.box().ciphertext();
        ct[ct.length / 2] ^= 0x01;
        return new Frame.Deliver(d.messageId(), d.sender(), d.channel(), d.acceptedAt(),
                new SealedBox(d.box().recipient(), d.box().prekeyId(), d.box().encapsulation(), ct));
    }

    long recognised() throws Exception {
        return pakistan.onEngine(() -> pakistan.engine.inbox.openedCopies.recognised());
    }

    /** Each copy handed over with the relay that delivered it, one task after the other. */
    void oneByOne(List<Frame.Deliver> copies, List<String> relays) throws Exception {
        for (int i = 0; i < copies.size(); i++) {
            pakistan.connection.inject(copies.get(i), relays.get(i));
            pakistan.sync();
        }
    }

    /** Every copy handed over while the engine is busy, so they wait together and land in one batch. */
    void together(List<Frame.Deliver> copies, List<String> relays) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        pakistan.engine.thread.execute(() -> {
            try {
                go.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < copies.size(); i++) {
            pakistan.connection.inject(copies.get(i), relays.get(i));
        }
        go.countDown();
        pakistan.sync();
    }

    /** The entries of Pakistan's audit log after {@code log-opened} and prekey housekeeping: type and event. */
    List<AuditEvent> logged(String... types) throws Exception {
        Path file = pakistan.onEngine(() -> pakistan.engine.audit.file());
        List<String> wanted = List.of(types);
        List<AuditEvent> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            var e = AuditCodec.decode(line.getBytes(StandardCharsets.UTF_8));
            if (wanted.contains(e.event().type())) {
                out.add(e.event());
            }
        }
        return out;
    }

    List<MessageId> deliveredReceiptsToRelay() {
        return InboxTest.confirmedAsStored(pakistan);
    }

    List<Receipt> rejectedToRelay() {
        return pakistan.connection.sent(Frame.DeliveryAck.class).stream().map(Frame.DeliveryAck::receipt)
                .filter(r -> r.type() == Receipt.Type.REJECTED).toList();
    }

    @Test
    void theOtherRelaysIdenticalCopyOfAStoredMessage_isNotOpened_andIsLoggedAsADuplicateAsBefore() throws Exception {
        Frame.Deliver first = EngineHarness.deliverTo("pk.pm", signed(newId(), 1, "hello"));
        MessageId id = first.messageId();
        oneByOne(List.of(first, acceptedLater(first), acceptedLater(first)), List.of("relay-pk", "relay-in", "relay-pk"));

        assertThat(recognised()).as("both later copies recognised by their bytes").isEqualTo(2);
        assertThat(pakistan.connection.verifiedCopies()).containsExactly(id.shortForm() + " NEW",
                id.shortForm() + " REPEAT", id.shortForm() + " REPEAT");
        assertThat(logged(AuditEntryType.MESSAGE_RECEIVED, AuditEntryType.DUPLICATE)).hasSize(2).satisfies(entries -> {
            assertThat(((AuditEvent.MessageReceived) entries.get(0)).via()).contains("relay-pk");
            assertThat(entries.get(1)).isEqualTo(new AuditEvent.DuplicateCopy(id, "relay-in"));
        });
        assertThat(deliveredReceiptsToRelay()).containsExactly(id, id, id);
        assertThat(pakistan.events.received).hasSize(1);
        assertThat(pakistan.events.problems).isEmpty();
    }

    @Test
    void theOtherRelaysIdenticalCopyArrivingInTheSameBatch_isNotOpened_andIsConfirmedAfterTheCommit() throws Exception {
        List<Frame.Deliver> two = chain("hello", "and more");
        Frame.Deliver first = two.get(0);
        Frame.Deliver next = two.get(1);
        together(List.of(first, acceptedLater(first), next, acceptedLater(next)),
                List.of("relay-pk", "relay-in", "relay-in", "relay-pk"));

        assertThat(recognised()).isEqualTo(2);
        String a = first.messageId().shortForm();
        String b = next.messageId().shortForm();
        assertThat(pakistan.connection.verifiedCopies()).containsExactly(a + " NEW", a + " REPEAT", b + " NEW",
                b + " REPEAT");
        List<AuditEvent> entries = logged(AuditEntryType.MESSAGE_RECEIVED, AuditEntryType.DUPLICATE);
        // In arrival order, each duplicate after its message's message-received entry (as when opened).
        assertThat(entries).hasSize(4);
        assertThat(((AuditEvent.MessageReceived) entries.get(0)).via()).contains("relay-pk");
        assertThat(entries.get(1)).isEqualTo(new AuditEvent.DuplicateCopy(first.messageId(), "relay-in"));
        assertThat(((AuditEvent.MessageReceived) entries.get(2)).via()).contains("relay-in");
        assertThat(entries.get(3)).isEqualTo(new AuditEvent.DuplicateCopy(next.messageId(), "relay-pk"));
        assertThat(pakistan.events.received).hasSize(2);
        assertThat(pakistan.events.problems).isEmpty();
    }

    @Test
    void anAlteredCopy_isOpenedAsBefore_rejectedInTheBatch_andNeverCountedAsTheSameMessage() throws Exception {
        Frame.Deliver first = EngineHarness.deliverTo("pk.pm", signed(newId(), 1, "the genuine words"));
        together(List.of(first, ciphertextByteFlipped(acceptedLater(first))), List.of("relay-pk", "relay-in"));
        assertThat(recognised()).isZero();
        assertThat(rejectedToRelay()).singleElement().satisfies(r ->
                assertThat(r.reason()).contains(Receipt.RejectReason.DECRYPTION_FAILED));
        // Once stored, an altered copy is answered with the stored message's receipt, and counts for nothing.
        oneByOne(List.of(ciphertextByteFlipped(acceptedLater(first))), List.of("relay-third"));
        assertThat(recognised()).isZero();
        assertThat(pakistan.connection.verifiedCopies()).containsExactly(first.messageId().shortForm() + " NEW");
        assertThat(logged(AuditEntryType.DUPLICATE)).isEmpty();
        assertThat(pakistan.events.received).hasSize(1);
    }

    @Test
    void theSameMessageSealedAgain_isOpened_andStillCountsAsTheSameMessage() throws Exception {
        SignedMessage m = message(newId(), 1, "hello");
        Frame.Deliver first = EngineHarness.deliverTo("pk.pm", seal(m));
        Frame.Deliver resealed = EngineHarness.deliverTo("pk.pm", seal(m));
        together(List.of(first, resealed), List.of("relay-pk", "relay-in"));
        oneByOne(List.of(EngineHarness.deliverTo("pk.pm", seal(m))), List.of("relay-third"));
        assertThat(recognised()).as("other bytes: opened").isZero();
        assertThat(logged(AuditEntryType.DUPLICATE)).containsExactly(new AuditEvent.DuplicateCopy(m.header().messageId(),
                "relay-in"), new AuditEvent.DuplicateCopy(m.header().messageId(), "relay-third"));
    }

    @Test
    void anotherSignedMessageUnderTheSameId_isOpened_andCaughtAsEquivocationAsBefore() throws Exception {
        MessageId id = newId();
        Frame.Deliver first = EngineHarness.deliverTo("pk.pm", signed(id, 1, "first words"));
        Frame.Deliver other = EngineHarness.deliverTo("pk.pm", signed(id, 1, "other words, same id and number"));
        together(List.of(first, other), List.of("relay-pk", "relay-in"));
        assertThat(recognised()).isZero();
        assertThat(rejectedToRelay()).singleElement().satisfies(r ->
                assertThat(r.reason()).contains(Receipt.RejectReason.EQUIVOCATION));
        assertThat(logged(AuditEntryType.EQUIVOCATION)).hasSize(1);
        assertThat(logged(AuditEntryType.DUPLICATE)).isEmpty();
        assertThat(pakistan.events.received).singleElement().satisfies(r -> assertThat(r.text()).isEqualTo("first words"));
    }

    @Test
    void afterARestart_nothingIsRemembered_soAnIdenticalCopyIsOpened_andLoggedAsBefore() throws Exception {
        Frame.Deliver first = EngineHarness.deliverTo("pk.pm", signed(newId(), 1, "hello"));
        oneByOne(List.of(first), List.of("relay-pk"));
        pakistan.close();
        pakistan = EngineHarness.reopen(exercise, tmp.resolve("pk.pm"), "pk.pm", pakistan.memory);
        pakistan.welcome();
        oneByOne(List.of(acceptedLater(first)), List.of("relay-in"));
        assertThat(recognised()).isZero();
        assertThat(pakistan.connection.verifiedCopies()).containsExactly(first.messageId().shortForm() + " REPEAT");
        assertThat(logged(AuditEntryType.DUPLICATE)).containsExactly(new AuditEvent.DuplicateCopy(first.messageId(),
                "relay-in"));
    }

    @Test
    void theFingerprint_coversEveryInputOfOpening_butNotTheRelaysAcceptedAt() throws Exception {
        Frame.Deliver d = EngineHarness.deliverTo("pk.pm", signed(newId(), 1, "hello"));
        Hash32 f = OpenedCopies.fingerprint(d);
        assertThat(OpenedCopies.fingerprint(acceptedLater(d))).isEqualTo(f);
        SealedBox b = d.box();
        List<Frame.Deliver> altered = List.of(
                new Frame.Deliver(newId(), d.sender(), d.channel(), d.acceptedAt(), b),
                new Frame.Deliver(d.messageId(), "in.mil", d.channel(), d.acceptedAt(), b),
                new Frame.Deliver(d.messageId(), d.sender(), "other", d.acceptedAt(), b),
                new Frame.Deliver(d.messageId(), d.sender(), d.channel(), d.acceptedAt(),
                        new SealedBox("pk.mil", b.prekeyId(), b.encapsulation(), b.ciphertext())),
                new Frame.Deliver(d.messageId(), d.sender(), d.channel(), d.acceptedAt(),
                        new SealedBox(b.recipient(), b.prekeyId() + 1, b.encapsulation(), b.ciphertext())),
                ciphertextByteFlipped(d),
                // One byte moved from the encapsulation to the ciphertext: the lengths tell them apart.
                new Frame.Deliver(d.messageId(), d.sender(), d.channel(), d.acceptedAt(), new SealedBox(b.recipient(),
                        b.prekeyId(), java.util.Arrays.copyOf(b.encapsulation(), b.encapsulation().length - 1),
                        concat(b.encapsulation()[b.encapsulation().length - 1], b.ciphertext()))));
        for (Frame.Deliver a : altered) {
            assertThat(OpenedCopies.fingerprint(a)).isNotEqualTo(f);
        }
    }

    @Test
    void aCopyIsRecognisedOnlyWithTheHashItOpenedTo_andOnlyTheMostRecentMessagesAreRemembered() throws Exception {
        OpenedCopies copies = new OpenedCopies();
        Frame.Deliver d = EngineHarness.deliverTo("pk.pm", signed(newId(), 1, "hello"));
        Hash32 hash = Hash32.of(new byte[32]);
        Hash32 otherHash = Hash32.of(java.util.HexFormat.of().parseHex("01".repeat(32)));
        assertThat(copies.sameBytesAs(d, hash)).as("nothing opened yet").isFalse();
        copies.opened(d, hash);
        assertThat(copies.sameBytesAs(acceptedLater(d), hash)).isTrue();
        assertThat(copies.sameBytesAs(d, otherHash)).as("another message stored under the id").isFalse();
        for (int i = 0; i < OpenedCopies.CAPACITY; i++) {
            copies.opened(new Frame.Deliver(newId(), d.sender(), d.channel(), d.acceptedAt(), d.box()), hash);
        }
        assertThat(copies.size()).isEqualTo(OpenedCopies.CAPACITY);
        assertThat(copies.sameBytesAs(d, hash)).as("the oldest forgotten: opened again").isFalse();
        assertThat(copies.recognised()).isEqualTo(1);
    }

    /** As the event loop does: offered to the prefetch before being handed to the engine thread. */
    void arrivingThenDeliver(Frame.Deliver d, String relay) {
        pakistan.engine.inbox.arriving(d);
        pakistan.connection.inject(d, relay);
    }

    long openedAhead() throws Exception {
        return pakistan.onEngine(() -> pakistan.engine.inbox.prefetch.taken());
    }

    /**
     * A backlog opened ahead on the pool is stored, confirmed and shown in arrival order, each
     * message once, and the other relay's identical copies are neither opened ahead nor opened on
     * the engine thread.
     */
    @Test
    void deliveriesOpenedAhead_areShownInArrivalOrder_andTheOtherRelaysCopiesAreNotOpenedAgain() throws Exception {
        List<Frame.Deliver> all = chain(java.util.stream.IntStream.range(0, 40).mapToObj(Integer::toString)
                .toArray(String[]::new));
        oneByOne(List.of(all.get(0)), List.of("relay-pk"));
        assertThat(openedAhead()).as("nothing learned yet: the first is opened on the engine thread").isZero();
        List<Frame.Deliver> backlog = all.subList(1, all.size());
        // The engine busy until the pool has opened everything, so none is opened on the engine thread instead.
        CountDownLatch go = new CountDownLatch(1);
        pakistan.engine.thread.execute(() -> {
            try {
                go.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (Frame.Deliver d : backlog) {
            arrivingThenDeliver(d, "relay-pk");
            arrivingThenDeliver(acceptedLater(d), "relay-in");
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!pakistan.engine.inbox.prefetch.settled() && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        go.countDown();
        pakistan.sync();
        assertThat(openedAhead()).isEqualTo(backlog.size());
        assertThat(recognised()).isEqualTo(backlog.size());
        assertThat(pakistan.events.received).extracting(r -> r.text())
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 40).mapToObj(Integer::toString).toList());
        assertThat(logged(AuditEntryType.DUPLICATE)).hasSize(backlog.size());
        assertThat(pakistan.events.problems).isEmpty();
    }

    /** A copy opened ahead that fails (altered) is opened again on the engine thread and rejected for it, as before. */
    @Test
    void anAlteredCopyOpenedAhead_isRejectedAsBefore() throws Exception {
        List<Frame.Deliver> two = chain("learn", "the genuine words");
        oneByOne(List.of(two.get(0)), List.of("relay-pk"));
        Frame.Deliver genuine = two.get(1);
        arrivingThenDeliver(ciphertextByteFlipped(genuine), "relay-in");
        pakistan.sync();
        assertThat(rejectedToRelay()).singleElement().satisfies(r ->
                assertThat(r.reason()).contains(Receipt.RejectReason.DECRYPTION_FAILED));
        arrivingThenDeliver(genuine, "relay-pk");
        pakistan.sync();
        assertThat(pakistan.events.received).extracting(r -> r.text()).containsExactly("learn", "the genuine words");
    }

    /**
     * A message claiming India but signed with another role's key: the check ahead under India's
     * key fails, so the engine judges it with every certificate of India's, and rejects it as before.
     */
    @Test
    void aForgedSignatureOpenedAhead_isJudgedOnTheEngineThread_andRejectedAsBefore() throws Exception {
        oneByOne(List.of(EngineHarness.deliverTo("pk.pm", signed(newId(), 1, "learn"))), List.of("relay-pk"));
        var india = exercise.role("in.pm");
        String channel = exercise.exercise().channelFor("in.pm", "pk.pm").orElseThrow().id();
        var header = new MessageHeader(india.exerciseId(), newId(), "in.pm", List.of("pk.pm"), channel, 2,
                Instant.now(), Hash32.ZERO, Hash32.ZERO, SignalCatalog.builtIn().version(), Optional.empty(),
                Optional.empty());
        SignedMessage forged = MessageSigner.sign(exercise.role("control").identity(), header,
                new Content.Text("not India's words"));
        arrivingThenDeliver(EngineHarness.deliverTo("pk.pm", seal(forged)), "relay-in");
        pakistan.sync();
        assertThat(rejectedToRelay()).singleElement().satisfies(r ->
                assertThat(r.reason()).contains(Receipt.RejectReason.BAD_SIGNATURE));
        assertThat(pakistan.events.received).extracting(r -> r.text()).containsExactly("learn");
    }

    private static byte[] concat(byte first, byte[] rest) {
        byte[] out = new byte[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }
}
