package org.hotline.client.ui.console;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.hotline.client.core.ClientListener;
import org.hotline.client.core.DeliveryState;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.core.LinkStatus;
import org.hotline.client.core.ReceivedMessage;
import org.hotline.client.core.RelayPathStatus;
import org.hotline.client.core.SentMessage;
import org.hotline.client.ui.compose.ReplyContext;
import org.hotline.client.ui.deadline.DeadlineViewModel;
import org.hotline.client.ui.language.LanguageText;
import org.hotline.client.ui.language.Translations;
import org.hotline.client.ui.language.ZoneTimes;
import org.hotline.protocol.exercise.Channel;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.Party;
import org.hotline.protocol.exercise.Role;
import org.hotline.protocol.signals.Signal;
import org.hotline.protocol.text.DisplaySafe;
import org.hotline.protocol.wire.MessageId;

/**
 * The hotline console's state: who I am, whether the line works end to end, the clocks, the
 * channels with unread counts, the selected conversation, the incoming-message alarm. It binds to
 * the client core and never touches a node; every change is applied through {@code ui} (the FX
 * thread in the app, a direct executor in tests).
 */
public final class ConsoleViewModel implements ClientListener {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ENGLISH);

    private final HotlineClient core;
    private final Executor ui;
    /** Each relay's path, as of the last tick (empty with one relay); UI thread. */
    private List<RelayPathStatus> relayPaths = List.of();
    /** How many relays accepted each message sent from here ("accepted by 2 of 2 relays"). */
    private final RelayAcceptanceWatch relayAcceptances;
    private final Clock clock;
    private final Exercise exercise;
    private final Role me;

    private final StringProperty title = new SimpleStringProperty();
    private final StringProperty identity = new SimpleStringProperty();
    private final StringProperty exerciseName = new SimpleStringProperty();
    private final ObjectProperty<LinkState> linkState = new SimpleObjectProperty<>(LinkState.CONNECTING);
    private final StringProperty linkText = new SimpleStringProperty("connecting to the relay");
    private final ObservableList<String> clocks = FXCollections.observableArrayList();
    private final ObservableList<ChannelItem> channels = FXCollections.observableArrayList();
    private final ObjectProperty<ChannelItem> selectedChannel = new SimpleObjectProperty<>();
    private final ObservableList<MessageItem> conversation = FXCollections.observableArrayList();
    /*
     * The read-only views handed to the view are made once and kept: an unmodifiable wrapper only
     * weakly listens to its source, so a wrapper made per call is collected together with every
     * listener the view added to it (the header clocks froze a few seconds after start).
     */
    private final ObservableList<String> clocksView = FXCollections.unmodifiableObservableList(clocks);
    private final ObservableList<ChannelItem> channelsView = FXCollections.unmodifiableObservableList(channels);
    private final ObservableList<MessageItem> conversationView = FXCollections.unmodifiableObservableList(conversation);
    private final BooleanProperty alarm = new SimpleBooleanProperty(false);
    private final StringProperty alarmText = new SimpleStringProperty("");
    private final StringProperty lastProblem = new SimpleStringProperty("");
    /** Counts fresh incoming messages: each increment is one alert (sound, window attention). */
    private final IntegerProperty alerts = new SimpleIntegerProperty(0);
    /** The audible alert; on by default, because a missed message costs more than a beep. */
    private final BooleanProperty soundOn = new SimpleBooleanProperty(true);
    /** The message that raised the alarm, once opened: the view scrolls to it and highlights it. */
    private final ObjectProperty<MessageId> jumpTo = new SimpleObjectProperty<>();
    private MessageId alarmMessage;
    private String alarmChannel;
    private final String baseTitle;
    private final OutageMarker outages;
    /** A problem line stays this long, with its time, then the status bar is free again. */
    private static final java.time.Duration PROBLEM_SHOWN_FOR = java.time.Duration.ofMinutes(10);
    private Instant lastProblemAt;

    /** A signal's words (received or sent) in each language this seat reads (ui.language), keyed by message id. */
    private final Map<MessageId, List<LanguageText>> readings = new HashMap<>();
    /** A received message's signal id (empty for free text), for the suggested replies. */
    private final Map<MessageId, Optional<String>> receivedSignals = new HashMap<>();
    /** A received message's inReplyTo, for the one-line quote above it. */
    private final Map<MessageId, MessageId> repliesTo = new HashMap<>();
    /** The signal of each message this console sent (empty for free text), to name it where it is referenced. */
    private final Map<MessageId, Optional<String>> sentSignals = new HashMap<>();
    private final Translations translations;
    /** Each message's answer-by line (countdown, missed deadline, escalation). */
    private final DeadlineViewModel deadlines;
    /** How the person read each received message (the reading buttons). */
    private final org.hotline.client.ui.reading.ReadingViewModel howRead;

    /** Every row of every channel, keyed by channel id. */
    private final Map<String, List<MessageItem>> byChannel = new HashMap<>();
    private LinkStatus link = LinkStatus.down();
    private boolean everConnected;

    public ConsoleViewModel(HotlineClient core, Executor ui, Clock clock) {
        this.core = core;
        this.ui = ui;
        this.relayAcceptances = new RelayAcceptanceWatch(core::relayAcceptances, ui,
                (id, count) -> replaceRow(id, r -> r.kind() == MessageItem.Kind.SENT ? r.withRelays(count) : r));
        this.clock = clock;
        this.exercise = core.exercise();
        this.me = exercise.role(core.role()).orElseThrow();
        this.translations = new Translations(core.catalog(), exercise.parties());
        this.deadlines = new DeadlineViewModel(core, ui, clock);
        this.howRead = new org.hotline.client.ui.reading.ReadingViewModel(core, ui);
        baseTitle = "Hotline \u2014 " + me.displayName();
        title.set(baseTitle);
        outages = new OutageMarker(exercise.parties());
        identity.set(me.displayName() + "  (" + me.id() + ")");
        exerciseName.set(exercise.name());
        for (Channel c : exercise.channelsOf(me.id())) {
            String peer = c.members().stream().filter(m -> !m.equals(me.id())).findFirst().orElseThrow();
            String peerName = exercise.role(peer).map(Role::displayName).orElse(peer);
            channels.add(new ChannelItem(c.id(), c.name() + " \u2014 " + peerName, peer, 0));
            byChannel.put(c.id(), new ArrayList<>());
        }
        selectedChannel.addListener((o, old, now) -> {
            if (now != null) {
                showChannel(now.channelId());
            }
        });
        tick(clock.instant());
    }

    /** Loads what the core already holds, then follows its events. */
    public void bind() {
        core.addListener(this);
        deadlines.bind();
        core.sentMessages().thenAccept(sent -> core.receivedMessages().thenAccept(received -> ui.execute(() -> {
            // A message queued between addListener and this snapshot is already shown.
            sent.stream().filter(m -> findRow(m.id()).isEmpty()).forEach(m -> {
                addSent(m);
                // Still queued: it goes through every relay while this console runs, so its count is known.
                if (m.state() == DeliveryState.QUEUED) {
                    relayAcceptances.watch(m.id());
                }
            });
            received.forEach(m -> addReceived(m, false));
            if (!channels.isEmpty() && selectedChannel.get() == null) {
                selectedChannel.set(channels.get(0));
            }
            refreshConversation();
        })));
        linkStatusChanged(core.linkStatus());
    }

    // ------------------------------------------------------------ core events (core thread)

    @Override
    public void messageReceived(ReceivedMessage m) {
        ui.execute(() -> addReceived(m, !m.acknowledged()));
    }

    @Override
    public void messageQueued(SentMessage s) {
        ui.execute(() -> {
            if (findRow(s.id()).isEmpty()) {
                addSent(s);
                refreshConversation();
            }
            relayAcceptances.watch(s.id());
        });
    }

    @Override
    public void deliveryStateChanged(MessageId id, DeliveryState state) {
        ui.execute(() -> {
            replaceRow(id, r -> r.kind() == MessageItem.Kind.SENT && (r.state().isEmpty()
                    || state.isAfter(r.state().get())) ? r.withState(state) : r);
            relayAcceptances.stateMoved(id);
        });
    }

    @Override
    public void linkStatusChanged(LinkStatus status) {
        ui.execute(() -> {
            link = status;
            everConnected |= status.connected();
            Instant now = clock.instant();
            outages.linkChanged(status, now).ifPresent(text -> {
                byChannel.values().forEach(rows -> rows.add(new MessageItem(MessageItem.Kind.OUTAGE, Optional.empty(),
                        now, "", "Outage", text, false, "", Optional.empty(), false, 0)));
                refreshConversation();
            });
            tick(now);
        });
    }

    @Override
    public void problem(String message) {
        ui.execute(() -> {
            Instant now = clock.instant();
            lastProblemAt = now;
            lastProblem.set(CLOCK.format(now.atZone(ZoneOffset.UTC)) + " UTC  " + message);
        });
    }

    // ------------------------------------------------------------ actions (UI thread)

    /** Once a second: clocks and the "verified N s ago" text. */
    public void tick(Instant now) {
        List<String> c = new ArrayList<>();
        for (Party p : exercise.parties()) {
            c.add(p.zoneLabel() + " " + CLOCK.format(now.atZone(p.timeZone())));
        }
        c.add("UTC " + CLOCK.format(now.atZone(ZoneOffset.UTC)));
        if (!c.equals(clocks)) {
            clocks.setAll(c);
        }
        linkState.set(!link.connected() ? (everConnected ? LinkState.DOWN : LinkState.CONNECTING)
                : link.alarm() || RelayPathStatus.state(relayPaths) == RelayPathStatus.LineState.DEGRADED
                ? LinkState.DEGRADED
                : link.lastVerified().isPresent() ? LinkState.VERIFIED : LinkState.CONNECTING);
        // With several relays (PROTOCOL.md §13) the header names each path: "via relay-in 12 s ago, …".
        linkText.set(relayPaths.isEmpty() || !link.connected() || link.alarm() ? link.describe(now)
                : RelayPathStatus.describe(relayPaths, now));
        core.relayPaths().thenAccept(p -> ui.execute(() -> relayPaths = p));
        relayAcceptances.poll();
        deadlines.tick(now);
        if (lastProblemAt != null && now.isAfter(lastProblemAt.plus(PROBLEM_SHOWN_FOR))) {
            lastProblemAt = null;
            lastProblem.set("");
        }
    }

    public void acknowledge(MessageItem item) {
        item.id().ifPresent(id -> core.acknowledge(id));
    }

    /**
     * The person has seen the new message: the alarm stops. Opened from the banner, the console
     * also goes to the message that raised it ({@link #jumpToProperty()}).
     */
    public void openAlarm() {
        MessageId target = alarm.get() ? alarmMessage : null;
        if (target != null && alarmChannel != null && (selectedChannel.get() == null
                || !selectedChannel.get().channelId().equals(alarmChannel))) {
            channels.stream().filter(c -> c.channelId().equals(alarmChannel)).findFirst().ifPresent(selectedChannel::set);
        }
        alarm.set(false);
        alarmText.set("");
        alarmMessage = null;
        ChannelItem sel = selectedChannel.get();
        if (sel != null) {
            markRead(sel.channelId());
        }
        if (target != null) {
            jumpTo.set(null);
            jumpTo.set(target);
        }
    }

    /**
     * A message this console has shown, named by its id or the first 8 or more hex digits of it, as
     * people recognise it: whose, when (in this side's zone) and its first words. Empty if none or
     * several match.
     */
    public Optional<String> describeMessage(String idOrPrefix) {
        String p = idOrPrefix == null ? "" : idOrPrefix.strip().toLowerCase(Locale.ROOT);
        List<MessageItem> found = byChannel.values().stream().flatMap(List::stream)
                .filter(r -> r.id().isPresent() && !p.isEmpty() && r.id().get().hex().startsWith(p)).toList();
        if (found.size() != 1) {
            return Optional.empty();
        }
        MessageItem r = found.get(0);
        String when = CLOCK.format(r.time().atZone(me.party().timeZone())).substring(0, 5) + " " + me.party().zoneLabel();
        return Optional.of((r.kind() == MessageItem.Kind.SENT ? "your message of " : DisplaySafe.line(r.sender())
                + "'s message of ") + when + ": \u201c" + DisplaySafe.line(firstWords(r.text())) + "\u201d");
    }

    /**
     * A row's text as the console shows it: a signal's references to messages this console has
     * shown read as those messages' titles and times ({@link ReferenceWording}); the signed and
     * logged text is unchanged.
     */
    public String displayText(MessageItem item) {
        Optional<String> signal = item.id().flatMap(id -> receivedSignals.containsKey(id) ? receivedSignals.get(id)
                : sentSignals.getOrDefault(id, Optional.empty()));
        return ReferenceWording.of(item, signal.isPresent(), prefix -> referenced(prefix, "en"),
                me.party().timeZone(), me.party().zoneLabel());
    }

    /** The one row whose id starts with {@code prefix}, with its signal's title in {@code language}. */
    private Optional<ReferenceWording.Referenced> referenced(String prefix, String language) {
        List<MessageItem> found = byChannel.values().stream().flatMap(List::stream)
                .filter(r -> r.id().isPresent() && r.id().get().hex().startsWith(prefix)).toList();
        if (found.size() != 1) {
            return Optional.empty();
        }
        MessageItem r = found.get(0);
        Optional<String> title = (receivedSignals.containsKey(r.id().get()) ? receivedSignals.get(r.id().get())
                : sentSignals.getOrDefault(r.id().get(), Optional.empty()))
                .flatMap(core.catalog()::find).map(x -> x.title(language));
        return Optional.of(new ReferenceWording.Referenced(r, title));
    }

    public String peerOfSelectedChannel() {
        ChannelItem c = selectedChannel.get();
        return c == null ? null : c.peerRole();
    }

    // ------------------------------------------------------------ internals

    private void addSent(SentMessage s) {
        sentSignals.put(s.id(), s.signalId());
        // Own signals too: the sender reads them in the same languages as what they receive.
        readings.put(s.id(), translations.forReaderOrEmpty(s.signalId(), s.params(), me));
        byChannel.computeIfAbsent(s.channel(), k -> new ArrayList<>()).add(new MessageItem(MessageItem.Kind.SENT,
                Optional.of(s.id()), s.createdAt(), me.displayName(),
                s.signalId().flatMap(id -> core.catalog().find(id)).map(x -> core.catalog().categoryLabel(x.category(), "en"))
                        .orElse("Free text"), s.text(), true, "", Optional.of(s.state()), false, s.counter()));
    }

    private void addReceived(ReceivedMessage m, boolean fresh) {
        List<MessageItem> rows = byChannel.computeIfAbsent(m.channel(), k -> new ArrayList<>());
        Optional<Integer> existing = indexOf(rows, m.id());
        String sender = exercise.role(m.from()).map(Role::displayName).orElse(m.from());
        readings.put(m.id(), translations.forReaderOrEmpty(m.signalId(), m.params(), me));
        receivedSignals.put(m.id(), m.signalId());
        m.inReplyTo().ifPresent(original -> repliesTo.put(m.id(), original));
        MessageItem item = new MessageItem(MessageItem.Kind.RECEIVED, Optional.of(m.id()), m.receivedAt(), sender,
                m.category().map(c -> core.catalog().categoryLabel(c, "en")).orElse("Free text"), m.text(), m.verified(),
                m.signerFingerprint(), Optional.empty(), m.acknowledged(), m.counter());
        if (existing.isPresent()) {
            rows.set(existing.get(), item);
        } else {
            if (!m.missing().isEmpty()) {
                rows.add(new MessageItem(MessageItem.Kind.GAP, Optional.empty(), m.receivedAt(), sender, "Gap",
                        "Message(s) " + m.missing() + " from " + sender + " have not arrived. The relay may have lost "
                                + "them; ask the other side to resend.", false, "", Optional.empty(), false, 0));
            }
            rows.add(item);
            if (fresh) {
                alarmMessage = m.id();
                alarmChannel = m.channel();
                alerts.set(alerts.get() + 1);
                alarm.set(true);
                // The banner names a referenced message as the row does, not by its hex id.
                alarmText.set("NEW MESSAGE from " + DisplaySafe.line(sender) + " \u2014 "
                        + DisplaySafe.line(firstWords(displayText(item))));
                channels.replaceAll(c -> c.channelId().equals(m.channel()) ? c.withUnread(c.unread() + 1) : c);
                syncSelection();
                updateTitle();
            }
        }
        refreshConversation();
    }

    private void syncSelection() {
        ChannelItem sel = selectedChannel.get();
        if (sel != null) {
            channels.stream().filter(c -> c.channelId().equals(sel.channelId())).findFirst()
                    .ifPresent(c -> {
                        if (c != sel) {
                            selectedChannel.set(c);
                        }
                    });
        }
    }

    private void markRead(String channelId) {
        channels.replaceAll(c -> c.channelId().equals(channelId) ? c.withUnread(0) : c);
        syncSelection();
        updateTitle();
    }

    /** "(1 new)" in the title: what a taskbar shows of a window that is not in front. */
    private void updateTitle() {
        int unread = channels.stream().mapToInt(ChannelItem::unread).sum();
        title.set(unread == 0 ? baseTitle : baseTitle + " (" + unread + " new)");
    }

    private void showChannel(String channelId) {
        refreshConversation();
        if (!alarm.get()) {
            markRead(channelId);
        }
    }

    private void refreshConversation() {
        ChannelItem sel = selectedChannel.get();
        if (sel == null) {
            conversation.clear();
            return;
        }
        List<MessageItem> rows = new ArrayList<>(byChannel.getOrDefault(sel.channelId(), List.of()));
        if (!rows.equals(conversation)) {
            conversation.setAll(rows);
        }
    }

    private Optional<MessageItem> findRow(MessageId id) {
        return byChannel.values().stream().flatMap(List::stream).filter(r -> r.id().equals(Optional.of(id))).findFirst();
    }

    private void replaceRow(MessageId id, java.util.function.UnaryOperator<MessageItem> change) {
        for (List<MessageItem> rows : byChannel.values()) {
            indexOf(rows, id).ifPresent(i -> rows.set(i, change.apply(rows.get(i))));
        }
        refreshConversation();
    }

    private static Optional<Integer> indexOf(List<MessageItem> rows, MessageId id) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).id().equals(Optional.of(id))) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    private static String firstWords(String text) {
        return text.length() <= 90 ? text : text.substring(0, 87) + "...";
    }

    // ------------------------------------------------------------ read-only views for binding

    public ReadOnlyStringProperty titleProperty() {
        return title;
    }

    public ReadOnlyStringProperty identityProperty() {
        return identity;
    }

    public ReadOnlyStringProperty exerciseNameProperty() {
        return exerciseName;
    }

    public ReadOnlyObjectProperty<LinkState> linkStateProperty() {
        return linkState;
    }

    public ReadOnlyStringProperty linkTextProperty() {
        return linkText;
    }

    public ObservableList<String> clocks() {
        return clocksView;
    }

    public ObservableList<ChannelItem> channels() {
        return channelsView;
    }

    public ObjectProperty<ChannelItem> selectedChannelProperty() {
        return selectedChannel;
    }

    public ObservableList<MessageItem> conversation() {
        return conversationView;
    }

    public ReadOnlyBooleanProperty alarmProperty() {
        return alarm;
    }

    public ReadOnlyStringProperty alarmTextProperty() {
        return alarmText;
    }

    public ReadOnlyIntegerProperty alertsProperty() {
        return alerts;
    }

    public BooleanProperty soundOnProperty() {
        return soundOn;
    }

    public ReadOnlyObjectProperty<MessageId> jumpToProperty() {
        return jumpTo;
    }

    public ReadOnlyStringProperty lastProblemProperty() {
        return lastProblem;
    }

    public DeadlineViewModel deadlines() {
        return deadlines;
    }

    /** The reading buttons' view model: how the person read each received message. */
    public org.hotline.client.ui.reading.ReadingViewModel readingViewModel() {
        return howRead;
    }

    public HotlineClient core() {
        return core;
    }

    /**
     * A signal's words, received or sent, in each language this seat reads, reference first; empty
     * for free text and seats that read English only (the row's text is then all there is).
     */
    public List<LanguageText> translationsOf(MessageItem item) {
        List<LanguageText> texts = item.id().map(readings::get).orElse(List.of());
        if (texts.size() <= 1) {
            return List.of();
        }
        // The reference wording names referenced messages as the row's own text does (displayText);
        // each translation names them in its own language (ReferenceWording#inTranslation).
        return texts.stream().map(t -> t.reference() ? new LanguageText(t.code(), t.label(),
                DisplaySafe.multiline(displayText(item)), t.rightToLeft(), true, t.reviewed())
                : new LanguageText(t.code(), t.label(), DisplaySafe.multiline(ReferenceWording.inTranslation(item,
                        t.text(), core.catalog().language(t.code()).flatMap(l -> l.messageRef()).orElse(""),
                        t.rightToLeft(), prefix -> referenced(prefix, t.code()), me.party().timeZone(),
                        me.party().zoneLabel())), t.rightToLeft(), false, t.reviewed())).toList();
    }

    /**
     * What a reply to a received row needs: the original's id, a one-line quote, and the catalog's
     * suggested replies to its signal; empty for sent rows and gap markers.
     */
    public Optional<ReplyContext> replyContextOf(MessageItem item) {
        if (item.kind() != MessageItem.Kind.RECEIVED || item.id().isEmpty()) {
            return Optional.empty();
        }
        MessageId id = item.id().get();
        List<Signal> suggested = receivedSignals.getOrDefault(id, Optional.empty()).flatMap(core.catalog()::find)
                .map(s -> s.replies().stream().map(core.catalog()::find).flatMap(Optional::stream).toList())
                .orElse(List.of());
        return Optional.of(new ReplyContext(id, item.sender(), ReplyContext.oneLine(DisplaySafe.line(displayText(item))),
                suggested));
    }

    /**
     * For a received reply, a one-line quote of the message it answers ("↩ You: “We propose…”"),
     * or its short id when that message is not in this console; empty for everything else.
     */
    public Optional<String> quoteOf(MessageItem item) {
        return item.id().map(repliesTo::get).map(original -> findRow(original)
                .map(o -> "\u21A9 " + (o.kind() == MessageItem.Kind.SENT ? "You" : o.sender()) + ": \u201c"
                        + ReplyContext.oneLine(DisplaySafe.line(displayText(o))) + "\u201d")
                .orElse("\u21A9 in reply to message " + original.shortForm()));
    }

    /** A time in UTC and in every party's zone, e.g. {@code 14:00:05 UTC · 19:30:05 IST · 19:00:05 PKT}. */
    public String timeInZones(Instant t) {
        return ZoneTimes.of(t, exercise.parties());
    }

    /** Zones shown in the header, for the view's tooltip. */
    public List<ZoneId> zones() {
        return exercise.parties().stream().map(Party::timeZone).toList();
    }
}
