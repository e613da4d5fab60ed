package org.hotline.client.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.hotline.app.testing.RelayClients;
import org.hotline.client.control.MselPlayer;
import org.hotline.client.core.ClientListener;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.core.ReceivedInject;
import org.hotline.client.ui.facilitator.FacilitatorWindow;
import org.hotline.client.ui.facilitator.InjectRow;
import org.hotline.client.ui.facilitator.NoteItem;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.audit.AuditReport;
import org.hotline.protocol.exercise.msel.Msel;
import org.hotline.protocol.exercise.msel.MselInject;
import org.hotline.protocol.wire.Content;
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
 * Exercise control's real facilitator window over a real relay, with India's prime minister as a
 * participant client: fire now, skip, pause, an ad-hoc inject, and an evaluator note in control's
 * audit log. The scenario runs at 20x with injects seconds apart, so each test takes a few seconds.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FacilitatorGuiTest {

    /** Scenario seconds per real second. */
    static final int SPEED_PERMILLE = 20_000;

    @TempDir
    static Path tmp;
    static RelayFixture relay;
    static HotlineClient india;
    static HotlineClient control;
    static MselPlayer player;
    static Stage window;
    static final List<ReceivedInject> received = new CopyOnWriteArrayList<>();

    static Msel msel() {
        OffsetDateTime start = OffsetDateTime.parse("2026-05-07T06:30:00+05:30");
        return new Msel("gui-test", "south-asia", "GUI test scenario", start, List.of(
                inject("I-01", Duration.ZERO, "Attack at the ridge"),
                inject("I-02", Duration.ofSeconds(40), "Breaking coverage"),
                inject("I-03", Duration.ofSeconds(80), "Request for facts"),
                inject("I-04", Duration.ofHours(2), "Cease-fire proposed")));
    }

    static MselInject inject(String id, Duration at, String title) {
        return new MselInject(id, at, List.of("in.pm"), Content.InjectKind.SITUATION, title, title + ": details.",
                Optional.of("a calm acknowledgement"), 1);
    }

    @Start
    void start(Stage stage) throws Exception {
        Path base = tmp.resolve("r" + System.nanoTime());
        relay = new RelayFixture(base, c -> c);
        india = RelayClients.open(relay, "in.pm", base.resolve("in.pm"));
        control = RelayClients.open(relay, "control", base.resolve("control"));
        received.clear();
        india.addListener(new ClientListener() {
            @Override
            public void injectReceived(ReceivedInject i) {
                received.add(i);
            }
        });
        player = MselPlayer.open(control, msel(), base.resolve("control"), SPEED_PERMILLE, Clock.systemUTC());
        // Monocle's headless screen is 1280x800: a larger window overflows its software frame buffer.
        // A stage of its own: the primary stage is shared with the other GUI test classes of this JVM.
        window = new Stage();
        FacilitatorWindow.show(window, control, player, new Rectangle2D(0, 0, 1280, 760));
        india.start();
        control.start();
        player.start().get(20, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop(FxRobot robot) {
        robot.interact(window::hide);
        player.close();
        india.close();
        control.close();
        relay.close();
    }

    @SuppressWarnings("unchecked")
    static TableView<InjectRow> timeline(FxRobot robot) {
        return robot.lookup("#msel-timeline").queryAs(TableView.class);
    }

    static InjectRow row(FxRobot robot, String id) {
        return timeline(robot).getItems().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    static void select(FxRobot robot, String id) {
        TableView<InjectRow> t = timeline(robot);
        robot.interact(() -> t.getSelectionModel().select(row(robot, id)));
    }

    static boolean got(String injectId) {
        return received.stream().anyMatch(i -> i.injectId().equals(injectId));
    }

    @Test
    void fireNow_deliversTheInjectToTheParticipant_andTheRowShowsIt(FxRobot robot) throws Exception {
        ConsoleGuiTest.waitUntil(() -> timeline(robot).getItems().size() == 4, "the timeline");
        assertThat(row(robot, "I-04").recipients()).isEqualTo("pending: in.pm");
        select(robot, "I-04");
        robot.clickOn("#inject-fire");
        ConsoleGuiTest.waitUntil(() -> got("I-04"), "I-04 at in.pm");
        assertThat(received).extracting(ReceivedInject::injectId).containsExactly("I-04");
        ConsoleGuiTest.waitUntil(() -> row(robot, "I-04").recipients().equals("delivered: in.pm"),
                () -> "I-04 delivered on the timeline, not " + row(robot, "I-04").recipients());
        assertThat(row(robot, "I-04").state()).isEqualTo("sent");
    }

    @Test
    void skip_marksTheInjectSkipped_andItIsNeverSent(FxRobot robot) throws Exception {
        ConsoleGuiTest.waitUntil(() -> timeline(robot).getItems().size() == 4, "the timeline");
        select(robot, "I-02");
        robot.clickOn("#inject-skip");
        ConsoleGuiTest.waitUntil(() -> row(robot, "I-02").state().equals("skipped"), "I-02 skipped");
        assertThat(row(robot, "I-02").recipients()).isEqualTo("skipped: in.pm");
        robot.clickOn("#clock-start");
        // I-03 comes after I-02's time: once it is in, I-02 would have been sent had it not been skipped.
        ConsoleGuiTest.waitUntil(() -> got("I-03"), "I-03 at in.pm");
        assertThat(received).extracting(ReceivedInject::injectId).containsExactly("I-01", "I-03");
    }

    @Test
    void pause_holdsTheNextScheduledInject_andPausedShows_resumeReleasesIt(FxRobot robot) throws Exception {
        robot.clickOn("#clock-start");
        robot.clickOn("#clock-pause");
        ConsoleGuiTest.waitUntil(() -> robot.lookup("#control-paused").queryAs(Node.class).isVisible(), "PAUSED shown");
        assertThat(ConsoleGuiTest.anyLabel(robot, "Clock: PAUSED")).isTrue();
        ConsoleGuiTest.waitUntil(() -> got("I-01") && india.scenarioClock().join().map(c -> c.paused()).orElse(false),
                "I-01 and the paused clock at in.pm");
        // I-02 is due 2 s of real time after the start: wait past it.
        Thread.sleep(3_000);
        assertThat(got("I-02")).isFalse();
        assertThat(row(robot, "I-02").state()).isEqualTo("pending");
        robot.clickOn("#clock-resume");
        ConsoleGuiTest.waitUntil(() -> got("I-02"), "I-02 released on resume");
        assertThat(robot.lookup("#control-paused").queryAs(Node.class).isVisible()).isFalse();
    }

    @Test
    void adHocInject_isSignedAndSent_andJoinsTheTimeline(FxRobot robot) throws Exception {
        robot.clickOn("#inject-adhoc");
        robot.clickOn((Node n) -> n instanceof CheckBox c && "in.pm".equals(c.getText()));
        robot.clickOn("#adhoc-title").write("Statement delayed");
        robot.clickOn("#adhoc-text").write("Briefing postponed.");
        robot.clickOn("#adhoc-send");
        ConsoleGuiTest.waitUntil(() -> got("AH-01"), "the ad-hoc inject at in.pm");
        ReceivedInject i = received.get(0);
        assertThat(i.title()).isEqualTo("Statement delayed");
        assertThat(i.from()).isEqualTo("control");
        assertThat(i.kind()).isEqualTo("situation");
        ConsoleGuiTest.waitUntil(() -> timeline(robot).getItems().size() == 5, "AH-01 on the timeline");
        assertThat(row(robot, "AH-01").adHoc()).isTrue();
    }

    @Test
    void evaluatorNote_isSignedIntoControlsAuditLog_andVerifies(FxRobot robot) throws Exception {
        robot.clickOn("Evaluator notes");
        robot.clickOn("#note-text").write("in.pm asked for facts before replying.");
        robot.clickOn("#note-add");
        @SuppressWarnings("unchecked")
        ListView<NoteItem> notes = robot.lookup("#notes").queryAs(ListView.class);
        ConsoleGuiTest.waitUntil(() -> notes.getItems().size() == 1, "the note in the list");
        assertThat(notes.getItems().get(0).text()).isEqualTo("in.pm asked for facts before replying.");
        AuditReport report = control.verifyAuditLog().get(20, TimeUnit.SECONDS);
        assertThat(report.problem()).isEmpty();
        assertThat(report.accepted()).extracting(e -> e.event())
                .filteredOn(AuditEvent.EvaluatorNote.class::isInstance)
                .singleElement().satisfies(e -> {
                    AuditEvent.EvaluatorNote n = (AuditEvent.EvaluatorNote) e;
                    assertThat(n.author()).isEqualTo("control");
                    assertThat(n.text()).isEqualTo("in.pm asked for facts before replying.");
                    assertThat(n.scenarioTime()).isEqualTo(msel().start());
                });
        WaitForAsyncUtils.waitForFxEvents();
    }
}
