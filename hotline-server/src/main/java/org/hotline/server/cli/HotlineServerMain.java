package org.hotline.server.cli;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * Entry point for the relay-side commands ({@code pki}, and the relay itself). Errors end as one
 * line on stderr and an exit code from {@link ExitCodes}; {@code --debug} adds the stack trace.
 */
@Command(name = "hotline", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Hotline relay and exercise PKI.",
        subcommands = {PkiCommand.class, ServerCommand.class})
public final class HotlineServerMain {

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line; returns the exit code. Used by tests with their own environment and streams. */
    public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        return CliRunner.run(new HotlineServerMain(), args, env, out, err);
    }
}
