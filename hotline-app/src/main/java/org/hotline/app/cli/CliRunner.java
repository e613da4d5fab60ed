package org.hotline.app.cli;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs the picocli command tree the Hotline way: commands and mixins get the process environment
 * through their constructor (so tests pass their own), usage errors exit 2, a
 * {@link CommandFailure} prints one line and exits with its code, anything else prints one line
 * and exits 1; {@code --debug} adds the stack trace.
 */
public final class CliRunner {

    private CliRunner() {
    }

    public static int run(Object root, String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(root, new EnvFactory(env));
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(t -> ExitCodes.FAILURE);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("hotline: " + ex.getMessage());
            String sub = ex.getCommandLine().getCommandSpec().qualifiedName(" ").replaceFirst("^hotline ?", "");
            err.println("Try 'hotline " + (sub.isEmpty() ? "" : sub + " ") + "--help'.");
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

    /** Gives commands and mixins the environment through a {@code (Map)} constructor when they have one. */
    private static final class EnvFactory implements CommandLine.IFactory {
        private final Map<String, String> env;
        private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

        EnvFactory(Map<String, String> env) {
            this.env = Map.copyOf(env);
        }

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                var constructor = cls.getDeclaredConstructor(Map.class);
                // Commands and mixins keep their constructors package-private; this factory lives elsewhere.
                constructor.setAccessible(true);
                return constructor.newInstance(env);
            } catch (NoSuchMethodException e) {
                return fallback.create(cls);
            }
        }
    }
}
