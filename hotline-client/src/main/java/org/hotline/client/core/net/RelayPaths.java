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
 * copy from the other's. A {@code SEND} stays pending on a path until that relay accepts it and is
 * sent again after the path's next {@code WELCOME}: a relay that was down when a message left gets
 * it when it is back.
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
     * goes back to them (engine thread; the oldest are forgotten beyond {@link #MAX_PENDING_PER_PATH},
     * and such an acknowledgement falls back to the current path, the relay then delivering again).
     */
    private final Map<MessageId, Set<Path>> unconfirmed = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<MessageId, Set<Path>> eldest) {
            return size() > MAX_PENDING_PER_PATH;
        }
    };

    private record FirstCopy(Instant at, Path first, Set<Path> by) {
    }

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
     * a message another relay delivered a verified copy of: once per lagging spell, with the first message it missed and how many since
     * (engine thread; the engine calls this every second).
     */
    public void tick() {
        Instant limit = clock.instant().minus(DISAGREEMENT_AFTER);
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
                p.pending.remove(id);
                p.accepted.add(id);
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
            // relay delivers again and is answered then).
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
        }
        if (current != null && answersTheRelay(frame)) {
            return current.connection.send(frame);
        }
        boolean any = false;
        for (Path p : paths) {
            if (frame instanceof Frame.Send s) {
                p.pend(s);
            }
            any |= p.welcomed && p.connection.send(frame);
        }
        return any;
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
        final Map<MessageId, Frame.Send> pending = new LinkedHashMap<>();
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
        /** The message of the ACCEPTED being handled, when it is this relay's first for it. */
        final Set<MessageId> firstAcceptance = new java.util.HashSet<>();

        Path(RelayEndpoint relay) {
            this.relay = relay;
        }

        void missed(MessageId id, Path first) {
            if (lagging++ == 0) {
                problems.accept(relay.name() + " did not deliver message " + id.shortForm() + " within "
                        + DISAGREEMENT_AFTER.toSeconds() + " s; " + first.relay.name() + " did"
                        + (welcomed ? "" : " (" + relay.name() + " is down" + (downReason == null ? "" : ": "
                        + downReason) + ")"));
            }
        }

        void pend(Frame.Send s) {
            if (accepted.contains(s.messageId())) {
                return;
            }
            pending.put(s.messageId(), s);
            if (pending.size() > MAX_PENDING_PER_PATH) {
                MessageId oldest = pending.keySet().iterator().next();
                pending.remove(oldest);
            }
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
                within(() -> engineEvents.frame(frame));
                // What this relay missed while it was away (or never accepted), in the order sent.
                for (Frame.Send s : List.copyOf(pending.values())) {
                    connection.send(s);
                }
                return;
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
                return;
            }
            if (frame instanceof Frame.Deliver d) {
                unconfirmed.computeIfAbsent(d.messageId(), k -> new java.util.HashSet<>()).add(this);
            }
            within(() -> engineEvents.frame(frame));
        }

        @Override
        public void disconnected(String reason) {
            welcomed = false;
            downReason = reason;
            if (!anyWelcomed()) {
                within(() -> engineEvents.disconnected(relay.name() + ": " + reason));
            }
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
