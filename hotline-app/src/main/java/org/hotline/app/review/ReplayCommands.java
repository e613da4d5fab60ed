package org.hotline.app.review;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hotline.app.cli.CommandFailure;
import org.hotline.app.cli.DebugOption;
import org.hotline.app.cli.ExitCodes;
import org.hotline.app.cli.TrustAnchorOption;
import org.hotline.client.replay.HeadlessReplay;
import org.hotline.client.replay.InjectLane;
import org.hotline.client.replay.LogSource;
import org.hotline.client.replay.ReportWriter;
import org.hotline.client.replay.Timeline;
import org.hotline.client.replay.TimelineMerger;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.ExerciseException;
import org.hotline.protocol.exercise.msel.Msel;
import org.hotline.protocol.exercise.msel.MselException;
import org.hotline.protocol.exercise.msel.MselFiles;
import org.hotline.protocol.pki.CertificateValidator;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Loading and merging logs, shared by {@code replay} and {@code report}. */
final class ReplayCommands {

    @Mixin
    TrustAnchorOption anchor;

    @Mixin
    DebugOption debug;

    @Option(names = "--msel", paramLabel = "FILE|NAME",
            description = "The scenario the exercise played (file or shipped name, e.g. south-asia): each inject's "
                    + "expected player action, shown beside the recipients' first reactions. The action is not in the "
                    + "signed inject (it is never sent to the players).")
    String msel;

    /** The MSEL given with --msel, checked against the exercise when one is given. */
    Optional<Msel> msel() {
        if (msel == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(MselFiles.load(msel, anchor.exercise()));
        } catch (MselException e) {
            throw new CommandFailure(ExitCodes.USAGE, "--msel " + msel + ": " + e.getMessage(), e);
        }
    }

    Timeline load(List<Path> files, PrintWriter err) {
        Optional<CertificateValidator> trust = anchor.validator();
        Optional<Exercise> ex = anchor.exercise();
        List<LogSource> logs = new ArrayList<>();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new CommandFailure(ExitCodes.USAGE, "no such log: " + f);
            }
            try {
                LogSource l = LogSource.load(f, trust, ex);
                if (l.onlyUnsignedTail()) {
                    err.println("hotline: warning: " + f + ": " + l.unsignedTail() + " entries after its last signed "
                            + "checkpoint are not covered by a signature; they are marked unsigned, the rest stays trusted");
                } else if (!l.trusted()) {
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
        return ex.map(TimelineMerger::new).orElseGet(TimelineMerger::new).merge(logs);
    }

    /** 5 when a log failed verification or the logs contradict each other's checkpoints (PROTOCOL.md §11.4). */
    static int exitCodeFor(Timeline t) {
        return t.logs().stream().allMatch(LogSource::trusted) && t.crossCheckAgrees() ? ExitCodes.OK : ExitCodes.INTEGRITY;
    }

    static void writeReport(Timeline t, Path out, String title, Optional<Msel> msel) {
        write(out, ReportWriter.render(t, title, msel));
    }

    static void write(Path out, String content) {
        try {
            Files.writeString(out, content);
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.FAILURE, "cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    static void printHeadless(Timeline t, InjectLane injects, PrintWriter out, Optional<Double> speed)
            throws InterruptedException {
        HeadlessReplay.print(t, injects, out, speed, d -> Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000)));
    }
}
