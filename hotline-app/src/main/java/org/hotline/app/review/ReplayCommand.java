package org.hotline.app.review;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.hotline.app.cli.CommandFailure;
import org.hotline.app.cli.Display;
import org.hotline.app.cli.ExitCodes;
import org.hotline.client.replay.InjectLane;
import org.hotline.client.replay.Timeline;
import org.hotline.client.ui.app.DesktopApp;
import org.hotline.client.ui.replay.ReplayView;
import org.hotline.client.ui.replay.ReplayViewModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hotline replay}: merge verified logs into one timeline and play it back. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Merge audit logs (participants' and the relay's) into one timeline and play it back.",
                "--headless prints it with exercise-relative times (paced by the original gaps divided by --speed, "
                        + "if given), exercise control's injects among the messages, every signal in every catalog "
                        + "language, then a summary with each inject's first reactions. Exit 5 if any log failed verification."})
public final class ReplayCommand implements Callable<Integer> {

    private final Map<String, String> env;

    @Spec
    CommandSpec spec;

    @Mixin
    ReplayCommands common = new ReplayCommands();

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "audit.jsonl files.")
    List<Path> files;

    @Option(names = "--speed", paramLabel = "X", description = "Playback speed (1 to 100 in the window; headless: pacing).")
    Double speed;

    @Option(names = "--headless", description = "Print instead of opening the replay window.")
    boolean headless;

    ReplayCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        if (speed != null && (speed <= 0 || speed > 1000)) {
            throw new CommandFailure(ExitCodes.USAGE, "--speed must be between 0 and 1000");
        }
        Timeline t = common.load(files, spec.commandLine().getErr());
        InjectLane injects = InjectLane.of(t, common.msel());
        if (headless || !Display.available(env)) {
            if (!headless) {
                spec.commandLine().getErr().println("hotline: no display found; replaying --headless");
            }
            ReplayCommands.printHeadless(t, injects, spec.commandLine().getOut(), Optional.ofNullable(speed));
            return ReplayCommands.exitCodeFor(t);
        }
        DesktopApp.startToolkit(false);
        javafx.stage.Stage[] stage = new javafx.stage.Stage[1];
        DesktopApp.onFx(() -> {
            ReplayViewModel vm = new ReplayViewModel(t, injects);
            speed = speed == null ? 10.0 : speed;
            vm.speedProperty().set(Math.max(1, Math.min(100, speed)));
            stage[0] = new javafx.stage.Stage();
            new ReplayView(vm).show(stage[0]);
        }).join();
        DesktopApp.awaitClosed(stage[0]);
        javafx.application.Platform.exit();
        return ReplayCommands.exitCodeFor(t);
    }
}
