package org.hotline.app.review;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.hotline.client.replay.Timeline;
import org.hotline.client.replay.TranscriptExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hotline report}: the after-action report as one self-contained HTML file. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write the after-action report for the hot wash: integrity, suggested questions, timeline with "
                + "outages and exercise control's injects (first reactions beside the expected action, with --msel), "
                + "response times per side, unanswered messages, overridden wording warnings, transcript in every catalog language.",
                "One self-contained HTML file (no external scripts, styles or fonts); readable when printed."})
public final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ReplayCommands common = new ReplayCommands();

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "audit.jsonl files.")
    List<Path> files;

    @Option(names = "--out", required = true, paramLabel = "FILE.html", description = "Where to write the report.")
    Path out;

    @Option(names = "--title", paramLabel = "TEXT",
            description = "Report title (default: \"Hot-wash report: \" and the exercise's name, with --exercise).")
    String title;

    @Option(names = "--csv", paramLabel = "FILE.csv", description = "Also write the transcript as CSV.")
    Path csv;

    @Option(names = "--json", paramLabel = "FILE.json", description = "Also write the transcript as JSON.")
    Path json;

    @Override
    public Integer call() {
        Timeline t = common.load(files, spec.commandLine().getErr());
        ReplayCommands.writeReport(t, out, title, common.msel());
        spec.commandLine().getOut().println("wrote " + out + " (" + t.messages().size() + " messages, "
                + t.logs().size() + " logs)");
        if (csv != null) {
            ReplayCommands.write(csv, TranscriptExport.csv(t));
            spec.commandLine().getOut().println("wrote " + csv + " (transcript, CSV)");
        }
        if (json != null) {
            ReplayCommands.write(json, TranscriptExport.json(t));
            spec.commandLine().getOut().println("wrote " + json + " (transcript, JSON)");
        }
        return ReplayCommands.exitCodeFor(t);
    }
}
