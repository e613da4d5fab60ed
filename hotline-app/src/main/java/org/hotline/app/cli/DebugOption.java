package org.hotline.app.cli;

import picocli.CommandLine.Option;

/**
 * {@code --debug}: every command that can fail offers it. The option only has to be accepted here;
 * {@link CliRunner} sees it on the command line and adds the stack trace to the one-line error.
 */
public final class DebugOption {

    @Option(names = "--debug", description = "Show stack traces on errors.")
    boolean debug;
}
