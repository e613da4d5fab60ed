package org.hotline.client.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.hotline.client.core.ClientListener;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.core.ReceivedMessage;
import org.hotline.protocol.wire.MessageId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Reply on a received message, in India's real console: the catalog's suggested replies come first,
 * one click prefills the reply with the original's id, and the reply carries inReplyTo.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(90)
class ReplyGuiTest {

    @TempDir
    static Path tmp;
    ConsoleFixture console;
    HotlineClient india;
    HotlineClient pakistan;
    final BlockingQueue<ReceivedMessage> pakistanInbox = new LinkedBlockingQueue<>();

    @Start
    void start(Stage stage) throws Exception {
        console = ConsoleFixture.open(tmp, "pk.pm");
        india = console.india();
        pakistan = console.seat("pk.pm");
        pakistan.addListener(new ClientListener() {
            @Override
            public void messageReceived(ReceivedMessage m) {
                if (!m.acknowledged()) {
                    pakistanInbox.add(m);
                }
            }
        });
        console.show(stage);
    }

    @AfterEach
    void stop() {
        console.close();
    }

    /** Kept for the other console tests that wait with it (DeadlineGuiTest, DeadlineScreenshots). */
    static void waitUntil(java.util.function.BooleanSupplier condition, String what) throws Exception {
        ConsoleFixture.waitUntil(condition, what);
    }

    @Test
    void reply_offersTheSuggestedRepliesFirst_prefillsTheReference_andSendsInReplyTo(FxRobot robot) throws Exception {
        MessageId original = pakistan.sendSignal("in.pm", "deesc.ceasefire-loc",
                Map.of("startTime", "2026-05-10T16:00:00Z"), Optional.empty(), Optional.empty()).get(20, TimeUnit.SECONDS);
        waitUntil(() -> robot.lookup(".reply-button").tryQuery().isPresent(), "the Reply button");
        ConsoleFixture.clickWhenShown(robot, ".reply-button");
        waitUntil(() -> robot.lookup("#reply-quote").tryQuery().map(Node::isVisible).orElse(false), "the reply bar");
        assertThat(robot.lookup("#reply-quote").queryAs(Label.class).getText())
                .startsWith("\u21A9 Replying to Pakistan Prime Minister: \u201cWe propose a cease-fire along the Line of Control");
        // deesc.ceasefire-loc's replies in the catalog: accept, considering, counter-proposal, request details.
        assertThat(robot.lookup(".reply-suggestion").queryAllAs(Button.class)).extracting(Button::getText)
                .containsExactly("Cease-fire accepted", "Proposal under consideration", "Alternative proposal",
                        "Request details of a message");
        robot.clickOn("Proposal under consideration");
        waitUntil(() -> robot.lookup("#param-ref").tryQuery().isPresent(), "the reply's form");
        assertThat(robot.lookup("#param-ref").queryAs(TextField.class).getText()).isEqualTo(original.shortForm());
        // replyBy is a future time (catalog "when": "future"); the form refuses one already past.
        robot.interact(() -> robot.lookup("#param-replyBy").queryAs(TextField.class).setText("2030-05-10T15:00Z"));
        robot.clickOn("#send-signal");
        ReceivedMessage reply = pakistanInbox.poll(20, TimeUnit.SECONDS);
        assertThat(reply).isNotNull();
        assertThat(reply.signalId()).contains("ack.considering");
        assertThat(reply.inReplyTo()).contains(original);
        assertThat(reply.params()).containsEntry("ref", original.shortForm());
        waitUntil(() -> !robot.lookup("#reply-bar").query().isVisible(), "the reply bar to close after sending");
    }

    @Test
    void aReceivedReply_isShownUnderAOneLineQuoteOfTheOriginal(FxRobot robot) throws Exception {
        MessageId original = india.sendSignal("pk.pm", "posture.normal-readiness",
                Map.of("asOf", "2026-05-10T14:00:00Z"), Optional.empty(), Optional.empty()).get(20, TimeUnit.SECONDS);
        pakistan.sendSignal("in.pm", "ack.received-understood", Map.of("ref", original.shortForm()), Optional.of(original),
                Optional.empty()).get(20, TimeUnit.SECONDS);
        waitUntil(() -> robot.lookup(".reply-quote").tryQuery().isPresent(), "the quote");
        assertThat(robot.lookup(".reply-quote").queryAs(Label.class).getText())
                .isEqualTo("\u21A9 You: \u201cOur strategic forces remain at normal peacetime readiness as of 10 May 2026"
                        + " 14:00 UTC (19\u2026\u201d");
    }
}
