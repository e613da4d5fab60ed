package org.hotline.server.cli;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
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
        CommandLine cl = new CommandLine(new HotlineServerMain(), new EnvFactory(env));
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(t -> ExitCodes.FAILURE);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("hotline: " + ex.getMessage());
            err.println("Try 'hotline " + ex.getCommandLine().getCommandSpec().qualifiedName(" ")
                    .replaceFirst("^hotline ?", "") + " --help'.".replace("  ", " "));
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            boolean debug = parseResult.expandedArgs().contains("--debug");
            if (ex instanceof CommandFailure f) {
                err.println("hotline: " + f.getMessage());
                if (debug && f.getCause() != null) {
                    f.getCause().printStackTrace(err);
                }
                return f.exitCode();
            }
            err.println("hotline: unexpected error: " + ex);
            if (debug) {
                ex.printStackTrace(err);
            }
            return ExitCodes.FAILURE;
        });
        return cl.execute(args);
    }

    /** Gives commands the process environment through their constructor, so tests can pass their own. */
    private static final class EnvFactory implements CommandLine.IFactory {
        private final Map<String, String> env;
        private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

        EnvFactory(Map<String, String> env) {
            this.env = Map.copyOf(env);
        }

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                return cls.getDeclaredConstructor(Map.class).newInstance(env);
            } catch (NoSuchMethodException e) {
                return fallback.create(cls);
            }
        }
    }
}
