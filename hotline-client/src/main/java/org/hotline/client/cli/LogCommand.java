package org.hotline.client.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.hotline.protocol.audit.AuditVerifier;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.ExerciseException;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.ExerciseDirectory;
import org.hotline.protocol.pki.Pem;
import org.hotline.protocol.pki.PkiException;
import org.hotline.server.cli.CommandFailure;
import org.hotline.server.cli.ExitCodes;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hotline log verify}: offline integrity and authenticity of audit logs. */
@Command(name = "log", mixinStandardHelpOptions = true, description = "Audit-log tools.",
        subcommands = {LogCommand.Verify.class})
final class LogCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Check audit logs offline: hash links, signed checkpoints, every embedded signed message "
                    + "and receipt.", "Exit 0 when every log is intact, 5 with the first bad line otherwise. Without "
                    + "--exercise or --ca only integrity is checked (authenticity is not)."})
    static final class Verify implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "audit.jsonl files (clients' or the relay's).")
        List<Path> files;

        @ArgGroup(exclusive = true)
        Anchor anchor;

        static final class Anchor {
            @Option(names = "--exercise", paramLabel = "DIR", description = "Trust the exercise's ca.crt and crl.pem.")
            Path exercise;

            @Option(names = "--ca", paramLabel = "FILE", description = "Trust this CA certificate (no revocation check).")
            Path ca;
        }

        @Option(names = "--debug", description = "Show stack traces on errors.")
        boolean debug;

        @Override
        public Integer call() {
            Optional<CertificateValidator> trust = trust();
            Optional<Exercise> exercise = exercise();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            boolean allIntact = true;
            for (Path f : files) {
                AuditVerifier.Report r;
                try {
                    r = AuditVerifier.verify(f, trust, exercise);
                } catch (IOException e) {
                    err.println("hotline: cannot read " + e.getMessage());
                    allIntact = false;
                    continue;
                }
                if (r.intact()) {
                    out.printf("%s: intact (%s; %d entries, %d signed checkpoints, %d signatures verified)%s%n", f,
                            r.owner(), r.entries(), r.checkpoints(), r.signedItemsVerified(),
                            r.authenticated() ? "; authentic under the exercise CA" : "");
                    if (!r.authenticated()) {
                        out.printf("%s: CA fingerprint in the log: %s%n", f, r.caFingerprint());
                    }
                } else {
                    allIntact = false;
                    out.printf("%s: NOT INTACT: %s%n", f, r.problem().get());
                }
                r.warnings().forEach(w -> err.println("hotline: warning: " + f + ": " + w));
            }
            return allIntact ? ExitCodes.OK : ExitCodes.INTEGRITY;
        }

        /** With --exercise, its channels and parties: channel membership and signal wordings are checked too. */
        private Optional<Exercise> exercise() {
            if (anchor == null || anchor.exercise == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(new ExerciseDirectory(anchor.exercise).exercise());
            } catch (ExerciseException e) {
                throw new CommandFailure(ExitCodes.USAGE, e.getMessage(), e);
            }
        }

        private Optional<CertificateValidator> trust() {
            if (anchor == null) {
                return Optional.empty();
            }
            try {
                if (anchor.exercise != null) {
                    return Optional.of(new ExerciseDirectory(anchor.exercise).validator());
                }
                return Optional.of(CertificateValidator.withoutRevocation(Pem.readCertificate(anchor.ca)));
            } catch (PkiException e) {
                throw new CommandFailure(ExitCodes.AUTH_OR_PKI, e.getMessage(), e);
            }
        }
    }
}
