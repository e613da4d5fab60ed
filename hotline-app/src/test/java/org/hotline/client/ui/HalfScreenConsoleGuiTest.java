package org.hotline.client.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotline.client.ui.ConsoleGuiTest.waitUntil;
import static org.hotline.client.ui.ConsoleIssue15GuiTest.assertFullyOnScreen;
import static org.hotline.client.ui.ConsoleIssue15GuiTest.assertNotTruncated;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.ui.console.ConsoleViewModel;
import org.hotline.protocol.wire.Content;
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
 * A console at half a 1366-pixel screen (680 px wide, as the demo tiles two): the Situation feed
 * moves into a tab instead of pushing the window's content past its edge, the Send button, the
 * header's buttons and every badge, time and the new-message banner show their whole text, and a
 * message reference reads as the message it names. Wide again, the feed goes back beside the line.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HalfScreenConsoleGuiTest {

    static final double WIDTH = 680;
    static final double HEIGHT = 740;

    @TempDir
    static Path tmp;
    static ConsoleFixture console;
    static HotlineClient india;
    static HotlineClient pakistan;
    static HotlineClient control;
    static ConsoleViewModel vm;
    static Stage window;

    @Start
    void start(Stage stage) throws Exception {
        console = ConsoleFixture.open(tmp, "pk.pm", "control");
        india = console.india();
        pakistan = console.seat("pk.pm");
        control = console.seat("control");
        window = stage;
        vm = console.show(stage, WIDTH, HEIGHT);
    }

    @AfterEach
    void stop() {
        console.close();
    }

    @Test
    void atHalfScreenWidth_nothingIsCutOrPushedPastTheEdge_andTheFeedIsATab(FxRobot robot) throws Exception {
        assertThat(window.getScene().getWidth()).isEqualTo(WIDTH);
        BorderPane root = (BorderPane) window.getScene().getRoot();
        TabPane tabs = robot.lookup("#tabs").queryAs(TabPane.class);
        assertThat(root.getRight()).as("no feed column beside the line").isNull();
        Tab situation = tabs.getTabs().stream().filter(t -> "situation-tab".equals(t.getId())).findFirst().orElseThrow();
        // The window's content is no wider than the window (the feed column made it 10-20 px wider).
        assertThat(root.minWidth(-1)).isLessThanOrEqualTo(WIDTH);
        for (String id : new String[] {"#send-signal", "#dark-toggle", "#sound-toggle", "#identity", "#line-state"}) {
            Node n = robot.lookup(id).query();
            assertFullyOnScreen(n);
            assertNotTruncated((Labeled) n);
        }
        for (Node n : robot.lookup(".exercise-banner").queryAll()) {
            assertNotTruncated((Labeled) n);
        }

        control.send("in.pm", new Content.Inject("I-07", Content.InjectKind.INTELLIGENCE,
                Instant.parse("2026-05-07T01:25:00Z"), "Reports of troop movement",
                "Unconfirmed reports of troop movement near the Line of Control."), Optional.empty(), Optional.empty())
                .get(10, TimeUnit.SECONDS);
        waitUntil(() -> situation.getText().equals("Situation (1 new)"), () -> "tab reads " + situation.getText());
        robot.interact(() -> tabs.getSelectionModel().select(situation));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(situation.getText()).isEqualTo("Situation");
        for (String style : new String[] {".inject-badge", ".inject-time"}) {
            Labeled l = robot.lookup(style).queryAs(Labeled.class);
            assertThat(l.isVisible()).isTrue();
            assertNotTruncated(l);
        }
        robot.interact(() -> tabs.getSelectionModel().select(0));

        MessageId ours = india.sendSignal("pk.pm", "posture.normal-readiness",
                Map.of("asOf", Instant.now().minusSeconds(60).toString()), Optional.empty(), Optional.empty())
                .get(10, TimeUnit.SECONDS);
        pakistan.sendSignal("in.pm", "ack.received-understood", Map.of("ref", ours.hex()), Optional.of(ours),
                Optional.empty()).get(10, TimeUnit.SECONDS);
        Button alarm = robot.lookup("#alarm").queryAs(Button.class);
        waitUntil(alarm::isVisible, "the new-message banner");
        WaitForAsyncUtils.waitForFxEvents();
        assertNotTruncated(alarm);
        waitUntil(() -> robot.lookup(".badge").queryAll().size() == 2, "two rows with their badges");
        for (Node n : robot.lookup(".badge").queryAll()) {
            assertNotTruncated((Labeled) n);
        }
        for (Node n : robot.lookup(".msg-time").queryAll()) {
            assertNotTruncated((Labeled) n);
            Bounds b = n.localToScene(n.getLayoutBounds());
            assertThat(b.getMaxX()).as("time inside the window").isLessThanOrEqualTo(WIDTH);
        }
        // Pakistan's words refer to India's message: India reads its title and time, not "message 1a2b3c4d".
        String expected = "We have received and understood your \u201cStrategic forces at normal readiness\u201d of ";
        waitUntil(() -> robot.lookup((Node n) -> n instanceof Label l && l.getText() != null
                && l.getText().startsWith(expected) && l.getText().endsWith(" IST.")).tryQuery().isPresent(),
                "the reference in words");
        assertThat(robot.lookup((Node n) -> n instanceof Label l && l.getText() != null
                && l.getText().contains("message " + ours.shortForm())).tryQuery()).isEmpty();

        robot.interact(() -> window.setWidth(1280));
        waitUntil(() -> root.getRight() != null, "the feed back beside the line when wide");
        assertThat(tabs.getTabs()).doesNotContain(situation);
    }
}
