package org.hotline.client.core.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.hotline.client.core.net.Connection;
import org.hotline.client.core.net.VerifiedCopies;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Frame;

/**
 * A connection with no network: it records every frame the engine sends and lets the test inject
 * frames and connection events, handed to the engine thread exactly as the Netty connection does.
 * It also records which copies the inbox reported verified, as {@code RelayPaths} would count them.
 */
final class RecordingConnection implements Connection, VerifiedCopies {

    private final Connection.Events events;
    private final Executor engine;
    private final List<Frame> sent = new CopyOnWriteArrayList<>();
    /** "id-short-form KIND" per copy the inbox reported verified, in order. */
    private final List<String> verified = new CopyOnWriteArrayList<>();
    private volatile boolean up;
    /** The relay's answer to a frame the engine sent, if it answers it (null: no answers). */
    private volatile Function<Frame, List<Frame>> answers;

    RecordingConnection(Connection.Events events, Executor engine) {
        this.events = events;
        this.engine = engine;
    }

    /** TLS up: the engine says HELLO; WELCOME is for the test to inject. */
    void connect() {
        up = true;
        engine.execute(events::connected);
    }

    /**
     * Answers each frame the engine sends with {@code relay}'s frames, handed to the engine thread
     * after the task that sent it, as a relay's answer arrives after the request.
     */
    void answerWith(Function<Frame, List<Frame>> relay) {
        this.answers = relay;
    }

    void inject(Frame frame) {
        engine.execute(() -> events.frame(frame));
    }

    /** As {@link #inject(Frame)}, as if relay {@code relay} of several delivered it (PROTOCOL.md §13). */
    void inject(Frame frame, String relay) {
        engine.execute(() -> {
            current = relay;
            try {
                events.frame(frame);
            } finally {
                current = null;
            }
        });
    }

    void disconnect(String reason) {
        up = false;
        engine.execute(() -> events.disconnected(reason));
    }

    /** Every frame of {@code kind} the engine sent so far, oldest first. */
    <T extends Frame> List<T> sent(Class<T> kind) {
        return sent.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    /** The copies the inbox reported verified so far ("id-short-form KIND"), oldest first. */
    List<String> verifiedCopies() {
        return List.copyOf(verified);
    }

    /** The relay whose frame the engine handles now ({@link #inject(Frame, String)}); engine thread. */
    private String current;

    @Override
    public java.util.Optional<String> relayInHand() {
        return java.util.Optional.ofNullable(current);
    }

    /** As if several relays: the inbox reads its log's relay records at open (harmless with none). */
    @Override
    public boolean severalRelays() {
        return true;
    }

    /** The exercise's relays, when a test configures several (empty: one relay). */
    private volatile List<String> relays = List.of();

    void relays(List<String> names) {
        this.relays = List.copyOf(names);
    }

    @Override
    public List<String> relays() {
        return relays;
    }

    @Override
    public Witness copyInHand(MessageId id) {
        return kind -> verified.add(id.shortForm() + " " + kind);
    }

    void forget() {
        sent.clear();
    }

    @Override
    public void start() {
        // The test decides when the line comes up: connect().
    }

    @Override
    public boolean send(Frame frame) {
        if (!up) {
            return false;
        }
        sent.add(frame);
        Function<Frame, List<Frame>> relay = answers;
        if (relay != null) {
            relay.apply(frame).forEach(this::inject);
        }
        return true;
    }

    @Override
    public void drop() {
        disconnect("connection dropped by this client");
    }

    @Override
    public void close() {
        up = false;
    }
}
