package org.hotline.client.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.hotline.client.cli.HotlineClientMain;
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
        int code = HotlineClientMain.run(new String[] {"bench", "--pairs", "2", "--messages", "30", "--window", "5",
                "--latency-samples", "5", "--dir", tmp.toString()}, Map.of(), new PrintWriter(out, true),
                new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("| throughput (messages/s) |").contains("send -> delivered p99")
                .contains("unloaded send -> verified at recipient p50").contains("relay process:")
                .contains("errors: hotline 0, baseline 0");
    }

    @Test
    void badArguments_areUsageErrors() {
        int code = HotlineClientMain.run(new String[] {"bench", "--pairs", "0"}, Map.of(),
                new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true));
        assertThat(code).isEqualTo(2);
    }
}
