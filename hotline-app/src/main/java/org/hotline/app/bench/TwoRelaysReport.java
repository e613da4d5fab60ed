package org.hotline.app.bench;

import java.io.PrintWriter;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.hotline.protocol.exercise.RelayEndpoint;

/**
 * {@code bench --relays 2}: several relays against one relay alone, measured in the same run, as a
 * table of the two and their ratio, and the unloaded p50 difference that issue 19 bounds (two
 * relays no worse than one by more than 1 ms).
 */
final class TwoRelaysReport {

    private TwoRelaysReport() {
    }

    static void print(PrintWriter out, BenchCommand.Phase one, BenchCommand.Phase several, List<RelayEndpoint> relays) {
        int n = relays.size();
        out.println();
        out.printf("| measurement | one relay | %d relays | ratio |%n", n);
        out.println("|---|---|---|---|");
        row(out, "throughput (messages/s)", one.load().perSecond(), several.load().perSecond());
        for (double p : new double[] {50, 99}) {
            row(out, "send -> first accepted p" + (int) p + " (ms)", ms(one.load().accepted(), p),
                    ms(several.load().accepted(), p));
        }
        for (double p : new double[] {50, 99}) {
            row(out, "send -> first copy delivered p" + (int) p + " (ms)", ms(one.load().delivered(), p),
                    ms(several.load().delivered(), p));
        }
        for (double p : new double[] {50, 90, 99}) {
            row(out, "unloaded send -> verified at recipient p" + (int) p + " (ms)", ms(one.unloaded().shown(), p),
                    ms(several.unloaded().shown(), p));
        }
        for (double p : new double[] {50, 99}) {
            row(out, "unloaded send -> first ACCEPTED at the sender p" + (int) p + " (ms)",
                    ms(one.unloaded().accepted(), p), ms(several.unloaded().accepted(), p));
        }
        if (one.drain().isPresent() && several.drain().isPresent()) {
            row(out, "backlog drain (messages/s)", one.drain().get().perSecond(), several.drain().get().perSecond());
        }
        if (!one.relayCpu().isEmpty() && several.relayCpu().size() == n) {
            double all = several.relayCpu().stream().mapToDouble(ProcessSampler::cpuSeconds).sum();
            row(out, "relay CPU per message, all relays (us)", 1e6 * one.relayCpu().get(0).cpuSeconds()
                    / Math.max(1, one.load().messages()), 1e6 * all / Math.max(1, several.load().messages()));
        }
        out.printf("%nunloaded p50 with %d relays minus one relay: %+.2f ms (issue 19 bound: at most +1 ms)%n", n,
                ms(several.unloaded().shown(), 50) - ms(one.unloaded().shown(), 50));
        out.printf("messages: one relay %d, %d relays %d; errors: one relay %d, %d relays %d%n", one.load().messages(),
                n, several.load().messages(), one.load().errors(), n, several.load().errors());
        several.drain().ifPresent(r -> {
            out.printf("with %d relays, ", n);
            BenchCommand.printDrain(out, r);
        });
        if (several.relayCpu().size() == n) {
            for (int i = 0; i < n; i++) {
                ProcessSampler s = several.relayCpu().get(i);
                out.printf("relay %s during the %d-relay load: %.1f CPU-seconds, peak RSS %d MiB%n",
                        relays.get(i).name(), n, s.cpuSeconds(), s.peakRssKib() / 1024);
            }
        }
        out.println("(on one machine every relay shares the same cores and disk: each relay does the whole work "
                + "of every message, so with " + n + " relays here the machine does " + n + " times the relay work)");
    }

    /**
     * The unloaded probe with one relay and with {@code n}, their samples alternating in the same
     * process ({@link UnloadedLatencyProbe#interleaved}): the difference that issue 19 bounds, free
     * of what the machine did between two phases measured one after the other.
     */
    static void printInterleaved(PrintWriter out, UnloadedLatencyProbe.Paired paired, int n) {
        out.println();
        out.printf("| unloaded, samples alternating (ms) | one relay | %d relays | difference |%n", n);
        out.println("|---|---|---|---|");
        for (double p : new double[] {50, 90, 99}) {
            difference(out, "send -> verified at the recipient p" + (int) p, ms(paired.one().shown(), p),
                    ms(paired.several().shown(), p));
        }
        for (double p : new double[] {50, 99}) {
            difference(out, "send -> first ACCEPTED at the sender p" + (int) p, ms(paired.one().accepted(), p),
                    ms(paired.several().accepted(), p));
        }
        difference(out, "send -> answered by the sender's engine p50", ms(paired.one().composed(), 50),
                ms(paired.several().composed(), 50));
        out.printf("%nunloaded p50 with %d relays minus one relay, samples alternating: %+.2f ms (issue 19 bound: at "
                + "most +1 ms)%n", n, ms(paired.several().shown(), 50) - ms(paired.one().shown(), 50));
    }

    private static void difference(PrintWriter out, String name, double one, double several) {
        out.printf("| %s | %.2f | %.2f | %+.2f |%n", name, one, several, several - one);
    }

    private static void row(PrintWriter out, String name, double one, double several) {
        out.printf("| %s | %.2f | %.2f | %.2f |%n", name, one, several, one == 0 ? 0 : several / one);
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }
}
