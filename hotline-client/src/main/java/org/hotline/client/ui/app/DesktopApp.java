package org.hotline.client.ui.app;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.ui.audit.AuditViewModel;
import org.hotline.client.ui.compose.ComposeViewModel;
import org.hotline.client.ui.console.ConsoleView;
import org.hotline.client.ui.console.ConsoleViewModel;
import org.hotline.client.ui.situation.SituationView;
import org.hotline.client.ui.situation.SituationViewModel;
import org.hotline.client.ui.console.Theme;

/** Starts the JavaFX toolkit and opens console windows bound to client cores. */
public final class DesktopApp {

    public static final double WIDTH = 1280;
    public static final double HEIGHT = 800;
    /** The smallest console that still shows every control (tested at 1280x800 and 683x768). */
    public static final double MIN_WIDTH = 640;
    public static final double MIN_HEIGHT = 560;

    private DesktopApp() {
    }

    /** Starts the toolkit (once per process); windows close without ending the process by themselves. */
    public static void startToolkit(boolean dark) throws InterruptedException {
        CountDownLatch up = new CountDownLatch(1);
        try {
            Platform.startup(up::countDown);
        } catch (IllegalStateException alreadyRunning) {
            up.countDown();
        }
        up.await();
        Platform.setImplicitExit(false);
        onFx(() -> Theme.apply(dark)).join();
    }

    /** Builds the console for {@code core} in {@code stage} (FX thread). Returns its view model. */
    public static ConsoleViewModel show(Stage stage, HotlineClient core, double x, double y, double w, double h) {
        if (javafx.application.Application.getUserAgentStylesheet() == null) {
            Theme.apply(false);
        }
        Clock clock = Clock.systemUTC();
        ConsoleViewModel vm = new ConsoleViewModel(core, Platform::runLater, clock);
        ComposeViewModel compose = new ComposeViewModel(core, vm::peerOfSelectedChannel, clock, Platform::runLater);
        vm.selectedChannelProperty().addListener((o, a, b) -> compose.validate());
        compose.knownMessages(vm::describeMessage);
        AuditViewModel audit = new AuditViewModel(core, Platform::runLater);
        ConsoleView view = new ConsoleView(vm, compose, audit, clock);
        stage.setScene(view.scene(w, h));
        stage.titleProperty().bind(vm.titleProperty());
        // Small enough that two consoles fit side by side on a 1366-pixel screen.
        stage.setMinWidth(Math.min(MIN_WIDTH, w));
        stage.setMinHeight(Math.min(MIN_HEIGHT, h));
        place(stage, Double.isNaN(x) ? Double.NaN : x, y, w, h);
        stage.setOnHidden(e -> view.stop());
        if (SituationViewModel.applies(core)) {
            SituationViewModel situation = new SituationViewModel(core, Platform::runLater, clock);
            SituationView situationView = new SituationView(situation, clock);
            view.showSituation(situationView.feed(), situationView.clock());
            stage.setOnHidden(e -> {
                view.stop();
                situationView.stop();
            });
            situation.bind();
        }
        vm.bind();
        stage.show();
        return vm;
    }

    /** Builds the console in {@code stage} filling {@code bounds} (FX thread), e.g. a tile of {@link WindowTiling}. */
    public static ConsoleViewModel show(Stage stage, HotlineClient core, javafx.geometry.Rectangle2D bounds) {
        return show(stage, core, bounds.getMinX(), bounds.getMinY(), bounds.getWidth(), bounds.getHeight());
    }

    /**
     * Sizes and places a stage explicitly, and again once it is shown: under an X11 window manager
     * the size asked for before the window is mapped is dropped, and the window opens at its
     * minimum size (the console at 1024x700, the replay window at 200x200).
     *
     * @param x NaN to leave the position to the window manager
     */
    public static void place(Stage stage, double x, double y, double w, double h) {
        Runnable apply = () -> {
            stage.setWidth(w);
            stage.setHeight(h);
            if (!Double.isNaN(x)) {
                stage.setX(x);
                stage.setY(y);
            }
        };
        apply.run();
        stage.addEventHandler(javafx.stage.WindowEvent.WINDOW_SHOWN, e -> Platform.runLater(apply));
    }

    public static CompletableFuture<Void> onFx(Runnable r) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                r.run();
                f.complete(null);
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    /** Waits until every given stage has been closed. */
    public static void awaitClosed(Stage... stages) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(stages.length);
        onFx(() -> {
            for (Stage s : stages) {
                if (!s.isShowing()) {
                    closed.countDown();
                } else {
                    s.showingProperty().addListener((o, a, b) -> {
                        if (!b) {
                            closed.countDown();
                        }
                    });
                }
            }
        });
        closed.await();
    }
}
