package org.hotline.client.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotline.client.ui.ConsoleFixture.anyLabel;
import static org.hotline.client.ui.ConsoleFixture.waitUntil;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.hotline.client.core.ClientConfig;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.ui.app.DesktopApp;
import org.hotline.protocol.exercise.RelayEndpoint;
import org.hotline.protocol.pki.ExerciseDirectory;
import org.hotline.protocol.pki.ExercisePki;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.server.config.RelayConfig;
import org.hotline.server.net.RelayServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Issue 19 on the real console: with two relays (PROTOCOL.md §13) a sent message says how many of
 * them accepted it, "accepted by 1 of 2 relays" while one is down, and "accepted by 2 of 2 relays"
 * once the second is back and has taken the message too. Both relays run in this process; India's
 * console is in the window, Pakistan's core in the test.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TwoRelayConsoleGuiTest {

    @TempDir
    static Path tmp;
    Path base;
    ExerciseDirectory exercise;
    final List<RelayServer> relays = new ArrayList<>();
    HotlineClient india;
    HotlineClient pakistan;
    int portPk;

    @Start
    void start(Stage stage) throws Exception {
        base = tmp.resolve("r" + System.nanoTime());
        new ExercisePki(Clock.systemUTC(), new SecureRandom(), TestExercise.TEST_KDF_ITERATIONS)
                .init(base.resolve("exercise"), "south-asia", Optional.of(TestExercise.PASSPHRASE.toCharArray()), 2);
        exercise = new ExerciseDirectory(base.resolve("exercise"));
        RelayServer relayIn = startRelay("relay-in", 0);
        // relay-pk is down when the message leaves: its port is known, nothing listens on it yet.
        try (ServerSocket s = new ServerSocket(0)) {
            portPk = s.getLocalPort();
        }
        List<RelayEndpoint> paths = List.of(new RelayEndpoint("relay-in", "127.0.0.1", relayIn.address().getPort()),
                new RelayEndpoint("relay-pk", "127.0.0.1", portPk));
        india = open("in.pm", paths);
        pakistan = open("pk.pm", paths);
        DesktopApp.show(stage, india, 0, 0, DesktopApp.WIDTH, DesktopApp.HEIGHT);
        india.start();
        pakistan.start();
    }

    @AfterEach
    void stop() {
        india.close();
        pakistan.close();
        relays.forEach(RelayServer::close);
    }

    @Test
    void sentMessage_acceptedByOneOfTwoRelays_thenByTwoOfTwo_asTheSecondRelayAccepts(FxRobot robot) throws Exception {
        waitUntil(() -> india.linkStatus().connected() && pakistan.linkStatus().connected(), "both seats on relay-in");
        india.sendText("pk.pm", "Through both relays.").get(20, TimeUnit.SECONDS);
        waitUntil(() -> anyLabel(robot, "accepted by 1 of 2 relays"), () -> "one of two relays; states " + states(robot));
        assertThat(anyLabel(robot, "accepted by 2 of 2 relays")).as("relay-pk is down").isFalse();

        startRelay("relay-pk", portPk);
        waitUntil(() -> anyLabel(robot, "accepted by 2 of 2 relays"), () -> "two of two relays; states " + states(robot));
        assertThat(anyLabel(robot, "accepted by 1 of 2 relays")).as("the row moved on").isFalse();
        assertThat(states(robot)).as("the one sent row").hasSize(1);
    }

    /** The state lines of the conversation's rows, as shown. */
    static List<String> states(FxRobot robot) {
        return robot.lookup(".delivery").queryAll().stream().map(n -> ((Label) n).getText()).toList();
    }

    private RelayServer startRelay(String name, int port) throws Exception {
        RelayServer r = RelayServer.start(exercise, exercise.exercise(),
                exercise.loadRelay(name, TestExercise.PASSPHRASE.toCharArray(), Instant.now()),
                RelayConfig.defaults("127.0.0.1", port, base.resolve(name + "-data")), Clock.systemUTC());
        relays.add(r);
        return r;
    }

    private HotlineClient open(String role, List<RelayEndpoint> paths) throws Exception {
        RelayEndpoint first = paths.get(0);
        return HotlineClient.open(ClientConfig.defaults(base.resolve("exercise"), role, first.host(), first.port(),
                        base.resolve(role)).withRelays(paths).withKdfIterations(TestExercise.TEST_KDF_ITERATIONS),
                TestExercise.PASSPHRASE.toCharArray(), Clock.systemUTC());
    }
}
