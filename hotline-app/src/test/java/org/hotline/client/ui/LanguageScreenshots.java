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
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.ui.app.DesktopApp;
import org.hotline.protocol.signals.Signal;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Screenshots of the bilingual console for docs/screenshots/ (India's seat reads Hindi, Pakistan's
 * Urdu), at 1366x768. Runs only when asked, on a real display so text is shaped by the platform
 * (docs/screenshots/README.md says how):
 * {@code DISPLAY=:9N ./mvnw -pl hotline-app -am test -Dtest=LanguageScreenshots -Dhotline.screenshots=docs/screenshots
 * -Dtestfx.headless=false -Dglass.platform=gtk -Dprism.text=native -Djava.awt.headless=false}
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(120)
class LanguageScreenshots {

    @TempDir
    static Path tmp;
    static RelayFixture relay;
    static HotlineClient india;
    static HotlineClient pakistan;
    static Stage indiaWindow;
    static Stage pakistanWindow;

    @Start
    void start(Stage stage) throws Exception {
        if (System.getProperty("hotline.screenshots") == null) {
            return;
        }
        relay = new RelayFixture(tmp, c -> c);
        india = open("in.pm");
        pakistan = open("pk.pm");
        indiaWindow = stage;
        DesktopApp.show(stage, india, 0, 0, 1366, 768);
        pakistanWindow = new Stage();
        DesktopApp.show(pakistanWindow, pakistan, 0, 0, 1366, 768);
        india.start();
        pakistan.start();
    }

    static HotlineClient open(String role) throws Exception {
        return RelayClients.open(relay, role, tmp.resolve(role));
    }

    static void shoot(FxRobot robot, Stage window, Path file) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        Thread.sleep(500);
        WaitForAsyncUtils.waitForFxEvents();
        var image = robot.capture(window.getScene().getRoot()).getImage();
        ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", file.toFile());
    }

    @Test
    void tour(FxRobot robot) throws Exception {
        assumeTrue(System.getProperty("hotline.screenshots") != null, "set -Dhotline.screenshots=DIR");
        Path dir = Path.of(System.getProperty("hotline.screenshots")).toAbsolutePath();
        Files.createDirectories(dir);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && india.linkStatus().lastVerified().isEmpty()) {
            Thread.sleep(100);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        pakistan.sendSignal("in.pm", "deesc.ceasefire-loc", Map.of("startTime", now.plusSeconds(7200).toString()),
                Optional.empty(), Optional.empty()).get(20, TimeUnit.SECONDS);
        var movement = india.sendSignal("pk.pm", "clarify.movement-explained", Map.of("location", "the Neelum valley",
                "purpose", "a scheduled rotation of troops", "endTime", now.plusSeconds(4 * 3600).toString()),
                Optional.empty(), Optional.empty()).get(20, TimeUnit.SECONDS);
        Thread.sleep(1500);
        robot.interact(() -> indiaWindow.toFront());
        shoot(robot, indiaWindow, dir.resolve("09-received-hindi-beside-english.png"));
        robot.interact(() -> {
            pakistanWindow.setWidth(1366);
            pakistanWindow.setHeight(768);
            pakistanWindow.toFront();
        });
        shoot(robot, pakistanWindow, dir.resolve("10-received-urdu-beside-english.png"));
        // The whole received message, as its cell draws it (the conversation is short beside the compose panel).
        Node urdu = robot.from(pakistanWindow.getScene().getRoot()).lookup("#text-ur").query();
        Node message = urdu;
        while (!message.getStyleClass().contains("message")) {
            message = message.getParent();
        }
        Node cell = message;
        WaitForAsyncUtils.waitForFxEvents();
        var image = robot.capture(cell).getImage();
        ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png",
                dir.resolve("10b-received-urdu-message.png").toFile());
        robot.interact(() -> indiaWindow.toFront());
        Node hindi = robot.from(indiaWindow.getScene().getRoot()).lookup("#text-hi").query();
        Node hindiMessage = hindi;
        while (!hindiMessage.getStyleClass().contains("message")) {
            hindiMessage = hindiMessage.getParent();
        }
        ImageIO.write(SwingFXUtils.fromFXImage(robot.capture(hindiMessage).getImage(), null), "png",
                dir.resolve("09b-received-hindi-message.png").toFile());

        Node indiaRoot = indiaWindow.getScene().getRoot();
        robot.interact(() -> {
            indiaWindow.toFront();
            robot.from(indiaRoot).lookup("#signal-search").queryAs(TextField.class).setText("received and understood");
            @SuppressWarnings("unchecked")
            ListView<Signal> list = robot.from(indiaRoot).lookup("#signal-list").queryAs(ListView.class);
            list.getSelectionModel().select(list.getItems().stream()
                    .filter(x -> x.id().equals("ack.received-understood")).findFirst().orElseThrow());
        });
        robot.interact(() -> robot.from(indiaRoot).lookup("#param-ref").queryAs(TextField.class)
                .setText(movement.shortForm()));
        shoot(robot, indiaWindow, dir.resolve("11-compose-preview-what-pakistan-reads.png"));

        india.close();
        pakistan.close();
        relay.close();
    }
}
