package org.hotline.app.pki;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.hotline.app.cli.CommandFailure;
import org.hotline.app.cli.DebugOption;
import org.hotline.app.cli.ExitCodes;
import org.hotline.app.cli.PassphraseOption;
import org.hotline.protocol.exercise.Channel;
import org.hotline.protocol.exercise.ExerciseException;
import org.hotline.protocol.pki.ExercisePki;
import org.hotline.protocol.pki.HandoutPacks;
import org.hotline.protocol.pki.PkiException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hotline pki init|revoke}: the facilitator's exercise PKI commands. */
@Command(name = "pki", mixinStandardHelpOptions = true, description = "Create an exercise PKI or revoke a role.",
        subcommands = {PkiCommand.Init.class, PkiCommand.Revoke.class, PkiCommand.Reissue.class})
public final class PkiCommand {

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = {"Create a new exercise directory: exercise.json, CA, CRL, relay and role credentials, "
                    + "initial prekeys, and DIR/handout/<role>/ for each participant.",
                    "Passphrase for every credential from $HOTLINE_PASSPHRASE; if unset, one strong passphrase per "
                            + "credential is generated into DIR/passphrases.txt (mode 0600)."})
    static final class Init implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "New exercise directory (must not exist or be empty).")
        Path dir;

        @Option(names = "--template", defaultValue = "south-asia", description = "Exercise template (default: ${DEFAULT-VALUE}).")
        String template;

        @Option(names = "--relays", defaultValue = "1", paramLabel = "N",
                description = "Relays (default 1, named 'relay'; 2: one per party, relay-<party>, on consecutive ports).")
        int relays;

        @Mixin
        DebugOption debug;

        @Mixin
        PassphraseOption passphrase;

        @Override
        public Integer call() {
            Optional<char[]> pass = passphrase.fromEnvironment();
            try {
                var result = new ExercisePki(Clock.systemUTC(), new SecureRandom(), ExercisePki.DEFAULT_KDF_ITERATIONS)
                        .init(dir, template, pass, relays);
                var out = spec.commandLine().getOut();
                var ex = result.exercise();
                out.printf("created exercise %s \"%s\" in %s%n", ex.id(), ex.name(), dir);
                out.printf("  roles:    %s%n", String.join(", ", ex.roles().stream().map(r -> r.id()).toList()));
                for (Channel c : ex.channels()) {
                    out.printf("  channel:  %s = {%s}%n", c.id(), String.join(", ", c.members()));
                }
                for (var relay : ex.relays()) {
                    out.printf("  relay:    %s%n", ex.relays().size() == 1 ? relay.host() + ":" + relay.port() : relay);
                }
                HandoutPacks.write(dir, pass.isPresent() ? HandoutPacks.PassphraseMode.SHARED
                        : HandoutPacks.PassphraseMode.PER_ROLE);
                out.printf("  hand-out: %s (one folder per participant)%n", dir.resolve(HandoutPacks.HANDOUT_DIR));
                if (pass.isPresent()) {
                    spec.commandLine().getErr().println(
                            "hotline: " + PassphraseOption.ENV + " is set: one passphrase protects every credential");
                }
                result.passphrasesFile().ifPresent(f -> spec.commandLine().getErr().println(
                        "hotline: " + PassphraseOption.ENV + " is not set; generated one passphrase per credential in "
                                + f + " (mode 0600): hand each participant only their own line"));
                return ExitCodes.OK;
            } catch (PkiException e) {
                throw new CommandFailure(ExitCodes.AUTH_OR_PKI, e.getMessage(), e);
            } catch (ExerciseException | IllegalArgumentException e) {
                throw new CommandFailure(ExitCodes.USAGE, e.getMessage(), e);
            }
        }
    }

    static char[] caPassphrase(PassphraseOption passphrase, Path dir) {
        return passphrase.fromEnvironmentOrFile(dir, "ca")
                .orElseThrow(() -> new CommandFailure(ExitCodes.AUTH_OR_PKI,
                        "no CA passphrase: set " + PassphraseOption.ENV + " or keep passphrases.txt in " + dir));
    }

    @Command(name = "reissue", mixinStandardHelpOptions = true,
            description = {"Rotate ROLE's credential: revoke all its certificates, then issue new TLS and identity "
                    + "keys and a new initial prekey into DIR/roles/ROLE.p12.",
                    "CA passphrase as for 'revoke'. The new credential's passphrase is $HOTLINE_PASSPHRASE, or a "
                            + "newly generated one printed on stderr."})
    static final class Reissue implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "Exercise directory.")
        Path dir;

        @Parameters(index = "1", paramLabel = "ROLE", description = "Role whose credential to rotate.")
        String role;

        @Mixin
        DebugOption debug;

        @Mixin
        PassphraseOption passphrase;

        @Override
        public Integer call() {
            char[] caPass = caPassphrase(passphrase, dir);
            try {
                var r = new ExercisePki(Clock.systemUTC(), new SecureRandom(), ExercisePki.DEFAULT_KDF_ITERATIONS)
                        .reissue(dir, role, caPass, passphrase.fromEnvironment());
                spec.commandLine().getOut().printf("revoked %d old certificate(s) of %s; new credential in %s%n",
                        r.revoked(), role, dir.resolve("roles").resolve(role + ".p12"));
                r.generatedPassphrase().ifPresent(p -> spec.commandLine().getErr().println(
                        "hotline: new passphrase for " + role + ": " + new String(p)));
                return ExitCodes.OK;
            } catch (PkiException e) {
                throw new CommandFailure(ExitCodes.AUTH_OR_PKI, e.getMessage(), e);
            }
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = {"Revoke every certificate of ROLE and publish a freshly signed DIR/crl.pem.",
                    "CA passphrase from $HOTLINE_PASSPHRASE, else from the 'ca' line of DIR/passphrases.txt."})
    static final class Revoke implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "Exercise directory.")
        Path dir;

        @Parameters(index = "1", paramLabel = "ROLE", description = "Role to revoke, e.g. in.nsa.")
        String role;

        @Mixin
        DebugOption debug;

        @Mixin
        PassphraseOption passphrase;

        @Override
        public Integer call() {
            char[] caPass = caPassphrase(passphrase, dir);
            try {
                var r = new ExercisePki(Clock.systemUTC(), new SecureRandom(), ExercisePki.DEFAULT_KDF_ITERATIONS)
                        .revoke(dir, role, caPass);
                if (r.newlyRevoked() == 0) {
                    spec.commandLine().getOut().printf("%s was already revoked; re-signed CRL #%d%n", role, r.crlNumber());
                } else {
                    spec.commandLine().getOut().printf("revoked %d certificate(s) of %s; CRL #%d written to %s%n",
                            r.newlyRevoked(), role, r.crlNumber(), dir.resolve("crl.pem"));
                }
                return ExitCodes.OK;
            } catch (PkiException e) {
                throw new CommandFailure(ExitCodes.AUTH_OR_PKI, e.getMessage(), e);
            }
        }
    }
}
