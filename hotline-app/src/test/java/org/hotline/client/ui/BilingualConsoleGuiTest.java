package org.hotline.client.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotline.client.ui.ConsoleFixture.waitUntil;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.geometry.NodeOrientation;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.TextField;
import javafx.scene.text.Font;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.ui.language.BundledFonts;
import org.hotline.client.ui.language.WordWrappedText;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * India's console (reads English and Hindi) in the real window, Pakistan's core (English and Urdu)
 * in the test: a received signal shows the reference text and the Hindi text, labelled and marked
 * unreviewed; the compose preview shows what Pakistan's seat will read, Urdu laid out right to left.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(90)
class BilingualConsoleGuiTest {

    @TempDir
    static Path tmp;
    ConsoleFixture console;
    HotlineClient pakistan;

    @Start
    void start(Stage stage) throws Exception {
        console = ConsoleFixture.open(tmp, "pk.pm");
        pakistan = console.seat("pk.pm");
        console.show(stage);
    }

    @AfterEach
    void stop() {
        console.close();
    }

    static Optional<Label> label(FxRobot robot, java.util.function.Predicate<Label> p) {
        return robot.lookup((Node n) -> n instanceof Label l && l.getText() != null && p.test(l)).tryQuery()
                .map(Label.class::cast);
    }

    /** A translation paragraph (Hindi, Urdu: a WordWrappedText, not a Label). */
    static Optional<WordWrappedText> words(FxRobot robot, java.util.function.Predicate<WordWrappedText> p) {
        return robot.lookup((Node n) -> n instanceof WordWrappedText w && p.test(w)).tryQuery()
                .map(WordWrappedText.class::cast);
    }

    @Test
    void bundledFonts_registerDevanagariAndUrduFamilies() {
        assertThat(BundledFonts.load()).containsExactly(BundledFonts.DEVANAGARI, BundledFonts.NASKH);
        assertThat(Font.getFamilies()).contains(BundledFonts.DEVANAGARI, BundledFonts.NASKH);
    }

    @Test
    void receivedSignal_showsReferenceAndHindi_labelled_withTheUnreviewedMark_andBothZones(FxRobot robot)
            throws Exception {
        Instant asOf = Instant.parse("2026-05-10T14:00:00Z");
        pakistan.sendSignal("in.pm", "posture.normal-readiness", Map.of("asOf", asOf.toString()), Optional.empty(),
                Optional.empty()).get(20, TimeUnit.SECONDS);
        waitUntil(() -> words(robot, w -> w.getText().startsWith("10 मई 2026 14:00 UTC")).isPresent(), "the Hindi text");
        assertThat(label(robot, l -> l.getText().equals("English (reference)"))).isPresent();
        assertThat(label(robot, l -> l.getText().equals("Hindi \u00b7 हिन्दी"))).isPresent();
        assertThat(label(robot, l -> l.getText().contains("translation not reviewed"))).isPresent();
        assertThat(label(robot, l -> l.getText().startsWith("Our strategic forces remain at normal peacetime"))).isPresent();
        // India reads no Urdu: the Pakistani seat's second language is not shown here.
        assertThat(label(robot, l -> l.getText().contains("اردو"))).isEmpty();
        assertThat(label(robot, l -> l.getStyleClass().contains("msg-time") && l.getText().contains(" UTC \u00b7 ")
                && l.getText().contains(" IST \u00b7 ") && l.getText().endsWith(" PKT"))).isPresent();
    }

    @Test
    void composePreview_showsWhatPakistansSeatWillRead_inEnglishAndUrdu_rightToLeft(FxRobot robot) throws Exception {
        robot.clickOn("#signal-search").write("normal readiness");
        robot.clickOn((Node n) -> n instanceof ListCell<?> c && c.getText() != null
                && c.getText().startsWith("Strategic forces at normal readiness"));
        String asOf = Instant.now().truncatedTo(ChronoUnit.MINUTES).toString();
        // The preview must keep following its list after a collection (a weakly held wrapper once froze it).
        System.gc();
        robot.interact(() -> robot.lookup("#param-asOf").queryAs(TextField.class).setText(asOf));
        waitUntil(() -> label(robot, l -> l.getText().equals("Pakistan Prime Minister will read exactly:")
                && l.isVisible()).isPresent(), "the per-recipient preview");
        Node readings = robot.lookup("#recipient-readings").query();
        assertThat(readings.isVisible()).isTrue();
        assertThat(readings.getLayoutBounds().getHeight()).isGreaterThan(40);
        assertThat(robot.lookup("#preview").query().isVisible()).as("the English-only preview gives way").isFalse();
        WordWrappedText urdu = words(robot, w -> "text-ur".equals(w.getId())).orElseThrow();
        assertThat(urdu.getText()).contains("اسٹریٹجک افواج");
        assertThat(urdu.getEffectiveNodeOrientation()).isEqualTo(NodeOrientation.RIGHT_TO_LEFT);
        assertThat(urdu.getChildren()).allSatisfy(word -> assertThat(((Text) word).getFont().getFamily())
                .isEqualTo(BundledFonts.NASKH));
        assertThat(label(robot, l -> l.getText().equals("Urdu \u00b7 اردو"))).isPresent();
        assertThat(label(robot, l -> l.getText().contains("translation not reviewed"))).isPresent();
    }
}
