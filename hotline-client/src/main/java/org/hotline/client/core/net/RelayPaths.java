package org.hotline.client.core.net;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.hotline.client.core.RelayPathStatus;
import org.hotline.protocol.exercise.RelayEndpoint;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;

/**
 * The client's lines to every relay of a multi-relay exercise (PROTOCOL.md §13), shown to the
 * engine as one {@link Connection}: paths, not replication. Each path is its own connection with
 * its own reconnect; the relays never talk to each other.
 *
 * <p>Routing. Events of a path reach the engine with that path as the <em>current</em> one (on the
 * engine's thread, so no lock): what the engine sends in answer to a relay ({@code HELLO},
 * {@code PONG}, {@code DELIVERY_ACK}, {@code RECEIPT_ACK}, {@code PREKEY_UPLOAD} after a
 * {@code WELCOME}, {@code LOG_CONSISTENCY_FETCH}) goes back through that path only. A {@code SEND},
 * an acknowledgement ({@code RECEIPT}) and a prekey fetch go through every path, with the same
 * payload bytes, so each relay stores the same envelope and a receiver cannot tell one path's
 * copy from the other's. A {@code SEND} stays pending on a path until that relay accepts it: a
 * relay that was down when a message left gets it when it is back. A cumulative receipt
 * ({@code DELIVERED_THROUGH}) goes to each relay in session once that relay has delivered the
 * messages it lists (or their wait has ended), never earlier (review M4).
 *
 * <p>Re-sending, per path. After a path's {@code WELCOME} its backlog goes out oldest first, at most
 * {@link #RESEND_BATCH} SENDs per {@link #tick()}, below a relay's rate-limit burst; while the path
 * has a backlog, new SENDs queue behind it, so the relay receives them in the order sent. A SEND that
 * has had no verified acceptance from that relay for {@link #RESEND_AFTER} goes again (an identical
 * re-send is answered with the original receipt, PROTOCOL.md §12.1): a frame the relay dropped is
 * not lost for that relay while it stays up. Each held SEND's wait doubles with every re-send up to
 * {@link #MAX_RESEND_AFTER} and starts over once one of that relay's acceptances verifies; after
 * {@code MAX_UNVERIFIED_ANSWERS} answers whose acceptance did not verify, the SEND is no longer
 * sent to that relay (reported once). A relay's {@code RATE_LIMITED} pauses that path alone
 * (doubling from {@link #RATE_LIMIT_PAUSE}) and marks what it was sent recently for re-sending; the
 * other relays are not sent anything again. What a path holds is bounded in count and in bytes.
 *
 * <p>Line state. The engine hears {@code disconnected} only when the last path goes down, so the
 * line is up while any relay is; {@link #paths()} tells which.
 *
 * <p>Deliveries count per path only once the inbox has verified that path's copy
 * ({@link VerifiedCopies}): a relay that replays an old envelope or delivers junk neither starts
 * the lagging clock against the other relay nor keeps its own path looking verified.
 */
public final class RelayPaths implements Connection, VerifiedCopies {

    /** SENDs held per path for a relay that has not accepted them, at most (the oldest go first beyond). */
    static final int MAX_PENDING_PER_PATH = 20_000;
    /**
     * Bytes of SENDs held per path, at most (the oldest go first beyond): the count alone would let
     * 20,000 frames of up to 256 KiB each hold about 5 GB.
     */
    static final long MAX_PENDING_BYTES_PER_PATH = 64L << 20;
    /**
     * Cumulative receipts held per path for a relay that has not yet delivered what they list, at
     * most: each waits at most {@link #DISAGREEMENT_AFTER}, so this bounds a burst only.
     */
    static final int MAX_HELD_THROUGH = 1024;
    /** Backlog SENDs a path sends per tick (a second), under a relay's default burst of 400 frames. */
    static final int RESEND_BATCH = 200;
    /** A SEND a relay has not accepted this long after it went to that relay goes to it again. */
    static final Duration RESEND_AFTER = Duration.ofSeconds(10);
    /**
     * The longest a held SEND waits between re-sends to one relay: its wait doubles from
     * {@link #RESEND_AFTER} with each re-send (review R3), so a relay that never
     * accepts, or whose ACCEPTED never verifies, is not sent the same frames every 10 s for ever.
     */
    static final Duration MAX_RESEND_AFTER = Duration.ofMinutes(5);
    /**
     * ACCEPTED answers to one SEND that did not verify after which the path stops sending it to that
     * relay, reporting it once (review R3: an expired or unresolvable relay certificate, or a relay
     * signing badly on purpose, would otherwise be sent it for ever).
     */
    static final int MAX_UNVERIFIED_ANSWERS = 5;

    /**
     * At most one "did not verify" line per relay in this period (review w8 L1): a relay that keeps
     * answering badly for many queued messages shows one line, with the count held back since.
     */
    static final Duration GAVE_UP_REPORT_PERIOD = Duration.ofMinutes(10);
    /** How long a path waits after its relay's first RATE_LIMITED; doubled on each further one, up to 16 s. */
    static final Duration RATE_LIMIT_PAUSE = Duration.ofSeconds(1);
    private static final Duration MAX_RATE_LIMIT_PAUSE = Duration.ofSeconds(16);
    /**
     * Batches of one path are at least this far apart, so a WELCOME's batch and the next tick's do
     * not reach the relay within one second (ticks come about a second apart, never exactly).
     */
    private static final Duration MIN_BATCH_SPACING = Duration.ofMillis(900);

    /** Opens the connection of one path. */
    @FunctionalInterface
    public interface PathFactory {
        Connection open(RelayEndpoint relay, Supplier<CertificateValidator> trust, Events events, Executor engine)
                throws IOException;
    }

    /**
     * How long a relay may lag behind the other in delivering a message before it is named (the
     * time a reconnect and a redelivery need, with margin).
     */
    public static final Duration DISAGREEMENT_AFTER = Duration.ofSeconds(10);

    private final List<Path> paths = new ArrayList<>();
    private final Events engineEvents;
    private final Clock clock;
    /** The path whose event the engine is handling now; engine thread only. */
    private Path current;
    /**
     * Messages newly stored from a verified copy of some paths, not yet verified from all: when
     * first and by which (engine thread).
     */
    private final Map<MessageId, FirstCopy> copies = new LinkedHashMap<>();
    private Consumer<String> problems = p -> { };
    /**
     * Per delivered message not yet confirmed: the paths that delivered it, so its DELIVERY_ACK
     * goes back to them (engine thread). Bounded per path, not for all of them, so that one relay's
     * deliveries never push out another's ({@link Path#remember}, review P3): beyond
     * {@link #MAX_PENDING_PER_PATH} a path's oldest are forgotten, and such an acknowledgement goes
     * to the current path if it has said WELCOME, else nowhere, the relay delivering again in its
     * next session.
     */
    private final Map<MessageId, Set<Path>> unconfirmed = new java.util.HashMap<>();

    /**
     * Delivered messages a cumulative receipt confirmed, and when: their {@link #unconfirmed} entries
     * go {@link #DISAGREEMENT_AFTER} later (engine thread; bounded like {@link #unconfirmed}).
     */
    private final Map<MessageId, Instant> coveredAt = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<MessageId, Instant> eldest) {
            return size() > MAX_PENDING_PER_PATH;
        }
    };

    private record FirstCopy(Instant at, Path first, Set<Path> by) {
    }

    /** Refusals of one SEND that a re-send of the same bytes cannot change (PROTOCOL.md §7). */
    private static final Set<ErrorCode> REFUSED_FOR_GOOD = Set.of(ErrorCode.DUPLICATE_CONFLICT,
            ErrorCode.POLICY_VIOLATION, ErrorCode.UNKNOWN_ROLE, ErrorCode.UNKNOWN_CHANNEL);

    private RelayPaths(Events engineEvents, Clock clock) {
        this.engineEvents = engineEvents;
        this.clock = clock;
    }

    /** A {@link Connection.Factory} over {@code relays}: one path each, opened by {@code factory}. */
    public static Connection.Factory factory(List<RelayEndpoint> relays, PathFactory factory, Clock clock) {
        return (trust, events, engine) -> {
            RelayPaths rp = new RelayPaths(events, clock);
            try {
                for (RelayEndpoint r : relays) {
                    Path p = rp.new Path(r);
                    p.connection = factory.open(r, trust, p, engine);
                    rp.paths.add(p);
                }
            } catch (IOException | RuntimeException e) {
                rp.close();
                throw e;
            }
            return rp;
        };
    }

    /** The relay whose event the engine is handling, if any (engine thread only). */
    public Optional<String> currentRelay() {
        return Optional.ofNullable(current).map(p -> p.relay.name());
    }

    /**
     * Every path: which relay, whether it has said WELCOME and not dropped since, why it is down,
     * when it last delivered a copy the inbox verified (engine thread).
     */
    public List<RelayPathStatus> paths() {
        return paths.stream().map(p -> new RelayPathStatus(p.relay.name(), p.welcomed,
                Optional.ofNullable(p.downReason), Optional.ofNullable(p.lastDelivered))).toList();
    }

    /** Where a path that lags behind the other is reported (the engine's problem list and audit log). */
    public void onDisagreement(Consumer<String> report) {
        this.problems = report;
    }

    /**
     * Names each relay that has not delivered, within {@link #DISAGREEMENT_AFTER}, a verified copy of
     * a message another relay delivered a verified copy of: once per lagging spell, with the first message it missed and how many since;
     * and sends each path's next batch of SENDs its relay has not accepted (engine thread; the
     * engine calls this every second).
     */
    public void tick() {
        for (Path p : paths) {
            p.resend(RESEND_BATCH);
        }
        Instant limit = clock.instant().minus(DISAGREEMENT_AFTER);
        for (var covered = coveredAt.entrySet().iterator(); covered.hasNext(); ) {
            var e = covered.next();
            if (e.getValue().isAfter(limit)) {
                break;
            }
            covered.remove();
            unconfirmed.remove(e.getKey());
        }
        var it = copies.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            FirstCopy c = e.getValue();
            if (c.at().isAfter(limit)) {
                break;
            }
            it.remove();
            for (Path p : paths) {
                if (!c.by().contains(p)) {
                    p.missed(e.getKey(), c.first());
                }
            }
        }
        for (Path p : paths) {
            p.releaseThrough();
        }
    }

    /** How many relays have accepted {@code id} since this process sent it (engine thread). */
    public int acceptedBy(MessageId id) {
        return (int) paths.stream().filter(p -> p.accepted.contains(id)).count();
    }

    /**
     * The engine verified relay {@code relayName}'s {@code accepted} receipt of {@code id} against a
     * message we sent: that relay holds it, so it is no longer pending on its path and counts
     * towards "accepted by N of M" (engine thread). An unverified ACCEPTED changes neither.
     */
    public void acceptanceVerified(MessageId id, String relayName) {
        for (Path p : paths) {
            if (p.relay.name().equals(relayName)) {
                boolean wasPending = p.pending.containsKey(id);
                p.forget(id);
                if (p.accepted.add(id) || wasPending) {
                    // A new acceptance of this relay verified: its other held SENDs start over at
                    // RESEND_AFTER and what it was given up for gets a new round. A replayed old one
                    // changes nothing (review w8 L1).
                    p.verifications++;
                    p.nextPause = RATE_LIMIT_PAUSE;
                }
            }
        }
    }

    /** The number of relays. */
    public int size() {
        return paths.size();
    }

    /**
     * Whether the current path's relay had not accepted {@code id} before this acceptance: the
     * first {@code ACCEPTED} of a message on a path, whatever the other relay did (engine thread).
     */
    public boolean firstAcceptanceOnCurrentPath(MessageId id) {
        return current != null && current.firstAcceptance.contains(id);
    }

    /** A connection that sends only through the path of {@code relayName} (its relay log monitor's). */
    public Connection to(String relayName) {
        Path p = paths.stream().filter(x -> x.relay.name().equals(relayName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no path to " + relayName));
        return new Connection() {
            @Override
            public void start() {
                // The paths are started by RelayPaths.start.
            }

            @Override
            public boolean send(Frame frame) {
                return p.connection.send(frame);
            }

            @Override
            public void drop() {
                p.connection.drop();
            }

            @Override
            public void close() {
                // Closed with RelayPaths.
            }
        };
    }

    @Override
    public void start() {
        paths.forEach(p -> p.connection.start());
    }

    @Override
    public boolean send(Frame frame) {
        if (frame instanceof Frame.DeliveryAck ack && ack.receipt().type() == Receipt.Type.REJECTED) {
            // A rejection is about the copy in hand (PROTOCOL.md §13): only the relay that delivered
            // it gets it, never another relay whose own copy may be genuine. The inbox rejects while
            // handling that DELIVER, so its path is current; without one the ack is dropped (the
            // relay delivers again in its next session and is answered then).
            if (current == null) {
                return false;
            }
            Set<Path> waiting = unconfirmed.get(ack.receipt().messageId());
            if (waiting != null) {
                waiting.remove(current);
                if (waiting.isEmpty()) {
                    unconfirmed.remove(ack.receipt().messageId());
                }
            }
            return current.connection.send(frame);
        }
        if (frame instanceof Frame.DeliveredThrough t) {
            // A cumulative receipt confirms every id it lists (PROTOCOL.md §13 rule 7). Their entries
            // still route the acknowledgement of a second relay's copy arriving soon after (to every
            // relay that delivered it, rule 4), then go at a tick: a message only one relay delivered
            // is confirmed by this receipt alone and would otherwise be remembered for good.
            Instant now = clock.instant();
            for (MessageId id : t.receipt().coveredIds()) {
                if (unconfirmed.containsKey(id)) {
                    coveredAt.putIfAbsent(id, now);
                }
            }
            // A relay marks every listed box it still holds undelivered (PROTOCOL.md §6.1), so it
            // never delivers those: a path that has not yet delivered a verified copy of every
            // listed message the other relay's copy started a wait for gets the receipt only once
            // it has, or once those waits ended (rule 7), and is never named for a message the
            // receipt told it not to deliver. A path that is down gets nothing: its relay delivers
            // again in its next session and each copy is confirmed on its own (rule 5).
            boolean any = false;
            for (Path p : paths) {
                if (!p.welcomed) {
                    continue;
                }
                if (waitsOn(p, t)) {
                    p.holdThrough(t);
                    any = true;
                } else {
                    any |= p.connection.send(t);
                }
            }
            return any;
        }
        if (frame instanceof Frame.Send s) {
            boolean any = false;
            for (Path p : paths) {
                any |= p.send(s);
            }
            return any;
        }
        if (frame instanceof Frame.DeliveryAck ack) {
            // The inbox confirms after its group commit, when another path's event (or none) may be
            // current: back to every relay that delivered that message and waits for the answer.
            Set<Path> to = unconfirmed.remove(ack.receipt().messageId());
            if (to != null) {
                boolean any = false;
                for (Path p : to) {
                    any |= p.connection.send(frame);
                }
                return any;
            }
            // No path known to wait for it (the entry was forgotten): only a relay in session now
            // is answered, never a relay that has not said WELCOME nor every relay; otherwise the
            // acknowledgement is dropped, and the relay delivers again in its next session and is
            // answered then (review M4).
            if (current == null || !current.welcomed) {
                return false;
            }
        }
        if (current != null && answersTheRelay(frame)) {
            return current.connection.send(frame);
        }
        boolean any = false;
        for (Path p : paths) {
            any |= p.welcomed && p.connection.send(frame);
        }
        return any;
    }

    /**
     * Whether a message {@code t} lists still waits for a verified copy from {@code p} while the
     * other relay's copy started the clock (an open {@link #copies} entry without {@code p}).
     */
    private boolean waitsOn(Path p, Frame.DeliveredThrough t) {
        for (MessageId id : t.receipt().coveredIds()) {
            FirstCopy c = copies.get(id);
            if (c != null && !c.by().contains(p)) {
                return true;
            }
        }
        return false;
    }

    /** Bytes a SEND holds in memory, near enough to bound a path's backlog (its boxes dominate). */
    private static long sizeOf(Frame.Send s) {
        long n = 64;
        for (var b : s.boxes()) {
            n += 32 + b.size();
        }
        return n;
    }

    /**
     * A SEND a relay has not accepted, and when it last went to that relay on this connection (null:
     * not yet); its current wait before a re-send and the relay's answers that did not verify, both
     * counted since {@code verifications} (the path's count of verified acceptances) last changed.
     */
    private static final class Waiting {
        final Frame.Send send;
        final long bytes;
        Instant sentAt;
        Duration resendAfter = RESEND_AFTER;
        int unverifiedAnswers;
        long verifications;

        Waiting(Frame.Send send) {
            this.send = send;
            this.bytes = sizeOf(send);
        }
    }

    /** Frames that answer something one relay said, so they go back to that relay alone. */
    private static boolean answersTheRelay(Frame f) {
        return f instanceof Frame.Hello || f instanceof Frame.Pong || f instanceof Frame.DeliveryAck
                || f instanceof Frame.ReceiptAck || f instanceof Frame.PrekeyUpload
                || f instanceof Frame.LogConsistencyFetch;
    }

    /** Drops every path (tests of the whole line going down). */
    @Override
    public void drop() {
        paths.forEach(p -> p.connection.drop());
    }

    /** Drops one path as if its network failed; it reconnects by itself. */
    public void drop(String relayName) {
        paths.stream().filter(p -> p.relay.name().equals(relayName)).forEach(p -> p.connection.drop());
    }

    @Override
    public void close() {
        paths.forEach(p -> p.connection.close());
    }

    private boolean anyWelcomed() {
        return paths.stream().anyMatch(p -> p.welcomed);
    }

    @Override
    public Optional<String> relayInHand() {
        return severalRelays() ? currentRelay() : Optional.empty();
    }

    @Override
    public boolean severalRelays() {
        return paths.size() > 1;
    }

    @Override
    public List<String> relays() {
        return severalRelays() ? paths.stream().map(p -> p.relay.name()).toList() : List.of();
    }

    @Override
    public Witness copyInHand(MessageId id) {
        Path p = current;
        return p == null ? kind -> { } : kind -> verified(p, id, kind);
    }

    /**
     * The inbox verified the copy of {@code id} that came through {@code p}. Only a newly stored
     * message starts the clock for the other paths; a repeat counts only towards a message still
     * waiting for other paths, and only once per path, so a relay's redelivery after a crash or a
     * replay of an old envelope neither opens a wait the other relay cannot fill nor refreshes
     * its own path.
     */
    private void verified(Path p, MessageId id, Kind kind) {
        FirstCopy c = copies.get(id);
        if (c == null) {
            if (kind != Kind.NEW) {
                return;
            }
            if (paths.size() > 1) {
                Set<Path> by = new java.util.HashSet<>();
                by.add(p);
                copies.put(id, new FirstCopy(clock.instant(), p, by));
            }
        } else {
            if (!c.by().add(p)) {
                return;
            }
            if (c.by().size() == paths.size()) {
                copies.remove(id);
            }
        }
        p.lastDelivered = clock.instant();
        p.releaseThrough();
        if (p.lagging > 0) {
            problems.accept(p.relay.name() + " delivers again (it had missed " + p.lagging + " message"
                    + (p.lagging == 1 ? "" : "s") + " another relay delivered)");
            p.lagging = 0;
        }
    }

    /** One relay's line; its events come in on the engine thread. */
    private final class Path implements Events {
        final RelayEndpoint relay;
        Connection connection;
        boolean welcomed;
        String downReason = "not connected yet";
        Instant lastDelivered;
        /** Messages missed in the current lagging spell (0: none). */
        int lagging;
        /** SENDs this relay has not accepted, oldest first. */
        final Map<MessageId, Waiting> pending = new LinkedHashMap<>();
        /** The bytes of {@link #pending}. */
        long pendingBytes;
        /** Entries of {@link #pending} not sent on this connection yet (the backlog). */
        int unsent;
        /** No SEND goes to this relay before this instant (after its RATE_LIMITED). */
        Instant pausedUntil = Instant.MIN;
        /** The pause after this relay's next RATE_LIMITED. */
        Duration nextPause = RATE_LIMIT_PAUSE;
        /** Acceptances of this relay verified so far; a change resets every held SEND's back-off. */
        long verifications;
        /** When the last batch went (a tick right after a WELCOME's batch waits for the next). */
        Instant lastBatch = Instant.MIN;
        /**
         * Messages this relay accepted while this process ran, by a receipt the client verified (for
         * "accepted by 2 of 2 relays"); the newest {@link #MAX_PENDING_PER_PATH} only, so a relay
         * cannot grow it without bound (engine thread).
         */
        final Set<MessageId> accepted = Collections.newSetFromMap(new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<MessageId, Boolean> eldest) {
                return size() > MAX_PENDING_PER_PATH;
            }
        });
        /**
         * Cumulative receipts held back from this relay until it has delivered a verified copy of
         * each listed message whose wait is open (see {@link RelayPaths#send}), oldest first; at
         * most {@link #MAX_HELD_THROUGH}, the oldest dropped beyond (its messages are then confirmed
         * one by one when this relay delivers them again).
         */
        final List<Frame.DeliveredThrough> heldThrough = new ArrayList<>();
        /** The ids this relay delivered, oldest first: its share of {@link #unconfirmed}, bounded. */
        private final java.util.LinkedHashSet<MessageId> deliveredIds = new java.util.LinkedHashSet<>();
        /**
         * Messages no longer sent to this relay after {@link #MAX_UNVERIFIED_ANSWERS} unverified
         * answers, with {@link #verifications} then (review N1): the outbox offers a QUEUED message
         * again every {@link #RESEND_AFTER}, and that must not start its count and its report over.
         * Once an acceptance of this relay verifies again, it gets a new round, as held SENDs do. The
         * newest {@link #MAX_PENDING_PER_PATH} only (engine thread).
         */
        /** When this relay's last "did not verify" line was shown, and how many were held back since. */
        Instant gaveUpReportedAt = Instant.MIN;
        int gaveUpHeldBack;
        final Map<MessageId, Long> givenUp = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<MessageId, Long> eldest) {
                return size() > MAX_PENDING_PER_PATH;
            }
        };
        /** The message of the ACCEPTED being handled, when it is this relay's first for it. */
        final Set<MessageId> firstAcceptance = new java.util.HashSet<>();

        Path(RelayEndpoint relay) {
            this.relay = relay;
        }

        void holdThrough(Frame.DeliveredThrough t) {
            heldThrough.add(t);
            if (heldThrough.size() > MAX_HELD_THROUGH) {
                heldThrough.remove(0);
            }
        }

        /** Sends, in the order made, the held cumulative receipts this relay no longer owes a copy for. */
        void releaseThrough() {
            for (var it = heldThrough.iterator(); it.hasNext(); ) {
                Frame.DeliveredThrough t = it.next();
                if (!waitsOn(this, t)) {
                    it.remove();
                    if (welcomed) {
                        connection.send(t);
                    }
                }
            }
        }

        void missed(MessageId id, Path first) {
            if (lagging++ == 0) {
                problems.accept(relay.name() + " did not deliver message " + id.shortForm() + " within "
                        + DISAGREEMENT_AFTER.toSeconds() + " s; " + first.relay.name() + " did"
                        + (welcomed ? "" : " (" + relay.name() + " is down" + (downReason == null ? "" : ": "
                        + downReason) + ")"));
            }
        }

        /**
         * Holds {@code s} until this relay accepts it and sends it now if the path is up, not paused
         * and has no backlog it would overtake; a SEND already held waits for its timer. Returns
         * whether the path is up (the SEND goes now or with the path's backlog).
         */
        boolean send(Frame.Send s) {
            if (accepted.contains(s.messageId())) {
                return false;
            }
            Long gaveUpAt = givenUp.get(s.messageId());
            if (gaveUpAt != null) {
                if (gaveUpAt == verifications) {
                    return false;
                }
                givenUp.remove(s.messageId());
            }
            Waiting w = pending.get(s.messageId());
            if (w == null) {
                w = new Waiting(s);
                pending.put(s.messageId(), w);
                pendingBytes += w.bytes;
                unsent++;
                while (pending.size() > MAX_PENDING_PER_PATH || pendingBytes > MAX_PENDING_BYTES_PER_PATH) {
                    forget(pending.keySet().iterator().next());
                }
                if (pending.get(s.messageId()) == w && unsent == 1 && mayResend() && connection.send(s)) {
                    w.sentAt = clock.instant();
                    unsent--;
                }
            }
            return welcomed;
        }

        private boolean mayResend() {
            return welcomed && !clock.instant().isBefore(pausedUntil);
        }

        /**
         * Sends, oldest first, at most {@code budget} held SENDs that have not gone on this connection
         * or went {@link #RESEND_AFTER} ago without an ACCEPTED.
         */
        void resend(int budget) {
            if (!mayResend() || pending.isEmpty()) {
                return;
            }
            Instant now = clock.instant();
            if (now.isBefore(lastBatch.plus(MIN_BATCH_SPACING))) {
                return;
            }
            int sent = 0;
            for (Waiting w : pending.values()) {
                if (sent >= budget) {
                    return;
                }
                boolean again = w.sentAt != null;
                if (again && w.sentAt.plus(backOff(w)).isAfter(now)) {
                    continue;
                }
                if (!connection.send(w.send)) {
                    return;
                }
                if (again) {
                    // Unanswered for its whole wait: the next re-send waits twice as long.
                    lengthen(w);
                } else {
                    unsent--;
                }
                w.sentAt = now;
                if (++sent == 1) {
                    lastBatch = now;
                }
            }
        }

        /** The wait of {@code w} before a re-send, back at {@link #RESEND_AFTER} once an acceptance verified. */
        private Duration backOff(Waiting w) {
            if (w.verifications != verifications) {
                w.verifications = verifications;
                w.resendAfter = RESEND_AFTER;
                w.unverifiedAnswers = 0;
            }
            return w.resendAfter;
        }

        private void lengthen(Waiting w) {
            Duration doubled = backOff(w).multipliedBy(2);
            w.resendAfter = doubled.compareTo(MAX_RESEND_AFTER) > 0 ? MAX_RESEND_AFTER : doubled;
        }

        /**
         * The relay answered {@code id} with an ACCEPTED that did not verify: the SEND stays held
         * (its wait doubling with each re-send), and after {@link #MAX_UNVERIFIED_ANSWERS} such
         * answers it is no longer sent to this relay (reported once), not even when offered again
         * ({@link #givenUp}).
         */
        private void answeredUnverified(MessageId id) {
            Waiting w = pending.get(id);
            if (w == null) {
                return;
            }
            backOff(w);
            if (++w.unverifiedAnswers >= MAX_UNVERIFIED_ANSWERS) {
                forget(id);
                givenUp.put(id, verifications);
                // At most one line per relay and GAVE_UP_REPORT_PERIOD (review w8 L1), the others counted.
                Instant now = clock.instant();
                if (now.isBefore(gaveUpReportedAt.plus(GAVE_UP_REPORT_PERIOD))) {
                    gaveUpHeldBack++;
                    return;
                }
                problems.accept(relay.name() + "'s acceptance of message " + id.shortForm() + " did not verify "
                        + MAX_UNVERIFIED_ANSWERS + " times; it is no longer sent to " + relay.name()
                        + " until one of its acceptances verifies again or it reconnects"
                        + (gaveUpHeldBack == 0 ? "" : " (" + gaveUpHeldBack + " more message"
                        + (gaveUpHeldBack == 1 ? "" : "s") + " given up on it since the last such line)"));
                gaveUpReportedAt = now;
                gaveUpHeldBack = 0;
            }
        }

        private void forget(MessageId id) {
            Waiting w = pending.remove(id);
            if (w != null) {
                pendingBytes -= w.bytes;
                if (w.sentAt == null) {
                    unsent--;
                }
            }
        }

        /** Everything held goes again on the next connection (or after a pause), oldest first. */
        private void markAllUnsent(Instant since) {
            for (Waiting w : pending.values()) {
                if (w.sentAt != null && !w.sentAt.isBefore(since)) {
                    w.sentAt = null;
                    unsent++;
                }
            }
        }

        /**
         * This relay dropped frames over its rate: nothing goes to it for a while, and what it was
         * sent lately (which of it was dropped is not said) goes again after the pause.
         */
        private void rateLimited() {
            Instant now = clock.instant();
            pausedUntil = now.plus(nextPause);
            nextPause = nextPause.multipliedBy(2).compareTo(MAX_RATE_LIMIT_PAUSE) > 0 ? MAX_RATE_LIMIT_PAUSE
                    : nextPause.multipliedBy(2);
            markAllUnsent(now.minus(RESEND_AFTER));
        }

        @Override
        public void connected() {
            within(engineEvents::connected);
        }

        @Override
        public void frame(Frame frame) {
            if (frame instanceof Frame.Welcome) {
                welcomed = true;
                downReason = null;
                // A new connection is a new chance: a local cause of the failed verifications (a
                // missing relay certificate, a stale CRL) may have been fixed meanwhile (review w8 L3).
                givenUp.clear();
                within(() -> engineEvents.frame(frame));
                // What this relay missed while it was away (or never accepted), in the order sent:
                // the first batch now, the rest a batch per tick.
                resend(RESEND_BATCH);
                return;
            }
            if (frame instanceof Frame.Error e && e.code() == ErrorCode.RATE_LIMITED) {
                // This relay's limit, handled on this path alone: the engine would re-send through
                // every relay.
                rateLimited();
                return;
            }
            if (frame instanceof Frame.Error e && e.messageId().isPresent() && REFUSED_FOR_GOOD.contains(e.code())) {
                // This relay will never accept that SEND: no use re-sending it to it (the engine reports it).
                forget(e.messageId().get());
            }
            if (frame instanceof Frame.Accepted a) {
                // Only marked: the path's bookkeeping moves once the engine verified the receipt
                // against a message we sent (acceptanceVerified), never on the relay's word (review L1).
                MessageId id = a.receipt().messageId();
                if (!accepted.contains(id)) {
                    firstAcceptance.add(id);
                }
                try {
                    within(() -> engineEvents.frame(frame));
                } finally {
                    firstAcceptance.remove(id);
                }
                // Still held: the engine did not verify it (a verified one is forgotten at once).
                answeredUnverified(id);
                return;
            }
            if (frame instanceof Frame.Deliver d) {
                remember(d.messageId());
            }
            within(() -> engineEvents.frame(frame));
        }

        /**
         * Notes that this relay delivered {@code id}, forgetting its own oldest beyond
         * {@link #MAX_PENDING_PER_PATH} (ids already confirmed among them free their place then).
         */
        private void remember(MessageId id) {
            unconfirmed.computeIfAbsent(id, k -> new java.util.HashSet<>()).add(this);
            deliveredIds.remove(id);
            deliveredIds.add(id);
            if (deliveredIds.size() > MAX_PENDING_PER_PATH) {
                MessageId oldest = deliveredIds.iterator().next();
                deliveredIds.remove(oldest);
                Set<Path> by = unconfirmed.get(oldest);
                if (by != null && by.remove(this) && by.isEmpty()) {
                    unconfirmed.remove(oldest);
                }
            }
        }

        @Override
        public void disconnected(String reason) {
            welcomed = false;
            downReason = reason;
            // Its next session delivers again what it holds undelivered, each then confirmed on its own.
            heldThrough.clear();
            markAllUnsent(Instant.MIN);
            pausedUntil = Instant.MIN;
            nextPause = RATE_LIMIT_PAUSE;
            if (!anyWelcomed()) {
                within(() -> engineEvents.disconnected(relay.name() + ": " + reason));
            }
        }

        /** On this relay's event loop, not the engine thread: passed on untouched. */
        @Override
        public void arriving(Frame frame) {
            engineEvents.arriving(frame);
        }

        private void within(Runnable r) {
            Path before = current;
            current = this;
            try {
                r.run();
            } finally {
                current = before;
            }
        }
    }
}
