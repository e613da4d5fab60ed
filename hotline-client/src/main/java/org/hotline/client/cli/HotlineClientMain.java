package org.hotline.client.cli;

import java.io.PrintWriter;
import java.util.Map;
import org.hotline.server.cli.CommandFailure;
import org.hotline.server.cli.ExitCodes;
import org.hotline.server.cli.VersionProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point for the participant and trainer commands. Errors: one line on stderr and an exit code. */
@Command(name = "hotline", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Hotline client commands.",
        subcommands = {ClientCommand.class, SendCommand.class, ReplayCommand.class, ReportCommand.class, ListenCommand.class, SignalsCommand.class, LogCommand.class, DemoCommand.class})
public final class HotlineClientMain {

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new HotlineClientMain(), new EnvFactory(env));
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("hotline: " + ex.getMessage());
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
