package org.hotline.client.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotline.client.ui.ConsoleFixture.anyLabel;
import static org.hotline.client.ui.ConsoleFixture.waitUntil;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
import org.hotline.client.core.ClientListener;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.core.ReceivedMessage;
import org.hotline.client.ui.situation.InjectItem;
import org.hotline.protocol.wire.Content;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * India's prime minister's real console with exercise control as a second client core in the test:
 * the Situation feed, the scenario clock and PAUSED, and a question to control.
 */
@ExtendWith(ApplicationExtension.class)
class SituationGuiTest {

    static final Instant SCENARIO = Instant.parse("2026-05-07T01:00:00Z");

    @TempDir
    static Path tmp;
    ConsoleFixture console;
    HotlineClient control;
    final BlockingQueue<ReceivedMessage> controlInbox = new LinkedBlockingQueue<>();

    @Start
    void start(Stage stage) throws Exception {
        console = ConsoleFixture.open(tmp, "control");
        control = console.seat("control");
        control.addListener(new ClientListener() {
            @Override
            public void messageReceived(ReceivedMessage m) {
                if (!m.acknowledged()) {
                    controlInbox.add(m);
                }
            }
        });
        console.show(stage);
    }

    @AfterEach
    void stop() {
        console.close();
    }

    @SuppressWarnings("unchecked")
    static ListView<InjectItem> feed(FxRobot robot) {
        return robot.lookup("#situation-feed").queryAs(ListView.class);
    }

    void clock(Content.ClockAction action, Instant scenario, boolean running) throws Exception {
        control.send("in.pm", new Content.ExerciseClock(action, scenario, 60_000, running), Optional.empty(),
                Optional.empty()).get(10, TimeUnit.SECONDS);
    }

    @Test
    void injects_appearInTheSituationFeed_withBadgeAndScenarioTime_notInTheConversation(FxRobot robot) throws Exception {
        control.send("in.pm", new Content.Inject("I-07", Content.InjectKind.NEWS, SCENARIO.plusSeconds(1500),
                "Missile impact near Tamarind Flats", "Wire services report an impact in an uninhabited area."),
                Optional.empty(), Optional.empty()).get(10, TimeUnit.SECONDS);
        waitUntil(() -> feed(robot).getItems().size() == 1, "inject in the feed");
        InjectItem item = feed(robot).getItems().get(0);
        assertThat(item.badge()).isEqualTo("NEWS");
        assertThat(item.title()).isEqualTo("Missile impact near Tamarind Flats");
        assertThat(item.scenarioTime()).isEqualTo("7 May 06:55 IST");
        assertThat(anyLabel(robot, "From exercise control, not from the other side")).isTrue();
        assertThat(anyLabel(robot, "Leaders: Exercise control reads this channel")).isTrue();
        assertThat(robot.lookup("#conversation").queryAs(ListView.class).getItems()).isEmpty();
    }

    @Test
    void scenarioClock_isShownInTheHeader_andPausedWhenControlPauses(FxRobot robot) throws Exception {
        clock(Content.ClockAction.START, SCENARIO, true);
        waitUntil(() -> robot.lookup("#scenario-clock").queryAs(Label.class).getText()
                .startsWith("Scenario 06:3"), "scenario clock running");
        assertThat(robot.lookup("#scenario-paused").queryAs(Node.class).isVisible()).isFalse();
        clock(Content.ClockAction.PAUSE, SCENARIO.plusSeconds(3600), false);
        waitUntil(() -> robot.lookup("#scenario-paused").queryAs(Node.class).isVisible(), "PAUSED shown");
        waitUntil(() -> robot.lookup("#scenario-clock").queryAs(Label.class).getText()
                .equals("Scenario 07:30 IST"), "clock stands at the paused time");
    }

    @Test
    void participant_asksExerciseControlAQuestion(FxRobot robot) throws Exception {
        robot.clickOn((Node n) -> n instanceof Label l && "Requests for information".equals(l.getText()));
        robot.clickOn("Free text");
        robot.clickOn("#free-text").write("Please confirm the casualty figures reported by the media.");
        robot.clickOn("#intent-request");
        robot.clickOn("#send-text");
        ReceivedMessage got = controlInbox.poll(20, TimeUnit.SECONDS);
        assertThat(got).isNotNull();
        assertThat(got.from()).isEqualTo("in.pm");
        assertThat(got.channel()).isEqualTo("control.in.pm");
        assertThat(got.text()).isEqualTo("Please confirm the casualty figures reported by the media.");
    }
}
