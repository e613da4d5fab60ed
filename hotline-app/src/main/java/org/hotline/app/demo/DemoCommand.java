package org.hotline.app.demo;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.hotline.app.cli.CloseOnShutdown;
import org.hotline.app.cli.CommandFailure;
import org.hotline.app.cli.DebugOption;
import org.hotline.app.cli.Display;
import org.hotline.app.cli.ExitCodes;
import org.hotline.app.cli.ReadyLine;
import org.hotline.client.core.ClientConfig;
import org.hotline.client.core.ClientListener;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.core.LinkStatus;
import org.hotline.client.core.RelayPathStatus;
import org.hotline.protocol.audit.AuditVerifier;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.RelayEndpoint;
import org.hotline.protocol.pki.ExerciseDirectory;
import org.hotline.protocol.pki.ExercisePki;
import org.hotline.server.net.RelayServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hotline demo}: a fresh exercise, a relay on a free port, exercise control playing the
 * shipped south-asia scenario at an accelerated speed, and India's and Pakistan's prime ministers
 * (two consoles, or scripted players reacting to the injects with {@code --headless}), all for real
 * (real TLS, real end-to-end crypto, real storage); then every audit log verified.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run an exercise through a real relay: exercise control plays the shipped south-asia scenario "
                + "and the two prime ministers (scripted with --headless) react to its injects; print the transcript "
                + "and verify every audit log, control's and the relay's included.", "Everything lives in a new temporary directory, which is kept for "
                + "inspection."})
public final class DemoCommand implements Callable<Integer> {

    private static final String PASSPHRASE = "hotline-demo-exercise";
    /** Scenario minutes per real minute: the 90-minute scenario in 30 s headless, 9 minutes with windows. */
    private static final int HEADLESS_SPEED = 180;
    /** One relay per party (PROTOCOL.md §13). */
    private static final int DEMO_RELAYS = 2;
    private static final int DESKTOP_SPEED = 10;

    @Spec
    CommandSpec spec;

    @Option(names = "--headless", description = "Text only: the scripted crisis and log verification, no windows.")
    boolean headless;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to create the demo (default: a new temporary directory).")
    Path dir;

    @Mixin
    DebugOption debug;

    private PrintWriter out;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        if (!headless && !Display.available(System.getenv())) {
            spec.commandLine().getErr().println("hotline: no display found (DISPLAY is not set); running the demo --headless");
            headless = true;
        }
        Path base = dir != null ? dir : Files.createTempDirectory("hotline-demo-");
        Path exerciseDir = base.resolve("exercise");
        out.println("Hotline demo: creating a fresh exercise in " + exerciseDir);
        var init = new ExercisePki(Clock.systemUTC(), new SecureRandom(), ExercisePki.DEFAULT_KDF_ITERATIONS)
                .init(exerciseDir, "south-asia", Optional.of(PASSPHRASE.toCharArray()), DEMO_RELAYS);
        Exercise exercise = init.exercise();
        ExerciseDirectory directory = new ExerciseDirectory(exerciseDir);
        // Two relays, one per party (PROTOCOL.md §13): every message travels both.
        try (DemoRelays relay = new DemoRelays(directory, exercise, base, PASSPHRASE.toCharArray())) {
            for (RelayServer server : relay.servers()) {
                out.println(ReadyLine.of(server.address()));
            }
            List<RelayEndpoint> relays = relay.endpoints();
            HotlineClient india = open(exerciseDir, base, "in.pm", relays);
            HotlineClient pakistan = open(exerciseDir, base, "pk.pm", relays);
            // SIGTERM or Ctrl+C: both consoles and the relay still sign their logs, consoles first.
            CloseOnShutdown signed = CloseOnShutdown.register("demo", () -> {
                india.close();
                pakistan.close();
                relay.close();
            }, spec.commandLine().getErr());
            if (!headless) {
                try {
                    return desktop(india, pakistan, base, exerciseDir, relays);
                } finally {
                    india.close();
                    pakistan.close();
                    signed.close();
                }
            }
            try {
                india.start();
                pakistan.start();
                awaitVerified(india);
                awaitVerified(pakistan);
                out.println("in.pm (" + name(exercise, "in.pm") + ") and pk.pm (" + name(exercise, "pk.pm")
                        + "): " + india.linkStatus().describe(Instant.now()));
                out.println("Relays: " + RelayPathStatus.describe(india.relayPaths().get(10, TimeUnit.SECONDS),
                        Instant.now()));
                out.println();
                out.println();
                out.println("Exercise control plays the " + ScenarioDemo.SCENARIO + " scenario at " + HEADLESS_SPEED
                        + "x; the prime ministers react to its injects with catalog signals:");
                HotlineClient control = open(exerciseDir, base, "control", relays);
                try (ScenarioDemo demo = new ScenarioDemo(out, india, pakistan, control,
                        base.resolve("clients").resolve("control"), HEADLESS_SPEED * 1000)) {
                    demo.playScripted();
                } finally {
                    control.close();
                }
            } finally {
                india.close();
                pakistan.close();
                signed.close();
            }
        }
        out.println();
        out.println("Audit logs (verified offline against the exercise CA):");
        boolean intact = true;
        List<Path> logs = new java.util.ArrayList<>();
        for (String role : new String[] {"in.pm", "pk.pm", "control"}) {
            logs.add(base.resolve("clients").resolve(role).resolve("audit.jsonl"));
        }
        for (RelayEndpoint r : exercise.relays()) {
            logs.add(base.resolve(r.name() + "-data").resolve(RelayServer.AUDIT_FILE));
        }
        for (Path log : logs) {
            var report = AuditVerifier.verify(log, Optional.of(directory.validator()));
            intact &= report.intact();
            out.printf("  %s: %s%n", log, report.intact()
                    ? "intact, authentic (" + report.entries() + " entries, " + report.checkpoints()
                    + " signed checkpoint(s), " + report.signedItemsVerified() + " signatures verified)"
                    : "NOT INTACT: " + report.problem().get());
        }
        out.println();
        out.println("Try: ./hotline log verify " + base.resolve("clients/in.pm/audit.jsonl") + " --exercise " + exerciseDir);
        return intact ? ExitCodes.OK : ExitCodes.INTEGRITY;
    }

    /** Two console windows side by side, ready to exchange signals; returns when both are closed. */
    private int desktop(HotlineClient india, HotlineClient pakistan, Path base, Path exerciseDir,
                        List<RelayEndpoint> port) throws Exception {
        org.hotline.client.ui.app.DesktopApp.startToolkit(false);
        javafx.stage.Stage[] stages = new javafx.stage.Stage[2];
        HotlineClient control = open(exerciseDir, base, "control", port);
        ScenarioDemo scenario = new ScenarioDemo(out, india, pakistan, control, base.resolve("clients").resolve("control"),
                DESKTOP_SPEED * 1000);
        javafx.stage.Stage[] facilitator = new javafx.stage.Stage[1];
        org.hotline.client.ui.app.DesktopApp.onFx(() -> {
            // Side by side over the whole usable screen: no overlap, and the height goes to the conversations.
            // A third column for exercise control's window only where each column keeps a console's minimum width.
            var visual = javafx.stage.Screen.getPrimary().getVisualBounds();
            boolean three = FacilitatorTile.fits(visual);
            var tiles = org.hotline.client.ui.app.WindowTiling.columns(visual, three ? 3 : 2);
            stages[0] = new javafx.stage.Stage();
            stages[1] = new javafx.stage.Stage();
            org.hotline.client.ui.app.DesktopApp.show(stages[0], india, tiles.get(0));
            org.hotline.client.ui.app.DesktopApp.show(stages[1], pakistan, tiles.get(1));
            if (three) {
                facilitator[0] = new javafx.stage.Stage();
                org.hotline.client.ui.facilitator.FacilitatorWindow.show(facilitator[0], control, scenario.player(),
                        tiles.get(2));
            }
        }).join();
        india.start();
        pakistan.start();
        scenario.startControl();
        out.println("Two windows are open: India Prime Minister (left) and Pakistan Prime Minister (right)"
                + (facilitator[0] != null ? ", and exercise control's window beside them." : "."));
        out.println("Exercise control plays the " + ScenarioDemo.SCENARIO + " scenario at " + DESKTOP_SPEED
                + "x: its injects appear in each window's Situation feed.");
        out.println("Exercise directory: " + exerciseDir + "   (close both windows to end the demo)");
        out.flush();
        org.hotline.client.ui.app.DesktopApp.awaitClosed(stages);
        if (facilitator[0] != null) {
            org.hotline.client.ui.app.DesktopApp.onFx(facilitator[0]::hide).join();
        }
        scenario.close();
        control.close();
        javafx.application.Platform.exit();
        return ExitCodes.OK;
    }

    private HotlineClient open(Path exerciseDir, Path base, String role, List<RelayEndpoint> relays) throws Exception {
        ClientConfig c = ClientConfig.defaults(exerciseDir, role, relays.get(0).host(), relays.get(0).port(),
                        base.resolve("clients").resolve(role))
                .withRelays(relays).withLinkTestInterval(Duration.ofSeconds(1));
        HotlineClient core = HotlineClient.open(c, PASSPHRASE.toCharArray(), Clock.systemUTC());
        core.addListener(new ClientListener() {
            @Override
            public void problem(String message) {
                spec.commandLine().getErr().println("hotline: " + role + ": " + message);
            }
        });
        return core;
    }

    private void awaitVerified(HotlineClient core) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            LinkStatus s = core.linkStatus();
            if (s.connected() && s.lastVerified().isPresent()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new CommandFailure(ExitCodes.NETWORK, core.role() + " could not verify the line end to end within 30 s");
    }

    private static String name(Exercise ex, String role) {
        return ex.role(role).map(r -> r.displayName()).orElse(role);
    }
}
