package org.hotline.app.participant;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import javafx.stage.Stage;
import org.hotline.app.cli.CloseOnShutdown;
import org.hotline.app.cli.CommandFailure;
import org.hotline.app.cli.Display;
import org.hotline.app.cli.ExitCodes;
import org.hotline.app.cli.PassphraseOption;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.ui.app.DesktopApp;
import org.hotline.client.ui.app.PassphraseDialog;
import org.hotline.protocol.pki.PkiException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hotline client}: the desktop console for one role. */
@Command(name = "client", mixinStandardHelpOptions = true,
        description = {"Open the Hotline desktop console for ROLE.",
                "Passphrase from $HOTLINE_PASSPHRASE, else asked for in a dialog (a wrong one can be retried)."})
public final class ClientCommand implements Callable<Integer> {

    private final Map<String, String> env;

    @Mixin
    ClientOptions client = new ClientOptions();

    @Option(names = "--dark", description = "Start with the dark theme.")
    boolean dark;

    ClientCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        if (!Display.available(env)) {
            throw new CommandFailure(ExitCodes.USAGE, "no display (DISPLAY is not set): the desktop console needs one; "
                    + "use 'hotline send' and 'hotline listen' instead");
        }
        HotlineClient core;
        if (env.containsKey(PassphraseOption.ENV)) {
            core = client.open();
        } else {
            DesktopApp.startToolkit(dark);
            AtomicReference<HotlineClient> opened = new AtomicReference<>();
            AtomicReference<String> fatal = new AtomicReference<>();
            boolean[] ok = new boolean[1];
            DesktopApp.onFx(() -> ok[0] = new PassphraseDialog(client.role, pass -> {
                try {
                    opened.set(HotlineClient.open(client.config(), pass, Clock.systemUTC()));
                    return Optional.empty();
                } catch (PkiException e) {
                    if (e.reason() == PkiException.Reason.WRONG_PASSPHRASE) {
                        return Optional.of("Wrong passphrase for " + client.role + ". Try again.");
                    }
                    fatal.set(e.getMessage());
                    return Optional.of(e.getMessage());
                } catch (Exception e) {
                    fatal.set(e.getMessage());
                    return Optional.of(e.getMessage());
                }
            }).showAndWait()).join();
            if (opened.get() == null) {
                throw new CommandFailure(ExitCodes.AUTH_OR_PKI, fatal.get() != null ? fatal.get()
                        : "no passphrase given for " + client.role);
            }
            core = opened.get();
        }
        try (HotlineClient c = core;
             CloseOnShutdown signed = CloseOnShutdown.register(client.role, c, new java.io.PrintWriter(System.err, true))) {
            DesktopApp.startToolkit(dark);
            Stage[] stage = new Stage[1];
            DesktopApp.onFx(() -> {
                stage[0] = new Stage();
                DesktopApp.show(stage[0], c, Double.NaN, Double.NaN, DesktopApp.WIDTH, DesktopApp.HEIGHT);
            }).join();
            c.start();
            DesktopApp.awaitClosed(stage[0]);
        }
        javafx.application.Platform.exit();
        return ExitCodes.OK;
    }
}
