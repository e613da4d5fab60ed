package org.hotline.app.control;

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.hotline.app.cli.ClientOpening;
import org.hotline.app.cli.CloseOnShutdown;
import org.hotline.app.cli.CommandFailure;
import org.hotline.app.cli.DebugOption;
import org.hotline.app.cli.Display;
import org.hotline.app.cli.ExitCodes;
import org.hotline.app.cli.PassphraseOption;
import org.hotline.client.control.MselPlayer;
import org.hotline.client.core.ClientConfig;
import org.hotline.client.core.HotlineClient;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.msel.Msel;
import org.hotline.protocol.exercise.msel.MselException;
import org.hotline.protocol.exercise.msel.MselFiles;
import org.hotline.protocol.text.DisplaySafe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hotline control}: exercise control, the facilitator's seat (docs/exercise-control.md). It
 * connects as the exercise's control role and plays an MSEL: the exercise clock, and each inject
 * sent when scenario time reaches it.
 */
@Command(name = "control", mixinStandardHelpOptions = true,
        description = {"Exercise control: play an MSEL (timed injects) to the participants, keeping the exercise clock. "
                + "Opens the facilitator's window (timeline, fire now, skip, edit, ad-hoc injects, clock, seats, "
                + "traffic, evaluator notes).",
                "With --headless: plays on its own, one line per inject sent, accepted and delivered; exits 0 once "
                        + "the last inject is accepted by the relay (--wait delivered: delivered to every recipient)."})
public final class ControlCommand implements Callable<Integer> {

    /** What the headless run waits for before it exits. */
    enum Wait { accepted, delivered }

    @Spec
    CommandSpec spec;

    @Option(names = "--exercise", required = true, paramLabel = "DIR", description = "Exercise directory.")
    Path exerciseDir;

    @Option(names = "--msel", required = true, paramLabel = "FILE|NAME",
            description = "The MSEL file, or a shipped scenario by name (south-asia).")
    String msel;

    @Option(names = "--server", paramLabel = "[NAME=]HOST:PORT", description = {"Relay address (default: from "
            + "exercise.json); once per relay as NAME=HOST:PORT in an exercise with several relays."})
    java.util.List<String> server = new java.util.ArrayList<>();

    @Option(names = "--data", paramLabel = "DIR", description = "Control's store, clock, scenario state and audit log "
            + "(default: DIR/data/control).")
    Path dataDir;

    @Option(names = "--speed", paramLabel = "X", defaultValue = "1",
            description = "Scenario minutes per real minute for a new clock (default 1; a stored clock keeps its own).")
    BigDecimal speed;

    @Option(names = "--headless", description = "Play without a window.")
    boolean headless;

    @Option(names = "--wait", paramLabel = "accepted|delivered", defaultValue = "accepted",
            description = "With --headless: exit once the last inject is accepted (default) or delivered.")
    Wait waitFor;

    @Mixin
    DebugOption debug;

    @Mixin
    PassphraseOption passphrase;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!headless && !Display.available(System.getenv())) {
            throw new CommandFailure(ExitCodes.USAGE, "no display found (DISPLAY is not set) for the facilitator's "
                    + "window: run with --headless to play the MSEL without one");
        }
        int permille = permille(speed);
        Exercise exercise = exercise();
        String role = exercise.control().orElseThrow(() -> new CommandFailure(ExitCodes.USAGE,
                "exercise " + exercise.id() + " has no exercise-control seat")).role();
        Msel scenario;
        try {
            scenario = MselFiles.load(msel, Optional.of(exercise));
        } catch (MselException e) {
            e.problems().forEach(p -> err.println("hotline: " + DisplaySafe.line(p)));
            return ExitCodes.USAGE;
        }
        ClientConfig config = config(exercise, role);
        try (HotlineClient client = open(config);
             // SIGTERM or Ctrl+C (or closing the terminal under the window): control's log is still signed.
             CloseOnShutdown signed = CloseOnShutdown.register(role, client, err);
             MselPlayer player = MselPlayer.open(client, scenario, config.dataDir(), permille, Clock.systemUTC())) {
            if (!headless) {
                return new FacilitatorControl(client, player, out).run();
            }
            HeadlessControl run = new HeadlessControl(client, player, out, err, waitFor == Wait.delivered);
            return run.play();
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.FAILURE, e.getMessage(), e);
        }
    }

    static int permille(BigDecimal speed) {
        BigDecimal p = speed.movePointRight(3);
        if (p.signum() <= 0 || p.compareTo(BigDecimal.valueOf(1_000_000)) > 0 || p.stripTrailingZeros().scale() > 0) {
            throw new CommandFailure(ExitCodes.USAGE, "--speed must be between 0.001 and 1000, not " + speed);
        }
        return p.intValueExact();
    }

    private Exercise exercise() {
        return ClientOpening.exercise(exerciseDir);
    }

    private ClientConfig config(Exercise ex, String role) {
        return ClientOpening.config(exerciseDir, ex, role, server, dataDir);
    }

    private HotlineClient open(ClientConfig config) {
        return ClientOpening.open(config, passphrase.fromEnvironmentOrFile(exerciseDir, config.role()));
    }
}
