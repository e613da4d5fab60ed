package org.hotline.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hotline.app.HotlineMain;
import org.hotline.protocol.pki.ExercisePki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench --backlog}, {@code --warmup} and {@code --relays 2} at toy size: their argument
 * handling, and one short real run of the backlog drain and of two relays against one. Not a
 * measurement.
 */
class BenchRelaysAndDrainTest {

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void badNewOptions_areUsageErrors_inOneLine() {
        for (String[] args : new String[][] {{"bench", "--relays", "0"}, {"bench", "--relays", "3"},
                {"bench", "--warmup", "-1"}, {"bench", "--backlog", "-1"}, {"bench", "--backlog", "100001"},
                {"bench", "--relays", "2", "--server", "127.0.0.1:7443", "--dir", tmp.toString()}}) {
            StringWriter err = new StringWriter();
            int code = HotlineMain.run(args, Map.of(), new PrintWriter(new StringWriter(), true),
                    new PrintWriter(err, true));
            assertThat(code).as(String.join(" ", args)).isEqualTo(2);
            assertThat(err.toString()).as("one line, no stack trace").doesNotContain("\tat ").contains("hotline");
        }
    }

    /** A --dir holding a one-relay bench exercise cannot serve --relays 2: said before anything starts. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void relaysNotMatchingTheExerciseInDir_isAUsageError() throws Exception {
        new ExercisePki(Clock.systemUTC(), new SecureRandom(), 1000).initFromJson(tmp.resolve("exercise"),
                BenchExercise.template(2), Optional.of(BenchExercise.PASSPHRASE.toCharArray()));
        StringWriter err = new StringWriter();
        int code = HotlineMain.run(new String[] {"bench", "--pairs", "2", "--relays", "2", "--dir", tmp.toString()},
                Map.of(), new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("has 1 relay(s), not 2").doesNotContain("\tat ");
    }

    @Test
    void twoRelayTemplate_listsOneRelayPerParty() throws Exception {
        assertThat(BenchExercise.template(1, 2)).contains("\"relays\":[{\"name\":\"relay-a\"")
                .contains("{\"name\":\"relay-b\"").doesNotContain("\"relay\":{");
        assertThat(BenchExercise.template(1)).contains("\"relay\":{").doesNotContain("\"relays\"");
    }

    /**
     * {@code --latency-only --relays 2}: both relays started, then only the unloaded probe, one
     * relay and two alternating sample by sample, and their difference.
     */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void latencyOnlyWithTwoRelays_alternatesOneAndTwo() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HotlineMain.run(new String[] {"bench", "--pairs", "2", "--latency-only", "--latency-samples", "3",
                "--relays", "2", "--dir", tmp.toString()}, Map.of(), new PrintWriter(out, true),
                new PrintWriter(err, true));
        String text = out.toString();
        assertThat(code).as(err + "\n" + text).isZero();
        assertThat(text).contains("one relay and 2 relays alternately in the same process")
                .containsPattern("\\| send -> verified at the recipient p50 \\| [0-9]+\\.[0-9]{2} \\| [0-9]+\\.[0-9]{2} \\| "
                        + "[+-][0-9]+\\.[0-9]{2} \\|")
                .containsPattern("unloaded p50 with 2 relays minus one relay, samples alternating: [+-][0-9]+\\.[0-9]{2} ms")
                .doesNotContain("baseline");
    }

    /**
     * One relay alone, then both, in one run with a warm-up: each drains a backlog to a recipient
     * that was offline (every message counted once, though it travels both relays), and the table
     * sets two relays against one.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void twoRelays_withWarmUpAndBacklog_reportTwoAgainstOne() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HotlineMain.run(new String[] {"bench", "--pairs", "1", "--messages", "20", "--window", "5",
                "--latency-samples", "3", "--backlog", "25", "--warmup", "1", "--relays", "2", "--dir", tmp.toString()},
                Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        String text = out.toString();
        assertThat(code).as(err + "\n" + text).isZero();
        assertThat(text).contains("warm-up 1 s, relays 2").contains("warm-up: 1 s of the same load, not recorded")
                .contains("| throughput (messages/s) |")
                .contains("messages: hotline 20, baseline 20; errors: hotline 0, baseline 0")
                .contains("| measurement | one relay | 2 relays | ratio |")
                .contains("| unloaded send -> verified at recipient p50 (ms) |")
                .contains("| backlog drain (messages/s) |")
                .containsPattern("unloaded p50 with 2 relays minus one relay: [+-][0-9]+\\.[0-9]{2} ms")
                .contains("messages: one relay 20, 2 relays 20; errors: one relay 0, 2 relays 0")
                .contains("relay relay-a during the 2-relay load:").contains("relay relay-b during the 2-relay load:")
                .contains("| unloaded, samples alternating (ms) | one relay | 2 relays | difference |")
                .containsPattern("unloaded p50 with 2 relays minus one relay, samples alternating: [+-][0-9]+\\.[0-9]{2} ms");
        // Once for relay-a alone, once for both (each message shown once, though it travels both relays).
        assertThat(text.split("drained 25 messages", -1)).hasSize(3);
    }
}
