package org.hotline.client.ui;

import org.hotline.app.testing.RelayClients;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.ui.app.DesktopApp;
import org.hotline.client.ui.app.PassphraseDialog;
import org.hotline.protocol.wire.MessageId;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Produces the screenshots in docs/screenshots/ from the real window at 1280x800 after a short
 * exchange. Runs only when asked:
 * {@code ./mvnw -pl hotline-client test -Dtest=ScreenshotTour -Dhotline.screenshots=docs/screenshots}
 */
@ExtendWith(ApplicationExtension.class)
class ScreenshotTour {

    @TempDir
    static Path tmp;
    static RelayFixture relay;
    static HotlineClient india;
    static HotlineClient pakistan;
    static Stage window;

    @Start
    void start(Stage stage) throws Exception {
        if (System.getProperty("hotline.screenshots") == null) {
            return;
        }
        relay = new RelayFixture(tmp, c -> c);
        india = open("in.pm");
        pakistan = open("pk.pm");
        window = stage;
        DesktopApp.show(stage, india, 0, 0, DesktopApp.WIDTH, DesktopApp.HEIGHT);
        india.start();
        pakistan.start();
    }

    static HotlineClient open(String role) throws Exception {
        return RelayClients.open(RelayClients.config(relay, role, tmp.resolve(role)).withLinkTestInterval(java.time.Duration.ofSeconds(2)));
    }

    static void shoot(FxRobot robot, Node node, Path file) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        Thread.sleep(300);
        WaitForAsyncUtils.waitForFxEvents();
        var image = robot.capture(node).getImage();
        ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", file.toFile());
    }

    @Test
    void tour(FxRobot robot) throws Exception {
        assumeTrue(System.getProperty("hotline.screenshots") != null, "set -Dhotline.screenshots=DIR");
        Path dir = Path.of(System.getProperty("hotline.screenshots")).toAbsolutePath();
        Files.createDirectories(dir);
        Node root = window.getScene().getRoot();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && india.linkStatus().lastVerified().isEmpty()) {
            Thread.sleep(100);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        MessageId incident = pakistan.sendSignal("in.pm", "incident.report-request-facts",
                Map.of("location", "Kestrel Ridge", "incidentTime", now.minusSeconds(7200).toString()),
                Optional.empty(), Optional.empty()).get();
        Thread.sleep(800);
        india.sendSignal("pk.pm", "posture.normal-readiness", Map.of("asOf", now.toString()), Optional.empty(),
                Optional.empty()).get();
        Thread.sleep(800);
        pakistan.acknowledge(pakistan.receivedMessages().get().get(0).id()).get();
        india.sendSignal("pk.pm", "deesc.ceasefire-loc", Map.of("startTime", now.plusSeconds(7200).toString()),
                Optional.empty(), Optional.empty()).get();
        Thread.sleep(1200);
        pakistan.sendSignal("in.pm", "clarify.reported-movement", Map.of("location", "the Neelum valley sector"),
                Optional.empty(), Optional.empty()).get();
        Thread.sleep(1500);
        shoot(robot, root, dir.resolve("01-console-incoming-alarm.png"));

        robot.clickOn("#alarm");
        india.acknowledge(incident).get();
        robot.clickOn("#signal-search").write("cease");
        robot.clickOn((Node n) -> n instanceof javafx.scene.control.ListCell<?> c && c.getText() != null
                && c.getText().startsWith("Accept proposed cease-fire") || n instanceof javafx.scene.control.ListCell<?> d
                && d.getText() != null && d.getText().toLowerCase().contains("cease-fire"));
        robot.lookup((Node n) -> n instanceof TextField t && t.getId() != null && t.getId().equals("param-ref"))
                .tryQuery().ifPresent(n -> robot.interact(() -> ((TextField) n).setText(incident.shortForm())));
        Thread.sleep(500);
        shoot(robot, root, dir.resolve("02-compose-signal-preview.png"));

        robot.clickOn("Free text");
        robot.clickOn("#free-text").write("If the shelling continues we will give a befitting reply.");
        shoot(robot, root, dir.resolve("03-free-text-calm-wording-check.png"));

        robot.clickOn("Audit log");
        robot.clickOn("#verify-log");
        Thread.sleep(1500);
        shoot(robot, root, dir.resolve("04-audit-log-verified.png"));

        robot.clickOn("Line");
        robot.clickOn("#dark-toggle");
        Thread.sleep(500);
        shoot(robot, root, dir.resolve("05-console-dark.png"));
        robot.clickOn("#dark-toggle");

        PassphraseDialog[] d = new PassphraseDialog[1];
        robot.interact(() -> {
            d[0] = new PassphraseDialog("in.nsa", p -> Optional.of("Wrong passphrase for in.nsa. Try again."));
            d[0].stage().show();
        });
        robot.clickOn("#passphrase").write("guess");
        robot.clickOn("#passphrase-ok");
        shoot(robot, d[0].stage().getScene().getRoot(), dir.resolve("06-passphrase-wrong.png"));
        robot.interact(() -> d[0].stage().close());

        // A second console signed in as the same role takes the line: this one says why and stays off.
        HotlineClient secondConsole = RelayClients.open(relay, "in.pm", tmp.resolve("in.pm-second-console"));
        secondConsole.start();
        Thread.sleep(3000);
        shoot(robot, root, dir.resolve("08-console-superseded.png"));
        secondConsole.close();

        india.close();
        pakistan.close();
        relay.close();
    }
}
