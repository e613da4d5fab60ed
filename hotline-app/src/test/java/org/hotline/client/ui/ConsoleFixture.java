package org.hotline.client.ui;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.hotline.app.testing.RelayClients;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.ui.app.DesktopApp;
import org.hotline.client.ui.console.ConsoleViewModel;
import org.hotline.server.testing.RelayFixture;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * One GUI test's world: a fresh exercise and a real relay, India's prime minister in the real
 * console window, and other seats as client cores the test drives. Every test gets its own (the
 * console tests assert on an empty conversation, stop the relay, count what arrives), so nothing
 * one test sends is seen by the next. Open it in {@code @Start}, add listeners to the other seats,
 * then {@link #show}; close it in {@code @AfterEach}.
 */
final class ConsoleFixture implements AutoCloseable {

    /** How long a GUI test waits for something the relay or the toolkit has to do. */
    static final long WAIT_SECONDS = 20;

    private final Path base;
    private final RelayFixture relay;
    private final HotlineClient india;
    private final Map<String, HotlineClient> others = new LinkedHashMap<>();

    private ConsoleFixture(Path base, RelayFixture relay, HotlineClient india) {
        this.base = base;
        this.relay = relay;
        this.india = india;
    }

    /**
     * A relay in a fresh directory under {@code tmp}, India's client and one client per seat in
     * {@code otherSeats}, none started yet (listeners are added before anything can arrive).
     */
    static ConsoleFixture open(Path tmp, String... otherSeats) throws Exception {
        Path base = tmp.resolve("r" + System.nanoTime());
        RelayFixture relay = new RelayFixture(base, c -> c);
        List<HotlineClient> opened = new ArrayList<>();
        try {
            ConsoleFixture f = new ConsoleFixture(base, relay, RelayClients.open(relay, "in.pm", base.resolve("in.pm")));
            opened.add(f.india);
            for (String seat : otherSeats) {
                HotlineClient c = RelayClients.open(relay, seat, base.resolve(seat));
                opened.add(c);
                f.others.put(seat, c);
            }
            return f;
        } catch (Exception | Error e) {
            opened.forEach(HotlineClient::close);
            relay.close();
            throw e;
        }
    }

    /** India's console in {@code stage} at the console's default size, then every client started. */
    ConsoleViewModel show(Stage stage) {
        return show(stage, DesktopApp.WIDTH, DesktopApp.HEIGHT);
    }

    /** India's console in {@code stage} at {@code width} x {@code height}, then every client started. */
    ConsoleViewModel show(Stage stage, double width, double height) {
        ConsoleViewModel vm = DesktopApp.show(stage, india, 0, 0, width, height);
        india.start();
        others.values().forEach(HotlineClient::start);
        return vm;
    }

    /**
     * Resizes the console's {@code window} to {@code width} x {@code height} on the FX thread (a
     * narrow tile, a low screen), then lets the layout settle.
     */
    static void resize(FxRobot robot, Stage window, double width, double height) {
        robot.interact(() -> {
            window.setWidth(width);
            window.setHeight(height);
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** The test's directory: the exercise, the relay's data and each seat's data directory. */
    Path base() {
        return base;
    }

    RelayFixture relay() {
        return relay;
    }

    /** India's prime minister: the client behind the console window. */
    HotlineClient india() {
        return india;
    }

    /** Another seat's client core, opened by {@link #open}. */
    HotlineClient seat(String role) {
        HotlineClient c = others.get(role);
        if (c == null) {
            throw new IllegalArgumentException("no client for " + role + " in this fixture: " + others.keySet());
        }
        return c;
    }

    @Override
    public void close() {
        india.close();
        others.values().forEach(HotlineClient::close);
        relay.close();
    }

    /** Pumps FX events until {@code condition} holds, or fails after {@link #WAIT_SECONDS}. */
    static void waitUntil(BooleanSupplier condition, String what) throws Exception {
        waitUntil(condition, () -> what);
    }

    /** As {@link #waitUntil(BooleanSupplier, String)}; {@code what} is computed when it fails (what was seen). */
    static void waitUntil(BooleanSupplier condition, Supplier<String> what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            WaitForAsyncUtils.waitForFxEvents();
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for: " + what.get());
    }

    /**
     * Clicks the node {@code query} finds, once it is in the window. A conversation row can be laid
     * out anew (a receipt, a translation, the list scrolling) between finding a node in it and the
     * click, which then fails on a node no longer in any scene, before anything was pressed; the
     * node is then looked up again, until {@link #WAIT_SECONDS}.
     */
    static void clickWhenShown(FxRobot robot, String query) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            WaitForAsyncUtils.waitForFxEvents();
            Node node = robot.lookup(query).tryQuery().orElse(null);
            if (node != null && node.getScene() != null) {
                try {
                    robot.clickOn(node);
                    return;
                } catch (RuntimeException e) {
                    if (node.getScene() != null || System.nanoTime() > deadline) {
                        throw e;
                    }
                }
            } else if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting to click " + query);
            }
            Thread.sleep(50);
        }
    }

    /** Whether any label in the window contains {@code text}. */
    static boolean anyLabel(FxRobot robot, String text) {
        return robot.lookup((Node n) -> n instanceof Label l && l.getText() != null && l.getText().contains(text))
                .tryQuery().isPresent();
    }
}
