package org.hotline.client.ui.facilitator;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.hotline.client.control.ControlClock;
import org.hotline.client.control.MselPlayer;
import org.hotline.client.core.ClientListener;
import org.hotline.client.core.DeliveryState;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.core.LinkStatus;
import org.hotline.client.core.ReceivedMessage;
import org.hotline.client.core.SentMessage;
import org.hotline.protocol.audit.AuditCodec;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.audit.AuditFormatException;
import org.hotline.protocol.audit.DisplayText;
import org.hotline.protocol.exercise.Channel;
import org.hotline.protocol.exercise.ControlReads;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.Role;
import org.hotline.protocol.exercise.msel.MselInject;
import org.hotline.protocol.text.DisplaySafe;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.MessageId;

/**
 * The facilitator's window as values (docs/exercise-control.md): the MSEL timeline with each
 * inject's state per recipient, the exercise clock, every participant seat's state, the traffic
 * control may read, and the evaluator's notes; and the facilitator's actions, each handed to the
 * {@link MselPlayer} or the client. Never touches a node; properties change on the UI executor.
 *
 * <p>Seat states are derived from what control's own client knows, nothing more: a seat is
 * <b>online</b> when control received a message or a signed delivery/acknowledgement receipt from it
 * in the last {@value #ONLINE_MINUTES} minutes; its <b>line is verified</b> once control has verified
 * a message or receipt signed by it; <b>unanswered</b> counts its messages to control that control
 * has not acknowledged; <b>last activity</b> is the newest of those signs of life.
 */
public final class FacilitatorViewModel implements ClientListener, MselPlayer.Listener {

    static final int ONLINE_MINUTES = 2;
    private static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ENGLISH);
    private static final DateTimeFormatter DAY_HM = DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ENGLISH);

    private final HotlineClient core;
    private final MselPlayer player;
    private final Executor ui;
    private final Clock clock;
    private final ZoneOffset scenarioZone;
    private final List<String> participants;
    private final Set<String> observedChannels;
    private final ControlReads reads;

    private final ObservableList<InjectRow> injects = FXCollections.observableArrayList();
    private final ObservableList<SeatRow> seats = FXCollections.observableArrayList();
    private final ObservableList<TrafficItem> traffic = FXCollections.observableArrayList();
    private final ObservableList<NoteItem> notes = FXCollections.observableArrayList();
    private final StringProperty scenarioClock = new SimpleStringProperty("Scenario clock not started");
    private final StringProperty clockState = new SimpleStringProperty("not started");
    private final BooleanProperty started = new SimpleBooleanProperty(false);
    private final BooleanProperty paused = new SimpleBooleanProperty(false);
    private final StringProperty speed = new SimpleStringProperty("");
    private final StringProperty line = new SimpleStringProperty("connecting");
    private final StringProperty lineState = new SimpleStringProperty("connecting");
    private final StringProperty status = new SimpleStringProperty("");
    private final StringProperty trafficNotice = new SimpleStringProperty("");

    // Seat evidence, written on the engine thread and read on the UI thread.
    private final Map<MessageId, String> recipientOf = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastHeard = new ConcurrentHashMap<>();
    private final Map<String, String> lastWhat = new ConcurrentHashMap<>();
    private final Map<String, Instant> verifiedAt = new ConcurrentHashMap<>();
    private final Map<MessageId, ReceivedMessage> toControl = new ConcurrentHashMap<>();

    public FacilitatorViewModel(HotlineClient core, MselPlayer player, Executor ui, Clock clock) {
        this.core = core;
        this.player = player;
        this.ui = ui;
        this.clock = clock;
        this.scenarioZone = player.msel().scenarioStart().getOffset();
        this.participants = player.participants();
        Exercise ex = core.exercise();
        this.reads = ex.control().map(c -> c.reads()).orElse(ControlReads.NONE);
        this.observedChannels = ex.channelsObservedBy(core.role()).stream().map(Channel::id).collect(Collectors.toSet());
        trafficNotice.set(trafficNotice(ex));
    }

    /** Loads what the client and player already hold, then follows their events. */
    public void bind() {
        core.addListener(this);
        player.addListener(this);
        core.sentMessages().thenAccept(sent -> {
            for (SentMessage s : sent) {
                if (s.to().size() == 1) {
                    recipientOf.put(s.id(), s.to().get(0));
                    s.deliveredAt().ifPresent(t -> heard(s.to().get(0), t, "receipt"));
                    s.acknowledgedAt().ifPresent(t -> heard(s.to().get(0), t, "acknowledged"));
                }
            }
            core.receivedMessages().thenAccept(received -> ui.execute(() -> {
                received.forEach(this::received);
                refresh();
            }));
        });
        linkStatusChanged(core.linkStatus());
        refresh();
        loadNotes();
    }

    /**
     * The notes written before this window opened (a restarted control), read from control's own
     * audit log off the UI thread. A line being written at that moment does not decode and is left
     * out; a note added afterwards arrives through {@link #addNote}.
     */
    private void loadNotes() {
        CompletableFuture.supplyAsync(() -> {
            List<AuditEvent.EvaluatorNote> found = new ArrayList<>();
            try {
                for (String line : java.nio.file.Files.readAllLines(core.auditLogFile())) {
                    try {
                        if (AuditCodec.decode(line.getBytes(java.nio.charset.StandardCharsets.UTF_8)).event()
                                instanceof AuditEvent.EvaluatorNote n) {
                            found.add(n);
                        }
                    } catch (AuditFormatException unreadable) {
                        // A torn or half-written line: the verifier reports it; the window shows what it can.
                    }
                }
            } catch (java.io.IOException e) {
                ui.execute(() -> status.set("earlier notes not read: " + message(e)));
            }
            return found;
        }).thenAccept(found -> ui.execute(() -> found.forEach(this::showNote)));
    }

    private void showNote(AuditEvent.EvaluatorNote n) {
        notes.add(0, new NoteItem(HMS.format(n.observedAt().atZone(ZoneId.of("UTC"))) + " UTC",
                DAY_HM.format(n.scenarioTime().atOffset(scenarioZone)) + " " + zone(), DisplaySafe.multiline(n.text())));
    }

    /** Once a second (UI thread): the clocks, the seats and the timeline. */
    public void tick() {
        // The line's words age ("verified 12 s ago"): re-read the status rather than wait for an event.
        linkStatusChanged(core.linkStatus());
        ControlClock.State s = player.clockState();
        Instant now = clock.instant();
        started.set(s.started());
        paused.set(s.paused());
        speed.set(DisplayText.speed(s.speedPermille()));
        scenarioClock.set("Scenario " + DAY_HM.format(s.scenarioAt(now).atOffset(scenarioZone)) + " " + zone());
        clockState.set(!s.started() ? "not started" : s.running() ? "running at " + speed.get() : "PAUSED");
        List<SeatRow> rows = new ArrayList<>();
        Exercise ex = core.exercise();
        for (String role : participants) {
            Instant heard = lastHeard.get(role);
            String online = heard == null ? "not yet"
                    : Duration.between(heard, now).compareTo(Duration.ofMinutes(ONLINE_MINUTES)) <= 0 ? "yes"
                    : "no (" + Duration.between(heard, now).toMinutes() + " min)";
            Instant v = verifiedAt.get(role);
            long unanswered = toControl.values().stream().filter(m -> m.from().equals(role) && !m.acknowledged()).count();
            rows.add(new SeatRow(role, ex.role(role).map(Role::displayName).orElse(role), online,
                    v == null ? "not yet" : "yes, " + HM.format(v.atZone(ZoneId.of("UTC"))),
                    (int) unanswered, heard == null ? "none"
                    : HMS.format(heard.atZone(ZoneId.of("UTC"))) + " " + lastWhat.getOrDefault(role, "")));
        }
        if (!rows.equals(seats)) {
            seats.setAll(rows);
        }
        refresh();
    }

    /** Re-reads the player's timeline; the rows change on the UI executor. */
    public CompletableFuture<Void> refresh() {
        return player.timeline().thenAccept(list -> {
            List<InjectRow> rows = list.stream().map(this::row).toList();
            ui.execute(() -> {
                if (rows.size() != injects.size()) {
                    injects.setAll(rows);
                    return;
                }
                // In place, so an unchanged row keeps its selection.
                for (int i = 0; i < rows.size(); i++) {
                    if (!rows.get(i).equals(injects.get(i))) {
                        injects.set(i, rows.get(i));
                    }
                }
            });
        });
    }

    private InjectRow row(MselPlayer.InjectStatus s) {
        MselInject i = s.inject();
        Duration off = i.offset();
        String time = String.format("+%d:%02d  %s", off.toHours(), off.toMinutesPart(),
                HM.format(s.dueAt().atOffset(scenarioZone)));
        // Grouped by state, in the order of the recipients: "delivered: in.pm, pk.pm; sent: in.nsa".
        Map<String, List<String>> byState = new java.util.LinkedHashMap<>();
        for (String r : i.recipients()) {
            DeliveryState st = s.recipients().get(r);
            String word = s.state() == MselPlayer.InjectState.SKIPPED ? "skipped" : st == null ? "pending" : stateWord(st);
            byState.computeIfAbsent(word, k -> new ArrayList<>()).add(r);
        }
        String recipients = byState.entrySet().stream().map(e -> e.getKey() + ": " + String.join(", ", e.getValue()))
                .collect(Collectors.joining("; "));
        return new InjectRow(DisplaySafe.line(i.id()), time, i.kind().label(), DisplaySafe.line(i.title()),
                DisplaySafe.multiline(i.text()), i.expected().map(DisplaySafe::line).orElse(""),
                s.state().name().toLowerCase(Locale.ROOT), recipients,
                s.state() == MselPlayer.InjectState.PENDING, s.adHoc());
    }

    /** The four states of the brief: pending, sent (in the outbox or at the relay), delivered, acknowledged. */
    private static String stateWord(DeliveryState st) {
        return switch (st) {
            case QUEUED, ACCEPTED -> "sent";
            case DELIVERED -> "delivered";
            case ACKNOWLEDGED -> "acknowledged";
            default -> st.label();
        };
    }

    // ------------------------------------------------------------ actions

    public CompletableFuture<Void> fireNow(String injectId) {
        return report(player.fireNow(injectId), injectId + " sent now");
    }

    public CompletableFuture<Void> skip(String injectId) {
        return report(player.skip(injectId), injectId + " skipped: it will not be sent");
    }

    public CompletableFuture<Void> edit(String injectId, String title, String text) {
        return report(player.edit(injectId, title, text), injectId + " edited: the new words go out when it is sent");
    }

    public CompletableFuture<String> adHoc(List<String> recipients, Content.InjectKind kind, String title, String text) {
        CompletableFuture<String> f = player.adHoc(recipients, kind, title, text);
        f.whenComplete((id, e) -> ui.execute(() -> status.set(e == null ? "ad-hoc inject " + id + " sent to "
                + String.join(", ", recipients) : "not sent: " + message(e))));
        f.thenRun(this::refresh);
        return f;
    }

    public CompletableFuture<Void> startClock() {
        return report(player.startClock(), "exercise clock started");
    }

    public CompletableFuture<Void> pause() {
        return report(player.pause(), "exercise clock paused: nothing scheduled is sent until it resumes");
    }

    public CompletableFuture<Void> resume() {
        return report(player.resume(), "exercise clock resumed");
    }

    /**
     * Sets the speed from what the facilitator typed ("10", "0.5x").
     *
     * @return false (and says why) if it is not a speed between 0.001x and 1000x
     */
    public boolean setSpeed(String typed) {
        String t = typed == null ? "" : typed.strip().toLowerCase(Locale.ROOT);
        if (t.endsWith("x")) {
            t = t.substring(0, t.length() - 1).strip();
        }
        int permille;
        try {
            BigDecimal p = new BigDecimal(t).movePointRight(3);
            if (p.signum() <= 0 || p.compareTo(BigDecimal.valueOf(Content.MAX_SPEED_PERMILLE)) > 0
                    || p.stripTrailingZeros().scale() > 0) {
                throw new NumberFormatException();
            }
            permille = p.intValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            status.set("speed must be a number between 0.001 and 1000, not '" + DisplaySafe.line(typed) + "'");
            return false;
        }
        report(player.speed(permille), "speed set to " + DisplayText.speed(permille));
        return true;
    }

    /** Signs the note into control's audit log; it appears in the list once written. */
    public CompletableFuture<AuditEvent.EvaluatorNote> addNote(String text) {
        CompletableFuture<AuditEvent.EvaluatorNote> f = player.note(text == null ? "" : text.strip());
        f.whenComplete((n, e) -> ui.execute(() -> {
            if (e != null) {
                status.set("note not recorded: " + message(e));
                return;
            }
            showNote(n);
            status.set("note signed and written to control's audit log");
        }));
        return f;
    }

    /** Acknowledges a participant's message to control (a signed receipt goes back to it). */
    public CompletableFuture<Void> acknowledge(String messageId) {
        MessageId id = MessageId.parse(messageId);
        return core.acknowledge(id).whenComplete((v, e) -> ui.execute(() -> {
            if (e != null) {
                status.set("not acknowledged: " + message(e));
                return;
            }
            ReceivedMessage m = toControl.get(id);
            if (m != null) {
                toControl.put(id, m.withAcknowledged());
            }
            for (int i = 0; i < traffic.size(); i++) {
                if (traffic.get(i).id().equals(messageId)) {
                    traffic.set(i, traffic.get(i).withAcknowledged());
                }
            }
            tick();
        }));
    }

    private CompletableFuture<Void> report(CompletableFuture<Void> action, String done) {
        action.whenComplete((v, e) -> ui.execute(() -> {
            status.set(e == null ? done : "not done: " + message(e));
            tick();
        }));
        return action;
    }

    private static String message(Throwable e) {
        Throwable t = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        return DisplaySafe.line(String.valueOf(t.getMessage()));
    }

    // ------------------------------------------------------------ events

    @Override
    public void messageQueued(SentMessage message) {
        if (message.to().size() == 1) {
            recipientOf.put(message.id(), message.to().get(0));
        }
    }

    @Override
    public void deliveryStateChanged(MessageId id, DeliveryState state) {
        String to = recipientOf.get(id);
        if (to != null && (state == DeliveryState.DELIVERED || state == DeliveryState.ACKNOWLEDGED)) {
            // A receipt signed by the seat's console and verified by control's client.
            heard(to, clock.instant(), state == DeliveryState.DELIVERED ? "receipt" : "acknowledged");
        }
        refresh();
    }

    @Override
    public void messageReceived(ReceivedMessage m) {
        ui.execute(() -> received(m));
    }

    @Override
    public void linkStatusChanged(LinkStatus s) {
        String state = !s.connected() ? "down" : s.alarm() ? "degraded" : s.lastVerified().isPresent() ? "verified"
                : "connecting";
        String text = s.describe(clock.instant());
        ui.execute(() -> {
            lineState.set(state);
            line.set(text);
        });
    }

    @Override
    public void problem(String message) {
        ui.execute(() -> status.set(DisplaySafe.line(message)));
    }

    @Override
    public void clockChanged(ControlClock.State s) {
        ui.execute(this::tick);
    }

    @Override
    public void injectSkipped(MselInject inject) {
        refresh();
    }

    private void received(ReceivedMessage m) {
        if (m.verified()) {
            heard(m.from(), m.receivedAt(), "message");
        }
        // Addressed to control: on one of control's own channels (an observed channel's copy is not a question).
        boolean mine = core.exercise().channel(m.channel()).map(c -> c.hasMember(core.role())).orElse(false);
        boolean observed = observedChannels.contains(m.channel());
        if (!mine && !(observed && reads == ControlReads.CONTENT)) {
            return;
        }
        if (mine) {
            toControl.put(m.id(), m);
        }
        if (traffic.stream().anyMatch(t -> t.id().equals(m.id().hex()))) {
            return;
        }
        traffic.add(0, new TrafficItem(m.id().hex(), HMS.format(m.receivedAt().atZone(ZoneId.of("UTC"))) + " UTC",
                m.from(), m.channel(), DisplaySafe.multiline(m.text()), mine, m.acknowledged()));
    }

    private void heard(String role, Instant at, String what) {
        if (!participants.contains(role)) {
            return;
        }
        lastHeard.merge(role, at, (a, b) -> a.isAfter(b) ? a : b);
        if (!lastHeard.get(role).isAfter(at)) {
            lastWhat.put(role, what);
        }
        verifiedAt.putIfAbsent(role, at);
    }

    private String zone() {
        return scenarioZone.equals(ZoneOffset.UTC) ? "UTC" : "UTC" + scenarioZone.getId();
    }

    private String trafficNotice(Exercise ex) {
        String channels = ex.channels().stream().filter(c -> observedChannels.contains(c.id())).map(Channel::name)
                .collect(Collectors.joining(", "));
        return switch (reads) {
            case CONTENT -> "Setting reads: content. Shown: the participants' messages on " + (channels.isEmpty() ? "no channel"
                    : channels) + ", and their questions to control.";
            case METADATA -> "Setting reads: metadata. Control is sent nothing of the participants' own channels, so "
                    + "no traffic is shown; only their questions to control appear here.";
            case NONE -> "Setting reads: none. Control reads nothing of the participants' own channels, so no traffic "
                    + "is shown; only their questions to control appear here.";
        };
    }

    // ------------------------------------------------------------ what the view binds

    public ObservableList<InjectRow> injects() {
        return injects;
    }

    public ObservableList<SeatRow> seats() {
        return seats;
    }

    public ObservableList<TrafficItem> traffic() {
        return traffic;
    }

    public ObservableList<NoteItem> notes() {
        return notes;
    }

    public List<String> participants() {
        return participants;
    }

    public String title() {
        Exercise ex = core.exercise();
        return "Exercise control - " + ex.name() + " - " + player.msel().title();
    }

    public String exerciseName() {
        return core.exercise().name();
    }

    public String scenarioTitle() {
        return DisplaySafe.line(player.msel().title()) + " (" + player.msel().injects().size() + " injects)";
    }

    public ReadOnlyStringProperty scenarioClockProperty() {
        return scenarioClock;
    }

    public ReadOnlyStringProperty clockStateProperty() {
        return clockState;
    }

    public ReadOnlyBooleanProperty startedProperty() {
        return started;
    }

    public ReadOnlyBooleanProperty pausedProperty() {
        return paused;
    }

    public ReadOnlyStringProperty speedProperty() {
        return speed;
    }

    public ReadOnlyStringProperty lineProperty() {
        return line;
    }

    /** {@code verified}, {@code connecting}, {@code degraded} or {@code down}: the style of the line badge. */
    public ReadOnlyStringProperty lineStateProperty() {
        return lineState;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status;
    }

    public ReadOnlyStringProperty trafficNoticeProperty() {
        return trafficNotice;
    }

    /** What each seat column means, said in the window (the class comment, for people). */
    public static String seatLegend() {
        return "From control's own client: online = a message or signed receipt from the seat in the last "
                + ONLINE_MINUTES + " min; line verified = control has verified something the seat signed; "
                + "unanswered = its messages to control not yet acknowledged here.";
    }
}
