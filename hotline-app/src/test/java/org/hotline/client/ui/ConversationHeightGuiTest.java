package org.hotline.client.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotline.client.ui.ConsoleGuiTest.waitUntil;
import static org.hotline.client.ui.ConsoleIssue15GuiTest.assertFullyOnScreen;
import static org.hotline.client.ui.ConsoleIssue15GuiTest.assertNotTruncated;
import static org.hotline.client.ui.ConsoleIssue15GuiTest.chooseSignal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.ui.app.DesktopApp;
import org.hotline.client.ui.console.ConsoleViewModel;
import org.hotline.client.ui.console.MessageItem;
import org.hotline.client.ui.language.WordWrappedText;
import org.hotline.protocol.wire.MessageId;
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
 * Issue 15, the last layout problems seen on screen: the conversation gets the spare height (not a
 * quarter of the window beside a compose panel that grew), the category box keeps its width in a
 * 640-px console after a send, and a message reference reads as the message's title and time in
 * Hindi and Urdu as it does in English. India's console in the window, Pakistan's core in the test
 * (and its console in a second window for Urdu), a real relay between.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConversationHeightGuiTest {

    /** The conversation's part of the window's height, at least: enough for most of two received signals. */
    static final double CONVERSATION_SHARE = 0.45;

    @TempDir
    static Path tmp;
    static ConsoleFixture console;
    static HotlineClient india;
    static HotlineClient pakistan;
    static ConsoleViewModel vm;
    static Stage window;

    @Start
    void start(Stage stage) throws Exception {
        console = ConsoleFixture.open(tmp, "pk.pm");
        india = console.india();
        pakistan = console.seat("pk.pm");
        window = stage;
        vm = console.show(stage);
    }

    @AfterEach
    void stop() {
        console.close();
    }

    @Test
    void at1280x800_theConversationTakesTheSpareHeight_andSendStaysWhole(FxRobot robot) throws Exception {
        assertThat(window.getScene().getHeight()).isEqualTo(800);
        receiveTwoProposals(robot);
        assertConversationTall(robot, "1280x800");
        // A three-field signal chosen: its form scrolls, the conversation keeps its height.
        chooseSignal(robot, "medical teams", "Safe access for medical teams");
        assertConversationTall(robot, "1280x800 with a three-field signal");
        // The form is taller than its part of the window: the focused field scrolls into view (Tab, a click).
        Node scroll = robot.lookup("#signal-form-scroll").query();
        for (String field : List.of("#param-endTime", "#param-location")) {
            Node f = robot.lookup(field).query();
            robot.interact(f::requestFocus);
            WaitForAsyncUtils.waitForFxEvents();
            Bounds fb = f.localToScene(f.getLayoutBounds());
            Bounds sb = scroll.localToScene(scroll.getLayoutBounds());
            assertThat(fb.getMinY()).as(field + " top inside the form's viewport " + sb).isGreaterThanOrEqualTo(sb.getMinY() - 0.5);
            assertThat(fb.getMaxY()).as(field + " bottom inside the form's viewport " + sb).isLessThanOrEqualTo(sb.getMaxY() + 0.5);
        }
        Button send = robot.lookup("#send-signal").queryAs(Button.class);
        assertFullyOnScreen(send);
        assertNotTruncated(send);
        // Replying: the reply bar with its suggestions takes height above the tabs; Send still shows whole.
        Button reply = (Button) robot.lookup((Node n) -> n instanceof Button b && "Reply".equals(b.getText())).query();
        robot.interact(reply::fire);
        waitUntil(() -> robot.lookup("#reply-bar").query().isVisible(), "reply bar shown");
        WaitForAsyncUtils.waitForFxEvents();
        assertFullyOnScreen(robot.lookup("#send-signal").query());
        assertNotTruncated(robot.lookup("#send-signal").queryAs(Button.class));
    }

    @Test
    void at768High_andInHalfScreenTiles_theConversationTakesTheSpareHeight(FxRobot robot) throws Exception {
        receiveTwoProposals(robot);
        // 768 px high (Monocle's headless screen is 1280 px wide), then one of the demo's two tiles on
        // a 1366x768 and a 1280x800 screen (under a window manager's title bar).
        for (double[] size : List.of(new double[] {1280, 768}, new double[] {683, 740}, new double[] {640, 770})) {
            ConsoleFixture.resize(robot, window, size[0], size[1]);
            String what = (int) size[0] + "x" + (int) size[1];
            assertConversationTall(robot, what);
            chooseSignal(robot, "medical teams", "Safe access for medical teams");
            Button send = robot.lookup("#send-signal").queryAs(Button.class);
            assertFullyOnScreen(send);
            assertNotTruncated(send);
            assertConversationTall(robot, what + " with a three-field signal");
            robot.interact(() -> robot.lookup("#signal-search").queryAs(javafx.scene.control.TextField.class).clear());
        }
    }

    @Test
    void at640Wide_theCategoryBoxKeepsItsWidth_afterASend(FxRobot robot) throws Exception {
        ConsoleFixture.resize(robot, window, 640, 770);
        waitUntil(() -> india.linkStatus().connected(), "connected");
        chooseSignal(robot, "normal readiness", "Strategic forces at normal readiness");
        waitUntil(() -> !robot.lookup("#send-signal").queryAs(Button.class).isDisabled(), "send enabled");
        robot.clickOn("#send-signal");
        waitUntil(() -> robot.lookup("#signal-form-status").queryAs(Labeled.class).getText().contains("Strategic forces"),
                "the status names the sent signal");
        WaitForAsyncUtils.waitForFxEvents();
        ComboBox<?> category = robot.lookup("#category").queryAs(ComboBox.class);
        assertThat(category.getWidth()).as("category box width after a send").isGreaterThanOrEqualTo(140);
        var shown = (Labeled) ((javafx.scene.control.skin.ComboBoxListViewSkin<?>) category.getSkin()).getDisplayNode();
        assertThat(shown.getText()).isEqualTo("All categories");
        assertNotTruncated(shown);
        assertFullyOnScreen(category);
        assertFullyOnScreen(robot.lookup("#send-signal").query());
    }

    @Test
    void aReference_readsAsTitleAndTime_inHindi_andInUrdu_neverAsHex(FxRobot robot) throws Exception {
        Stage[] other = new Stage[1];
        robot.interact(() -> {
            other[0] = new Stage();
            DesktopApp.show(other[0], pakistan, 597, 0, 683, 740);
        });
        MessageId proposal = pakistan.sendSignal("in.pm", "deesc.ceasefire-loc", Map.of("startTime", "2030-05-10T16:00Z"),
                Optional.empty(), Optional.empty()).get(20, TimeUnit.SECONDS);
        waitUntil(() -> vm.conversation().stream().anyMatch(r -> r.id().equals(Optional.of(proposal))), "proposal received");
        india.sendSignal("pk.pm", "ack.received-understood", Map.of("ref", proposal.shortForm()), Optional.of(proposal),
                Optional.empty()).get(20, TimeUnit.SECONDS);
        var catalog = india.catalog().find("deesc.ceasefire-loc").orElseThrow();
        // India's console: its own reply, in Hindi.
        // (The proposal's own text holds its title too: the reply is the one that speaks of a message.)
        waitUntil(() -> translations(window, "text-hi").stream().anyMatch(t -> t.contains("संदेश")),
                () -> "the Hindi reply; Hindi texts " + translations(window, "text-hi"));
        String hindi = translations(window, "text-hi").stream().filter(t -> t.contains("संदेश")).findFirst().orElseThrow();
        assertThat(hindi).contains("संदेश \u201c" + catalog.title("hi") + "\u201d (").contains(" IST)")
                .doesNotContain(proposal.shortForm());
        // Pakistan's console: India's reply received, in Urdu.
        waitUntil(() -> translations(other[0], "text-ur").stream().anyMatch(t -> t.contains("پیغام")),
                () -> "the Urdu reply; Urdu texts " + translations(other[0], "text-ur"));
        String urdu = translations(other[0], "text-ur").stream().filter(t -> t.contains("پیغام")).findFirst().orElseThrow();
        assertThat(urdu).contains("پیغام \u00ab" + catalog.title("ur") + "\u00bb (PKT\u00a0").doesNotContain(proposal.shortForm());
        // Its banner, too, names the proposal rather than its id.
        Button banner = (Button) other[0].getScene().lookup("#alarm");
        assertThat(banner.isVisible()).isTrue();
        assertThat(banner.getText()).contains("Cease-fire").doesNotContain(proposal.shortForm());
        robot.interact(() -> other[0].close());
    }

    /** The texts of every translation paragraph with this id (text-hi, text-ur) in the window. */
    static List<String> translations(Stage stage, String id) {
        return stage.getScene().getRoot().lookupAll("#" + id).stream().map(n -> n instanceof WordWrappedText w ? w.getText()
                : n instanceof Labeled l ? l.getText() : "").toList();
    }

    /** Two received cease-fire proposals (with answer-by, Hindi translation and reading buttons), the banner opened. */
    static void receiveTwoProposals(FxRobot robot) throws Exception {
        for (int i = 0; i < 2; i++) {
            pakistan.sendSignal("in.pm", "deesc.ceasefire-loc", Map.of("startTime", "2030-05-10T16:00Z"), Optional.empty(),
                    Optional.of(java.time.Instant.now().plusSeconds(1800))).get(20, TimeUnit.SECONDS);
        }
        waitUntil(() -> vm.conversation().size() == 2, "two proposals");
        waitUntil(() -> robot.lookup("#alarm").queryAs(Button.class).isVisible(), "alarm shown");
        robot.clickOn("#alarm");
        waitUntil(() -> !robot.lookup("#alarm").queryAs(Button.class).isVisible(), "alarm opened");
    }

    /** The conversation's viewport is at least {@link #CONVERSATION_SHARE} of the window, Send wholly in view. */
    static void assertConversationTall(FxRobot robot, String what) {
        WaitForAsyncUtils.waitForFxEvents();
        @SuppressWarnings("unchecked")
        ListView<MessageItem> list = robot.lookup("#conversation").queryAs(ListView.class);
        Bounds view = list.localToScene(list.getLayoutBounds());
        double sceneHeight = list.getScene().getHeight();
        assertThat(view.getHeight()).as(what + ": conversation " + view.getHeight() + " px of " + sceneHeight)
                .isGreaterThanOrEqualTo(CONVERSATION_SHARE * sceneHeight);
        Node send = robot.lookup("#send-signal").query();
        assertFullyOnScreen(send);
        assertNotTruncated((Labeled) send);
    }
}
