package org.hotline.app.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.hotline.protocol.pki.ExercisePki;
import picocli.CommandLine.Command;

/**
 * Where a credential's passphrase comes from: {@code $HOTLINE_PASSPHRASE} first, then whatever the
 * command allows as a fallback (the exercise's {@code passphrases.txt}, the terminal). Never from the
 * command line, where other local users could read it in the process list.
 *
 * <p>A picocli mixin without options: {@link CliRunner}'s factory hands it the environment, so tests
 * pass their own. ({@code @Command} only marks it as a mixin for picocli; it adds nothing to the help.)
 */
@Command
public final class PassphraseOption {

    public static final String ENV = "HOTLINE_PASSPHRASE";

    private final Map<String, String> env;

    PassphraseOption(Map<String, String> env) {
        this.env = env;
    }

    /** {@code $HOTLINE_PASSPHRASE}, when set and not empty. */
    public Optional<char[]> fromEnvironment() {
        return Optional.ofNullable(env.get(ENV)).filter(s -> !s.isEmpty()).map(String::toCharArray);
    }

    /** {@code $HOTLINE_PASSPHRASE}, else the {@code credential} line of {@code exerciseDir/passphrases.txt}. */
    public Optional<char[]> fromEnvironmentOrFile(Path exerciseDir, String credential) {
        return fromEnvironment().or(() -> ExercisePki.passphraseFromFile(exerciseDir, credential));
    }

    /** Asked on the terminal (no echo); empty when there is no terminal. */
    public static Optional<char[]> fromTerminal(String prompt, Object... args) {
        return Optional.ofNullable(System.console()).map(c -> c.readPassword(prompt, args));
    }
}
