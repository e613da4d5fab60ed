package org.hotline.app.cli;

import java.io.PrintWriter;
import java.util.Map;
import org.hotline.protocol.text.DisplaySafe;
import picocli.CommandLine;

/**
 * Runs the picocli command tree the Hotline way: commands and mixins get the process environment
 * through their constructor (so tests pass their own), usage errors exit 2, a
 * {@link CommandFailure} prints one line and exits with its code, anything else is mapped by its
 * cause to the documented exit code ({@link #classify}) and printed as one line; {@code --debug}
 * adds the stack trace.
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
            CommandFailure mapped = classify(ex);
            err.println("hotline: " + mapped.getMessage());
            if (debug) {
                ex.printStackTrace(err);
            }
            return mapped.exitCode();
        });
        return cl.execute(args);
    }

    /**
     * Maps a failure a command did not turn into a {@link CommandFailure} itself to the documented
     * exit code (README.md, "Exit codes of every command") and one line. Asynchronous steps wrap
     * the real cause in {@code ExecutionException}/{@code CompletionException} (often more than
     * once), so the cause chain is searched for the first failure whose type says what went wrong;
     * only a failure with no recognisable cause is exit 1.
     */
    static CommandFailure classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CommandFailure f) {
                return f;
            }
            Integer code = exitCodeOf(t);
            if (code != null) {
                return new CommandFailure(code, oneLine(t), failure);
            }
            if (t.getCause() == null) {
                return new CommandFailure(ExitCodes.FAILURE, "unexpected error: " + oneLine(t), failure);
            }
        }
        return new CommandFailure(ExitCodes.FAILURE, "unexpected error: " + oneLine(failure), failure);
    }

    private static Integer exitCodeOf(Throwable t) {
        if (t instanceof org.hotline.protocol.pki.PkiException
                || t instanceof org.hotline.protocol.crypto.CryptoException
                || t instanceof javax.net.ssl.SSLException
                || t instanceof java.security.GeneralSecurityException) {
            return ExitCodes.AUTH_OR_PKI;
        }
        if (t instanceof org.hotline.protocol.exercise.ExerciseException
                || t instanceof org.hotline.protocol.signals.SignalException) {
            return ExitCodes.USAGE;
        }
        if (t instanceof java.net.SocketException
                || t instanceof java.net.UnknownHostException
                || t instanceof java.nio.channels.ClosedChannelException
                || t instanceof java.util.concurrent.TimeoutException) {
            return ExitCodes.NETWORK;
        }
        if (t instanceof org.hotline.protocol.audit.AuditFormatException
                || t instanceof org.hotline.protocol.wire.FrameDecodeException) {
            return ExitCodes.INTEGRITY;
        }
        if (t instanceof java.io.IOException) {
            // A local file or store that cannot be read or written: not one of the named classes.
            return ExitCodes.FAILURE;
        }
        return null;
    }

    /** The message on one line: a peer- or file-supplied message must not add lines to stderr. */
    private static String oneLine(Throwable t) {
        String m = t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
        return DisplaySafe.line(m);
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
