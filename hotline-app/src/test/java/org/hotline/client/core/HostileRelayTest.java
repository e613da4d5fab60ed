package org.hotline.client.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.crypto.CumulativeReceiptSigner;
import org.hotline.protocol.crypto.HostileSealing;
import org.hotline.protocol.crypto.IdentityKeyPair;
import org.hotline.protocol.crypto.MessageSealer;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.crypto.PrekeyPair;
import org.hotline.protocol.crypto.ReceiptSigner;
import org.hotline.protocol.crypto.VerifiedPrekey;
import org.hotline.protocol.pki.PkiException;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.CumulativeReceipt;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SealedBox;
import org.hotline.protocol.wire.SignedMessage;
import org.hotline.protocol.wire.SignedPrekeyBytes;
import org.hotline.server.store.StoredEnvelope;
import org.hotline.server.store.StoredReceipt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real client over real TLS against the real relay turned hostile ({@link HostileMailbox}): it
 * forges, alters, re-addresses and substitutes messages, receipts and prekeys on their way to the
 * client. THREAT_MODEL.md §4 and §8: the relay is not trusted with content, so each of these must be
 * refused by the client: not shown, not stored, not confirmed, reported as a problem; no forged
 * receipt moves a message's state; no substituted prekey is ever sealed to.
 *
 * <p>The relay's clock runs {@link #RELAY_BEHIND} behind the clients' (the exercise was issued an
 * hour earlier, so certificates are valid for both): a prekey that expired a minute ago is still
 * current for the relay, which therefore serves it, as a relay that does not filter would.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HostileRelayTest {

    static final Duration RELAY_BEHIND = Duration.ofMinutes(4);

    @TempDir
    Path tmp;
    HostileRelay world;
    TestExercise exercise;
    HostileMailbox hostile;
    List<HotlineClient> cores;
    final SecureRandom random = new SecureRandom();
    /** pk.pm's published prekeys, as the relay knows them when the forgery starts. */
    volatile List<SignedPrekeyBytes> published = List.of();

    @BeforeEach
    void hostileRelay() throws Exception {
        world = HostileRelay.start(tmp, Clock.offset(Clock.systemUTC(), RELAY_BEHIND.negated()),
                c -> c.withCrlCheckInterval(Duration.ofMillis(200)));
        exercise = world.exercise();
        hostile = world.mailbox();
        cores = world.clients();
    }

    @AfterEach
    void stop() {
        world.close();
    }

    HotlineClient core(String role, Recorder rec) throws Exception {
        return world.open(role, rec);
    }

    /** Something the hostile relay does to one stored box on its way to the recipient. */
    interface Forgery {
        StoredEnvelope apply(StoredEnvelope genuine) throws Exception;
    }

    // ------------------------------------------------------------------ messages

    @Test
    void control_aSubstituteSignedWithTheSendersRealKey_isShown_soTheRefusalsBelowAreTheChecksAtWork()
            throws Exception {
        Received r = deliverThrough(e -> substitute(e, header(e, "pk.pm", "leaders", e.messageId()),
                exercise.role("in.pm").identity()));
        ReceivedMessage shown = r.pk.next();
        assertThat(shown.text()).isEqualTo("words the sender never wrote");
        assertThat(shown.verified()).isTrue();
        awaitConfirmed(r.id);
    }

    @Test
    void anEquivocatingCopy_reachesListenersFlagged_andIsNotShownAsANewMessage() throws Exception {
        // Issue 14 item 9: the second copy (same counter, other words, the sender's real key) is
        // evidence, reported with equivocation = true, so listen --json can flag it.
        java.util.concurrent.atomic.AtomicBoolean forge = new java.util.concurrent.atomic.AtomicBoolean();
        Received r = deliverThrough(e -> forge.get()
                ? substitute(e, header(e, "pk.pm", "leaders", e.messageId()), exercise.role("in.pm").identity())
                : e);
        java.util.concurrent.BlockingQueue<ReceivedMessage> copies = new java.util.concurrent.LinkedBlockingQueue<>();
        r.pakistan.addListener(new ClientListener() {
            @Override
            public void equivocationReceived(ReceivedMessage copy) {
                copies.add(copy);
            }
        });
        ReceivedMessage first = r.pk.next();
        assertThat(first.text()).isEqualTo("genuine words");
        assertThat(first.equivocation()).isFalse();
        forge.set(true);
        MessageId second = cores.get(1).sendText("pk.pm", "second genuine words").get(15, TimeUnit.SECONDS);
        ReceivedMessage copy = copies.poll(15, TimeUnit.SECONDS);
        assertThat(copy).as("equivocation reported; problems " + r.pk.problems).isNotNull();
        assertThat(copy.equivocation()).isTrue();
        assertThat(copy.id()).isEqualTo(second);
        assertThat(copy.counter()).isEqualTo(first.counter());
        assertThat(copy.text()).isEqualTo("words the sender never wrote");
        Thread.sleep(300);
        assertThat(r.pk.received).as("not shown as a new message").isEmpty();
    }

    @Test
    void aMessageWithABadSignature_isRefused() throws Exception {
        assertRefused("bad signature", e -> substitute(e, header(e, "pk.pm", "leaders", e.messageId()),
                IdentityKeyPair.generate(random)));
    }

    @Test
    void aMessageSignedByAnotherRole_claimingToBeFromTheSender_isRefused() throws Exception {
        assertRefused("bad signature", e -> substitute(e, header(e, "pk.pm", "leaders", e.messageId()),
                exercise.role("pk.nsa").identity()));
    }

    @Test
    void aBoxReAddressedToAnotherChannel_isRefused() throws Exception {
        assertRefused("does not decrypt", e -> new StoredEnvelope(e.seq(), e.messageId(), e.sender(), "nsa",
                e.acceptedAt(), e.box()));
    }

    @Test
    void aBoxReAddressedToAnotherRecipient_isRefused() throws Exception {
        // The box's bytes are the ones sealed to pk.pm, so pk.pm's rejection matches what the sender sealed
        // (PROTOCOL.md §6: type 4 commits to encapsulation and ciphertext) and truthfully ends the message.
        assertRefused("does not decrypt", DeliveryState.REJECTED, e -> new StoredEnvelope(e.seq(), e.messageId(),
                e.sender(), e.channel(), e.acceptedAt(), new SealedBox("pk.nsa", e.box().prekeyId(), e.box().encapsulation(),
                        e.box().ciphertext())));
    }

    @Test
    void aBoxMovedToAnotherPrekeyIdOfTheRecipient_isRefused() throws Exception {
        // The same bytes under another prekey id: pk.pm rejects that copy, but its rejection names the
        // copy with the moved prekey id (PROTOCOL.md §6 copy hash, review F1), not the box as sealed,
        // so the sender refuses it and the message is not marked rejected on the relay's doing.
        assertRefused("does not decrypt", e -> {
            int initial = exercise.directory().initialPrekeyOf("pk.pm").prekeyId();
            int other = e.box().prekeyId() != initial ? initial
                    : published.stream().mapToInt(SignedPrekeyBytes::prekeyId)
                            .filter(id -> id != initial).findFirst().orElseThrow();
            return new StoredEnvelope(e.seq(), e.messageId(), e.sender(), e.channel(), e.acceptedAt(),
                    new SealedBox(e.box().recipient(), other, e.box().encapsulation(), e.box().ciphertext()));
        });
    }

    /** A sender working with the relay: the signed header names another recipient than the box. */
    @Test
    void aSignedHeaderNamingAnotherRecipientThanItsEnvelope_isRefusedAsEnvelopeMismatch() throws Exception {
        assertRefused("signed header does not match its envelope", e -> {
            SignedMessage m = MessageSigner.sign(exercise.role("in.pm").identity(),
                    header(e, "pk.nsa", "leaders", e.messageId()), new Content.Text("words the sender never wrote"));
            return withBox(e, HostileSealing.sealUnder(m, e.messageId(), e.sender(), e.channel(), prekeyOf(e)));
        });
    }

    @Test
    void aSignedHeaderWithAnotherIdThanItsEnvelope_isRefusedAsEnvelopeMismatch() throws Exception {
        assertRefused("signed header does not match its envelope", e -> {
            SignedMessage m = MessageSigner.sign(exercise.role("in.pm").identity(),
                    header(e, "pk.pm", "leaders", MessageId.random(random)),
                    new Content.Text("words the sender never wrote"));
            return withBox(e, HostileSealing.sealUnder(m, e.messageId(), e.sender(), e.channel(), prekeyOf(e)));
        });
    }

    @Test
    void aSignedHeaderOnAnotherChannelThanItsEnvelope_isRefusedAsEnvelopeMismatch() throws Exception {
        assertRefused("signed header does not match its envelope", e -> {
            SignedMessage m = MessageSigner.sign(exercise.role("in.pm").identity(),
                    header(e, "pk.pm", "nsa", e.messageId()), new Content.Text("words the sender never wrote"));
            return withBox(e, HostileSealing.sealUnder(m, e.messageId(), e.sender(), e.channel(), prekeyOf(e)));
        });
    }

    /** Genuinely signed and sealed, but not to every other member of the channel (PROTOCOL.md §4.5). */
    @Test
    void aMessageAddressedToOthersThanTheChannelsMembers_isRefused() throws Exception {
        assertRefused("addressed to [pk.nsa, pk.pm] on channel leaders, expected [pk.pm]", e -> {
            MessageHeader h = header(e, "pk.pm", "leaders", e.messageId());
            MessageHeader wide = new MessageHeader(h.exerciseId(), h.messageId(), h.sender(), List.of("pk.nsa", "pk.pm"),
                    h.channel(), h.counter(), h.sentAt(), h.previousSent(), h.lastReceived(), h.catalogVersion(),
                    h.inReplyTo(), h.answerBy());
            SignedMessage m = MessageSigner.sign(exercise.role("in.pm").identity(), wide,
                    new Content.Text("words the sender never wrote"));
            return withBox(e, HostileSealing.sealUnder(m, e.messageId(), e.sender(), e.channel(), prekeyOf(e)));
        });
    }

    record Received(MessageId id, Recorder in, Recorder pk, HotlineClient pakistan) {
    }

    /** Pakistan online with its prekeys published, the forgery on, then India sends one genuine text. */
    Received deliverThrough(Forgery forgery) throws Exception {
        Recorder in = new Recorder();
        Recorder pk = new Recorder();
        HotlineClient pakistan = core("pk.pm", pk);
        pakistan.start();
        ClientCoreTest.awaitLink(pk, LinkStatus::connected);
        awaitPublished("pk.pm");
        // Read now: the forgery runs on the mailbox's one reader thread, which must not wait for itself.
        published = hostile.publishedPrekeys("pk.pm");
        hostile.alterDeliveries((to, e) -> {
            if (!to.equals("pk.pm")) {
                return e;
            }
            try {
                return forgery.apply(e);
            } catch (Exception x) {
                throw new IllegalStateException("the forgery itself failed", x);
            }
        });
        HotlineClient india = core("in.pm", in);
        india.start();
        MessageId id = india.sendText("pk.pm", "genuine words").get(15, TimeUnit.SECONDS);
        in.awaitState(id, DeliveryState.ACCEPTED);
        return new Received(id, in, pk, pakistan);
    }

    void assertRefused(String reason, Forgery forgery) throws Exception {
        // Other bytes than the sender sealed: the rejection does not match its box and is refused.
        assertRefused(reason, DeliveryState.ACCEPTED, forgery);
    }

    /** {@code senderEndsIn}: ACCEPTED, or REJECTED where the recipient rejected the very bytes sealed to it. */
    void assertRefused(String reason, DeliveryState senderEndsIn, Forgery forgery) throws Exception {
        Received r = deliverThrough(forgery);
        String problem = awaitProblem(r.pk, r.id.shortForm());
        assertThat(problem).contains(reason);
        Thread.sleep(500);
        assertThat(r.pk.received).as("not shown").isEmpty();
        assertThat(r.pakistan.receivedMessages().get(5, TimeUnit.SECONDS)).as("not shown").isEmpty();
        assertThat(hostile.confirmed(r.id)).as("not confirmed to the relay").isFalse();
        // PROTOCOL.md §6: a message that can never be opened or accepted is answered with a signed
        // rejected receipt, so the relay stops redelivering it.
        assertThat(hostile.rejected(r.id)).as("rejected to the relay").isTrue();
        if (senderEndsIn == DeliveryState.REJECTED) {
            r.in.awaitState(r.id, DeliveryState.REJECTED);
        }
        assertThat(r.in.states.get(r.id)).as("the sender never hears it was delivered").isEqualTo(senderEndsIn);
        r.pakistan.close();
        cores.remove(r.pakistan);
        HotlineClient reopened = core("pk.pm", new Recorder());
        assertThat(reopened.receivedMessages().get(5, TimeUnit.SECONDS)).as("not stored").isEmpty();
    }

    /** A header as the sender would sign it for this envelope, naming {@code recipient} and {@code channel}. */
    MessageHeader header(StoredEnvelope e, String recipient, String channel, MessageId id) throws Exception {
        return new MessageHeader(exercise.role("in.pm").exerciseId(), id, e.sender(), List.of(recipient), channel, 1,
                Instant.now(), Hash32.ZERO, Hash32.ZERO, org.hotline.protocol.signals.SignalCatalog.builtIn().version(), Optional.empty(),
                Optional.empty());
    }

    /** The box replaced by the message signed with {@code key}, sealed as a relay can: to the public prekey. */
    StoredEnvelope substitute(StoredEnvelope e, MessageHeader h, IdentityKeyPair key) throws Exception {
        SignedMessage m = MessageSigner.sign(key, h, new Content.Text("words the sender never wrote"));
        return withBox(e, MessageSealer.seal(m, List.of(prekeyOf(e)), random).boxes().get(0));
    }

    static StoredEnvelope withBox(StoredEnvelope e, SealedBox box) {
        return new StoredEnvelope(e.seq(), e.messageId(), e.sender(), e.channel(), e.acceptedAt(), box);
    }

    /** The recipient's public prekey the genuine box was sealed to: all a relay knows of the recipient. */
    VerifiedPrekey prekeyOf(StoredEnvelope e) throws Exception {
        List<SignedPrekeyBytes> candidates = new ArrayList<>(published);
        candidates.add(exercise.directory().initialPrekeyOf(e.box().recipient()));
        SignedPrekeyBytes p = candidates.stream().filter(x -> x.prekeyId() == e.box().prekeyId()).findFirst()
                .orElseThrow();
        var dir = exercise.directory();
        return VerifiedPrekey.verify(p, p.role(), dir.validator().identityKey(dir.identityCertificateOf(p.role()),
                Instant.now()), p.exerciseId(), Instant.now());
    }

    // ------------------------------------------------------------------ receipts

    @Test
    void aForgedAcceptedReceipt_doesNotMoveTheMessage() throws Exception {
        IdentityKeyPair notTheRelay = IdentityKeyPair.generate(random);
        hostile.alterAccepted(r -> resign(r, r.asserter(), notTheRelay));
        Recorder in = new Recorder();
        HotlineClient india = core("in.pm", in);
        india.start();
        MessageId id = india.sendText("pk.pm", "is it accepted?").get(15, TimeUnit.SECONDS);
        assertThat(awaitProblem(in, "receipt for message " + id.shortForm())).contains("rejected");
        // The client re-sends a message without a valid ACCEPTED; the duplicate's answer is forged too.
        Thread.sleep(2500);
        assertThat(in.states.get(id)).isEqualTo(DeliveryState.QUEUED);
        assertThat(india.sentMessages().get(5, TimeUnit.SECONDS)).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo(DeliveryState.QUEUED);
            assertThat(s.acceptedAt()).isEmpty();
        });
    }

    /**
     * Review A-M1: the relay logs an accepted receipt for other SEND bytes as the message's leaf, so
     * its ACCEPTED_IN_LOG carries an inclusion proof and a checkpoint it really signed, both of which
     * verify; the sender's match against the message it sent still refuses it.
     */
    @Test
    void aLeafForOtherSendBytes_provenByTheRelaysOwnLog_doesNotMoveTheMessage() throws Exception {
        hostile.alterLoggedAccepted(r -> {
            byte[] other = r.subjectHash().orElseThrow().bytes();
            other[0] ^= 0x01;
            return Receipt.unsigned(new Receipt.Fields(r.type(), r.exerciseId(), r.messageId(), r.asserter(),
                    r.sender(), r.channel().orElseThrow(), r.at(), org.hotline.protocol.wire.Hash32.of(other)));
        });
        Recorder in = new Recorder();
        HotlineClient india = core("in.pm", in);
        india.start();
        MessageId id = india.sendText("pk.pm", "is it accepted?").get(15, TimeUnit.SECONDS);
        assertThat(awaitProblem(in, "receipt for message " + id.shortForm())).contains("rejected");
        assertThat(in.problems).noneMatch(p -> p.contains("log proof for message " + id.shortForm()));
        assertThat(hostile.relayLog().orElseThrow().size()).as("the forged leaf is in the relay's log").isPositive();
        Thread.sleep(2500);
        assertThat(in.states.get(id)).isEqualTo(DeliveryState.QUEUED);
    }

    @Test
    void aForgedDeliveredReceipt_doesNotMoveTheMessage() throws Exception {
        IdentityKeyPair notTheRecipient = IdentityKeyPair.generate(random);
        assertReceiptRefused(Receipt.Type.DELIVERED, r -> resign(r, r.asserter(), notTheRecipient),
                t -> resign(t, t.asserter(), notTheRecipient), "rejected", DeliveryState.ACCEPTED);
    }

    @Test
    void anAcknowledgementForgedByTheRelay_doesNotMoveTheMessage() throws Exception {
        IdentityKeyPair relayKey = exercise.relay().identity();
        assertReceiptRefused(Receipt.Type.ACKNOWLEDGED, r -> resign(r, r.asserter(), relayKey), "rejected",
                DeliveryState.DELIVERED);
    }

    @Test
    void aGenuinelySignedReceiptFromSomeoneWhoWasNotARecipient_doesNotMoveTheMessage() throws Exception {
        IdentityKeyPair pkNsa = exercise.role("pk.nsa").identity();
        assertReceiptRefused(Receipt.Type.DELIVERED, r -> resign(r, "pk.nsa", pkNsa), t -> resign(t, "pk.nsa", pkNsa),
                "was not a recipient", DeliveryState.ACCEPTED);
    }

    /** The same receipt fields (so the same message and hash) signed by {@code key} in {@code asserter}'s name. */
    static Receipt resign(Receipt r, String asserter, IdentityKeyPair key) {
        return ReceiptSigner.sign(key, new Receipt.Fields(r.type(), r.exerciseId(), r.messageId(), asserter,
                r.sender(), r.channel().orElseThrow(), r.at(), r.subjectHash().orElseThrow()));
    }

    /** The same cumulative receipt fields (same messages, same chain head) signed by {@code key} in {@code asserter}'s name. */
    static CumulativeReceipt resign(CumulativeReceipt t, String asserter, IdentityKeyPair key) {
        var f = t.fields();
        return CumulativeReceiptSigner.sign(key, new CumulativeReceipt.Fields(f.exerciseId(), asserter, f.sender(),
                f.channel(), f.fromCounter(), f.throughCounter(), f.chainHead(), f.at(), f.coveredIds()));
    }

    void assertReceiptRefused(Receipt.Type type, java.util.function.UnaryOperator<Receipt> forge, String reason,
                              DeliveryState stays) throws Exception {
        assertReceiptRefused(type, forge, t -> t, reason, stays);
    }

    /**
     * As above; {@code forgeThrough} alters the cumulative receipts (PROTOCOL.md §6.1) that now carry
     * what {@code delivered} receipts carried, so a forged delivery is forged in either form.
     */
    void assertReceiptRefused(Receipt.Type type, java.util.function.UnaryOperator<Receipt> forge,
                              java.util.function.UnaryOperator<CumulativeReceipt> forgeThrough, String reason,
                              DeliveryState stays) throws Exception {
        hostile.alterReceipts((to, s) -> s.forward() instanceof Frame.DeliveredThrough t
                ? new StoredReceipt(s.seq(), s.addressee(), forgeThrough.apply(t.receipt()))
                : s.receipt().type() == type ? new StoredReceipt(s.seq(), s.addressee(), forge.apply(s.receipt())) : s);
        Recorder in = new Recorder();
        Recorder pk = new Recorder();
        HotlineClient india = core("in.pm", in);
        HotlineClient pakistan = core("pk.pm", pk);
        india.start();
        pakistan.start();
        MessageId id = india.sendText("pk.pm", "a receipt please").get(15, TimeUnit.SECONDS);
        assertThat(pk.next().id()).isEqualTo(id);
        if (type == Receipt.Type.ACKNOWLEDGED) {
            in.awaitState(id, DeliveryState.DELIVERED);
            pakistan.acknowledge(id).get(5, TimeUnit.SECONDS);
        }
        assertThat(awaitProblem(in, type == Receipt.Type.ACKNOWLEDGED || reason.startsWith("was not")
                ? reason : id.shortForm())).contains(reason);
        Thread.sleep(500);
        assertThat(in.states.get(id)).isEqualTo(stays);
        assertThat(india.sentMessages().get(5, TimeUnit.SECONDS)).singleElement()
                .extracting(SentMessage::state).isEqualTo(stays);
    }

    // ------------------------------------------------------------------ prekeys

    @Test
    void aPrekeySignedByAnotherIdentity_isRefused_andNeverSealedTo() throws Exception {
        assertPrekeyRefused("bad signature", id -> PrekeyPair.generate(exercise.role("pk.nsa").identity(),
                exerciseId(), "pk.pm", id, Instant.now(), Duration.ofDays(7), random).signed());
    }

    @Test
    void anotherRolesPrekey_isRefused_andNeverSealedTo() throws Exception {
        assertPrekeyRefused("names role pk.nsa", id -> PrekeyPair.generate(exercise.role("pk.nsa").identity(),
                exerciseId(), "pk.nsa", id, Instant.now(), Duration.ofDays(7), random).signed());
    }

    @Test
    void anExpiredPrekey_isRefused_andNeverSealedTo() throws Exception {
        // Expired a minute ago for the clients; the relay, 4 minutes behind, still serves it.
        assertPrekeyRefusedProvingRotation("is not valid at", id -> PrekeyPair.generate(exercise.role("pk.pm").identity(),
                exerciseId(), "pk.pm", id, Instant.now().minus(Duration.ofDays(1)),
                Duration.ofDays(1).minusMinutes(1), random).signed());
    }

    @Test
    void aPrekeyValidForLongerThanTheCap_isRefused_andNeverSealedTo() throws Exception {
        assertPrekeyRefusedProvingRotation("invalid lifetime", id -> PrekeyPair.generate(exercise.role("pk.pm").identity(),
                exerciseId(), "pk.pm", id, Instant.now(), Duration.ofDays(91), random).signed());
    }

    @Test
    void aRevokedRecipientsPrekey_isNeverSealedTo() throws Exception {
        Recorder pk = new Recorder();
        HotlineClient pakistan = core("pk.pm", pk);
        pakistan.start();
        ClientCoreTest.awaitLink(pk, LinkStatus::connected);
        awaitPublished("pk.pm");
        exercise.revoke("pk.pm");
        Recorder in = new Recorder();
        HotlineClient india = core("in.pm", in);
        india.start();
        ClientCoreTest.awaitLink(in, LinkStatus::connected);
        assertThatThrownBy(() -> india.sendText("pk.pm", "to a revoked role").get(15, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOfSatisfying(PkiException.class,
                        e -> assertThat(e.reason()).isEqualTo(PkiException.Reason.REVOKED));
        Thread.sleep(500);
        // Only boxes to pk.pm count: the client's own traffic to exercise control may also be appended.
        assertThat(hostile.appended.stream().flatMap(e -> e.boxes().stream()).map(SealedBox::recipient))
                .as("nothing was sealed to pk.pm").doesNotContain("pk.pm");
    }

    interface PrekeyForgery {
        SignedPrekeyBytes make(int prekeyId) throws Exception;
    }

    void assertPrekeyRefused(String reason, PrekeyForgery forgery) throws Exception {
        int forgedId = 0x5eed;
        SignedPrekeyBytes forged = forgery.make(forgedId);
        hostile.alterPrekeys((role, published) -> role.equals("pk.pm") ? List.of(forged) : published);
        Recorder in = new Recorder();
        Recorder pk = new Recorder();
        HotlineClient india = core("in.pm", in);
        india.start();
        assertThat(awaitProblem(in, "ignored a prekey of pk.pm")).contains(reason);
        MessageId id = india.sendText("pk.pm", "sealed to a genuine prekey").get(15, TimeUnit.SECONDS);
        in.awaitState(id, DeliveryState.ACCEPTED);
        assertThat(appendedOf(id)).singleElement().satisfies(e -> assertThat(e.boxes()).singleElement()
                .satisfies(b -> {
                    assertThat(b.recipient()).isEqualTo("pk.pm");
                    assertThat(b.prekeyId()).isNotEqualTo(forgedId);
                }));
        core("pk.pm", pk).start();
        assertThat(pk.next().text()).as("sealed to a prekey pk.pm holds").isEqualTo("sealed to a genuine prekey");
    }

    /**
     * A refused prekey validly signed by pk.pm itself still proves pk.pm rotated (PROTOCOL.md §5.2,
     * "Selection"): its initial prekey is not sealed to again, so the message waits in the outbox,
     * nothing reaches the relay, and it goes out only once the relay serves a genuine rotated prekey.
     */
    void assertPrekeyRefusedProvingRotation(String reason, PrekeyForgery forgery) throws Exception {
        int forgedId = 0x5eed;
        SignedPrekeyBytes forged = forgery.make(forgedId);
        hostile.alterPrekeys((role, published) -> role.equals("pk.pm") ? List.of(forged) : published);
        Recorder in = new Recorder();
        HotlineClient india = core("in.pm", in);
        india.start();
        assertThat(awaitProblem(in, "ignored a prekey of pk.pm")).contains(reason);
        MessageId id = india.sendText("pk.pm", "sealed to a genuine prekey").get(15, TimeUnit.SECONDS);
        assertThat(awaitProblem(in, "message " + id.shortForm())).contains("waits in the outbox");
        Thread.sleep(500);
        assertThat(in.states.get(id)).isNotEqualTo(DeliveryState.ACCEPTED);
        assertThat(appendedOf(id)).as("sealed to nothing while only the forgery is served").isEmpty();

        // The relay stops forging; pk.pm publishes, and India's next WELCOME fetch finds its prekey.
        hostile.alterPrekeys((role, published) -> published);
        Recorder pk = new Recorder();
        core("pk.pm", pk).start();
        awaitPublished("pk.pm");
        india.close();
        cores.remove(india);
        Recorder again = new Recorder();
        core("in.pm", again).start();
        again.awaitState(id, DeliveryState.ACCEPTED);
        int initial = exercise.directory().initialPrekeyOf("pk.pm").prekeyId();
        assertThat(appendedOf(id)).singleElement().satisfies(e -> assertThat(e.boxes()).singleElement()
                .satisfies(b -> {
                    assertThat(b.recipient()).isEqualTo("pk.pm");
                    assertThat(b.prekeyId()).isNotEqualTo(forgedId).isNotEqualTo(initial);
                }));
        assertThat(pk.next().text()).as("sealed to a prekey pk.pm holds").isEqualTo("sealed to a genuine prekey");
    }

    // ------------------------------------------------------------------ helpers

    /** What the relay was sent for message {@code id} (clients also send checkpoints and control traffic). */
    List<org.hotline.server.store.Envelope> appendedOf(MessageId id) {
        return hostile.appended.stream().filter(e -> e.messageId().equals(id)).toList();
    }

    org.hotline.protocol.wire.ExerciseId exerciseId() throws PkiException {
        return exercise.role("in.pm").exerciseId();
    }

    void awaitPublished(String role) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (hostile.publishedPrekeys(role).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(role + " never published a prekey");
            }
            Thread.sleep(20);
        }
    }

    void awaitConfirmed(MessageId id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!hostile.confirmed(id)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(id.shortForm() + " was never confirmed to the relay");
            }
            Thread.sleep(20);
        }
    }

    static String awaitProblem(Recorder r, String containing) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            Optional<String> p = r.problems.stream().filter(x -> x.contains(containing)).findFirst();
            if (p.isPresent()) {
                return p.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no problem mentioning '" + containing + "'; problems: " + r.problems);
    }
}
