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
        ComposeViewModel compose = new ComposeViewModel(core, vm::peerOfSelectedChannel, clock);
        vm.selectedChannelProperty().addListener((o, a, b) -> compose.validate());
        AuditViewModel audit = new AuditViewModel(core, Platform::runLater);
        ConsoleView view = new ConsoleView(vm, compose, audit, clock);
        stage.setScene(view.scene(w, h));
        stage.titleProperty().bind(vm.titleProperty());
        stage.setMinWidth(1024);
        stage.setMinHeight(700);
        if (!Double.isNaN(x)) {
            stage.setX(x);
            stage.setY(y);
        }
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
