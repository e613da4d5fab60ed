package org.hotline.client.ui.console;

import java.time.Clock;
import java.util.Locale;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.hotline.client.ui.audit.AuditView;
import org.hotline.client.ui.audit.AuditViewModel;
import org.hotline.client.ui.compose.ComposeView;
import org.hotline.client.ui.compose.ComposeViewModel;
import org.hotline.client.ui.deadline.DeadlineBadge;
import org.hotline.client.ui.language.BundledFonts;
import org.hotline.client.ui.language.TranslatedTextView;
import org.hotline.protocol.text.DisplaySafe;
import org.hotline.protocol.wire.MessageId;

/**
 * The hotline console window: header (identity, EXERCISE banner, line indicator, clocks), channels
 * on the left, the conversation with its incoming-message alarm, the compose panel, and the audit
 * tab. Binds to view models only.
 */
public final class ConsoleView {

    private final ConsoleViewModel vm;
    private final ComposeView compose;
    private final ComposeViewModel composeVm;
    private final AuditView audit;
    private final BorderPane root = new BorderPane();
    private final ListView<MessageItem> conversation = new ListView<>();
    private final TabPane tabs = new TabPane();
    private final ToggleButton dark = new ToggleButton("Dark");
    private final Timeline ticker;
    private final Runnable sound;
    private HBox headerTop;
    private final ConsoleLayout layout;

    /** @param clock the time of the once-a-second tick (clocks and the "verified N s ago" text) */
    public ConsoleView(ConsoleViewModel vm, ComposeViewModel composeVm, AuditViewModel auditVm, Clock clock) {
        this(vm, composeVm, auditVm, clock, new AlertSound());
    }

    /** @param sound plays the audible alert for a new message (unless the person muted it) */
    public ConsoleView(ConsoleViewModel vm, ComposeViewModel composeVm, AuditViewModel auditVm, Clock clock,
                       Runnable sound) {
        this.vm = vm;
        this.sound = sound;
        BundledFonts.load();
        this.compose = new ComposeView(composeVm);
        this.composeVm = composeVm;
        this.audit = new AuditView(auditVm);
        root.getStyleClass().add("console");
        root.setTop(header());
        root.setLeft(channels());
        Tab line = new Tab("Line", lineTab());
        line.setClosable(false);
        Tab log = new Tab("Audit log", audit.node());
        log.setClosable(false);
        log.setOnSelectionChanged(e -> {
            if (log.isSelected()) {
                auditVm.refresh();
            }
            audit.live(log.isSelected());
        });
        tabs.getTabs().addAll(line, log);
        tabs.setId("tabs");
        root.setCenter(tabs);
        root.setBottom(statusBar());
        layout = new ConsoleLayout(root, tabs);
        ticker = new Timeline(new KeyFrame(Duration.seconds(1), e -> vm.tick(clock.instant())));
        ticker.setCycleCount(Animation.INDEFINITE);
        ticker.play();
        vm.alertsProperty().addListener((o, a, b) -> alert());
    }

    /** A new message: the sound (unless muted) and the window manager's attention hint. */
    private void alert() {
        if (vm.soundOnProperty().get()) {
            sound.run();
        }
        if (root.getScene() != null && root.getScene().getWindow() instanceof javafx.stage.Stage stage
                && !stage.isFocused() && stage.isShowing()) {
            // JavaFX has no urgency hint of its own: a raise request from a window without focus is
            // what window managers show as "demanding attention" (or honour by raising it; the demo
            // tiles its windows, so nothing is covered).
            stage.toFront();
        }
    }

    public Scene scene(double width, double height) {
        Scene scene = new Scene(root, width, height);
        scene.getStylesheets().add(ConsoleView.class.getResource("/org/hotline/client/ui/hotline.css").toExternalForm());
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.ENTER, KeyCombination.SHORTCUT_DOWN), compose::send);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), () -> {
            tabs.getSelectionModel().select(0);
            compose.focusSearch();
        });
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.A, KeyCombination.SHORTCUT_DOWN,
                KeyCombination.SHIFT_DOWN), this::acknowledgeSelectedOrNewest);
        dark.setSelected(Theme.darkByDefault());
        Theme.apply(scene, dark.isSelected());
        return scene;
    }

    public void stop() {
        ticker.stop();
    }

    /**
     * Adds exercise control's Situation feed beside the conversation and the scenario clock to the
     * header (only in exercises with exercise control).
     */
    public void showSituation(Node feed, Node scenarioClock) {
        if (feed instanceof Region r) {
            // Beside the conversation when wide, in a tab when narrow (ConsoleLayout).
            layout.situation(r);
        } else {
            root.setRight(feed);
        }
        headerTop.getChildren().add(2, scenarioClock);
    }

    private Node header() {
        Label banner = new Label("EXERCISE");
        banner.getStyleClass().add("exercise-banner");
        banner.setMinWidth(Region.USE_PREF_SIZE);
        banner.setTooltip(new Tooltip("A tabletop exercise: nothing sent here is real state communication."));
        Label exercise = new Label();
        exercise.textProperty().bind(vm.exerciseNameProperty());
        exercise.getStyleClass().add("exercise-name");
        exercise.setId("exercise-name");
        // The name gives way first; who this console speaks for never does.
        exercise.setMinWidth(0);
        Label who = new Label();
        who.textProperty().bind(vm.identityProperty());
        who.getStyleClass().add("identity");
        who.setId("identity");
        who.setMinWidth(Region.USE_PREF_SIZE);
        HBox top = new HBox(12, banner, exercise, spacer(), who);
        headerTop = top;
        top.setAlignment(Pos.CENTER_LEFT);

        Label state = new Label();
        state.setId("line-state");
        state.textProperty().bind(Bindings.createStringBinding(() -> "\u25CF " + vm.linkStateProperty().get().word(),
                vm.linkStateProperty()));
        vm.linkStateProperty().addListener((o, a, b) -> {
            state.getStyleClass().removeAll(a.styleClass());
            state.getStyleClass().add(b.styleClass());
        });
        state.getStyleClass().addAll("line-state", vm.linkStateProperty().get().styleClass());
        state.setMinWidth(Region.USE_PREF_SIZE);
        Label text = new Label();
        text.setId("line-text");
        text.textProperty().bind(vm.linkTextProperty());
        text.getStyleClass().add("line-text");
        HBox clocks = new HBox(16);
        clocks.setId("clocks");
        clocks.setMinWidth(Region.USE_PREF_SIZE);
        clocks.getStyleClass().add("clocks");
        Runnable renderClocks = () -> clocks.getChildren().setAll(vm.clocks().stream().map(c -> {
            Label l = new Label(c);
            l.getStyleClass().add("clock");
            return l;
        }).toList());
        vm.clocks().addListener((javafx.collections.ListChangeListener<String>) c -> renderClocks.run());
        renderClocks.run();
        dark.setId("dark-toggle");
        dark.setFocusTraversable(true);
        dark.setMinWidth(Region.USE_PREF_SIZE);
        // This window only: the other console of the demo keeps its own theme.
        dark.selectedProperty().addListener((o, a, b) -> {
            if (root.getScene() != null) {
                Theme.apply(root.getScene(), b);
            }
        });
        ToggleButton soundToggle = new ToggleButton();
        soundToggle.setId("sound-toggle");
        soundToggle.selectedProperty().bindBidirectional(vm.soundOnProperty());
        soundToggle.textProperty().bind(Bindings.when(soundToggle.selectedProperty()).then("Sound on").otherwise("Muted"));
        soundToggle.setTooltip(new Tooltip("Play a sound when a message arrives"));
        soundToggle.setMinWidth(Region.USE_PREF_SIZE);
        text.setMinWidth(0);
        Tooltip whole = new Tooltip();
        whole.textProperty().bind(vm.linkTextProperty());
        text.setTooltip(whole);
        HBox status = new HBox(12, state, text, spacer(), clocks, soundToggle, dark);
        status.setId("status-row");
        status.setAlignment(Pos.CENTER_LEFT);
        VBox header = new VBox(8, top, status);
        header.setId("header");
        header.getStyleClass().add("header");
        header.setPadding(new Insets(12, 16, 12, 16));
        return header;
    }

    private Node channels() {
        Label title = new Label("Channels");
        title.getStyleClass().add("section-title");
        ListView<ChannelItem> list = new ListView<>(vm.channels());
        list.setId("channels");
        list.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(ChannelItem item, boolean empty) {
                super.updateItem(item, empty);
                setText(null);
                getStyleClass().remove("unread");
                if (empty || item == null) {
                    setGraphic(null);
                    return;
                }
                String[] parts = item.label().split(" \u2014 ", 2);
                Label name = new Label(parts[0]);
                name.getStyleClass().add("channel-name");
                VBox cell = new VBox(2, name);
                // Wrapped rather than scrolled sideways when the pane is narrow.
                setPrefWidth(0);
                name.setWrapText(true);
                name.setMinHeight(Region.USE_PREF_SIZE);
                name.maxWidthProperty().bind(list.widthProperty().subtract(30));
                if (parts.length > 1) {
                    Label peer = new Label("with " + parts[1]);
                    peer.setWrapText(true);
                    peer.setMinHeight(Region.USE_PREF_SIZE);
                    peer.maxWidthProperty().bind(list.widthProperty().subtract(30));
                    peer.getStyleClass().add("channel-peer");
                    cell.getChildren().add(peer);
                }
                if (item.unread() > 0) {
                    getStyleClass().add("unread");
                    Label badge = new Label(item.unread() + " new");
                    badge.getStyleClass().add("unread-badge");
                    cell.getChildren().add(badge);
                }
                setGraphic(cell);
            }
        });
        list.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null && (vm.selectedChannelProperty().get() == null
                    || !vm.selectedChannelProperty().get().channelId().equals(b.channelId()))) {
                vm.selectedChannelProperty().set(b);
            }
        });
        vm.selectedChannelProperty().addListener((o, a, b) -> {
            if (b != null && list.getSelectionModel().getSelectedItem() != b) {
                list.getSelectionModel().select(b);
            }
        });
        VBox box = new VBox(8, title, list);
        VBox.setVgrow(list, Priority.ALWAYS);
        box.setPadding(new Insets(12));
        // A fifth of the window, between 160 and 300 px: two consoles side by side on 1366 px keep
        // their room for the conversation and the compose form.
        box.prefWidthProperty().bind(Bindings.createDoubleBinding(() -> Math.max(160, Math.min(300,
                root.getWidth() * 0.2)), root.widthProperty()));
        box.setMinWidth(160);
        box.getStyleClass().add("channels");
        return box;
    }

    private Node lineTab() {
        Button alarm = new Button();
        alarm.setId("alarm");
        alarm.getStyleClass().add("alarm");
        alarm.setMaxWidth(Double.MAX_VALUE);
        // In a half-screen console the banner wraps rather than cutting off who wrote and what.
        alarm.setWrapText(true);
        alarm.setMinHeight(Region.USE_PREF_SIZE);
        alarm.textProperty().bind(Bindings.concat(vm.alarmTextProperty(), "   [ open ]"));
        alarm.visibleProperty().bind(vm.alarmProperty());
        alarm.managedProperty().bind(vm.alarmProperty());
        alarm.setOnAction(e -> openAlarm());
        Timeline flash = new Timeline(new KeyFrame(Duration.millis(600), e -> alarm.setOpacity(
                alarm.getOpacity() < 1 ? 1 : 0.55)));
        flash.setCycleCount(Animation.INDEFINITE);
        vm.alarmProperty().addListener((o, a, on) -> {
            if (on) {
                flash.play();
            } else {
                flash.stop();
                alarm.setOpacity(1);
            }
        });

        conversation.setItems(vm.conversation());
        conversation.setId("conversation");
        Label none = new Label("No messages on this channel yet. Choose a prefabricated signal below.");
        none.setWrapText(true);
        conversation.setPlaceholder(none);
        conversation.setCellFactory(l -> new MessageCell(vm, this::reply));
        conversation.getItems().addListener((javafx.collections.ListChangeListener<MessageItem>) c -> {
            if (!conversation.getItems().isEmpty()) {
                MessageJump.toNewest(conversation);
            }
        });
        // The banner takes height from the conversation when it appears; without this the list keeps
        // its top row and the newest message, the one the banner announces, slides out at the bottom.
        conversation.heightProperty().addListener((o, a, b) -> {
            if (b.doubleValue() < a.doubleValue() && vm.alarmProperty().get() && !conversation.getItems().isEmpty()) {
                MessageJump.toNewest(conversation);
            }
        });
        vm.jumpToProperty().addListener((o, a, id) -> {
            if (id != null) {
                MessageJump.to(conversation, id);
            }
        });
        conversation.setOnMouseClicked(e -> {
            if (vm.alarmProperty().get()) {
                openAlarm();
            }
        });
        VBox talk = new VBox(8, alarm, conversation);
        VBox.setVgrow(conversation, Priority.ALWAYS);
        // The conversation takes the height the compose panel does not need (ConversationSplit).
        VBox box = new VBox(ConversationSplit.of(talk, (Region) compose.node()));
        VBox.setVgrow(box.getChildren().get(0), Priority.ALWAYS);
        box.setPadding(new Insets(12));
        return box;
    }

    /** Reply on a received message: the compose panel offers the catalog's suggested replies first. */
    private void reply(MessageItem item) {
        vm.replyContextOf(item).ifPresent(r -> {
            composeVm.startReply(r);
            compose.focusSearch();
        });
    }

    private void openAlarm() {
        conversation.requestFocus();
        vm.openAlarm();
    }

    private Node statusBar() {
        Label problem = new Label();
        problem.setId("problem");
        problem.textProperty().bind(vm.lastProblemProperty());
        problem.getStyleClass().add("problem");
        Tooltip full = new Tooltip();
        full.textProperty().bind(vm.lastProblemProperty());
        problem.setTooltip(full);
        Label keys = new Label("Ctrl+Enter send \u00b7 Ctrl+F search signals \u00b7 Ctrl+Shift+A acknowledge");
        keys.getStyleClass().add("hint");
        // A problem needs the whole bar more than the shortcut reminder does.
        keys.visibleProperty().bind(vm.lastProblemProperty().isEmpty());
        keys.managedProperty().bind(keys.visibleProperty());
        HBox bar = new HBox(12, problem, spacer(), keys);
        bar.setPadding(new Insets(6, 16, 6, 16));
        bar.getStyleClass().add("status-bar");
        return bar;
    }

    /** Ctrl+Shift+A: the selected message if it is on screen, else the newest on screen; never one out of view. */
    private void acknowledgeSelectedOrNewest() {
        var visible = VisibleRows.of(conversation);
        MessageItem sel = conversation.getSelectionModel().getSelectedItem();
        if (sel == null || !sel.canAcknowledge() || !visible.contains(sel)) {
            sel = visible.stream().filter(MessageItem::canAcknowledge).reduce((a, b) -> b).orElse(null);
        }
        if (sel != null) {
            vm.acknowledge(sel);
            vm.openAlarm();
        }
    }

    static Region spacer() {
        Region r = new Region();
        HBox.setHgrow(r, Priority.ALWAYS);
        return r;
    }

    /** One message in the conversation. */
    private static final class MessageCell extends ListCell<MessageItem> {
        private final ConsoleViewModel vm;
        private VBox box;
        /*
         * The highlight follows the jump target without redrawing the list: a refresh() re-creates
         * every cell on the next pulse and could undo the scroll that brought the message into view.
         */
        private final javafx.beans.value.ChangeListener<org.hotline.protocol.wire.MessageId> highlight =
                (o, a, target) -> markIfTarget();
        private final java.util.function.Consumer<MessageItem> onReply;

        MessageCell(ConsoleViewModel vm, java.util.function.Consumer<MessageItem> onReply) {
            this.vm = vm;
            this.onReply = onReply;
            vm.jumpToProperty().addListener(new javafx.beans.value.WeakChangeListener<>(highlight));
        }

        private void markIfTarget() {
            if (box == null) {
                return;
            }
            MessageItem item = getItem();
            boolean target = item != null && item.id().isPresent() && item.id().get().equals(vm.jumpToProperty().get());
            box.getStyleClass().remove("message-highlight");
            if (target) {
                box.getStyleClass().add("message-highlight");
            }
        }

        @Override
        protected void updateItem(MessageItem item, boolean empty) {
            super.updateItem(item, empty);
            setText(null);
            box = null;
            if (empty || item == null) {
                setGraphic(null);
                return;
            }
            if (item.kind() == MessageItem.Kind.GAP || item.kind() == MessageItem.Kind.OUTAGE) {
                boolean gapRow = item.kind() == MessageItem.Kind.GAP;
                Label gap = new Label((gapRow ? "\u26A0 GAP  " : "\u26A0 OUTAGE  ") + DisplaySafe.line(item.text()));
                gap.getStyleClass().add(gapRow ? "gap-marker" : "outage-marker");
                gap.setWrapText(true);
                gap.setMaxWidth(Double.MAX_VALUE);
                setGraphic(gap);
                return;
            }
            Label time = new Label(vm.timeInZones(item.time()));
            time.getStyleClass().add("msg-time");
            Label sender = new Label(item.kind() == MessageItem.Kind.SENT ? "You" : DisplaySafe.line(item.sender()));
            sender.getStyleClass().add("msg-sender");
            Label badge = new Label(item.categoryLabel());
            badge.getStyleClass().addAll("badge", "badge-" + item.categoryLabel().toLowerCase(Locale.ROOT)
                    .replaceAll("[^a-z]+", "-"));
            Label verified = new Label(item.verified() ? "\u2714 signature verified" : "\u2716 NOT VERIFIED");
            verified.getStyleClass().add(item.verified() ? "verified" : "unverified");
            if (item.kind() == MessageItem.Kind.RECEIVED) {
                verified.setTooltip(new Tooltip("Signed by " + item.sender() + "'s identity key, certified by the "
                        + "exercise CA.\nSigner certificate SHA-256:\n" + item.signerFingerprint()));
            } else {
                verified.setText("\u2714 signed by you");
            }
            Node meta = MessageMeta.of(time, sender, badge, verified, getListView().widthProperty().subtract(70));
            // Each Label is its own bidi paragraph; overrides and controls inside are shown as marks.
            // Message references read as the message they name ("your “…” of 16:58 IST"), not as hex.
            Label text = new Label(DisplaySafe.multiline(vm.displayText(item)));
            text.getStyleClass().add("msg-text");
            text.setWrapText(true);
            text.setMinHeight(Region.USE_PREF_SIZE);
            var translated = vm.translationsOf(item);
            Node words = translated.isEmpty() ? text
                    : TranslatedTextView.of(translated, getListView().widthProperty().subtract(70));
            Label state = new Label(item.stateLabel());
            state.getStyleClass().addAll("delivery", item.stateStyleClass());
            // State, actions and the reading buttons share one row, wrapping only when narrow: a
            // received signal is a line shorter, and the conversation shows more of the next one.
            FlowPane foot = MessageMeta.foot(state, getListView().widthProperty().subtract(70));
            if (item.kind() == MessageItem.Kind.RECEIVED) {
                Button reply = new Button("Reply");
                reply.getStyleClass().add("reply-button");
                reply.setMinWidth(Region.USE_PREF_SIZE);
                reply.setOnAction(e -> onReply.accept(item));
                foot.getChildren().add(reply);
            }
            if (item.canAcknowledge()) {
                Button ack = new Button("Acknowledge");
                ack.getStyleClass().add("ack-button");
                ack.setOnAction(e -> {
                    vm.acknowledge(item);
                    vm.openAlarm();
                });
                ack.setMinWidth(Region.USE_PREF_SIZE);
                foot.getChildren().add(ack);
            }
            VBox box = new VBox(4, meta, words, foot);
            item.id().ifPresent(id -> box.getChildren().add(2, DeadlineBadge.of(vm.deadlines(), id)));
            if (item.kind() == MessageItem.Kind.RECEIVED && item.id().isPresent()) {
                foot.getChildren().add(new org.hotline.client.ui.reading.ReadingButtons(vm.readingViewModel(), item.id().get()));
            }
            vm.quoteOf(item).ifPresent(q -> {
                Label quote = new Label(q);
                quote.getStyleClass().add("reply-quote");
                quote.setId("quote-" + item.id().map(MessageId::shortForm).orElse(""));
                box.getChildren().add(1, quote);
            });
            box.getStyleClass().addAll("message", item.kind() == MessageItem.Kind.SENT ? "message-sent" : "message-received");
            this.box = box;
            markIfTarget();
            box.setPadding(new Insets(8, 12, 8, 12));
            box.maxWidthProperty().bind(getListView().widthProperty().subtract(40));
            text.maxWidthProperty().bind(getListView().widthProperty().subtract(70));
            StackPane wrap = new StackPane(box);
            wrap.setAlignment(item.kind() == MessageItem.Kind.SENT ? Pos.CENTER_RIGHT : Pos.CENTER_LEFT);
            setGraphic(wrap);
        }
    }
}
