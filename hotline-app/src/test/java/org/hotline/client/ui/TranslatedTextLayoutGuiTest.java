package org.hotline.client.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.geometry.Bounds;
import javafx.geometry.NodeOrientation;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.hotline.client.ui.console.Theme;
import org.hotline.client.ui.language.BundledFonts;
import org.hotline.client.ui.language.LanguageText;
import org.hotline.client.ui.language.TranslatedTextView;
import org.hotline.client.ui.language.Translations;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.ExerciseFiles;
import org.hotline.protocol.signals.SignalCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The translation blocks of a received signal laid out at console widths, without a relay: every
 * glyph of the Urdu and Hindi text stays inside its paragraph (a wrapping Label drew each wrapped
 * line with the rest of the paragraph after it, past the right edge), Urdu wraps onto several
 * lines, each line right-aligned and the paragraph laid out right to left, and the English
 * reference is laid out as before.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(60)
class TranslatedTextLayoutGuiTest {

    /** The block widths the console gives a message, from a narrow window to a full-HD one. */
    static final double[] WIDTHS = {600, 900, 1300};

    final SimpleDoubleProperty textWidth = new SimpleDoubleProperty(WIDTHS[0]);
    final StackPane root = new StackPane();

    @Start
    void start(Stage stage) {
        BundledFonts.load();
        Scene scene = new Scene(root, 1400, 700);
        Theme.apply(scene, false);
        stage.setScene(scene);
        stage.show();
    }

    /** Pakistan's seat reads English and Urdu; India's English and Hindi (the shipped exercise). */
    static List<LanguageText> texts(String role) throws Exception {
        Exercise e = ExerciseFiles.parse(ExerciseFiles.instantiate("south-asia", "ex-layout"));
        return new Translations(SignalCatalog.builtIn(), e.parties()).forReader("posture.normal-readiness",
                Map.of("asOf", "2026-12-01T18:42:00Z"), e.role(role).orElseThrow());
    }

    VBox show(FxRobot robot, List<LanguageText> texts, double width) {
        VBox[] view = new VBox[1];
        robot.interact(() -> {
            textWidth.set(width);
            view[0] = TranslatedTextView.of(texts, textWidth);
            VBox holder = new VBox(view[0]);
            holder.setMaxWidth(width);
            root.getChildren().setAll(holder);
        });
        WaitForAsyncUtils.waitForFxEvents();
        return view[0];
    }

    static Region paragraph(FxRobot robot, String code) {
        return robot.lookup("#text-" + code).queryAs(Region.class);
    }

    /** Every Text under {@code p}, in p's coordinates. */
    static List<Bounds> glyphBoxes(Region p) {
        List<Bounds> out = new ArrayList<>();
        collect(p, p, out);
        return out;
    }

    private static void collect(Region p, Node n, List<Bounds> out) {
        if (n instanceof Text t && !t.getText().isBlank()) {
            out.add(p.sceneToLocal(t.localToScene(t.getBoundsInLocal())));
        }
        if (n instanceof Parent parent) {
            for (Node child : parent.getChildrenUnmodifiable()) {
                collect(p, child, out);
            }
        }
    }

    /** The right edge of each line's text, by line (top to bottom). */
    static List<Double> lineRightEdges(List<Bounds> boxes) {
        Map<Long, Double> right = new TreeMap<>();
        for (Bounds b : boxes) {
            right.merge(Math.round(b.getMinY()), b.getMaxX(), Math::max);
        }
        return List.copyOf(right.values());
    }

    static void assertInside(Region p, List<Bounds> boxes, String what) {
        assertThat(boxes).as(what + ": the text is laid out").isNotEmpty();
        for (Bounds b : boxes) {
            assertThat(b.getMinX()).as(what + ": nothing starts left of the paragraph").isGreaterThanOrEqualTo(-1.0);
            assertThat(b.getMaxX()).as(what + ": nothing runs past the paragraph's right edge (" + p.getWidth() + ")")
                    .isLessThanOrEqualTo(p.getWidth() + 1.0);
            // A few pixels of slack: the last line's descenders may hang below the line box.
            assertThat(b.getMaxY()).as(what + ": no line below the paragraph").isLessThanOrEqualTo(p.getHeight() + 4.0);
        }
    }

    @Test
    void urdu_wrapsInsideItsBlock_rightAligned_rightToLeft_atEveryConsoleWidth(FxRobot robot) throws Exception {
        List<LanguageText> texts = texts("pk.pm");
        assertThat(texts).extracting(LanguageText::code).containsExactly("en", "ur");
        for (double width : WIDTHS) {
            show(robot, texts, width);
            Region urdu = paragraph(robot, "ur");
            String what = "Urdu at " + width + " px";
            assertThat(urdu.getEffectiveNodeOrientation()).as(what).isEqualTo(NodeOrientation.RIGHT_TO_LEFT);
            assertThat(urdu.getWidth()).as(what + ": the paragraph keeps to its width").isLessThanOrEqualTo(width - 12 + 0.5);
            List<Bounds> boxes = glyphBoxes(urdu);
            assertInside(urdu, boxes, what);
            List<Double> rights = lineRightEdges(boxes);
            if (width <= 900) {
                assertThat(rights).as(what + ": the sentence wraps").hasSizeGreaterThanOrEqualTo(2);
            }
            // Right to left: every line, the short last one too, ends at the paragraph's right edge.
            for (double right : rights) {
                assertThat(right).as(what + ": each line starts at the right edge").isGreaterThan(urdu.getWidth() - 6);
            }
        }
    }

    @Test
    void hindiAndEnglish_stayInsideTheirBlocks_leftAligned(FxRobot robot) throws Exception {
        List<LanguageText> texts = texts("in.pm");
        assertThat(texts).extracting(LanguageText::code).containsExactly("en", "hi");
        for (double width : WIDTHS) {
            show(robot, texts, width);
            for (String code : List.of("en", "hi")) {
                Region p = paragraph(robot, code);
                String what = code + " at " + width + " px";
                assertThat(p.getEffectiveNodeOrientation()).as(what).isEqualTo(NodeOrientation.LEFT_TO_RIGHT);
                List<Bounds> boxes = glyphBoxes(p);
                assertInside(p, boxes, what);
                if (code.equals("hi") && width <= 600) {
                    assertThat(lineRightEdges(boxes)).as(what + ": the sentence wraps").hasSizeGreaterThanOrEqualTo(2);
                }
                assertThat(boxes.stream().mapToDouble(Bounds::getMinX).min().orElseThrow())
                        .as(what + ": lines start at the left edge").isLessThan(3);
            }
        }
    }
}
