package org.hotline.app.demo;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hotline.app.cli.CommandFailure;
import org.hotline.app.cli.DebugOption;
import org.hotline.app.cli.Display;
import org.hotline.app.cli.ExitCodes;
import org.hotline.app.cli.ReadyLine;
import org.hotline.client.core.ClientConfig;
import org.hotline.client.core.ClientListener;
import org.hotline.client.core.DeliveryState;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.core.LinkStatus;
import org.hotline.client.core.ReceivedMessage;
import org.hotline.protocol.audit.AuditVerifier;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.pki.ExerciseDirectory;
import org.hotline.protocol.pki.ExercisePki;
import org.hotline.protocol.wire.MessageId;
import org.hotline.server.config.RelayConfig;
import org.hotline.server.net.RelayServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hotline demo}: a fresh exercise, a relay on a free port, India's and Pakistan's prime
 * ministers, and a short scripted crisis exchanged for real (real TLS, real end-to-end crypto,
 * real storage), then the audit logs verified.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run a scripted crisis between in.pm and pk.pm through a real relay, print the transcript "
                + "and verify both audit logs.", "Everything lives in a new temporary directory, which is kept for "
                + "inspection."})
public final class DemoCommand implements Callable<Integer> {

    private static final String PASSPHRASE = "hotline-demo-exercise";

    @Spec
    CommandSpec spec;

    @Option(names = "--headless", description = "Text only: the scripted crisis and log verification, no windows.")
    boolean headless;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to create the demo (default: a new temporary directory).")
    Path dir;

    @Mixin
    DebugOption debug;

    private PrintWriter out;
    private Instant start;
    private final Map<MessageId, Map<DeliveryState, Instant>> states = new ConcurrentHashMap<>();
    private final Map<String, BlockingQueue<ReceivedMessage>> inboxes = new ConcurrentHashMap<>();

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
                .init(exerciseDir, "south-asia", Optional.of(PASSPHRASE.toCharArray()));
        Exercise exercise = init.exercise();
        ExerciseDirectory directory = new ExerciseDirectory(exerciseDir);
        RelayConfig relayConfig = RelayConfig.defaults("127.0.0.1", 0, base.resolve("relay-data"));
        try (RelayServer relay = RelayServer.start(directory, exercise,
                directory.loadRelay(PASSPHRASE.toCharArray(), Instant.now()), relayConfig, Clock.systemUTC())) {
            out.println(ReadyLine.of(relay.address()));
            HotlineClient india = open(exerciseDir, base, "in.pm", relay.address().getPort());
            HotlineClient pakistan = open(exerciseDir, base, "pk.pm", relay.address().getPort());
            if (!headless) {
                try {
                    return desktop(india, pakistan, base, exerciseDir);
                } finally {
                    india.close();
                    pakistan.close();
                }
            }
            try {
                india.start();
                pakistan.start();
                awaitVerified(india);
                awaitVerified(pakistan);
                out.println("in.pm (" + name(exercise, "in.pm") + ") and pk.pm (" + name(exercise, "pk.pm")
                        + "): " + india.linkStatus().describe(Instant.now()));
                out.println();
                start = Instant.now();
                Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
                MessageId incident = exchange(india, pakistan, "incident.report-request-facts",
                        Map.of("location", "Kestrel Ridge", "incidentTime", now.minus(Duration.ofHours(2)).toString()));
                exchange(pakistan, india, "posture.normal-readiness", Map.of("asOf", now.toString()));
                MessageId clarify = exchange(india, pakistan, "clarify.reported-movement",
                        Map.of("location", "the Neelum valley sector"));
                acknowledge(pakistan, india, clarify);
                exchange(pakistan, india, "ack.received", Map.of("ref", clarify.hex(),
                        "replyBy", now.plus(Duration.ofHours(1)).toString()));
                MessageId ceasefire = exchange(india, pakistan, "deesc.ceasefire-loc",
                        Map.of("startTime", now.plus(Duration.ofHours(2)).toString()));
                acknowledge(pakistan, india, ceasefire);
                acknowledge(pakistan, india, incident);
            } finally {
                india.close();
                pakistan.close();
            }
        }
        out.println();
        out.println("Audit logs (verified offline against the exercise CA):");
        boolean intact = true;
        for (String role : new String[] {"in.pm", "pk.pm", "relay"}) {
            Path log = role.equals("relay") ? base.resolve("relay-data").resolve(RelayServer.AUDIT_FILE)
                    : base.resolve("clients").resolve(role).resolve("audit.jsonl");
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
    private int desktop(HotlineClient india, HotlineClient pakistan, Path base, Path exerciseDir) throws Exception {
        org.hotline.client.ui.app.DesktopApp.startToolkit(false);
        javafx.stage.Stage[] stages = new javafx.stage.Stage[2];
        org.hotline.client.ui.app.DesktopApp.onFx(() -> {
            javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
            double w = Math.max(1024, Math.min(org.hotline.client.ui.app.DesktopApp.WIDTH, screen.getWidth() / 2));
            double h = Math.min(org.hotline.client.ui.app.DesktopApp.HEIGHT, screen.getHeight());
            stages[0] = new javafx.stage.Stage();
            stages[1] = new javafx.stage.Stage();
            org.hotline.client.ui.app.DesktopApp.show(stages[0], india, screen.getMinX(), screen.getMinY(), w, h);
            org.hotline.client.ui.app.DesktopApp.show(stages[1], pakistan, screen.getMinX() + w, screen.getMinY(), w, h);
        }).join();
        india.start();
        pakistan.start();
        out.println("Two windows are open: India Prime Minister (left) and Pakistan Prime Minister (right).");
        out.println("Exercise directory: " + exerciseDir + "   (close both windows to end the demo)");
        out.flush();
        org.hotline.client.ui.app.DesktopApp.awaitClosed(stages);
        javafx.application.Platform.exit();
        return ExitCodes.OK;
    }

    private HotlineClient open(Path exerciseDir, Path base, String role, int port) throws Exception {
        ClientConfig c = ClientConfig.defaults(exerciseDir, role, "127.0.0.1", port, base.resolve("clients").resolve(role))
                .withLinkTestInterval(Duration.ofSeconds(1));
        HotlineClient core = HotlineClient.open(c, PASSPHRASE.toCharArray(), Clock.systemUTC());
        inboxes.put(role, new LinkedBlockingQueue<>());
        core.addListener(new ClientListener() {
            @Override
            public void messageReceived(ReceivedMessage m) {
                if (!m.acknowledged()) {
                    inboxes.get(role).add(m);
                }
            }

            @Override
            public void deliveryStateChanged(MessageId id, DeliveryState s) {
                states.computeIfAbsent(id, k -> new ConcurrentHashMap<>()).put(s, Instant.now());
            }

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

    private MessageId exchange(HotlineClient from, HotlineClient to, String signal, Map<String, String> params) throws Exception {
        Instant sent = Instant.now();
        MessageId id = from.sendSignal(to.role(), signal, params, Optional.empty(), Optional.empty()).get();
        ReceivedMessage got = inboxes.get(to.role()).poll(30, TimeUnit.SECONDS);
        if (got == null || !got.id().equals(id)) {
            throw new CommandFailure(ExitCodes.NETWORK, "message " + id.shortForm() + " did not arrive at " + to.role());
        }
        waitFor(from, id, DeliveryState.DELIVERED);
        Map<DeliveryState, Instant> s = states.get(id);
        out.printf("%s  %s -> %s  [%s]%n", offset(sent), from.role(), to.role(), got.category().orElse("text"));
        out.printf("             \"%s\"%n", got.text());
        out.printf("             accepted %s, delivered %s; signature verified by %s (signer %s...)%n",
                since(sent, s.get(DeliveryState.ACCEPTED)), since(sent, s.get(DeliveryState.DELIVERED)), to.role(),
                got.signerFingerprint().substring(0, 23));
        return id;
    }

    private void acknowledge(HotlineClient by, HotlineClient sender, MessageId id) throws Exception {
        Instant asked = Instant.now();
        by.acknowledge(id).get();
        waitFor(sender, id, DeliveryState.ACKNOWLEDGED);
        out.printf("%s  %s acknowledged message %s; %s sees it acknowledged %s%n", offset(asked), by.role(),
                id.shortForm(), sender.role(), since(asked, states.get(id).get(DeliveryState.ACKNOWLEDGED)));
    }

    /** Waits for {@code sender}'s message to reach {@code state}; the listener has recorded when by then. */
    private static void waitFor(HotlineClient sender, MessageId id, DeliveryState state) throws Exception {
        try {
            sender.whenState(id, state).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new CommandFailure(ExitCodes.NETWORK, "message " + id.shortForm() + " never reached " + state.label());
        }
    }

    private String offset(Instant t) {
        Duration d = Duration.between(start, t);
        return String.format("T+%02d:%02d.%01d", d.toMinutes(), d.toSecondsPart(), d.toMillisPart() / 100);
    }

    private static String since(Instant from, Instant to) {
        return to == null ? "?" : String.format("+%.2f s", Duration.between(from, to).toMillis() / 1000.0);
    }

    private static String name(Exercise ex, String role) {
        return ex.role(role).map(r -> r.displayName()).orElse(role);
    }
}
