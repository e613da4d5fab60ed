package org.hotline.client.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hotline.client.replay.HeadlessReplay;
import org.hotline.client.replay.LogSource;
import org.hotline.client.replay.ReportWriter;
import org.hotline.client.replay.Timeline;
import org.hotline.client.replay.TimelineMerger;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.ExerciseException;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.ExerciseDirectory;
import org.hotline.protocol.pki.Pem;
import org.hotline.protocol.pki.PkiException;
import org.hotline.server.cli.CommandFailure;
import org.hotline.server.cli.ExitCodes;
import picocli.CommandLine.Option;

/** Loading and merging logs, shared by {@code replay} and {@code report}. */
final class ReplayCommands {

    @Option(names = "--exercise", paramLabel = "DIR", description = "Verify the logs against this exercise's CA and CRL.")
    Path exercise;

    @Option(names = "--ca", paramLabel = "FILE", description = "Verify the logs against this CA certificate.")
    Path ca;

    @Option(names = "--debug", description = "Show stack traces on errors.")
    boolean debug;

    Timeline load(List<Path> files, PrintWriter err) {
        Optional<CertificateValidator> trust;
        Optional<Exercise> ex;
        try {
            trust = exercise != null ? Optional.of(new ExerciseDirectory(exercise).validator())
                    : ca != null ? Optional.of(CertificateValidator.withoutRevocation(Pem.readCertificate(ca)))
                    : Optional.empty();
            ex = exercise != null ? Optional.of(new ExerciseDirectory(exercise).exercise()) : Optional.empty();
        } catch (PkiException e) {
            throw new CommandFailure(ExitCodes.AUTH_OR_PKI, e.getMessage(), e);
        } catch (ExerciseException e) {
            throw new CommandFailure(ExitCodes.USAGE, e.getMessage(), e);
        }
        List<LogSource> logs = new ArrayList<>();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new CommandFailure(ExitCodes.USAGE, "no such log: " + f);
            }
            try {
                LogSource l = LogSource.load(f, trust, ex);
                if (!l.trusted()) {
                    err.println("hotline: warning: " + f + " failed verification at " + l.report().problem().get()
                            + "; its entries are marked untrusted");
                }
                logs.add(l);
            } catch (IOException e) {
                throw new CommandFailure(ExitCodes.FAILURE, "cannot read " + f + ": " + e.getMessage(), e);
            }
        }
        if (trust.isEmpty()) {
            err.println("hotline: warning: no --exercise or --ca given: log integrity checked, authenticity NOT checked");
        }
        return new TimelineMerger(ex.map(Exercise::parties).orElse(List.of())).merge(logs);
    }

    static int exitCodeFor(Timeline t) {
        return t.logs().stream().allMatch(LogSource::trusted) ? ExitCodes.OK : ExitCodes.INTEGRITY;
    }

    static void writeReport(Timeline t, Path out, String title) {
        try {
            Files.writeString(out, ReportWriter.render(t, title));
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.FAILURE, "cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    static void printHeadless(Timeline t, PrintWriter out, Optional<Double> speed) throws InterruptedException {
        HeadlessReplay.print(t, out, speed, d -> Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000)));
    }
}
