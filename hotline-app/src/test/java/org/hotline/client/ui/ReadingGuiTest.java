package org.hotline.client.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotline.client.ui.ConsoleFixture.clickWhenShown;
import static org.hotline.client.ui.ConsoleFixture.waitUntil;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.hotline.client.core.ClientListener;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.core.MessageReading;
import org.hotline.client.core.ReceivedMessage;
import org.hotline.client.ui.app.DesktopApp;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.Intent;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.ReadAs;
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
 * How each message was read, in India's real console (PROTOCOL.md §4.2): the reading buttons under
 * a received message record a reading in two clicks, with a note, sealed to exercise control only;
 * the free-text form requires an intent, which is signed with the text. With
 * {@code -Dhotline.screenshots=DIR} on a real display it also saves the open reading buttons as
 * {@code reading-buttons-1366x768.png} (the whole screen, docs/screenshots/README.md).
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(90)
class ReadingGuiTest {

    @TempDir
    static Path tmp;
    ConsoleFixture console;
    HotlineClient pakistan;
    final BlockingQueue<ReceivedMessage> pakistanInbox = new LinkedBlockingQueue<>();
    final BlockingQueue<MessageReading> atControl = new LinkedBlockingQueue<>();
    final BlockingQueue<MessageReading> atPakistan = new LinkedBlockingQueue<>();

    @Start
    void start(Stage stage) throws Exception {
        console = ConsoleFixture.open(tmp, "pk.pm", "control");
        pakistan = console.seat("pk.pm");
        pakistan.addListener(new ClientListener() {
            @Override
            public void messageReceived(ReceivedMessage m) {
                if (!m.acknowledged()) {
                    pakistanInbox.add(m);
                }
            }

            @Override
            public void readingReceived(MessageReading r) {
                atPakistan.add(r);
            }
        });
        console.seat("control").addListener(new ClientListener() {
            @Override
            public void readingReceived(MessageReading r) {
                atControl.add(r);
            }
        });
        // Monocle's headless screen is DesktopApp's default size; the screenshot run uses a 1366x768 display.
        boolean shots = System.getProperty("hotline.screenshots") != null;
        console.show(stage, shots ? 1366 : DesktopApp.WIDTH, shots ? 768 : DesktopApp.HEIGHT);
    }

    @AfterEach
    void stop() {
        console.close();
    }

    @Test
    void readingButtons_recordAReadingInTwoClicks_sealedToControlOnly(FxRobot robot) throws Exception {
        MessageId id = pakistan.sendSignal("in.pm", "posture.normal-readiness",
                Map.of("asOf", "2026-05-10T14:00:00Z"), Optional.empty(), Optional.empty()).get(20, TimeUnit.SECONDS);
        String s = id.shortForm();
        waitUntil(() -> robot.lookup("#reading-open-" + s).tryQuery().isPresent(), "the reading button");
        clickWhenShown(robot, "#reading-open-" + s);
        waitUntil(() -> robot.lookup("#read-as-concerning-" + s).tryQuery().isPresent(), "the five readings");
        List<String> choices = robot.lookup(".read-as").queryAllAs(javafx.scene.control.Button.class).stream()
                .map(javafx.scene.control.Button::getText).toList();
        assertThat(choices).containsExactly("Reassuring", "Neutral", "Unclear", "Concerning", "Threatening");
        robot.interact(() -> robot.lookup("#reading-note-" + s).queryAs(TextField.class)
                .setText("'Normal' readiness, but why say it now?"));
        assertThat(robot.lookup(".reading-audience").queryAs(Label.class).getText())
                .isEqualTo("Only exercise control sees your reading; the sender never does.");
        screenshot(robot);
        clickWhenShown(robot, "#read-as-concerning-" + s);

        MessageReading seen = atControl.poll(20, TimeUnit.SECONDS);
        assertThat(seen).as("control receives the reading").isNotNull();
        assertThat(seen.messageId()).isEqualTo(id);
        assertThat(seen.reader()).isEqualTo("in.pm");
        assertThat(seen.readAs()).isEqualTo(ReadAs.CONCERNING);
        assertThat(seen.note()).isEqualTo("'Normal' readiness, but why say it now?");
        waitUntil(() -> robot.lookup("#reading-done-" + s).tryQuery().isPresent(), "the recorded reading");
        assertThat(robot.lookup("#reading-done-" + s).queryAs(Label.class).getText())
                .isEqualTo("You read this as concerning");
        // The other state: nothing about the reading reaches Pakistan.
        assertThat(atPakistan).isEmpty();
        assertThat(pakistanInbox).isEmpty();
    }

    @Test
    void freeText_needsAnIntent_whichIsSignedWithTheText(FxRobot robot) throws Exception {
        robot.clickOn("Free text");
        robot.clickOn("#free-text").write("Our aircraft stay on our side of the line.");
        robot.clickOn("#send-text");
        waitUntil(() -> robot.lookup((javafx.scene.Node n) -> n instanceof Label l && l.getText() != null
                && l.getText().startsWith("Choose what the text is meant to do")).tryQuery().isPresent(),
                "the intent is asked for");
        assertThat(pakistanInbox.poll(1, TimeUnit.SECONDS)).as("nothing is sent without an intent").isNull();
        robot.clickOn("#intent-reassure");
        robot.clickOn("#send-text");
        ReceivedMessage got = pakistanInbox.poll(20, TimeUnit.SECONDS);
        assertThat(got).isNotNull();
        assertThat(got.text()).isEqualTo("Our aircraft stay on our side of the line.");
        var received = pakistan.verifyAuditLog().get(20, TimeUnit.SECONDS).accepted().stream().map(e -> e.event())
                .filter(e -> e instanceof AuditEvent.MessageReceived).map(e -> (AuditEvent.MessageReceived) e)
                .filter(m -> m.header().messageId().equals(got.id())).findFirst().orElseThrow();
        assertThat(((Content.Text) received.content()).intent()).contains(Intent.REASSURE);
        waitUntil(() -> !robot.lookup("#intent-reassure").queryAs(javafx.scene.control.ToggleButton.class).isSelected(),
                "the intent is chosen afresh for the next text");
    }

    /** The whole screen, as {@code import -window root} takes it, when asked for. */
    private static void screenshot(FxRobot robot) throws Exception {
        String dir = System.getProperty("hotline.screenshots");
        if (dir == null) {
            return;
        }
        WaitForAsyncUtils.waitForFxEvents();
        Thread.sleep(800);
        WaitForAsyncUtils.waitForFxEvents();
        Path file = Path.of(dir).toAbsolutePath().resolve("reading-buttons-1366x768.png");
        Files.createDirectories(file.getParent());
        var image = robot.capture(Screen.getPrimary().getBounds()).getImage();
        ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", file.toFile());
    }
}
