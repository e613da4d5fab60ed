package org.hotline.client.control;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.hotline.client.core.DeliveryState;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.core.SentMessage;
import org.hotline.protocol.exercise.Role;
import org.hotline.protocol.exercise.msel.Msel;
import org.hotline.protocol.exercise.msel.MselInject;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.MessageId;

/**
 * Exercise control playing a Master Scenario Events List (docs/exercise-control.md): it keeps the
 * exercise clock, sends each inject to its recipients when scenario time reaches it (in MSEL order;
 * nothing is released while the clock is paused), announces every clock change to the
 * participants, and lets the facilitator fire an inject now, skip it or edit it before it is sent.
 * Clock and ledger live in control's data directory, so a restart resumes where it stopped.
 *
 * <p>All state changes run on one thread, {@code control-player}; the public methods hand their
 * work to it and return futures. Listener events are fired on that thread or the engine's.
 */
public final class MselPlayer implements AutoCloseable {

    /** Where an inject of the MSEL stands. */
    public enum InjectState { PENDING, SENT, SKIPPED }

    /**
     * One row of the facilitator's timeline.
     *
     * @param dueAt      the scenario time it is scheduled for (an ad-hoc inject: when it was sent)
     * @param recipients the delivery state per recipient (empty while pending)
     * @param adHoc      composed by the facilitator during the exercise, not in the MSEL
     */
    public record InjectStatus(MselInject inject, InjectState state, Instant dueAt, Map<String, DeliveryState> recipients,
                               boolean adHoc) {
        public InjectStatus {
            recipients = Map.copyOf(recipients);
        }
    }

    /** What the player reports. */
    public interface Listener {
        default void injectSent(MselInject inject, String recipient, MessageId id) {
        }

        default void deliveryChanged(String injectId, String recipient, DeliveryState state) {
        }

        default void injectSkipped(MselInject inject) {
        }

        default void clockChanged(ControlClock.State clock) {
        }

        default void problem(String message) {
        }
    }

    private static final long TICK_MILLIS = 200;

    private final HotlineClient client;
    private final Msel msel;
    private final ControlClock clock;
    private final InjectLedger ledger;
    private final Clock realClock;
    private final List<String> participants;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Map<String, DeliveryState>> states = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "control-player");
        t.setDaemon(true);
        return t;
    });

    private MselPlayer(HotlineClient client, Msel msel, ControlClock clock, InjectLedger ledger, Clock realClock) {
        this.client = client;
        this.msel = msel;
        this.clock = clock;
        this.ledger = ledger;
        this.realClock = realClock;
        this.participants = client.exercise().roles().stream().map(Role::id)
                .filter(r -> !client.exercise().isControl(r)).toList();
    }

    /**
     * A player for {@code client}, which must be the exercise's control role, with the clock and
     * ledger kept in {@code dataDir} (a stored clock keeps its own speed; {@code speedPermille} is
     * for a new one).
     *
     * @throws IOException              the stored state cannot be read
     * @throws IllegalArgumentException the client is not exercise control
     */
    public static MselPlayer open(HotlineClient client, Msel msel, Path dataDir, int speedPermille, Clock realClock)
            throws IOException {
        if (!client.exercise().isControl(client.role())) {
            throw new IllegalArgumentException(client.role() + " is not the exercise's control role");
        }
        ControlClock clock = ControlClock.open(dataDir, msel.start(), speedPermille, realClock.instant());
        return new MselPlayer(client, msel, clock, InjectLedger.open(dataDir, msel.name()), realClock);
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    /**
     * Starts watching delivery states and the clock (every {@value #TICK_MILLIS} ms). Messages sent
     * before a restart get their states from the client's outbox.
     */
    public CompletableFuture<Void> start() {
        return call(() -> {
            Map<MessageId, DeliveryState> known = new LinkedHashMap<>();
            for (SentMessage s : client.sentMessages().get(10, TimeUnit.SECONDS)) {
                known.put(s.id(), s.state());
            }
            ledger.allSent().forEach((injectId, sent) -> sent.messages().forEach((recipient, id) -> {
                record(injectId, recipient, known.getOrDefault(id, DeliveryState.QUEUED));
                track(injectId, recipient, id);
            }));
            thread.scheduleWithFixedDelay(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
            return null;
        });
    }

    public Msel msel() {
        return msel;
    }

    /** The clock as it stands (safe from any thread: the state is an immutable value). */
    public ControlClock.State clockState() {
        return clock.state();
    }

    public CompletableFuture<Void> startClock() {
        return clockChange(() -> clock.start(realClock.instant()));
    }

    public CompletableFuture<Void> pause() {
        return clockChange(() -> clock.pause(realClock.instant()));
    }

    public CompletableFuture<Void> resume() {
        return clockChange(() -> clock.resume(realClock.instant()));
    }

    public CompletableFuture<Void> speed(int speedPermille) {
        return clockChange(() -> clock.speed(realClock.instant(), speedPermille));
    }

    /** Sends {@code injectId} now, whatever the clock says (at the current scenario time). */
    public CompletableFuture<Void> fireNow(String injectId) {
        return call(() -> {
            MselInject i = pendingInject(injectId);
            send(i, clock.scenarioAt(realClock.instant()));
            return null;
        });
    }

    /** Marks {@code injectId} as not to be sent. */
    public CompletableFuture<Void> skip(String injectId) {
        return call(() -> {
            MselInject i = pendingInject(injectId);
            ledger.markSkipped(injectId);
            listeners.forEach(l -> l.injectSkipped(i));
            return null;
        });
    }

    /** Changes the words of a pending inject before it is sent. */
    public CompletableFuture<Void> edit(String injectId, String title, String text) {
        return call(() -> {
            pendingInject(injectId);
            if (title.isBlank() || text.isBlank()) {
                throw new IllegalArgumentException("an inject needs a title and a text");
            }
            ledger.markEdited(injectId, new InjectLedger.Words(title.strip(), text.strip()));
            return null;
        });
    }

    /** The timeline: every inject with its state and each recipient's delivery state. */
    public CompletableFuture<List<InjectStatus>> timeline() {
        return call(() -> {
            List<InjectStatus> out = new ArrayList<>();
            for (MselInject i : msel.injects()) {
                MselInject shown = words(i);
                InjectState st = ledger.sent(i.id()).isPresent() ? InjectState.SENT
                        : ledger.skipped(i.id()) ? InjectState.SKIPPED : InjectState.PENDING;
                out.add(new InjectStatus(shown, st, msel.dueAt(i), states.getOrDefault(i.id(), Map.of()), false));
            }
            for (InjectLedger.AdHoc a : ledger.adHoc()) {
                Optional<InjectLedger.Sent> sent = ledger.sent(a.id());
                Instant at = sent.map(InjectLedger.Sent::scenarioTime).orElse(msel.start());
                out.add(new InjectStatus(adHocInject(a, at), InjectState.SENT, at, states.getOrDefault(a.id(), Map.of()),
                        true));
            }
            return out;
        });
    }

    /**
     * Composes and sends an inject outside the MSEL, now, signed and sealed like every inject; it is
     * recorded in the ledger (and so on the timeline, also after a restart). Completes with its id
     * ({@code AH-01}, {@code AH-02}, ...).
     *
     * @throws IllegalArgumentException (in the future) no recipient, a recipient that is not a
     *                                  participant, a blank title or text, or words over the limits
     */
    public CompletableFuture<String> adHoc(List<String> recipients, Content.InjectKind kind, String title, String text) {
        return call(() -> {
            if (recipients.isEmpty()) {
                throw new IllegalArgumentException("an inject needs at least one recipient");
            }
            for (String r : recipients) {
                if (!participants.contains(r)) {
                    throw new IllegalArgumentException(r + " is not a participant of the exercise");
                }
            }
            if (title.isBlank() || text.isBlank()) {
                throw new IllegalArgumentException("an inject needs a title and a text");
            }
            if (title.strip().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > Content.MAX_INJECT_TITLE_BYTES
                    || text.strip().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                    > org.hotline.protocol.wire.WireLimits.MAX_TEXT_BYTES) {
                throw new IllegalArgumentException("title at most " + Content.MAX_INJECT_TITLE_BYTES + " bytes, text at most "
                        + org.hotline.protocol.wire.WireLimits.MAX_TEXT_BYTES + " bytes of UTF-8");
            }
            String id = nextAdHocId();
            Instant now = clock.scenarioAt(realClock.instant());
            InjectLedger.AdHoc a = new InjectLedger.AdHoc(id, recipients, kind, title.strip(), text.strip());
            send(adHocInject(a, now), now);
            ledger.addAdHoc(a);
            return id;
        });
    }

    /**
     * Signs an evaluator's note at the current scenario time and writes it to control's audit log
     * (PROTOCOL.md §11.3 {@code evaluator-note}).
     */
    public CompletableFuture<org.hotline.protocol.audit.AuditEvent.EvaluatorNote> note(String text) {
        return call(() -> clock.scenarioAt(realClock.instant())).thenCompose(t -> client.recordEvaluatorNote(t, text));
    }

    /** The roles injects can go to: every role of the exercise but control. */
    public List<String> participants() {
        return participants;
    }

    private String nextAdHocId() {
        for (int n = ledger.adHoc().size() + 1; ; n++) {
            String id = String.format("AH-%02d", n);
            if (msel.inject(id).isEmpty() && !ledger.done(id)) {
                return id;
            }
        }
    }

    private MselInject adHocInject(InjectLedger.AdHoc a, Instant scenarioTime) {
        java.time.Duration offset = java.time.Duration.between(msel.start(), scenarioTime);
        return new MselInject(a.id(), offset.isNegative() ? java.time.Duration.ZERO : offset, a.recipients(), a.kind(),
                a.title(), a.text(), Optional.empty(), 0);
    }

    /** Whether every inject has been sent or skipped. */
    public CompletableFuture<Boolean> finished() {
        return call(() -> msel.injects().stream().allMatch(i -> ledger.done(i.id())));
    }

    /** Waits for {@code task} to have run on the player's thread. */
    private <T> CompletableFuture<T> call(Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                try {
                    f.complete(task.call());
                } catch (Exception | Error e) {
                    f.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // A window's last tick can race the player's close: a failed future, not an exception on its thread.
            f.completeExceptionally(new IllegalStateException("exercise control's player is closed", closed));
        }
        return f;
    }

    private interface ClockStep {
        Content.ExerciseClock apply() throws IOException;
    }

    private CompletableFuture<Void> clockChange(ClockStep step) {
        return call(() -> {
            Content.ExerciseClock c = step.apply();
            ControlClock.State s = clock.state();
            listeners.forEach(l -> l.clockChanged(s));
            for (String role : participants) {
                client.send(role, c, Optional.empty(), Optional.empty()).get(10, TimeUnit.SECONDS);
            }
            return null;
        });
    }

    /** Every tick: send, in MSEL order, what is due by scenario time; nothing while the clock stands. */
    private void tick() {
        try {
            if (!clock.state().started() || !clock.state().running()) {
                return;
            }
            Instant scenarioNow = clock.scenarioAt(realClock.instant());
            for (MselInject i : msel.injects()) {
                if (ledger.done(i.id())) {
                    continue;
                }
                if (msel.dueAt(i).isAfter(scenarioNow)) {
                    return;
                }
                send(i, msel.dueAt(i));
            }
        } catch (Exception e) {
            listeners.forEach(l -> l.problem("exercise control: " + e.getMessage()));
        }
    }

    private MselInject pendingInject(String injectId) {
        MselInject i = msel.inject(injectId).orElseThrow(() -> new IllegalArgumentException("no inject '" + injectId + "'"));
        if (ledger.done(injectId)) {
            throw new IllegalStateException("inject " + injectId + " was already " + (ledger.skipped(injectId) ? "skipped" : "sent"));
        }
        return i;
    }

    private MselInject words(MselInject i) {
        return ledger.edit(i.id()).map(w -> i.withWords(w.title(), w.text())).orElse(i);
    }

    /**
     * Sends one inject, one sealed message per recipient on its private channel. The ledger marks it
     * sent once every message is in the durable outbox, so a restart does not send it again.
     */
    private void send(MselInject original, Instant scenarioTime) throws Exception {
        MselInject i = words(original);
        Content.Inject content = new Content.Inject(i.id(), i.kind(), scenarioTime, i.title(), i.text());
        Map<String, MessageId> sent = new LinkedHashMap<>();
        for (String recipient : i.recipients()) {
            MessageId id = client.send(recipient, content, Optional.empty(), Optional.empty()).get(10, TimeUnit.SECONDS);
            sent.put(recipient, id);
            record(i.id(), recipient, DeliveryState.QUEUED);
            listeners.forEach(l -> l.injectSent(i, recipient, id));
            track(i.id(), recipient, id);
        }
        ledger.markSent(i.id(), new InjectLedger.Sent(realClock.instant(), scenarioTime, sent));
    }

    /** Follows one message's receipts: each state is reported once it is reached (at once if it already was). */
    private void track(String injectId, String recipient, MessageId id) {
        for (DeliveryState st : List.of(DeliveryState.ACCEPTED, DeliveryState.DELIVERED, DeliveryState.ACKNOWLEDGED)) {
            client.whenState(id, st).thenAccept(reached -> record(injectId, recipient, st));
        }
    }

    private synchronized void record(String injectId, String recipient, DeliveryState state) {
        Map<String, DeliveryState> perRecipient = states.computeIfAbsent(injectId, k -> new ConcurrentHashMap<>());
        DeliveryState before = perRecipient.get(recipient);
        if (before != null && !state.isAfter(before)) {
            return;
        }
        perRecipient.put(recipient, state);
        listeners.forEach(l -> l.deliveryChanged(injectId, recipient, state));
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
