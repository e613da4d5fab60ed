package org.hotline.client.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.hotline.app.testing.RelayClients;
import org.hotline.client.core.ClientListener;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.core.ReceivedMessage;
import org.hotline.client.ui.app.DesktopApp;
import org.hotline.protocol.wire.Content;
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

/**
 * Answer-by deadlines in India's real console: the countdown on a message that asks for a reply,
 * "no reply by …" in both parties' zones once it passes, the one-click escalation to India's NSA,
 * and the compose form preset to the signal's catalog default.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(90)
class DeadlineGuiTest {

    @TempDir
    static Path tmp;
    static RelayFixture relay;
    static HotlineClient india;
    static HotlineClient pakistan;
    static HotlineClient indiaNsa;
    static final BlockingQueue<ReceivedMessage> nsaInbox = new LinkedBlockingQueue<>();

    @Start
    void start(Stage stage) throws Exception {
        Path base = tmp.resolve("r" + System.nanoTime());
        relay = new RelayFixture(base, c -> c);
        india = RelayClients.open(relay, "in.pm", base.resolve("in.pm"));
        pakistan = RelayClients.open(relay, "pk.pm", base.resolve("pk.pm"));
        indiaNsa = RelayClients.open(relay, "in.nsa", base.resolve("in.nsa"));
        nsaInbox.clear();
        indiaNsa.addListener(new ClientListener() {
            @Override
            public void messageReceived(ReceivedMessage m) {
                nsaInbox.add(m);
            }
        });
        DesktopApp.show(stage, india, 0, 0, DesktopApp.WIDTH, DesktopApp.HEIGHT);
        india.start();
        pakistan.start();
        indiaNsa.start();
    }

    @AfterEach
    void stop() {
        india.close();
        pakistan.close();
        indiaNsa.close();
        relay.close();
    }

    static String text(FxRobot robot, String id) {
        return robot.lookup("#" + id).tryQuery().map(n -> ((Label) n).getText()).orElse("");
    }

    @Test
    void aReceivedRequest_countsDown_thenIsMarkedNoReplyBy_inBothZones(FxRobot robot) throws Exception {
        Instant by = Instant.now().plusSeconds(4);
        MessageId id = pakistan.send("in.pm", new Content.Text("Please confirm the call at 16:00 UTC."), Optional.empty(),
                Optional.of(by)).get(20, TimeUnit.SECONDS);
        String line = "deadline-" + id.shortForm();
        ReplyGuiTest.waitUntil(() -> text(robot, line).contains("left"), "the countdown");
        assertThat(text(robot, line)).startsWith("\u23F3 Reply asked by ").contains(" IST \u00b7 ").contains(" PKT (")
                .contains(" UTC) \u2014 ").matches(".*\\d:\\d\\d left");
        ReplyGuiTest.waitUntil(() -> text(robot, line).startsWith("\u26A0 no reply by"), "the missed mark");
        java.time.format.DateTimeFormatter hhmm = java.time.format.DateTimeFormatter.ofPattern("HH:mm");
        assertThat(text(robot, line)).isEqualTo("\u26A0 no reply by "
                + hhmm.format(by.atZone(java.time.ZoneId.of("Asia/Kolkata"))) + " IST \u00b7 "
                + hhmm.format(by.atZone(java.time.ZoneId.of("Asia/Karachi"))) + " PKT ("
                + hhmm.format(by.atZone(java.time.ZoneOffset.UTC)) + " UTC)");
        // The recipient has nothing to escalate.
        assertThat(robot.lookup("#deadline-action-" + id.shortForm()).query().isVisible()).isFalse();
    }

    @Test
    void aMissedRequestOfOurs_offersEscalation_oneClickSendsItToOurNsa(FxRobot robot) throws Exception {
        MessageId id = india.send("pk.pm", new Content.Text("Please confirm the call at 16:00 UTC."), Optional.empty(),
                Optional.of(Instant.now().plusSeconds(3))).get(20, TimeUnit.SECONDS);
        String action = "#deadline-action-" + id.shortForm();
        ReplyGuiTest.waitUntil(() -> robot.lookup(action).tryQuery().map(n -> n.isVisible()).orElse(false),
                "the escalate button");
        assertThat(robot.lookup(action).queryButton().getText()).isEqualTo("Escalate to India National Security Adviser");
        robot.clickOn(action);
        ReceivedMessage request = nsaInbox.poll(20, TimeUnit.SECONDS);
        assertThat(request).isNotNull();
        assertThat(request.signalId()).contains("channel.escalation-request");
        assertThat(request.params()).containsEntry("ref", id.hex());
        ReplyGuiTest.waitUntil(() -> text(robot, "deadline-" + id.shortForm())
                .endsWith("\u2014 escalated to India National Security Adviser"), "the escalated mark");
        assertThat(robot.lookup(action).query().isVisible()).isFalse();
    }

    @Test
    void composeForm_presetsTheSignalsDefault_andTheSenderCanClearIt(FxRobot robot) throws Exception {
        robot.clickOn("#signal-search").write("Request details of a message");
        ReplyGuiTest.waitUntil(() -> robot.lookup("#signal-list .list-cell").tryQuery().isPresent(), "the signal");
        robot.clickOn("Request details of a message   \u00b7 Clarification");
        @SuppressWarnings("unchecked")
        ComboBox<String> within = robot.lookup("#answer-by").queryAs(ComboBox.class);
        ReplyGuiTest.waitUntil(() -> "30m".equals(within.getValue()), "the catalog's 30 minutes");
        assertThat(text(robot, "answer-by-hint")).startsWith("Reply asked by ").contains(" IST \u00b7 ");
        robot.interact(() -> within.setValue("none"));
        assertThat(text(robot, "answer-by-hint")).isEqualTo("No reply asked for");
        robot.interact(() -> within.setValue("soon"));
        assertThat(text(robot, "answer-by-hint")).startsWith("Not a duration");
        robot.interact(() -> within.setValue("10m"));
        assertThat(robot.lookup("#answer-by").queryAs(ComboBox.class).getValue()).isEqualTo("10m");
        assertThat(text(robot, "answer-by-hint")).startsWith("Reply asked by ");
    }
}
