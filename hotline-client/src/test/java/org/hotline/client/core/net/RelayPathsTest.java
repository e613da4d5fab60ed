package org.hotline.client.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hotline.client.core.RelayPathStatus;
import org.hotline.protocol.exercise.RelayEndpoint;
import org.hotline.protocol.crypto.CumulativeReceiptSigner;
import org.hotline.protocol.crypto.IdentityKeyPair;
import org.hotline.protocol.crypto.ReceiptSigner;
import org.hotline.protocol.wire.CumulativeReceipt;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SealedBox;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link RelayPaths}' routing rules (PROTOCOL.md §13) over recording fake connections, on the test thread. */
@Timeout(10)
class RelayPathsTest {

    /** A connection that records what it was asked to send. */
    static final class Fake implements Connection {
        final List<Frame> sent = new ArrayList<>();
        Events events;

        @Override
        public void start() {
        }

        @Override
        public boolean send(Frame frame) {
            sent.add(frame);
            return true;
        }

        @Override
        public void drop() {
        }

        @Override
        public void close() {
        }
    }

    /** What the engine hears. */
    final List<String> heard = new ArrayList<>();
    final Map<String, Fake> fakes = new ConcurrentHashMap<>();
    final List<String> problems = new ArrayList<>();
    /** What the engine answers to a DELIVER of a given id, on the delivering path's event. */
    final Map<MessageId, Frame> answers = new ConcurrentHashMap<>();
    /** Whether the engine's inbox verifies the copies delivered (as a genuine copy would be). */
    boolean inboxVerifies = true;
    /** The ids the engine's inbox has stored: a later verified copy of one is a repeat. */
    final java.util.Set<MessageId> stored = new java.util.HashSet<>();
    /** Copies captured at DELIVER while {@code inboxVerifies} is off, not yet verified (or never). */
    final List<VerifiedCopies.Witness> held = new ArrayList<>();
    Instant now = Instant.parse("2026-12-01T10:00:00Z");
    RelayPaths paths;

    @BeforeEach
    void twoPaths() throws Exception {
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        Connection.Events engine = new Connection.Events() {
            @Override
            public void connected() {
                heard.add("connected via " + paths.currentRelay().orElse("?"));
                paths.send(new Frame.Hello("test"));
            }

            @Override
            public void frame(Frame frame) {
                heard.add(frame.kind() + " via " + paths.currentRelay().orElse("?"));
                if (frame instanceof Frame.Ping p) {
                    paths.send(new Frame.Pong(p.nonce()));
                }
                if (frame instanceof Frame.Deliver d && answers.containsKey(d.messageId())) {
                    paths.send(answers.get(d.messageId()));
                }
                if (frame instanceof Frame.Deliver d && inboxVerifies) {
                    paths.copyInHand(d.messageId()).verified(stored.add(d.messageId())
                            ? VerifiedCopies.Kind.NEW : VerifiedCopies.Kind.REPEAT);
                } else if (frame instanceof Frame.Deliver d) {
                    held.add(paths.copyInHand(d.messageId()));
                }
            }

            @Override
            public void disconnected(String reason) {
                heard.add("down: " + reason);
            }
        };
        paths = (RelayPaths) RelayPaths.factory(List.of(new RelayEndpoint("relay-in", "h", 1),
                new RelayEndpoint("relay-pk", "h", 2)), (relay, trust, events, executor) -> {
                    Fake f = new Fake();
                    f.events = events;
                    fakes.put(relay.name(), f);
                    return f;
                }, clock).open(() -> null, engine, Runnable::run);
        paths.onDisagreement(problems::add);
        for (String r : List.of("relay-in", "relay-pk")) {
            fakes.get(r).events.connected();
            fakes.get(r).events.frame(new Frame.Welcome("in.pm", now, 1 << 18));
        }
    }

    @Test
    void answersGoToTheRelayThatAsked_sendsGoThroughEvery() {
        assertThat(fakes.get("relay-in").sent).containsExactly(new Frame.Hello("test"));
        assertThat(fakes.get("relay-pk").sent).containsExactly(new Frame.Hello("test"));
        fakes.get("relay-pk").events.frame(new Frame.Ping(7));
        assertThat(fakes.get("relay-pk").sent).endsWith(new Frame.Pong(7));
        assertThat(fakes.get("relay-in").sent).doesNotContain(new Frame.Pong(7));

        Frame.Send s = send();
        paths.send(s);
        assertThat(fakes.get("relay-in").sent).endsWith(s);
        assertThat(fakes.get("relay-pk").sent).endsWith(s);
        assertThat(paths.paths()).extracting(RelayPathStatus::up).containsExactly(true, true);
    }

    @Test
    void theLineGoesDownOnlyWithTheLastPath_andARelayBackGetsWhatItMissed() {
        fakes.get("relay-in").events.disconnected("refused");
        assertThat(heard).noneMatch(h -> h.startsWith("down"));
        assertThat(RelayPathStatus.state(paths.paths())).isEqualTo(RelayPathStatus.LineState.DEGRADED);
        assertThat(RelayPathStatus.describe(paths.paths(), now)).contains("DEGRADED: relay-in down (refused)");

        Frame.Send s = send();
        paths.send(s);
        assertThat(fakes.get("relay-in").sent).doesNotContain(s);
        assertThat(fakes.get("relay-pk").sent).endsWith(s);

        fakes.get("relay-in").events.connected();
        fakes.get("relay-in").events.frame(new Frame.Welcome("in.pm", now, 1 << 18));
        assertThat(fakes.get("relay-in").sent).as("sent again after the relay's WELCOME").endsWith(s);

        fakes.get("relay-pk").events.disconnected("reset");
        fakes.get("relay-in").events.disconnected("reset");
        assertThat(heard).contains("down: relay-in: reset");
    }

    @Test
    void aRelayThatDoesNotDeliverWhatTheOtherDelivered_isNamedOncePerSpell() {
        Frame.Deliver d1 = deliver();
        Frame.Deliver d2 = deliver();
        fakes.get("relay-in").events.frame(d1);
        fakes.get("relay-in").events.frame(d2);
        now = now.plus(Duration.ofSeconds(5));
        fakes.get("relay-pk").events.frame(d1);
        paths.tick();
        assertThat(problems).isEmpty();
        now = now.plus(RelayPaths.DISAGREEMENT_AFTER);
        paths.tick();
        assertThat(problems).singleElement().asString().contains("relay-pk did not deliver message "
                + d2.messageId().shortForm(), "relay-in did");
        fakes.get("relay-pk").events.frame(deliver());
        assertThat(problems).last().asString().contains("relay-pk delivers again");
        assertThat(heard).filteredOn(h -> h.startsWith("DELIVER")).hasSize(4);
    }

    /**
     * A DELIVER the inbox never verifies (junk, or a copy that does not open) counts for nothing:
     * the other relay is not named for it, and its path does not look verified end to end.
     */
    @Test
    void aDeliveryTheInboxNeverVerifies_namesNobody_andVerifiesNoPath() {
        inboxVerifies = false;
        fakes.get("relay-in").events.frame(deliver());
        now = now.plus(RelayPaths.DISAGREEMENT_AFTER).plusSeconds(1);
        paths.tick();
        assertThat(problems).isEmpty();
        assertThat(paths.paths()).allSatisfy(p -> assertThat(p.lastDelivered()).isEmpty());
        assertThat(RelayPathStatus.describe(paths.paths(), now)).doesNotContain("via relay-in");
    }

    /**
     * The copy is counted when the inbox confirms it, possibly after its group commit, for the
     * path it came through, whichever path is current by then.
     */
    @Test
    void aCopyVerifiedAfterTheCommit_countsForThePathItCameThrough() {
        inboxVerifies = false;
        Frame.Deliver d = deliver();
        fakes.get("relay-in").events.frame(d);
        assertThat(paths.paths()).allSatisfy(p -> assertThat(p.lastDelivered()).isEmpty());
        now = now.plusSeconds(1);
        held.get(0).verified(VerifiedCopies.Kind.NEW); // after the commit, no path current
        assertThat(paths.paths().get(0).lastDelivered()).contains(now);
        assertThat(paths.paths().get(1).lastDelivered()).isEmpty();
        now = now.plus(RelayPaths.DISAGREEMENT_AFTER);
        paths.tick();
        assertThat(problems).singleElement().asString().contains("relay-pk did not deliver message "
                + d.messageId().shortForm(), "relay-in did");
    }

    /**
     * Redeliveries (after a relay's crash, or a replay of an old envelope) of a message both paths
     * delivered open no wait for the other relay, and refresh nothing.
     */
    @Test
    void aRedeliveryOfAMessageBothDelivered_namesNobody_andRefreshesNothing() {
        Frame.Deliver d = deliver();
        fakes.get("relay-in").events.frame(d);
        fakes.get("relay-pk").events.frame(d);
        Instant verifiedAt = now;
        now = now.plusSeconds(30);
        fakes.get("relay-in").events.frame(d);
        fakes.get("relay-in").events.frame(d);
        now = now.plus(RelayPaths.DISAGREEMENT_AFTER).plusSeconds(1);
        paths.tick();
        assertThat(problems).isEmpty();
        assertThat(paths.paths().get(0).lastDelivered()).contains(verifiedAt);
    }

    /** A path repeating its own copy does not stand in for the other path's. */
    @Test
    void aRelayRepeatingItsOwnCopy_stillHasTheOtherNamed() {
        Frame.Deliver d = deliver();
        fakes.get("relay-in").events.frame(d);
        now = now.plusSeconds(5);
        fakes.get("relay-in").events.frame(d);
        now = now.plus(RelayPaths.DISAGREEMENT_AFTER);
        paths.tick();
        assertThat(problems).singleElement().asString().contains("relay-pk did not deliver message "
                + d.messageId().shortForm(), "relay-in did");
    }

    /**
     * PROTOCOL.md §13: the recipient rejects relay-in's (altered) copy while relay-pk's copy of the
     * same id waits in the inbox's batch. The rejection goes to relay-in alone; the later
     * {@code delivered} receipt goes to relay-pk alone, so relay-pk never purges a copy the
     * recipient stored.
     */
    @Test
    void aRejectionGoesOnlyToTheRelayWhoseCopyWasRejected() {
        Frame.Deliver d = deliver();
        fakes.get("relay-pk").events.frame(d); // waits in the batch: no answer yet
        answers.put(d.messageId(), new Frame.DeliveryAck(receipt(d, Receipt.Type.REJECTED)));
        fakes.get("relay-in").events.frame(d);
        assertThat(fakes.get("relay-in").sent).filteredOn(Frame.DeliveryAck.class::isInstance).singleElement()
                .satisfies(f -> assertThat(((Frame.DeliveryAck) f).receipt().type()).isEqualTo(Receipt.Type.REJECTED));
        assertThat(fakes.get("relay-pk").sent).noneMatch(Frame.DeliveryAck.class::isInstance);

        paths.send(new Frame.DeliveryAck(receipt(d, Receipt.Type.DELIVERED))); // after the commit, no path current
        assertThat(fakes.get("relay-pk").sent).filteredOn(Frame.DeliveryAck.class::isInstance).singleElement()
                .satisfies(f -> assertThat(((Frame.DeliveryAck) f).receipt().type()).isEqualTo(Receipt.Type.DELIVERED));
        assertThat(fakes.get("relay-in").sent).filteredOn(Frame.DeliveryAck.class::isInstance).hasSize(1);
    }

    /**
     * Review M3: a relay back after an outage gets its backlog in batches, one per tick, under its
     * rate-limit burst, not all at once; new SENDs wait behind the backlog, so it receives them in
     * the order sent.
     */
    @Test
    void aReturningRelaysBacklogIsPaced_oneBatchPerTick_inTheOrderSent() {
        fakes.get("relay-in").events.disconnected("refused");
        List<Frame.Send> sent = new ArrayList<>();
        for (int i = 0; i < 2 * RelayPaths.RESEND_BATCH + 50; i++) {
            Frame.Send s = send();
            sent.add(s);
            paths.send(s);
        }
        fakes.get("relay-in").events.connected();
        fakes.get("relay-in").events.frame(new Frame.Welcome("in.pm", now, 1 << 18));
        assertThat(sendsTo("relay-in")).containsExactlyElementsOf(sent.subList(0, RelayPaths.RESEND_BATCH));
        Frame.Send fresh = send();
        paths.send(fresh);
        assertThat(sendsTo("relay-in")).as("a new SEND waits behind the backlog").doesNotContain(fresh);
        assertThat(sendsTo("relay-pk")).endsWith(fresh);
        now = now.plusSeconds(1);
        paths.tick();
        assertThat(sendsTo("relay-in")).hasSize(2 * RelayPaths.RESEND_BATCH);
        now = now.plusSeconds(1);
        paths.tick();
        List<Frame.Send> all = new ArrayList<>(sent);
        all.add(fresh);
        assertThat(sendsTo("relay-in")).containsExactlyElementsOf(all);
        assertThat(sendsTo("relay-pk")).as("relay-pk was sent each once").containsExactlyElementsOf(all);
    }

    /**
     * Review M3: a SEND a relay dropped (no ACCEPTED) goes to that relay again after
     * {@code RESEND_AFTER} while it stays up, not only at its next WELCOME; the relay that accepted
     * it is not sent it again.
     */
    @Test
    void aSendARelayNeverAccepted_goesToItAgain_whileItStaysUp() {
        Frame.Send s = send();
        paths.send(s);
        fakes.get("relay-pk").events.frame(new Frame.Accepted(accepted(s, "relay-pk")));
        paths.acceptanceVerified(s.messageId(), "relay-pk"); // what the engine does once the receipt verifies
        now = now.plus(RelayPaths.RESEND_AFTER).minusSeconds(1);
        paths.tick();
        assertThat(sendsTo("relay-in")).containsExactly(s);
        now = now.plusSeconds(2);
        paths.tick();
        assertThat(sendsTo("relay-in")).containsExactly(s, s);
        assertThat(sendsTo("relay-pk")).containsExactly(s);
        fakes.get("relay-in").events.frame(new Frame.Accepted(accepted(s, "relay-in")));
        paths.acceptanceVerified(s.messageId(), "relay-in"); // what the engine does once the receipt verifies
        now = now.plus(RelayPaths.RESEND_AFTER).plusSeconds(1);
        paths.tick();
        assertThat(sendsTo("relay-in")).as("accepted: no more re-sends").containsExactly(s, s);
    }

    /**
     * Review R3: a SEND a relay keeps answering with an ACCEPTED that does not verify goes to it again
     * after a wait that doubles with each re-send, and after {@code MAX_UNVERIFIED_ANSWERS} such
     * answers no more, reported once; the other relay is not affected.
     */
    @Test
    void aSendWhoseAcceptanceNeverVerifies_goesAgainLessAndLessOften_thenNoMore_reportedOnce() {
        Frame.Send s = send();
        paths.send(s);
        fakes.get("relay-pk").events.frame(new Frame.Accepted(accepted(s, "relay-pk")));
        paths.acceptanceVerified(s.messageId(), "relay-pk");
        Instant sentAt = now;
        Duration wait = RelayPaths.RESEND_AFTER;
        for (int answer = 1; answer < RelayPaths.MAX_UNVERIFIED_ANSWERS; answer++) {
            fakes.get("relay-in").events.frame(new Frame.Accepted(accepted(s, "relay-in"))); // never verified
            now = sentAt.plus(wait).minusSeconds(1);
            paths.tick();
            assertThat(sendsTo("relay-in")).as("not before its wait, answer %d", answer).hasSize(answer);
            now = sentAt.plus(wait).plusSeconds(1);
            paths.tick();
            assertThat(sendsTo("relay-in")).as("after its wait, answer %d", answer).hasSize(answer + 1);
            sentAt = now;
            wait = wait.multipliedBy(2);
        }
        assertThat(problems).noneMatch(p -> p.contains("did not verify"));
        fakes.get("relay-in").events.frame(new Frame.Accepted(accepted(s, "relay-in")));
        assertThat(problems).filteredOn(p -> p.contains("did not verify")).singleElement()
                .satisfies(p -> assertThat(p).contains("relay-in").contains(s.messageId().shortForm()));
        int before = sendsTo("relay-in").size();
        for (int i = 0; i < 10; i++) {
            now = now.plus(RelayPaths.MAX_RESEND_AFTER).plusSeconds(1);
            paths.tick();
        }
        assertThat(sendsTo("relay-in")).as("no longer sent to that relay").hasSize(before);
        assertThat(sendsTo("relay-pk")).containsExactly(s);
        assertThat(problems).filteredOn(p -> p.contains("did not verify")).hasSize(1);
    }

    /**
     * Review N1: a message still QUEUED is offered again by the outbox every {@code RESEND_AFTER}.
     * Once a relay's unverified answers reached {@code MAX_UNVERIFIED_ANSWERS}, such an offer is not
     * held on that path again, so the count does not start over and the report is not repeated;
     * after an acceptance of that relay verifies, the message gets a new round there.
     */
    @Test
    void aSendGivenUpOnARelay_offeredAgainByTheOutbox_staysGivenUp_untilThatRelaysAcceptanceVerifies() {
        Frame.Send s = send();
        paths.send(s);
        for (int answer = 1; answer <= RelayPaths.MAX_UNVERIFIED_ANSWERS; answer++) {
            fakes.get("relay-in").events.frame(new Frame.Accepted(accepted(s, "relay-in"))); // never verified
            fakes.get("relay-pk").events.frame(new Frame.Accepted(accepted(s, "relay-pk"))); // never verified
            now = now.plus(RelayPaths.MAX_RESEND_AFTER).plusSeconds(1);
            paths.tick();
        }
        assertThat(problems).filteredOn(p -> p.contains("did not verify")).hasSize(2);
        int before = sendsTo("relay-in").size();
        for (int offer = 0; offer < 3 * RelayPaths.MAX_UNVERIFIED_ANSWERS; offer++) {
            paths.send(s); // the outbox's retryQueued
            fakes.get("relay-in").events.frame(new Frame.Accepted(accepted(s, "relay-in")));
            fakes.get("relay-pk").events.frame(new Frame.Accepted(accepted(s, "relay-pk")));
            now = now.plus(RelayPaths.MAX_RESEND_AFTER).plusSeconds(1);
            paths.tick();
        }
        assertThat(sendsTo("relay-in")).as("no longer sent to that relay").hasSize(before);
        assertThat(problems).filteredOn(p -> p.contains("did not verify")).as("reported once per relay").hasSize(2);

        Frame.Send other = send();
        paths.send(other);
        fakes.get("relay-in").events.frame(new Frame.Accepted(accepted(other, "relay-in")));
        paths.acceptanceVerified(other.messageId(), "relay-in");
        paths.send(s);
        assertThat(sendsTo("relay-in")).filteredOn(s::equals).as("a new round once relay-in's acceptances verify")
                .hasSize(before + 1);
        assertThat(sendsTo("relay-pk")).filteredOn(s::equals).as("relay-pk's did not").hasSize(before);
    }

    /** {@code MAX_UNVERIFIED_ANSWERS} ACCEPTED answers of {@code relay} to {@code s} that never verify. */
    private void unverifiedAnswers(Frame.Send s, String relay) {
        for (int answer = 1; answer <= RelayPaths.MAX_UNVERIFIED_ANSWERS; answer++) {
            fakes.get(relay).events.frame(new Frame.Accepted(accepted(s, relay)));
        }
    }

    /** Review w8 L1: a replayed old acceptance that verifies is not new, so it does not lift a given-up SEND. */
    @Test
    void aReplayedOldAcceptance_doesNotGiveAGivenUpSendANewRound() {
        Frame.Send old = send();
        paths.send(old);
        fakes.get("relay-in").events.frame(new Frame.Accepted(accepted(old, "relay-in")));
        paths.acceptanceVerified(old.messageId(), "relay-in");
        Frame.Send s = send();
        paths.send(s);
        unverifiedAnswers(s, "relay-in");
        int before = sendsTo("relay-in").size();
        for (int i = 0; i < 3; i++) {
            fakes.get("relay-in").events.frame(new Frame.Accepted(accepted(old, "relay-in")));
            paths.acceptanceVerified(old.messageId(), "relay-in"); // the replay verifies: it is genuine
            paths.send(s); // the outbox's retryQueued
            unverifiedAnswers(s, "relay-in");
        }
        assertThat(sendsTo("relay-in")).as("still given up").hasSize(before);
        assertThat(problems).filteredOn(p -> p.contains("did not verify")).hasSize(1);
    }

    /** Review w8 L1: the "did not verify" line is shown once per relay and period, the others counted. */
    @Test
    void theGivenUpLine_isThrottledPerRelay() {
        Frame.Send a = send();
        Frame.Send b = send();
        paths.send(a);
        paths.send(b);
        unverifiedAnswers(a, "relay-in");
        unverifiedAnswers(b, "relay-in");
        unverifiedAnswers(a, "relay-pk");
        assertThat(problems).filteredOn(p -> p.contains("did not verify") && p.startsWith("relay-in")).hasSize(1);
        assertThat(problems).filteredOn(p -> p.contains("did not verify") && p.startsWith("relay-pk")).hasSize(1);
        now = now.plus(RelayPaths.GAVE_UP_REPORT_PERIOD).plusSeconds(1);
        Frame.Send c = send();
        paths.send(c);
        unverifiedAnswers(c, "relay-in");
        assertThat(problems).filteredOn(p -> p.contains("did not verify") && p.startsWith("relay-in")).hasSize(2)
                .last().asString().contains(c.messageId().shortForm()).contains("(1 more message given up on it");
    }

    /** Review w8 L3: a relay's WELCOME gives what was given up on it a new round. */
    @Test
    void aSendGivenUpOnARelay_goesToItAgainAfterItWelcomesAgain() {
        Frame.Send s = send();
        paths.send(s);
        unverifiedAnswers(s, "relay-in");
        int before = sendsTo("relay-in").size();
        paths.send(s);
        assertThat(sendsTo("relay-in")).as("given up").hasSize(before);
        fakes.get("relay-in").events.disconnected("test");
        fakes.get("relay-in").events.connected();
        fakes.get("relay-in").events.frame(new Frame.Welcome("in.pm", now, 1 << 18));
        paths.send(s); // the outbox's retryQueued
        assertThat(sendsTo("relay-in")).filteredOn(s::equals).as("a new round after the WELCOME").hasSize(before + 1);
    }

    /**
     * Review R3: a relay that answers nothing has a held SEND's wait doubled up to
     * {@code MAX_RESEND_AFTER}; once one of its acceptances verifies, its other held SENDs start over
     * at {@code RESEND_AFTER}.
     */
    @Test
    void theResendWaitIsCapped_andStartsOverOnceTheRelaysAcceptanceVerifies() {
        Frame.Send s = send();
        paths.send(s);
        for (int i = 0; i < 12; i++) { // 10 s doubled past 5 min: capped
            now = now.plus(RelayPaths.MAX_RESEND_AFTER).plusSeconds(1);
            paths.tick();
        }
        int sends = sendsTo("relay-in").size();
        assertThat(sends).isEqualTo(13);
        Instant lastSent = now;
        now = lastSent.plus(RelayPaths.MAX_RESEND_AFTER).minusSeconds(1);
        paths.tick();
        assertThat(sendsTo("relay-in")).as("waits the capped 5 min").hasSize(sends);
        now = lastSent.plusSeconds(60); // (the test's clock goes back; the path only compares instants)

        Frame.Send other = send();
        paths.send(other);
        fakes.get("relay-in").events.frame(new Frame.Accepted(accepted(other, "relay-in")));
        paths.acceptanceVerified(other.messageId(), "relay-in");
        now = now.plusSeconds(1);
        paths.tick();
        assertThat(sendsTo("relay-in")).filteredOn(s::equals).as("its wait started over").hasSize(sends + 1);
        Instant resent = now;
        now = resent.plus(RelayPaths.RESEND_AFTER.multipliedBy(2)).minusSeconds(1);
        paths.tick();
        assertThat(sendsTo("relay-in")).filteredOn(s::equals).as("then doubles again").hasSize(sends + 1);
        now = resent.plus(RelayPaths.RESEND_AFTER.multipliedBy(2)).plusSeconds(1);
        paths.tick();
        assertThat(sendsTo("relay-in")).filteredOn(s::equals).hasSize(sends + 2);
    }

    /**
     * Review M3: RATE_LIMITED pauses that relay's path alone and what it was sent lately goes to it
     * again after the pause; the engine does not hear it (it would re-send through every relay).
     */
    @Test
    void rateLimited_backsOffThatPathOnly_andResendsWhatItDropped() {
        List<Frame.Send> sent = List.of(send(), send(), send());
        sent.forEach(paths::send);
        fakes.get("relay-in").events.frame(new Frame.Error(ErrorCode.RATE_LIMITED, java.util.Optional.of(
                sent.get(2).messageId()), "more than 200.0 frames per second"));
        assertThat(heard).noneMatch(h -> h.startsWith("ERROR"));
        Frame.Send during = send();
        paths.send(during);
        paths.tick();
        assertThat(sendsTo("relay-in")).as("paused").containsExactlyElementsOf(sent);
        now = now.plus(RelayPaths.RATE_LIMIT_PAUSE);
        paths.tick();
        List<Frame.Send> expected = new ArrayList<>(sent);
        expected.addAll(sent);
        expected.add(during);
        assertThat(sendsTo("relay-in")).containsExactlyElementsOf(expected);
        assertThat(sendsTo("relay-pk")).as("the other relay is sent nothing again").containsExactly(sent.get(0),
                sent.get(1), sent.get(2), during);
    }

    /** A path's backlog is bounded in bytes as well as in count: the oldest go first. */
    @Test
    void aPathsBacklogIsBoundedInBytes() {
        fakes.get("relay-in").events.disconnected("refused");
        int big = 4 << 20;
        int n = Math.toIntExact(RelayPaths.MAX_PENDING_BYTES_PER_PATH / big) + 4;
        List<Frame.Send> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Frame.Send s = new Frame.Send(MessageId.random(new java.security.SecureRandom()), "in.pm", "leaders",
                    List.of(new SealedBox("pk.pm", 1, new byte[] {1}, new byte[big])));
            sent.add(s);
            paths.send(s);
        }
        fakes.get("relay-in").events.connected();
        fakes.get("relay-in").events.frame(new Frame.Welcome("in.pm", now, 1 << 18));
        List<Frame.Send> resent = sendsTo("relay-in");
        assertThat(resent).hasSizeLessThan(n).isNotEmpty();
        assertThat(resent.stream().mapToLong(x -> x.boxes().get(0).size()).sum())
                .isLessThanOrEqualTo(RelayPaths.MAX_PENDING_BYTES_PER_PATH);
        assertThat(resent).as("the newest kept, in order").containsExactlyElementsOf(sent.subList(n - resent.size(), n));
    }

    /**
     * Messages confirmed by a cumulative receipt wait for no DELIVERY_ACK once a second copy had time
     * to arrive (their entries go, so the map does not grow with every message only one relay
     * delivered): a repeat soon after is acknowledged to every relay that delivered it (PROTOCOL.md
     * §13 rule 4); a repeat later, through one relay, only through that relay.
     */
    @Test
    void aCumulativeReceiptClearsTheDeliveriesItConfirms_afterASecondCopyHadTime() {
        Frame.Deliver soon = deliver();
        Frame.Deliver late = deliver();
        for (Frame.Deliver d : List.of(soon, late)) {
            fakes.get("relay-in").events.frame(d);
            answers.put(d.messageId(), new Frame.DeliveryAck(receipt(d, Receipt.Type.DELIVERED)));
        }
        paths.send(new Frame.DeliveredThrough(cumulative(soon, late)));
        assertThat(fakes.get("relay-in").sent).anyMatch(Frame.DeliveredThrough.class::isInstance);
        fakes.get("relay-pk").events.frame(soon);
        assertThat(acksTo("relay-in")).as("soon: to both relays that delivered it").containsExactly(soon.messageId());
        assertThat(acksTo("relay-pk")).containsExactly(soon.messageId());

        now = now.plus(RelayPaths.DISAGREEMENT_AFTER).plusSeconds(1);
        paths.tick();
        // relay-pk gets the receipt too, once its wait for "late" ended (PROTOCOL.md §13 rule 7).
        assertThat(fakes.get("relay-pk").sent).anyMatch(Frame.DeliveredThrough.class::isInstance);
        fakes.get("relay-pk").events.frame(late);
        assertThat(acksTo("relay-in")).as("later: relay-in's entry is gone").containsExactly(soon.messageId());
        assertThat(acksTo("relay-pk")).containsExactly(soon.messageId(), late.messageId());
    }

    /**
     * Review M4: relay-pk holds message X and has not delivered it yet when the recipient's
     * cumulative receipt over X (stored from relay-in's copy) is made. relay-pk gets the receipt
     * only once it delivered X, so it is never told to mark X delivered unsent and then named as
     * lagging for X.
     */
    @Test
    void aCumulativeReceiptWaitsForARelayThatHasNotDeliveredYet_soTheHonestRelayIsNeverNamed() {
        Frame.Deliver x = deliver();
        Frame.Deliver y = deliver();
        fakes.get("relay-in").events.frame(x);
        fakes.get("relay-in").events.frame(y);
        fakes.get("relay-pk").events.frame(y);
        Frame.DeliveredThrough through = new Frame.DeliveredThrough(cumulative(x, y));
        assertThat(paths.send(through)).isTrue();
        assertThat(fakes.get("relay-in").sent).contains(through);
        assertThat(fakes.get("relay-pk").sent).as("relay-pk has not delivered X yet").doesNotContain(through);

        now = now.plusSeconds(3);
        paths.tick();
        assertThat(fakes.get("relay-pk").sent).doesNotContain(through);
        fakes.get("relay-pk").events.frame(x);
        assertThat(fakes.get("relay-pk").sent).as("relay-pk delivered every listed message").containsOnlyOnce(through);

        now = now.plus(RelayPaths.DISAGREEMENT_AFTER).plusSeconds(1);
        paths.tick();
        assertThat(problems).isEmpty();
        assertThat(fakes.get("relay-in").sent).containsOnlyOnce(through);
    }

    /**
     * A relay that never delivers a listed message is named once its wait ends, and only then gets
     * the receipt (for the listed boxes it holds); a path that went down meanwhile gets nothing,
     * its relay delivering again in its next session.
     */
    @Test
    void aHeldCumulativeReceipt_goesOnceTheWaitEnded_andNotToAPathThatWentDown() {
        Frame.Deliver x = deliver();
        fakes.get("relay-in").events.frame(x);
        Frame.DeliveredThrough through = new Frame.DeliveredThrough(cumulative(x, deliver()));
        paths.send(through);
        now = now.plus(RelayPaths.DISAGREEMENT_AFTER).plusSeconds(1);
        paths.tick();
        assertThat(problems).singleElement().asString().contains("relay-pk did not deliver message "
                + x.messageId().shortForm());
        assertThat(fakes.get("relay-pk").sent).containsOnlyOnce(through);

        Frame.Deliver z = deliver();
        fakes.get("relay-in").events.frame(z);
        Frame.DeliveredThrough later = new Frame.DeliveredThrough(cumulative(z, deliver()));
        paths.send(later);
        fakes.get("relay-pk").events.disconnected("reset");
        fakes.get("relay-pk").events.connected();
        fakes.get("relay-pk").events.frame(new Frame.Welcome("in.pm", now, 1 << 18));
        now = now.plus(RelayPaths.DISAGREEMENT_AFTER).plusSeconds(1);
        paths.tick();
        assertThat(fakes.get("relay-pk").sent).doesNotContain(later);
    }

    /**
     * Review M4 point 3: a delivered acknowledgement whose message no path is known to wait for,
     * with no relay in session being answered, goes nowhere (the relay delivers again and is
     * answered then), never to every relay; with a current path that has said WELCOME, to it alone.
     */
    @Test
    void anAcknowledgementWithNoKnownPath_goesOnlyToAWelcomedCurrentPath() {
        Frame.DeliveryAck ack = new Frame.DeliveryAck(receipt(deliver(), Receipt.Type.DELIVERED));
        assertThat(paths.send(ack)).isFalse();
        assertThat(acksTo("relay-in")).isEmpty();
        assertThat(acksTo("relay-pk")).isEmpty();

        Frame.Deliver d = deliver();
        answers.put(d.messageId(), ack);
        fakes.get("relay-pk").events.frame(d);
        assertThat(acksTo("relay-pk")).containsExactly(ack.receipt().messageId());
        assertThat(acksTo("relay-in")).isEmpty();
    }

    /**
     * Review P3: one relay delivering more than {@link RelayPaths#MAX_PENDING_PER_PATH} messages
     * (junk the inbox never verifies) does not push out which messages the other relay delivered:
     * an acknowledgement sent after the commit, with no path current, still reaches it.
     */
    @Test
    void oneRelaysFloodOfDeliveries_doesNotForgetWhatTheOtherRelayDelivered() {
        inboxVerifies = false;
        Frame.Deliver honest = deliver();
        fakes.get("relay-pk").events.frame(honest);
        for (int i = 0; i <= RelayPaths.MAX_PENDING_PER_PATH; i++) {
            fakes.get("relay-in").events.frame(deliver());
        }
        Frame.DeliveryAck ack = new Frame.DeliveryAck(receipt(honest, Receipt.Type.DELIVERED));
        assertThat(paths.send(ack)).isTrue();
        assertThat(acksTo("relay-pk")).containsExactly(honest.messageId());
        assertThat(acksTo("relay-in")).isEmpty();
    }

    private List<MessageId> acksTo(String relay) {
        return fakes.get(relay).sent.stream().filter(Frame.DeliveryAck.class::isInstance)
                .map(f -> ((Frame.DeliveryAck) f).receipt().messageId()).toList();
    }

    private CumulativeReceipt cumulative(Frame.Deliver first, Frame.Deliver second) {
        byte[] exercise = new byte[32];
        exercise[0] = 1;
        return CumulativeReceiptSigner.sign(KEY, new CumulativeReceipt.Fields(ExerciseId.of(exercise), "in.pm",
                first.sender(), first.channel(), 1, 2, Hash32.ZERO, now, List.of(first.messageId(),
                second.messageId())));
    }

    /** The relay's connection drops and comes back: its path's backlog goes out after the WELCOME. */
    private void reconnect(String relay) {
        fakes.get(relay).events.disconnected("reset");
        fakes.get(relay).events.connected();
        fakes.get(relay).events.frame(new Frame.Welcome("in.pm", now, 1 << 18));
    }

    private List<Frame.Send> sendsTo(String relay) {
        return fakes.get(relay).sent.stream().filter(Frame.Send.class::isInstance).map(Frame.Send.class::cast).toList();
    }

    private static Receipt accepted(Frame.Send s, String relay) {
        return ReceiptSigner.sign(KEY, new Receipt.Fields(Receipt.Type.ACCEPTED, ExerciseId.of(new byte[32]),
                s.messageId(), relay, s.sender(), s.channel(), Instant.EPOCH, Hash32.ZERO));
    }

    /**
     * Review L1: an ACCEPTED frame alone (the engine has not verified its receipt) neither counts
     * towards "accepted by N" nor clears the path's pending SEND; a verified acceptance does both.
     */
    @Test
    void anAcceptance_countsAndSettlesThePath_onlyOnceVerified() {
        Frame.Send s = send();
        paths.send(s);
        Receipt forged = ReceiptSigner.sign(KEY, new Receipt.Fields(Receipt.Type.ACCEPTED, ExerciseId.of(new byte[32]),
                s.messageId(), "relay-in", "in.pm", "leaders", Instant.EPOCH, Hash32.ZERO));
        fakes.get("relay-in").events.frame(new Frame.Accepted(forged));
        assertThat(paths.acceptedBy(s.messageId())).isZero();
        reconnect("relay-in");
        assertThat(fakes.get("relay-in").sent).filteredOn(s::equals).as("still pending: sent again").hasSize(2);

        paths.acceptanceVerified(s.messageId(), "relay-in");
        assertThat(paths.acceptedBy(s.messageId())).isEqualTo(1);
        reconnect("relay-in");
        assertThat(fakes.get("relay-in").sent).filteredOn(s::equals).as("settled: not sent again").hasSize(2);
    }

    private static Receipt receipt(Frame.Deliver d, Receipt.Type type) {
        return ReceiptSigner.sign(KEY, new Receipt.Fields(type, ExerciseId.of(new byte[32]), d.messageId(), "in.pm",
                d.sender(), d.channel(), Instant.EPOCH, Hash32.ZERO, type == Receipt.Type.REJECTED
                        ? java.util.Optional.of(Receipt.RejectReason.DECRYPTION_FAILED) : java.util.Optional.empty()));
    }

    private static final IdentityKeyPair KEY = IdentityKeyPair.generate(new java.security.SecureRandom());

    private static Frame.Send send() {
        return new Frame.Send(MessageId.random(new java.security.SecureRandom()), "in.pm", "leaders",
                List.of(new SealedBox("pk.pm", 1, new byte[] {1}, new byte[] {2})));
    }

    private Frame.Deliver deliver() {
        return new Frame.Deliver(MessageId.random(new java.security.SecureRandom()), "pk.pm", "leaders", now,
                new SealedBox("in.pm", 1, new byte[] {1}, new byte[] {2}));
    }
}
