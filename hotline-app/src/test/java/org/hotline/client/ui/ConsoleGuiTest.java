package org.hotline.client.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.hotline.client.core.ClientConfig;
import org.hotline.client.core.ClientListener;
import org.hotline.client.core.DeliveryState;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.core.ReceivedMessage;
import org.hotline.client.ui.app.PassphraseDialog;
import org.hotline.protocol.pki.PkiException;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.MessageId;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The real console window, driven headlessly (Monocle) by a robot: India's prime minister in the
 * window, Pakistan's as a second client core in the test, a real relay between them.
 */
@ExtendWith(ApplicationExtension.class)
class ConsoleGuiTest {

    @TempDir
    static Path tmp;
    ConsoleFixture console;
    RelayFixture relay;
    HotlineClient india;
    HotlineClient pakistan;
    final java.util.concurrent.BlockingQueue<ReceivedMessage> pakistanInbox =
            new java.util.concurrent.LinkedBlockingQueue<>();
    final Map<MessageId, DeliveryState> pakistanStates = new java.util.concurrent.ConcurrentHashMap<>();

    @Start
    void start(Stage stage) throws Exception {
        console = ConsoleFixture.open(tmp, "pk.pm");
        relay = console.relay();
        india = console.india();
        pakistan = console.seat("pk.pm");
        pakistan.addListener(new ClientListener() {
            @Override
            public void messageReceived(ReceivedMessage m) {
                if (!m.acknowledged()) {
                    pakistanInbox.add(m);
                }
            }

            @Override
            public void deliveryStateChanged(MessageId id, DeliveryState s) {
                pakistanStates.merge(id, s, (a, b) -> b.isAfter(a) ? b : a);
            }
        });
        console.show(stage);
    }

    @AfterEach
    void stop() {
        console.close();
    }

    /** Kept for the other console tests that wait with it (FacilitatorGuiTest, HalfScreen…, ConsoleIssue15…). */
    static void waitUntil(java.util.function.BooleanSupplier condition, String what) throws Exception {
        ConsoleFixture.waitUntil(condition, what);
    }

    static void waitUntil(java.util.function.BooleanSupplier condition, java.util.function.Supplier<String> what)
            throws Exception {
        ConsoleFixture.waitUntil(condition, what);
    }

    static boolean anyLabel(FxRobot robot, String text) {
        return ConsoleFixture.anyLabel(robot, text);
    }

    @Test
    void windowTitle_namesTheSeat(FxRobot robot) {
        assertThat(robot.window(0).getScene().getWindow()).isInstanceOfSatisfying(Stage.class,
                s -> assertThat(s.getTitle()).isEqualTo("Hotline \u2014 India Prime Minister"));
    }

    @Test
    void pickSignal_fill_send_deliveredAtPeer_acknowledged_stateChangesOnSender(FxRobot robot) throws Exception {
        waitUntil(() -> robot.lookup("#line-state").queryAs(Label.class).getText().contains("VERIFIED")
                || robot.lookup("#line-state").queryAs(Label.class).getText().contains("CONNECTING"), "line up");
        robot.clickOn("#signal-search").write("peacetime");
        robot.clickOn((Node n) -> n instanceof javafx.scene.control.ListCell<?> c && c.getText() != null
                && c.getText().startsWith("Strategic forces at normal readiness"));
        TextField asOf = robot.lookup("#param-asOf").queryAs(TextField.class);
        robot.interact(() -> asOf.setText(""));
        robot.clickOn(asOf).write("2026-05-10T14:00Z");
        String preview = robot.lookup("#preview").queryAs(Label.class).getText();
        assertThat(preview).isEqualTo("Our strategic forces remain at normal peacetime readiness as of "
                + "10 May 2026 14:00 UTC (19:30 IST, 19:00 PKT).");
        robot.clickOn("#send-signal");
        ReceivedMessage got = pakistanInbox.poll(20, TimeUnit.SECONDS);
        assertThat(got).isNotNull();
        assertThat(got.text()).isEqualTo(preview);
        waitUntil(() -> anyLabel(robot, "delivered"), "sender shows delivered");
        pakistan.acknowledge(got.id()).get();
        waitUntil(() -> anyLabel(robot, "acknowledged"), "sender shows acknowledged");
    }

    @Test
    void incomingMessage_raisesTheAlarm_untilOpened_andCanBeAcknowledged(FxRobot robot) throws Exception {
        MessageId id = pakistan.sendSignal("in.pm", "deesc.ceasefire-loc", Map.of("startTime", "2026-05-10T16:00Z"),
                Optional.empty(), Optional.empty()).get();
        waitUntil(() -> robot.lookup("#alarm").queryAs(Button.class).isVisible(), "alarm shown");
        assertThat(robot.lookup("#alarm").queryAs(Button.class).getText()).contains("NEW MESSAGE from Pakistan Prime Minister");
        robot.clickOn("#alarm");
        waitUntil(() -> !robot.lookup("#alarm").queryAs(Button.class).isVisible(), "alarm cleared");
        robot.clickOn((Node n) -> n instanceof Button b && "Acknowledge".equals(b.getText()));
        waitUntil(() -> pakistanStates.get(id) == DeliveryState.ACKNOWLEDGED, "peer sees acknowledged");
    }

    @Test
    void lineStatus_flipsToDown_whenTheRelayStops(FxRobot robot) throws Exception {
        waitUntil(() -> india.linkStatus().connected(), "connected");
        relay.stop();
        waitUntil(() -> robot.lookup("#line-state").queryAs(Label.class).getText().contains("DOWN"), "line down");
        assertThat(robot.lookup("#line-text").queryAs(Label.class).getText()).startsWith("line down");
        relay.start();
    }

    @Test
    void calmWordingWarning_isShown_thenTheTextCanStillBeSent(FxRobot robot) throws Exception {
        robot.clickOn("Free text");
        robot.clickOn("#free-text").write("We will give a befitting reply.");
        waitUntil(() -> anyLabel(robot, "befitting reply"), "warning shown");
        assertThat(robot.lookup("#use-suggestion").tryQuery()).isPresent();
        robot.clickOn("#intent-warn");
        robot.clickOn("#send-text");
        waitUntil(() -> robot.lookup("#send-text").queryAs(Button.class).getText().equals("Send as written"), "second step");
        robot.clickOn("#send-text");
        ReceivedMessage got = pakistanInbox.poll(20, TimeUnit.SECONDS);
        assertThat(got).isNotNull();
        assertThat(got.text()).isEqualTo("We will give a befitting reply.");
    }

    @Test
    void auditTab_verifiesTheLog(FxRobot robot) throws Exception {
        waitUntil(() -> india.linkStatus().connected(), "connected");
        robot.clickOn("Audit log");
        robot.clickOn("#verify-log");
        waitUntil(() -> robot.lookup("#verify-result").queryAs(Label.class).getText().startsWith("Intact"),
                () -> "verified, but the result says: " + robot.lookup("#verify-result").queryAs(Label.class).getText());
        assertThat(robot.lookup("#audit-table").queryAs(javafx.scene.control.TableView.class).getItems()).isNotEmpty();
    }

    @Test
    void keyboard_ctrlF_focusesSignalSearch(FxRobot robot) {
        robot.press(javafx.scene.input.KeyCode.CONTROL).press(javafx.scene.input.KeyCode.F)
                .release(javafx.scene.input.KeyCode.F).release(javafx.scene.input.KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#signal-search").queryAs(TextField.class).isFocused()).isTrue();
        assertThat(robot.lookup("#signal-list").queryAs(ListView.class).getItems()).hasSizeGreaterThanOrEqualTo(30);
    }

    @Test
    void passphraseDialog_rejectsAWrongPassphrase_thenOpens(FxRobot robot) throws Exception {
        java.util.concurrent.atomic.AtomicReference<HotlineClient> opened = new java.util.concurrent.atomic.AtomicReference<>();
        PassphraseDialog[] dialog = new PassphraseDialog[1];
        robot.interact(() -> {
            dialog[0] = new PassphraseDialog("in.nsa", pass -> {
                try {
                    opened.set(HotlineClient.open(ClientConfig.defaults(relay.exercise().dir(), "in.nsa", "127.0.0.1",
                            relay.port(), console.base().resolve("in.nsa")), pass, Clock.systemUTC()));
                    return Optional.empty();
                } catch (PkiException e) {
                    return Optional.of(e.reason() == PkiException.Reason.WRONG_PASSPHRASE
                            ? "Wrong passphrase for in.nsa. Try again." : e.getMessage());
                } catch (Exception e) {
                    return Optional.of(e.getMessage());
                }
            });
            dialog[0].stage().show();
        });
        robot.clickOn("#passphrase").write("not the passphrase");
        robot.clickOn("#passphrase-ok");
        waitUntil(() -> robot.lookup("#passphrase-error").queryAs(Label.class).getText().startsWith("Wrong passphrase"),
                "wrong passphrase shown");
        assertThat(dialog[0].stage().isShowing()).isTrue();
        robot.clickOn("#passphrase").write(TestExercise.PASSPHRASE);
        robot.clickOn("#passphrase-ok");
        waitUntil(() -> opened.get() != null, "credential opened");
        waitUntil(() -> !dialog[0].stage().isShowing(), "dialog closed");
        opened.get().close();
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.SECONDS)
    void passphraseDialog_opensTheCredentialOffTheFxThread_showingProgress(FxRobot robot) throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<Thread> ranOn = new java.util.concurrent.atomic.AtomicReference<>();
        PassphraseDialog[] dialog = new PassphraseDialog[1];
        robot.interact(() -> {
            dialog[0] = new PassphraseDialog("in.nsa", pass -> {
                ranOn.set(Thread.currentThread());
                try {
                    release.await(30, TimeUnit.SECONDS); // a slow PBKDF2
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Optional.empty();
            });
            dialog[0].stage().show();
        });
        robot.clickOn("#passphrase").write("anything");
        robot.clickOn("#passphrase-ok");
        // waitUntil pumps FX events: it could not return if the attempt blocked the FX thread.
        waitUntil(() -> robot.lookup("#passphrase-progress").query().isVisible(), "progress shown while opening");
        assertThat(robot.lookup("#passphrase-status").queryAs(Label.class).getText()).startsWith("Opening");
        assertThat(robot.lookup("#passphrase-ok").queryAs(Button.class).isDisabled()).isTrue();
        waitUntil(() -> ranOn.get() != null, "attempt started");
        assertThat(ranOn.get().getName()).isEqualTo("hotline-open-credential");
        assertThat(dialog[0].stage().isShowing()).isTrue();
        release.countDown();
        waitUntil(() -> !dialog[0].stage().isShowing(), "dialog closed once the credential opened");
    }
}
