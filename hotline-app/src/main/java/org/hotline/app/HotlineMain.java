package org.hotline.client.cli;

import java.io.PrintWriter;
import java.util.Map;
import org.hotline.server.cli.CliRunner;
import org.hotline.server.cli.VersionProvider;
import picocli.CommandLine.Command;

/** Entry point for the participant and trainer commands. Errors: one line on stderr and an exit code. */
@Command(name = "hotline", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Hotline client commands.",
        subcommands = {ClientCommand.class, SendCommand.class, ListenCommand.class, SignalsCommand.class, LogCommand.class,
                ReplayCommand.class, ReportCommand.class, DemoCommand.class,
                org.hotline.client.bench.BenchCommand.class})
public final class HotlineClientMain {

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line; returns the exit code. Used by tests with their own environment and streams. */
    public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        return CliRunner.run(new HotlineClientMain(), args, env, out, err);
    }
}
