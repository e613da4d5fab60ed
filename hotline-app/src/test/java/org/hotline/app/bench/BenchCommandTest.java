package org.hotline.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.hotline.app.HotlineMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load generator end to end, at toy size: both relays, the table, the ratios. Not a measurement. */
class BenchCommandTest {

    @TempDir
    Path tmp;

    @Test
    void smallRun_reportsHotlineAgainstTheBaseline() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HotlineMain.run(new String[] {"bench", "--pairs", "2", "--messages", "30", "--window", "5",
                "--latency-samples", "5", "--backlog", "10", "--dir", tmp.toString()}, Map.of(), new PrintWriter(out, true),
                new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("| throughput (messages/s) |").contains("send -> delivered p99")
                .contains("unloaded send -> verified at recipient p50").contains("relay process:")
                .contains("relay heap after the load and a full GC:")
                .contains("messages: hotline 60, baseline 60; errors: hotline 0, baseline 0")
                .contains("backlog drain: a recipient back online drained 10 messages");
    }

    /** --duration instead of a message count, against a relay started elsewhere on the bench exercise (--server). */
    @Test
    void timedRun_againstARunningRelay_reusesTheExerciseInDir() throws Exception {
        try (org.hotline.server.net.RelayServer relay = relayElsewhere(1_000_000)) {
            String out = run("bench", "--pairs", "2", "--duration", "2", "--window", "2", "--latency-samples", "2",
                    "--backlog", "5", "--dir", tmp.toString(), "--server", "127.0.0.1:" + relay.address().getPort());
            assertThat(out).contains("2 pairs x 2 s").contains("relay process: not measured")
                    .containsPattern("messages: hotline [1-9][0-9]*, baseline [1-9][0-9]*; errors: hotline 0, baseline 0");
        }
    }

    /** A relay with its default rate limit drops most of the load silently: say so instead of waiting. */
    @Test
    void aRateLimitedRelay_isReportedInOneLine() throws Exception {
        try (org.hotline.server.net.RelayServer relay = relayElsewhere(20)) {
            StringWriter err = new StringWriter();
            int code = HotlineMain.run(new String[] {"bench", "--pairs", "2", "--duration", "5", "--window", "50",
                    "--dir", tmp.toString(), "--server", "127.0.0.1:" + relay.address().getPort()}, Map.of(),
                    new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
            assertThat(code).isEqualTo(2);
            assertThat(err.toString()).contains("rate-limits this load").contains("--rate").doesNotContain("\tat ");
        }
    }

    @Test
    void connectionsMode_holdsEveryConnection_andReportsTheRelayHeap() {
        String out = run("bench", "--connections", "6", "--dir", tmp.toString());
        assertThat(out).contains("| connections welcomed | 6 of 6 (0 failed) |")
                .contains("| still open after the heap measurement | 6 |")
                .containsPattern("relay heap after full GC, idle \\(baseline\\) \\| [0-9]+ MiB");
    }

    /**
     * A bench exercise in {@code tmp}, served by a relay started here in-process, as an operator would
     * start one elsewhere, with the given frame rate and burst. The exercise is the one {@code bench}
     * makes in a {@code --dir} that has none (its template for two pairs, its passphrase, its key
     * derivation), made here directly rather than by a whole bench run, which smallRun covers.
     */
    private org.hotline.server.net.RelayServer relayElsewhere(int rate) throws Exception {
        new org.hotline.protocol.pki.ExercisePki(java.time.Clock.systemUTC(), new java.security.SecureRandom(), 1000)
                .initFromJson(tmp.resolve("exercise"), BenchExercise.template(2),
                        java.util.Optional.of(BenchExercise.PASSPHRASE.toCharArray()));
        org.hotline.protocol.pki.ExerciseDirectory d = new org.hotline.protocol.pki.ExerciseDirectory(tmp.resolve("exercise"));
        return org.hotline.server.net.RelayServer.start(d, d.exercise(),
                d.loadRelay(BenchExercise.PASSPHRASE.toCharArray(), java.time.Instant.now()),
                org.hotline.server.config.RelayConfig.defaults("127.0.0.1", 0, tmp.resolve("elsewhere")).withRate(rate, rate),
                java.time.Clock.systemUTC());
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HotlineMain.run(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as(err + "\n" + out).isZero();
        return out.toString();
    }

    @Test
    void badArguments_areUsageErrors() {
        for (String[] args : new String[][] {{"bench", "--pairs", "0"}, {"bench", "--duration", "-1"},
                {"bench", "--server", "127.0.0.1:7443"}, {"bench", "--server", "nonsense", "--dir", "x"},
                {"bench", "--connections", "1"}}) {
            StringWriter err = new StringWriter();
            int code = HotlineMain.run(args, Map.of(), new PrintWriter(new StringWriter(), true),
                    new PrintWriter(err, true));
            assertThat(code).as(String.join(" ", args)).isEqualTo(2);
            assertThat(err.toString()).as("one line, no stack trace").doesNotContain("\tat ").contains("hotline");
        }
    }
}
