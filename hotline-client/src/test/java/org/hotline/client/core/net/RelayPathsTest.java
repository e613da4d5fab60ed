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
import org.hotline.protocol.crypto.IdentityKeyPair;
import org.hotline.protocol.crypto.ReceiptSigner;
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
        fakes.get("relay-in").events.frame(new Frame.Welcome("in.pm", now, 1 << 18));
        assertThat(fakes.get("relay-in").sent).filteredOn(s::equals).as("still pending: sent again").hasSize(2);

        paths.acceptanceVerified(s.messageId(), "relay-in");
        assertThat(paths.acceptedBy(s.messageId())).isEqualTo(1);
        fakes.get("relay-in").events.frame(new Frame.Welcome("in.pm", now, 1 << 18));
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
