package org.hotline.client.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotline.client.ui.ConsoleGuiTest.anyLabel;
import static org.hotline.client.ui.ConsoleGuiTest.waitUntil;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.hotline.client.core.ClientListener;
import org.hotline.client.core.DeliveryState;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.ui.app.DesktopApp;
import org.hotline.client.ui.audit.AuditFilter;
import org.hotline.client.ui.console.ConsoleViewModel;
import org.hotline.client.ui.console.MessageItem;
import org.hotline.protocol.wire.MessageId;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The console fixes of issue 15, each on the real window at 1280x800 (headless Monocle): India's
 * prime minister in the window, Pakistan's as a second core in the test, a real relay between.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConsoleIssue15GuiTest {

    @TempDir
    static Path tmp;
    static ConsoleFixture console;
    static RelayFixture relay;
    static HotlineClient india;
    static HotlineClient pakistan;
    static ConsoleViewModel vm;
    static Stage window;
    static final Map<MessageId, DeliveryState> pakistanStates = new java.util.concurrent.ConcurrentHashMap<>();

    @Start
    void start(Stage stage) throws Exception {
        console = ConsoleFixture.open(tmp, "pk.pm");
        relay = console.relay();
        india = console.india();
        pakistan = console.seat("pk.pm");
        pakistanStates.clear();
        pakistan.addListener(new ClientListener() {
            @Override
            public void deliveryStateChanged(MessageId id, DeliveryState s) {
                pakistanStates.merge(id, s, (a, b) -> b.isAfter(a) ? b : a);
            }
        });
        window = stage;
        vm = console.show(stage);
    }

    @AfterEach
    void stop() {
        console.close();
    }

    // ------------------------------------------------------------------ 1: clocks

    @Test
    void headerClocks_keepTicking_afterGarbageCollection(FxRobot robot) throws Exception {
        String before = clocks(robot);
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        waitUntil(() -> !clocks(robot).equals(before), () -> "clocks still read " + before);
        String after = clocks(robot);
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        waitUntil(() -> !clocks(robot).equals(after), () -> "clocks froze at " + after);
    }

    static String clocks(FxRobot robot) {
        return robot.lookup("#clocks").queryAs(javafx.scene.layout.HBox.class).getChildren().stream()
                .map(n -> ((Label) n).getText()).toList().toString();
    }

    // ------------------------------------------------------------------ 2: compose layout

    @Test
    void threeFieldSignal_at1280x800_keepsSendVisible_andNoLabelOrButtonIsCut(FxRobot robot) throws Exception {
        assertThat(window.getScene().getWidth()).isEqualTo(1280);
        chooseSignal(robot, "medical teams", "Safe access for medical teams");
        assertThat(vm.conversation()).isNotNull();
        Button send = robot.lookup("#send-signal").queryAs(Button.class);
        // Touch every field, so that every error line that can appear has appeared.
        for (String f : List.of("location", "startTime", "endTime")) {
            robot.clickOn("#param-" + f);
        }
        robot.clickOn("#signal-search");
        WaitForAsyncUtils.waitForFxEvents();
        assertFullyOnScreen(send);
        assertNotTruncated(send);
        for (Node n : robot.lookup(".param-label").queryAll()) {
            assertNotTruncated((Labeled) n);
            assertThat(((Labeled) n).isVisible()).isTrue();
        }
        robot.clickOn("#param-location").write("Uri sector");
        waitUntil(() -> !send.isDisabled(), "send enabled once the place is filled in");
        assertFullyOnScreen(send);
        assertNotTruncated(send);
    }

    @Test
    void auditTabButtons_showTheirWholeLabel(FxRobot robot) {
        robot.clickOn("Audit log");
        WaitForAsyncUtils.waitForFxEvents();
        for (String id : List.of("#verify-log", "#export-log")) {
            Button b = robot.lookup(id).queryAs(Button.class);
            assertFullyOnScreen(b);
            assertNotTruncated(b);
        }
    }

    @Test
    void narrowWindow_stacksLabelsAboveFields_andStillShowsSend(FxRobot robot) throws Exception {
        ConsoleFixture.resize(robot, window, 683, 768);
        chooseSignal(robot, "medical teams", "Safe access for medical teams");
        WaitForAsyncUtils.waitForFxEvents();
        Label startLabel = robot.lookup((Node n) -> n instanceof Label l && "Start time".equals(l.getText())).queryAs(Label.class);
        TextField start = robot.lookup("#param-startTime").queryAs(TextField.class);
        Bounds l = startLabel.localToScene(startLabel.getLayoutBounds());
        Bounds f = start.localToScene(start.getLayoutBounds());
        assertThat(l.getMaxY()).as("label above its field").isLessThanOrEqualTo(f.getMinY() + 0.5);
        assertNotTruncated(startLabel);
        Button send = robot.lookup("#send-signal").queryAs(Button.class);
        assertFullyOnScreen(send);
        assertNotTruncated(send);
        for (String id : List.of("#line-state", "#dark-toggle", "#sound-toggle")) {
            assertNotTruncated(robot.lookup(id).queryAs(Labeled.class));
            assertFullyOnScreen(robot.lookup(id).query());
        }
    }

    static void chooseSignal(FxRobot robot, String search, String title) {
        robot.clickOn("#signal-search").write(search);
        robot.clickOn((Node n) -> n instanceof ListCell<?> c && c.getText() != null && c.getText().startsWith(title));
        WaitForAsyncUtils.waitForFxEvents();
    }

    static void assertFullyOnScreen(Node n) {
        Scene scene = n.getScene();
        Bounds b = n.localToScene(n.getLayoutBounds());
        assertThat(n.isVisible()).as(n.getId() + " visible").isTrue();
        assertThat(b.getMinX()).as(n.getId() + " left edge").isGreaterThanOrEqualTo(0);
        assertThat(b.getMinY()).as(n.getId() + " top edge").isGreaterThanOrEqualTo(0);
        assertThat(b.getMaxX()).as(n.getId() + " right edge").isLessThanOrEqualTo(scene.getWidth());
        assertThat(b.getMaxY()).as(n.getId() + " bottom edge").isLessThanOrEqualTo(scene.getHeight());
        // Not hidden under a clip: every ancestor shows the whole node.
        for (Node p = n.getParent(); p != null; p = p.getParent()) {
            Bounds pb = p.localToScene(p.getLayoutBounds());
            assertThat(pb.getMaxY()).as(n.getId() + " inside " + p).isGreaterThanOrEqualTo(b.getMaxY() - 0.5);
            assertThat(pb.getMaxX()).as(n.getId() + " inside " + p).isGreaterThanOrEqualTo(b.getMaxX() - 0.5);
        }
    }

    /** What a Labeled draws is its whole text, not "S…". */
    static void assertNotTruncated(Labeled l) {
        Text drawn = (Text) l.lookup(".text");
        assertThat(drawn).as("text node of " + l.getText()).isNotNull();
        assertThat(drawn.getText()).as("drawn text of " + l.getId()).isEqualTo(l.getText());
    }

    // ------------------------------------------------------------------ 4: new messages

    @Test
    void banner_doesNotPushTheNewestOut_opensToTheMessage_titleCountsNew(FxRobot robot) throws Exception {
        ListView<MessageItem> conversation = conversation(robot);
        for (int i = 0; i < 6; i++) {
            india.sendText("pk.pm", "Filler message " + i + " to fill the conversation.").get(10, TimeUnit.SECONDS);
        }
        waitUntil(() -> vm.conversation().size() == 6, "six sent rows");
        MessageId incoming = pakistan.sendSignal("in.pm", "deesc.ceasefire-loc", Map.of("startTime", "2030-05-10T16:00Z"),
                Optional.empty(), Optional.empty()).get();
        waitUntil(() -> robot.lookup("#alarm").queryAs(Button.class).isVisible(), "alarm shown");
        waitUntil(() -> window.getTitle().endsWith("(1 new)"), () -> "title is " + window.getTitle());
        Thread.sleep(300);
        WaitForAsyncUtils.waitForFxEvents();
        MessageItem newest = vm.conversation().get(vm.conversation().size() - 1);
        assertThat(newest.id()).contains(incoming);
        assertThat(visibleRows(conversation)).as(() -> "the newest message stays in view under the banner; list "
                + conversation.localToScene(conversation.getLayoutBounds()) + ", cells " + conversation.lookupAll(".list-cell")
                .stream().map(n -> ((javafx.scene.control.ListCell<?>) n).getIndex() + "@" + n.localToScene(n.getLayoutBounds()))
                .toList()).contains(newest);

        robot.interact(() -> conversation.scrollTo(0));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(visibleRows(conversation)).doesNotContain(newest);
        robot.clickOn("#alarm");
        waitUntil(() -> visibleRows(conversation).contains(newest), () -> "opening the banner goes to the message; selected "
                + conversation.getSelectionModel().getSelectedIndex() + ", visible " + visibleRows(conversation).stream()
                .map(r -> r.text().substring(0, 12)).toList() + ", jump " + vm.jumpToProperty().get() + ", alarm "
                + vm.alarmProperty().get());
        assertThat(conversation.getSelectionModel().getSelectedItem()).isEqualTo(newest);
        assertThat(robot.lookup(".message-highlight").tryQuery()).as("the message is highlighted").isPresent();
        waitUntil(() -> window.getTitle().equals("Hotline \u2014 India Prime Minister"), () -> "title is " + window.getTitle());
    }

    @Test
    void ctrlShiftA_acknowledgesOnlyWhatIsOnScreen(FxRobot robot) throws Exception {
        ListView<MessageItem> conversation = conversation(robot);
        MessageId offScreen = pakistan.sendSignal("in.pm", "deesc.ceasefire-loc", Map.of("startTime", "2030-05-10T16:00Z"),
                Optional.empty(), Optional.empty()).get();
        waitUntil(() -> vm.conversation().stream().anyMatch(MessageItem::canAcknowledge), "proposal arrived");
        robot.clickOn("#alarm");
        for (int i = 0; i < 8; i++) {
            india.sendText("pk.pm", "Later message " + i + " that pushes the proposal out of view.").get(10, TimeUnit.SECONDS);
        }
        waitUntil(() -> vm.conversation().size() == 9, "rows");
        robot.interact(() -> {
            conversation.getSelectionModel().clearSelection();
            conversation.scrollTo(8);
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(visibleRows(conversation)).noneMatch(MessageItem::canAcknowledge);
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.A).release(KeyCode.A, KeyCode.SHIFT, KeyCode.CONTROL);
        Thread.sleep(1500);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(pakistanStates.get(offScreen)).isNotEqualTo(DeliveryState.ACKNOWLEDGED);
        assertThat(vm.conversation()).anyMatch(MessageItem::canAcknowledge);

        robot.interact(() -> conversation.scrollTo(0));
        WaitForAsyncUtils.waitForFxEvents();
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.A).release(KeyCode.A, KeyCode.SHIFT, KeyCode.CONTROL);
        waitUntil(() -> pakistanStates.get(offScreen) == DeliveryState.ACKNOWLEDGED, "acknowledged once on screen");
    }

    @Test
    void soundIsOnByDefault_andCanBeMuted(FxRobot robot) throws Exception {
        assertThat(vm.soundOnProperty().get()).isTrue();
        assertThat(robot.lookup("#sound-toggle").queryAs(javafx.scene.control.ToggleButton.class).getText()).isEqualTo("Sound on");
        robot.clickOn("#sound-toggle");
        assertThat(vm.soundOnProperty().get()).isFalse();
        assertThat(robot.lookup("#sound-toggle").queryAs(javafx.scene.control.ToggleButton.class).getText()).isEqualTo("Muted");
        int before = vm.alertsProperty().get();
        pakistan.sendText("in.pm", "A message while muted").get();
        waitUntil(() -> vm.alertsProperty().get() == before + 1, "the alert is still counted");
    }

    static ListView<MessageItem> conversation(FxRobot robot) {
        @SuppressWarnings("unchecked")
        ListView<MessageItem> list = robot.lookup("#conversation").queryAs(ListView.class);
        return list;
    }

    static List<MessageItem> visibleRows(ListView<MessageItem> list) {
        Bounds view = list.localToScene(list.getLayoutBounds());
        return list.lookupAll(".list-cell").stream()
                .filter(n -> n instanceof ListCell<?> c && c.isVisible() && !c.isEmpty() && c.getItem() != null)
                .filter(n -> {
                    Bounds b = n.localToScene(n.getLayoutBounds());
                    // Wholly in view, or (a row taller than the viewport) filling it from edge to edge,
                    // as the console's VisibleRows decides it.
                    return b.getMinY() >= view.getMinY() - 0.5 && b.getMaxY() <= view.getMaxY() + 0.5
                            || b.getHeight() >= view.getHeight() - 3 && b.getMinY() <= view.getMinY() + 1.5
                            && b.getMaxY() >= view.getMaxY() - 1.5;
                })
                .map(n -> (MessageItem) ((ListCell<?>) n).getItem()).toList();
    }

    // ------------------------------------------------------------------ 6: form

    @Test
    void form_errorsOnlyAfterTouch_localTimes_orderedRange_clearsAfterSend(FxRobot robot) throws Exception {
        chooseSignal(robot, "medical teams", "Safe access for medical teams");
        Label locationError = robot.lookup("#error-location").queryAs(Label.class);
        assertThat(locationError.isVisible()).as("untouched: no error shown yet").isFalse();
        robot.clickOn("#param-location");
        robot.clickOn("#param-startTime");
        waitUntil(locationError::isVisible, "error shown once the field was left empty");
        robot.clickOn("#param-location").write("Uri sector");
        TextField start = robot.lookup("#param-startTime").queryAs(TextField.class);
        TextField end = robot.lookup("#param-endTime").queryAs(TextField.class);
        robot.interact(() -> {
            start.setText("11:40 IST");
            end.setText("11:40 IST");
        });
        waitUntil(() -> robot.lookup("#error-endTime").queryAs(Label.class).isVisible(), "range error shown");
        assertThat(robot.lookup("#error-endTime").queryAs(Label.class).getText()).contains("later than start time");
        assertThat(robot.lookup("#send-signal").queryAs(Button.class).isDisabled()).isTrue();
        robot.interact(() -> end.setText("13:40 IST"));
        waitUntil(() -> !robot.lookup("#send-signal").queryAs(Button.class).isDisabled(), "send enabled");
        assertThat(robot.lookup("#preview").queryAs(Label.class).getText()).contains("IST").contains("until");
        robot.clickOn("#send-signal");
        waitUntil(() -> anyLabel(robot, "Choose a signal on the left."), "form cleared after sending");
        waitUntil(() -> anyLabel(robot, "Delivered: Safe access for medical teams")
                || anyLabel(robot, "Accepted by the relay: Safe access"), "status follows the message");
    }

    // ------------------------------------------------------------------ 5: message references

    @Test
    void reply_fillsTheReference_namesTheMessage_andAnUnknownReferenceIsRefused(FxRobot robot) throws Exception {
        MessageId proposal = pakistan.sendSignal("in.pm", "deesc.ceasefire-loc", Map.of("startTime", "2030-05-10T16:00Z"),
                Optional.empty(), Optional.empty()).get();
        waitUntil(() -> robot.lookup("#alarm").queryAs(Button.class).isVisible(), "alarm shown");
        robot.clickOn("#alarm");
        robot.clickOn((Node n) -> n instanceof Button b && "Reply".equals(b.getText()));
        chooseSignal(robot, "understood", "Received and understood");
        TextField ref = robot.lookup("#param-ref").queryAs(TextField.class);
        assertThat(ref.getText()).isEqualTo(proposal.shortForm());
        Label names = robot.lookup("#names-ref").queryAs(Label.class);
        waitUntil(names::isVisible, "the reference is named");
        assertThat(names.getText()).startsWith("Pakistan Prime Minister's message of ").contains("IST")
                .contains("We propose a cease-fire");
        assertThat(robot.lookup("#send-signal").queryAs(Button.class).isDisabled()).isFalse();
        robot.interact(() -> ref.setText("deadbeef"));
        waitUntil(() -> robot.lookup("#error-ref").queryAs(Label.class).isVisible(), "unknown reference refused");
        assertThat(robot.lookup("#error-ref").queryAs(Label.class).getText()).contains("no message deadbeef");
        assertThat(robot.lookup("#send-signal").queryAs(Button.class).isDisabled()).isTrue();
    }

    // ------------------------------------------------------------------ 7: calm wording

    @Test
    void calmWording_highlightsThePhraseInline_oneWarningPerPhrase(FxRobot robot) throws Exception {
        robot.clickOn("Free text");
        robot.clickOn("#free-text").write("We will teach you a lesson, and we will teach them a lesson too.");
        waitUntil(() -> robot.lookup(".calm-flagged").tryQuery().isPresent(), "flagged wording highlighted");
        assertThat(robot.lookup(".calm-flagged").queryAll()).extracting(n -> ((Text) n).getText())
                .containsExactly("teach you a lesson", "teach them a lesson");
        assertThat(robot.lookup(".calm-warning").queryAll()).hasSize(1);
        robot.interact(() -> robot.lookup("#free-text").queryAs(javafx.scene.control.TextArea.class)
                .setText("We never intended any escalation and never will."));
        waitUntil(() -> robot.lookup(".calm-warning").tryQuery().isEmpty(), "calm sentence: no warning");
        assertThat(robot.lookup(".calm-flagged").tryQuery()).isEmpty();
    }

    // ------------------------------------------------------------------ 8: theme, audit, outage

    @Test
    void darkToggle_darkensOnlyItsOwnWindow(FxRobot robot) throws Exception {
        Stage[] other = new Stage[1];
        robot.interact(() -> {
            other[0] = new Stage();
            DesktopApp.show(other[0], pakistan, 700, 0, 700, 700);
        });
        String otherSheet = other[0].getScene().getUserAgentStylesheet();
        // fire(): the second window covers part of the first, and a click would land on its toggle.
        javafx.scene.control.ToggleButton mine = (javafx.scene.control.ToggleButton) window.getScene().lookup("#dark-toggle");
        robot.interact(mine::fire);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.getScene().getUserAgentStylesheet()).isNotEqualTo(otherSheet).containsIgnoringCase("dark");
        assertThat(other[0].getScene().getUserAgentStylesheet()).isEqualTo(otherSheet);
        robot.interact(() -> other[0].close());
    }

    @Test
    void auditTab_filtersRoutineRows_andRefreshesWhileOpen(FxRobot robot) throws Exception {
        waitUntil(() -> india.linkStatus().connected(), "connected");
        robot.clickOn("Audit log");
        robot.clickOn("#verify-log");
        @SuppressWarnings("unchecked")
        TableView<org.hotline.client.ui.audit.AuditViewModel.Row> table = robot.lookup("#audit-table").queryAs(TableView.class);
        waitUntil(() -> table.getItems().stream().anyMatch(r -> r.type().equals("checkpoint")), "checkpoint listed");
        robot.interact(() -> robot.lookup("#audit-filter").queryAs(javafx.scene.control.ComboBox.class)
                .setValue(AuditFilter.EVENTS));
        WaitForAsyncUtils.waitForFxEvents();
        Set<String> routine = Set.of("link-verified", "receipt", "relay-accepted", "relay-delivered", "checkpoint");
        assertThat(table.getItems()).noneMatch(r -> routine.contains(r.type()));
        india.sendText("pk.pm", "logged while the tab is open").get(10, TimeUnit.SECONDS);
        waitUntil(() -> table.getItems().stream().anyMatch(r -> r.summary().contains("logged while the tab is open")),
                "the new entry appears without pressing anything");
        robot.clickOn("#audit-search").write("while the tab");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(table.getItems()).isNotEmpty().allMatch(r -> r.summary().contains("while the tab"));
    }

    @Test
    void outage_isMarkedInTheConversation_afterTheLineIsBack(FxRobot robot) throws Exception {
        waitUntil(() -> india.linkStatus().connected(), "connected");
        int port = relay.port();
        relay.stop();
        waitUntil(() -> robot.lookup("#line-state").queryAs(Label.class).getText().contains("DOWN"), "line down");
        relay.restartOnSameStoppedPort(port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!india.linkStatus().connected() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        waitUntil(() -> vm.conversation().stream().anyMatch(r -> r.kind() == MessageItem.Kind.OUTAGE), "outage row");
        waitUntil(() -> anyLabel(robot, "OUTAGE"), "outage marker drawn");
        assertThat(vm.conversation().stream().filter(r -> r.kind() == MessageItem.Kind.OUTAGE).findFirst().orElseThrow()
                .text()).startsWith("Line was down from ").contains("IST").contains("PKT");
    }
}
