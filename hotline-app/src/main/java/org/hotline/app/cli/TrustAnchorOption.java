package org.hotline.app.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.ExerciseException;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.ExerciseDirectory;
import org.hotline.protocol.pki.Pem;
import org.hotline.protocol.pki.PkiException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * {@code --exercise DIR | --ca FILE}: what an offline check of audit logs trusts. Without either,
 * only a log's integrity can be checked, not who wrote it.
 */
public final class TrustAnchorOption {

    @ArgGroup(exclusive = true)
    Anchor anchor;

    static final class Anchor {
        @Option(names = "--exercise", paramLabel = "DIR", description = "Trust the exercise's ca.crt and crl.pem.")
        Path exercise;

        @Option(names = "--ca", paramLabel = "FILE", description = "Trust this CA certificate (no revocation check).")
        Path ca;
    }

    /**
     * The validator for the chosen anchor; empty when none was given.
     *
     * @throws CommandFailure with {@link ExitCodes#AUTH_OR_PKI} when the anchor cannot be loaded
     */
    public Optional<CertificateValidator> validator() {
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

    /**
     * With {@code --exercise}, its roles and channels: the verifier then also checks channel
     * membership and re-renders signal wordings. Empty with {@code --ca} or no anchor.
     *
     * @throws CommandFailure with {@link ExitCodes#USAGE} when {@code exercise.json} is unreadable
     */
    public Optional<Exercise> exercise() {
        if (anchor == null || anchor.exercise == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ExerciseDirectory(anchor.exercise).exercise());
        } catch (ExerciseException e) {
            throw new CommandFailure(ExitCodes.USAGE, e.getMessage(), e);
        }
    }
}
