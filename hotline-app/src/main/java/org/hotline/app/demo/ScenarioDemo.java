package org.hotline.app.demo;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.hotline.app.cli.CommandFailure;
import org.hotline.app.cli.ExitCodes;
import org.hotline.client.control.MselPlayer;
import org.hotline.client.core.AnswerDeadline;
import org.hotline.client.core.ClientListener;
import org.hotline.client.core.DeadlineLine;
import org.hotline.client.core.DeliveryState;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.core.MessageReading;
import org.hotline.client.core.ReceivedInject;
import org.hotline.client.core.ReceivedMessage;
import org.hotline.protocol.exercise.msel.Msel;
import org.hotline.protocol.exercise.msel.MselFiles;
import org.hotline.protocol.text.DisplaySafe;
import org.hotline.protocol.wire.MessageId;

/**
 * The demo's exercise: exercise control plays the shipped south-asia MSEL at an accelerated speed,
 * and (headless) the two prime ministers react to the injects with catalog signals
 * ({@link ScenarioReactions}); the transcript is printed as it happens.
 */
final class ScenarioDemo implements AutoCloseable {

    static final String SCENARIO = "south-asia";

    private final PrintWriter out;
    private final HotlineClient india;
    private final HotlineClient pakistan;
    private final HotlineClient control;
    private final MselPlayer player;
    private final Instant start = Instant.now();
    private final Map<String, MessageId> lastFromPeer = new ConcurrentHashMap<>();
    private final List<CompletableFuture<DeliveryState>> reactions = new CopyOnWriteArrayList<>();
    /** The scripted readings' messages to exercise control, accepted by the relay before the demo ends. */
    private final List<CompletableFuture<DeliveryState>> readings = new CopyOnWriteArrayList<>();
    private final ExecutorService players = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "demo-players");
        t.setDaemon(true);
        return t;
    });

    ScenarioDemo(PrintWriter out, HotlineClient india, HotlineClient pakistan, HotlineClient control, Path controlData,
                 int speedPermille) throws Exception {
        this.out = out;
        this.india = india;
        this.pakistan = pakistan;
        this.control = control;
        Msel msel = MselFiles.load(SCENARIO, Optional.of(control.exercise()));
        this.player = MselPlayer.open(control, msel, controlData, speedPermille, Clock.systemUTC());
    }

    /** Control's player, for the facilitator's window beside the consoles. */
    MselPlayer player() {
        return player;
    }

    /** Starts control and its clock; the consoles see injects as the scenario reaches them. */
    void startControl() throws Exception {
        control.start();
        player.start().get(30, TimeUnit.SECONDS);
        player.startClock().get(30, TimeUnit.SECONDS);
    }

    /** Headless: scripted players react to injects; returns once every inject and reaction is through. */
    void playScripted() throws Exception {
        watch(india, pakistan);
        watch(pakistan, india);
        startControl();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!finished()) {
            if (System.nanoTime() > deadline) {
                throw new CommandFailure(ExitCodes.NETWORK, "the scenario did not finish within 5 minutes");
            }
            Thread.sleep(200);
        }
        players.submit(() -> null).get(30, TimeUnit.SECONDS);
        for (CompletableFuture<DeliveryState> r : reactions) {
            if (r.get(30, TimeUnit.SECONDS) == DeliveryState.REJECTED) {
                // The engine has reported the signed rejection and its reason as a problem already.
                throw new CommandFailure(ExitCodes.INTEGRITY, "a reaction was rejected by its recipient");
            }
        }
        for (CompletableFuture<DeliveryState> r : readings) {
            r.get(30, TimeUnit.SECONDS);
        }
        out.printf("%s  scenario complete: %d injects sent by control, %d reactions sent and delivered%n",
                offset(Instant.now()), player.msel().injects().size(), reactions.size());
    }

    private boolean finished() throws Exception {
        for (MselPlayer.InjectStatus s : player.timeline().get(30, TimeUnit.SECONDS)) {
            if (s.state() == MselPlayer.InjectState.PENDING) {
                return false;
            }
            // The consoles present here are the prime ministers'; the advisers' copies wait at the relay.
            for (String pm : List.of("in.pm", "pk.pm")) {
                if (s.inject().recipients().contains(pm) && s.recipients().getOrDefault(pm, DeliveryState.QUEUED)
                        .ordinal() < DeliveryState.DELIVERED.ordinal()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Prints what {@code self} receives and reacts to its injects. */
    private void watch(HotlineClient self, HotlineClient peer) {
        self.addListener(new ClientListener() {
            @Override
            public void injectReceived(ReceivedInject i) {
                line(String.format("%s  INJECT %s [%s] -> %s: %s", offset(Instant.now()), i.injectId(), i.kind(),
                        self.role(), DisplaySafe.line(i.title())));
                players.execute(() -> react(self, peer, i));
            }

            @Override
            public void deadlineChanged(AnswerDeadline d) {
                if (d.outgoing() && d.state() == AnswerDeadline.State.MISSED) {
                    line(String.format("%s  %s -> %s  message %s: %s", offset(Instant.now()), d.from(),
                            String.join(",", d.to()), d.id().shortForm(), DeadlineLine.noReplyBy(self.exercise(), d)));
                }
            }

            @Override
            public void messageReceived(ReceivedMessage m) {
                if (m.acknowledged() || !m.from().equals(peer.role())) {
                    return;
                }
                lastFromPeer.put(self.role(), m.id());
                line(String.format("%s  %s -> %s  [%s]  \"%s\"  (signature verified, delivered)", offset(Instant.now()),
                        m.from(), self.role(), m.category().orElse("text"), DisplaySafe.line(m.text())));
                m.signalId().flatMap(s -> ScenarioReadings.of(self.role(), s))
                        .ifPresent(r -> players.execute(() -> read(self, m, r)));
            }
        });
    }

    private void react(HotlineClient self, HotlineClient peer, ReceivedInject inject) {
        var reaction = ScenarioReactions.of(self.role(), inject, Optional.ofNullable(lastFromPeer.get(self.role())));
        if (reaction.isEmpty()) {
            return;
        }
        try {
            // A reaction that names the peer's message answers it; one the catalog expects an answer to asks for it
            // by the catalog's default, on the exercise clock (the request for facts is answered too late).
            Optional<MessageId> answers = Optional.ofNullable(reaction.get().params().get("ref")).map(MessageId::parse);
            Optional<Instant> by = self.catalog().defaultAnswerBy(reaction.get().signalId()).map(Instant.now()::plus);
            MessageId id = self.sendSignal(peer.role(), reaction.get().signalId(), reaction.get().params(),
                    answers, by).get(30, TimeUnit.SECONDS);
            // Delivered to the peer: on the observed leaders channel control's receipt is a receipt of its
            // own and moves nothing, the peer's does (PROTOCOL.md §3.4.10).
            reactions.add(self.whenState(id, DeliveryState.DELIVERED));
        } catch (Exception e) {
            reactions.add(CompletableFuture.failedFuture(e));
        }
    }

    /** The scripted reader records how they read {@code m}: signed, logged, and sealed to exercise control only. */
    private void read(HotlineClient self, ReceivedMessage m, ScenarioReadings.Scripted scripted) {
        try {
            MessageReading r = self.recordReading(m.id(), scripted.readAs(), scripted.note()).get(30, TimeUnit.SECONDS);
            line(String.format("%s  %s read %s's message %s as %s%s  (signed; sealed to exercise control only)",
                    offset(Instant.now()), self.role(), m.from(), m.id().shortForm(), r.readAs().label(),
                    r.note().isEmpty() ? "" : ": \"" + DisplaySafe.line(r.note()) + "\""));
            r.sentToControl().ifPresent(id -> readings.add(self.whenState(id, DeliveryState.ACCEPTED)));
        } catch (Exception e) {
            readings.add(CompletableFuture.failedFuture(e));
        }
    }

    private synchronized void line(String text) {
        out.println(text);
        out.flush();
    }

    private String offset(Instant t) {
        Duration d = Duration.between(start, t);
        return String.format("T+%02d:%02d.%01d", d.toMinutes(), d.toSecondsPart(), d.toMillisPart() / 100);
    }

    @Override
    public void close() {
        players.shutdownNow();
        player.close();
    }
}
