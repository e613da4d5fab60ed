package org.hotline.client.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotline.client.ui.ConsoleGuiTest.waitUntil;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.hotline.app.testing.RelayClients;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.ui.app.DesktopApp;
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
 * The compose form refuses a notification that breaks its agreement before anything is signed:
 * the error names the rule under the field it concerns, Send stays disabled until it is fixed.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NotificationRulesGuiTest {

    @TempDir
    static Path tmp;
    static RelayFixture relay;
    static HotlineClient india;

    @Start
    void start(Stage stage) throws Exception {
        Path base = tmp.resolve("r" + System.nanoTime());
        relay = new RelayFixture(base, c -> c);
        india = RelayClients.open(relay, "in.pm", base.resolve("in.pm"));
        DesktopApp.show(stage, india, 0, 0, DesktopApp.WIDTH, DesktopApp.HEIGHT);
        india.start();
    }

    @AfterEach
    void stop() {
        india.close();
        relay.close();
    }

    @Test
    void missileTestForm_showsTheBrokenRuleAtItsField_andSendsOnceItIsKept(FxRobot robot) throws Exception {
        ConsoleIssue15GuiTest.chooseSignal(robot, "ballistic", "Ballistic missile flight test");
        Button send = robot.lookup("#send-signal").queryAs(Button.class);
        // Eight fields: some are below the fold of the scrolling form, so they are filled in directly.
        fill(robot, "missileType", "surface-to-surface ballistic missile");
        fill(robot, "launchArea", "Chandipur");
        fill(robot, "launchKm", "35");
        fill(robot, "impactArea", "Bay of Bengal");
        fill(robot, "impactKm", "400");
        fill(robot, "bearing", "south-east");
        WaitForAsyncUtils.waitForFxEvents();
        Label launchError = robot.lookup("#error-launchKm").queryAs(Label.class);
        waitUntil(launchError::isVisible, "the distance error is shown under its field");
        assertThat(launchError.getText()).isEqualTo("the launch site must be at least 40 km from the International"
                + " Boundary and the Line of Control (2005 agreement): declared 35 km");
        assertThat(send.isDisabled()).isTrue();

        fill(robot, "launchKm", "40");
        waitUntil(() -> !send.isDisabled(), "send enabled: the form's default window already gives 3 days' notice");
        assertThat(launchError.isVisible()).isFalse();

        Instant twoDays = Instant.now().plus(Duration.ofDays(2)).plus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.MINUTES);
        fill(robot, "windowStart", twoDays.toString());
        Label openError = robot.lookup("#error-windowStart").queryAs(Label.class);
        waitUntil(openError::isVisible, "the notice error is shown under the window's start");
        assertThat(openError.getText()).startsWith(
                "pre-notification needs at least 3 days' notice (2005 agreement): launch window opens in 2 days");
        assertThat(send.isDisabled()).isTrue();
    }

    static void fill(FxRobot robot, String param, String text) {
        TextField f = robot.lookup("#param-" + param).queryAs(TextField.class);
        robot.interact(() -> f.setText(text));
    }
}
