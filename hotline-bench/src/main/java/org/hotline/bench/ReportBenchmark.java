package org.hotline.bench;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hotline.client.replay.HeadlessReplay;
import org.hotline.client.replay.ReportWriter;
import org.hotline.client.replay.Timeline;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The after-action report for a 10,000-message exercise: HTML with the SVG chart, statistics and
 * full transcript, against the baseline of printing the same timeline as plain text in the same run.
 * Run: {@code java -jar hotline-bench/target/hotline-bench.jar Report -f 1 -wi 2 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ReportBenchmark {

    private Timeline timeline;

    @Setup
    public void setUp() {
        Instant t0 = Instant.parse("2026-05-10T14:00:00Z");
        String[] roles = {"in.pm", "pk.pm", "in.nsa", "pk.nsa"};
        String[] categories = {"nuclear-posture", "de-escalation", "clarification", "acknowledgement", "incident"};
        List<Timeline.MessageRecord> messages = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            String from = roles[i % 4];
            String to = roles[(i % 4) ^ 1];
            Instant sent = t0.plusSeconds(i * 7L);
            messages.add(new Timeline.MessageRecord(String.format("%032x", i), from, List.of(to), "leaders", i / 4 + 1,
                    categories[i % categories.length], "Synthetic message " + i + ": our forces remain at normal "
                    + "peacetime readiness as of 10 May 2026 14:00 UTC (19:30 IST, 19:00 PKT).", sent,
                    Optional.of(sent.plusMillis(20)), Optional.of(sent.plusMillis(60)),
                    i % 3 == 0 ? Optional.empty() : Optional.of(sent.plusSeconds(30)), List.of(from, to), true,
                    Optional.empty()));
        }
        timeline = new Timeline(t0, t0.plusSeconds(70_000), messages, List.of(), List.of(), List.of(), List.of());
    }

    @Benchmark
    public String renderHtmlReport() {
        return ReportWriter.render(timeline, "Benchmark exercise");
    }

    @Benchmark
    public String baselinePlainTextTranscript() throws InterruptedException {
        StringWriter out = new StringWriter(4 << 20);
        HeadlessReplay.print(timeline, new PrintWriter(out), Optional.empty(), d -> { });
        return out.toString();
    }
}
