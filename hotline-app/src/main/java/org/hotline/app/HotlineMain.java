package org.hotline.app;

import java.io.PrintWriter;
import java.util.Map;
import org.hotline.app.bench.BenchCommand;
import org.hotline.app.cli.CliRunner;
import org.hotline.app.cli.VersionProvider;
import org.hotline.app.control.ControlCommand;
import org.hotline.app.control.MselCommand;
import org.hotline.app.demo.DemoCommand;
import org.hotline.app.participant.ClientCommand;
import org.hotline.app.participant.ListenCommand;
import org.hotline.app.participant.SendCommand;
import org.hotline.app.participant.SessionCommand;
import org.hotline.app.participant.SignalsCommand;
import org.hotline.app.pki.PkiCommand;
import org.hotline.app.review.LogCommand;
import org.hotline.app.review.ReplayCommand;
import org.hotline.app.review.ReportCommand;
import org.hotline.app.server.ServerCommand;
import picocli.CommandLine.Command;

/**
 * The {@code hotline} command: the facilitator's PKI, the relay, the participants', trainers' and
 * reviewers' commands, the load generator and the demo. Errors end as one line on stderr and an exit
 * code from {@link org.hotline.app.cli.ExitCodes}; {@code --debug} adds the stack trace.
 */
@Command(name = "hotline", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Hotline: signed, end-to-end encrypted messages for tabletop crisis exercises.",
        subcommands = {PkiCommand.class, ServerCommand.class, SendCommand.class, ListenCommand.class,
                SessionCommand.class, SignalsCommand.class, ClientCommand.class, LogCommand.class, ReplayCommand.class,
                ReportCommand.class, BenchCommand.class, DemoCommand.class, MselCommand.class, ControlCommand.class})
public final class HotlineMain {

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line; returns the exit code. Used by tests with their own environment and streams. */
    public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        return CliRunner.run(new HotlineMain(), args, env, out, err);
    }
}
