package org.hotline.client.ui;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.stage.Stage;
import org.hotline.app.testing.RelayClients;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.ui.app.DesktopApp;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.MessageId;
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
 * Screenshots of answer-by deadlines in India's console at 1366x768 for docs/screenshots/: a
 * countdown, then a missed deadline with its escalation button. Runs only when asked, on a real
 * display (Xvfb and a window manager), taken with ImageMagick's {@code import -window root}:
 * {@code DISPLAY=:9N ./mvnw -pl hotline-app -am test -Dtest=DeadlineScreenshots -Dhotline.screenshots=docs/screenshots
 * -Dtestfx.headless=false -Dglass.platform=gtk -Dprism.text=native -Djava.awt.headless=false}
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(120)
class DeadlineScreenshots {

    @TempDir
    static Path tmp;
    static RelayFixture relay;
    static HotlineClient india;
    static HotlineClient pakistan;

    @Start
    void start(Stage stage) throws Exception {
        if (System.getProperty("hotline.screenshots") == null) {
            return;
        }
        relay = new RelayFixture(tmp, c -> c);
        india = RelayClients.open(relay, "in.pm", tmp.resolve("in.pm"));
        pakistan = RelayClients.open(relay, "pk.pm", tmp.resolve("pk.pm"));
        DesktopApp.show(stage, india, 0, 0, 1366, 768);
        india.start();
        pakistan.start();
    }

    static void shoot(Path file) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        Thread.sleep(700);
        WaitForAsyncUtils.waitForFxEvents();
        Process p = new ProcessBuilder("import", "-window", "root", file.toString()).inheritIO().start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("import -window root failed for " + file);
        }
    }

    @Test
    void countdownThenMissed(FxRobot robot) throws Exception {
        String dir = System.getProperty("hotline.screenshots");
        assumeTrue(dir != null, "set -Dhotline.screenshots=DIR");
        Path out = Path.of(dir);
        Files.createDirectories(out);
        // India asks Pakistan for facts by the catalog's 10 minutes... shortened to 8 s here so it is missed.
        MessageId ours = india.sendSignal("pk.pm", "incident.report-request-facts",
                Map.of("location", "Kestrel Ridge", "incidentTime", Instant.now().minusSeconds(1800).toString()),
                Optional.empty(), Optional.of(Instant.now().plusSeconds(8))).get(20, TimeUnit.SECONDS);
        // Pakistan asks India to confirm a call, within the catalog's 30 minutes.
        pakistan.send("in.pm", new Content.Text("Please confirm the call between our National Security Advisers at "
                + "16:00 UTC."), Optional.empty(), Optional.of(Instant.now().plusSeconds(1800))).get(20, TimeUnit.SECONDS);
        ReplyGuiTest.waitUntil(() -> robot.lookup("#deadline-" + ours.shortForm()).tryQuery().isPresent()
                && robot.lookup(".deadline-open").queryAll().size() >= 2, "two countdowns");
        shoot(out.resolve("deadline-countdown-1366x768.png"));
        ReplyGuiTest.waitUntil(() -> robot.lookup("#deadline-action-" + ours.shortForm()).tryQuery()
                .map(n -> n.isVisible()).orElse(false), "the missed mark and its escalation button");
        shoot(out.resolve("deadline-missed-1366x768.png"));
        india.close();
        pakistan.close();
        relay.close();
    }
}
