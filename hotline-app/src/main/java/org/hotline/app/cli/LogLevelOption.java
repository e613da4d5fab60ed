package org.hotline.app.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** {@code --log-level}: how much a long-running command logs to stderr (stdout stays its output). */
public final class LogLevelOption {

    @Option(names = "--log-level", defaultValue = "info", paramLabel = "LEVEL",
            description = "error, warn, info, debug (default: ${DEFAULT-VALUE}). Never logs plaintext or keys.")
    String logLevel;

    /**
     * Sets the root log level of this process.
     *
     * @throws CommandFailure with {@link ExitCodes#USAGE} for an unknown level
     */
    public void apply() {
        Level l = Level.toLevel(logLevel, null);
        if (l == null) {
            throw new CommandFailure(ExitCodes.USAGE, "unknown log level '" + logLevel + "' (error, warn, info, debug)");
        }
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(l);
            // Netty's own chatter stays at WARN unless debugging.
            ctx.getLogger("io.netty").setLevel(l.isGreaterOrEqual(Level.INFO) ? Level.WARN : l);
        }
    }
}
