package org.hotline.app.review;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.hotline.app.cli.DebugOption;
import org.hotline.app.cli.ExitCodes;
import org.hotline.app.cli.TrustAnchorOption;
import org.hotline.protocol.audit.AuditCrossCheck;
import org.hotline.protocol.audit.AuditReport;
import org.hotline.protocol.audit.AuditVerifier;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.ExerciseException;
import org.hotline.protocol.pki.CertificateValidator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hotline log verify}: offline integrity and authenticity of audit logs. */
@Command(name = "log", mixinStandardHelpOptions = true, description = "Audit-log tools.",
        subcommands = {LogCommand.Verify.class})
public final class LogCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Check audit logs offline: hash links, signed checkpoints, every embedded signed message "
                    + "and receipt; given several logs, each one's peer checkpoints against the others.", "Exit 0 when every log is "
                    + "intact and the logs agree, 5 with the first bad line or the contradiction otherwise, 6 when "
                    + "the logs are intact and prove that the relay signed two inconsistent histories (only with "
                    + "--exercise or --ca). Without --exercise or --ca only integrity is checked (authenticity is "
                    + "not), and a relay fork is reported as not authenticated."})
    static final class Verify implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "audit.jsonl files (clients' or the relay's); give the peers' logs to cross-check them.")
        List<Path> files;

        @Mixin
        TrustAnchorOption anchor;

        @Mixin
        DebugOption debug;

        @Override
        public Integer call() {
            Optional<CertificateValidator> trust = anchor.validator();
            Optional<Exercise> exercise = anchor.exercise();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            boolean allIntact = true;
            boolean relayForked = false;
            boolean revokedFork = false;
            List<AuditReport> reports = new ArrayList<>();
            for (Path f : files) {
                AuditReport r;
                try {
                    r = AuditVerifier.verify(f, trust, exercise);
                    reports.add(r);
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
                } else if (r.onlyUnsignedTail()) {
                    // Not tampering: every line verified; the owner ended without its closing checkpoint.
                    allIntact = false;
                    out.printf("%s: NOT INTACT (unsigned tail, no line failed): %s; entries 1-%d are covered by a signed "
                            + "checkpoint%n", f, r.problem().get(), r.vouchedEntries());
                } else {
                    allIntact = false;
                    out.printf("%s: NOT INTACT: %s%n", f, r.problem().get());
                }
                r.warnings().forEach(w -> err.println("hotline: warning: " + f + ": " + w));
                // The relay's fault, proved by this log (PROTOCOL.md §12.5): reported, and the verdict is 6
                // unless a log is itself at fault (5). Only under a trust anchor given here: without one the
                // relay key comes from the log's own CA, which anyone can make, so it proves nothing.
                for (String fork : r.relayForks()) {
                    if (r.authenticated()) {
                        out.printf("%s: RELAY LOG FORKED: %s%n", f, fork);
                        relayForked = true;
                    } else {
                        out.printf("%s: RELAY LOG FORKED (NOT authenticated: no trust anchor; the relay key comes from "
                                + "the log's own CA %s): %s%n", f, r.caFingerprint(), fork);
                    }
                }
                // Signed under a relay certificate the CRL revoked at or before this log's first signed
                // checkpoint covering the fork: the key may have been misused then, so it does not count
                // toward 6, but the log is not clean either (5). A revocation after that checkpoint, a
                // routine reissue included, does not erase a proven fork (§12.5).
                for (String fork : r.revokedRelayForks()) {
                    out.printf("%s: RELAY LOG FORKED, signed by a revoked certificate (the key may have been misused; "
                            + "not counted as the relay's fork): %s%n", f, fork);
                    revokedFork = true;
                }
            }
            // Each log's peer checkpoints against the other logs given (PROTOCOL.md §11.4, cross-check).
            List<AuditCrossCheck.Finding> findings = AuditCrossCheck.check(reports);
            for (AuditCrossCheck.Finding c : findings) {
                out.printf("cross-check %s: %s%n", c.agrees() ? "OK" : "FAILED", c.message());
            }
            if (findings.isEmpty()) {
                for (AuditReport r : reports) {
                    r.vouching().forEach(v -> out.printf("%s: %s%n", r.file(), v));
                }
            }
            if (!allIntact || !AuditCrossCheck.agree(findings)) {
                return ExitCodes.INTEGRITY;
            }
            return relayForked ? ExitCodes.RELAY_FORKED : revokedFork ? ExitCodes.INTEGRITY : ExitCodes.OK;
        }
    }
}
