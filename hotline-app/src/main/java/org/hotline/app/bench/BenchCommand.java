package org.hotline.app.bench;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.hotline.app.cli.CommandFailure;
import org.hotline.app.cli.DebugOption;
import org.hotline.app.cli.ExitCodes;
import org.hotline.app.cli.HostPort;
import org.hotline.protocol.exercise.ExerciseFiles;
import org.hotline.protocol.pki.ExerciseDirectory;
import org.hotline.protocol.pki.ExercisePki;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hotline bench}: the load generator. In one run it measures, side by side, the Hotline relay
 * (a separate process: mutual TLS, policy, signed receipts, durable SQLite mailbox with group
 * commit) and a minimal pass-through TLS relay (same TLS and codec, no crypto, no storage), and
 * the unloaded end-to-end latency of real client cores (seal, sign, relay, open, verify).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Load generator: throughput and latency percentiles of the Hotline relay against a "
                + "pass-through TLS baseline measured in the same run, plus unloaded end-to-end latency."})
public final class BenchCommand implements Callable<Integer> {

    private static final String PASS = BenchExercise.PASSPHRASE;

    /** The command is the entry point: the one clock and random source of the whole run. */
    private final Clock clock = Clock.systemUTC();
    private final SecureRandom random = new SecureRandom();

    @Spec
    CommandSpec spec;

    @Option(names = "--pairs", defaultValue = "10", description = "Sender/receiver pairs (default: ${DEFAULT-VALUE}).")
    int pairs;

    @Option(names = "--messages", defaultValue = "1000", description = "Messages per pair (default: ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = "--size", defaultValue = "1024", description = "Message size in bytes (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--window", defaultValue = "100", description = "Outstanding messages per sender (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--latency-samples", defaultValue = "200", description = "Unloaded end-to-end samples (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--connections", defaultValue = "0", description = {"Instead of the load run: open this many "
            + "authenticated connections (one role each) to a relay limited to 512 MiB of heap, hold them, and report "
            + "the relay's heap after a full GC against its idle heap (default: ${DEFAULT-VALUE}, off)."})
    int connections;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0", description = {"Run each load for this "
            + "long instead of --messages per pair (default: off)."})
    int duration;

    @Option(names = "--latency-only", description = {"Only the unloaded end-to-end latency with real client cores "
            + "(and the durable commit floor): no baseline, no load run."})
    boolean latencyOnly;

    @Option(names = "--server", paramLabel = "HOST:PORT", description = {"Load a relay that is already running "
            + "instead of starting one. It must serve the bench exercise in --dir (created by an earlier run with the "
            + "same --dir and at least as many --pairs), started with HOTLINE_PASSPHRASE=" + PASS + " and a rate limit "
            + "above the load (--rate 1000000 --burst 1000000); relay CPU and memory are then not measured."})
    String server;

    @Option(names = "--dir", description = "Work directory (default: a new temporary directory). An exercise already "
            + "in it is reused.")
    Path dir;

    @Mixin
    DebugOption debug;

    @Override
    public Integer call() throws Exception {
        if (connections > 0) {
            return holdConnections();
        }
        if (pairs < 1 || pairs > 500 || messages < 1 || size < 1 || size > 60_000 || window < 1 || duration < 0) {
            throw new CommandFailure(ExitCodes.USAGE,
                    "pairs 1..500, messages >= 1, size 1..60000, window >= 1, duration >= 0");
        }
        if (server != null && dir == null) {
            throw new CommandFailure(ExitCodes.USAGE, "--server needs --dir: the bench exercise the relay serves");
        }
        Optional<InetSocketAddress> remote = server == null ? Optional.empty() : Optional.of(HostPort.parse("--server", server).socketAddress());
        Duration runFor = Duration.ofSeconds(duration);
        PrintWriter out = spec.commandLine().getOut();
        Path base = dir != null ? dir : Files.createTempDirectory("hotline-bench-");
        Path exerciseDir = base.resolve("exercise");
        out.printf("hotline bench: %d pairs x %s of %d bytes, window %d; machine: %d cores, %s%n", pairs,
                duration > 0 ? duration + " s" : messages + " messages", size, window,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
        if (!Files.exists(exerciseDir.resolve(ExerciseFiles.FILE_NAME))) {
            new ExercisePki(clock, random, 1000).initFromJson(exerciseDir, BenchExercise.template(pairs),
                    Optional.of(PASS.toCharArray()));
        } else if (remote.isEmpty()) {
            out.println("reusing the exercise in " + exerciseDir);
        }
        if (latencyOnly) {
            return latencyOnly(out, exerciseDir, base, remote);
        }
        ExerciseDirectory d = new ExerciseDirectory(exerciseDir);
        List<LoadRun.Pair> load = new ArrayList<>();
        for (int i = 1; i <= pairs; i++) {
            if (d.exercise().role("a" + i).isEmpty()) {
                throw new CommandFailure(ExitCodes.USAGE, "the exercise in " + exerciseDir + " has only " + (i - 1)
                        + " bench pairs; use a new --dir or fewer --pairs");
            }
            load.add(new LoadRun.Pair(d.loadRole("a" + i, PASS.toCharArray(), clock.instant()),
                    d.loadRole("b" + i, PASS.toCharArray(), clock.instant()), "c" + i));
        }
        out.println("baseline: pass-through TLS relay (no crypto, no storage) ...");
        LoadRun.Result baseline;
        Histogram baselineRtt;
        try (PassThroughRelay pass = new PassThroughRelay(d.loadRelay(PASS.toCharArray(), clock.instant()), clock)) {
            baseline = LoadRun.run(pass.address(), load, messages, runFor, size, window, out::println, clock, random);
            baselineRtt = LoadRun.run(pass.address(), load.subList(0, 1), samples, size, 1, s -> { }, clock, random).delivered();
        }
        if (remote.isPresent()) {
            out.println("hotline relay at " + server + " ...");
            measureHotline(out, exerciseDir, base, remote.get(), load, runFor, baseline, baselineRtt, Optional.empty());
            return ExitCodes.OK;
        }
        out.println("hotline relay (separate process, durable) ...");
        Process relay = BenchExercise.startRelay(exerciseDir, base.resolve("relay-data"));
        try {
            InetSocketAddress address = BenchExercise.readyAddress(relay);
            measureHotline(out, exerciseDir, base, address, load, runFor, baseline, baselineRtt,
                    Optional.of(new ProcessSampler(relay.pid())));
        } finally {
            relay.destroy();
            relay.waitFor(15, TimeUnit.SECONDS);
        }
        return ExitCodes.OK;
    }

    /** {@code --latency-only}: the unloaded probe against the relay, started here unless {@code --server}. */
    private int latencyOnly(PrintWriter out, Path exerciseDir, Path base, Optional<InetSocketAddress> remote)
            throws Exception {
        Process relay = remote.isPresent() ? null : BenchExercise.startRelay(exerciseDir, base.resolve("relay-data"));
        try {
            InetSocketAddress address = remote.isPresent() ? remote.get() : BenchExercise.readyAddress(relay);
            out.println("unloaded end to end with real client cores (seal+sign, relay, open+verify) ...");
            UnloadedLatencyProbe.Result unloaded = UnloadedLatencyProbe.measure(exerciseDir, base, address, size,
                    samples, clock, random);
            Histogram commit = DurableCommitProbe.measure(base, size, samples, random);
            printUnloaded(out, unloaded, commit);
        } finally {
            if (relay != null) {
                relay.destroy();
                relay.waitFor(15, TimeUnit.SECONDS);
            }
        }
        return ExitCodes.OK;
    }

    private void printUnloaded(PrintWriter out, UnloadedLatencyProbe.Result unloaded, Histogram commit) {
        out.println();
        out.println("| unloaded, ms | p50 | p90 | p99 | max |");
        out.println("|---|---|---|---|---|");
        percentiles(out, "send -> answered by the sender's engine (signed, sealed, outbox committed)", unloaded.composed());
        percentiles(out, "send -> ACCEPTED at the sender", unloaded.accepted());
        percentiles(out, "send -> verified at the recipient", unloaded.shown());
        percentiles(out, "one durable SQLite commit (WAL, synchronous=FULL)", commit);
    }

    private static void percentiles(PrintWriter out, String name, Histogram h) {
        out.printf("| %s | %.2f | %.2f | %.2f | %.2f |%n", name, ms(h, 50), ms(h, 90), ms(h, 99), h.getMaxValue() / 1000.0);
    }

    private void measureHotline(PrintWriter out, Path exerciseDir, Path base, InetSocketAddress address,
                                List<LoadRun.Pair> load, Duration runFor, LoadRun.Result baseline, Histogram baselineRtt,
                                Optional<ProcessSampler> sampler) throws Exception {
        sampler.ifPresent(ProcessSampler::start);
        long generatorCpuBefore = ownCpuNanos();
        LoadRun.Result hotline = LoadRun.run(address, load, messages, runFor, size, window, out::println, clock, random);
        double generatorCpu = (ownCpuNanos() - generatorCpuBefore) / 1e9;
        sampler.ifPresent(ProcessSampler::stop);
        // Live heap right after the load (a full GC first), before the unloaded phase adds its own.
        long heapAfterLoad = sampler.isPresent() ? RelayProbe.heapUsedKib(sampler.get().pid) : -1;
        out.println("unloaded end to end with real client cores (seal+sign, relay, open+verify) ...");
        UnloadedLatencyProbe.Result unloaded = UnloadedLatencyProbe.measure(exerciseDir, base, address, size, samples,
                clock, random);
        Histogram e2e = unloaded.shown();
        Histogram commit = DurableCommitProbe.measure(base, size, samples, random);
        out.println();
        out.println("| measurement | Hotline | baseline | ratio |");
        out.println("|---|---|---|---|");
        row(out, "throughput (messages/s)", hotline.perSecond(), baseline.perSecond());
        for (double p : new double[] {50, 90, 99}) {
            row(out, "send -> accepted p" + (int) p + " (ms)", ms(hotline.accepted(), p), ms(baseline.accepted(), p));
        }
        row(out, "send -> accepted max (ms)", hotline.accepted().getMaxValue() / 1000.0, baseline.accepted().getMaxValue() / 1000.0);
        for (double p : new double[] {50, 90, 99}) {
            row(out, "send -> delivered p" + (int) p + " (ms)", ms(hotline.delivered(), p), ms(baseline.delivered(), p));
        }
        row(out, "send -> delivered max (ms)", hotline.delivered().getMaxValue() / 1000.0, baseline.delivered().getMaxValue() / 1000.0);
        for (double p : new double[] {50, 90, 99}) {
            row(out, "unloaded send -> verified at recipient p" + (int) p + " (ms)", ms(e2e, p), ms(baselineRtt, p));
        }
        row(out, "unloaded max (ms)", e2e.getMaxValue() / 1000.0, baselineRtt.getMaxValue() / 1000.0);
        out.printf("unloaded send -> ACCEPTED at the sender (part of the above): p50 %.2f ms, p99 %.2f ms%n",
                ms(unloaded.accepted(), 50), ms(unloaded.accepted(), 99));
        out.printf("unloaded send -> answered by the sender's engine (signed, sealed, outbox committed): p50 %.2f ms, "
                + "p99 %.2f ms%n", ms(unloaded.composed(), 50), ms(unloaded.composed(), 99));
        out.printf("%ndurable floor on this disk: one SQLite commit (WAL, synchronous=FULL) of %d bytes takes p50 %.2f ms, "
                        + "p99 %.2f ms; a message is committed 3 times in series before it is shown (sender, relay, "
                        + "recipient), so unloaded p50 cannot go below about %.1f ms here%n", size, ms(commit, 50),
                ms(commit, 99), 3 * ms(commit, 50));
        out.printf("%nmessages: hotline %d, baseline %d; errors: hotline %d, baseline %d%n", hotline.messages(),
                baseline.messages(), hotline.errors(), baseline.errors());
        if (sampler.isPresent()) {
            ProcessSampler sp = sampler.get();
            out.printf("relay process: %.1f CPU-seconds (%.1f of them in the kernel) for %d messages, %.0f us per message "
                            + "(%.0f %% of one core on average), peak RSS %d MiB%n",
                    sp.cpuSeconds(), sp.systemCpuSeconds(), hotline.messages(), 1e6 * sp.cpuSeconds() / hotline.messages(),
                    100 * sp.cpuSeconds() / (hotline.elapsed().toNanos() / 1e9), sp.peakRssKib() / 1024);
            out.printf("relay heap after the load and a full GC: %d MiB (-Xmx512m)%n", heapAfterLoad / 1024);
        } else {
            out.println("relay process: not measured (a relay started elsewhere)");
        }
        out.printf("load generator (this process): %.1f CPU-seconds, %.0f us per message; on %d cores the run had %.1f "
                        + "CPU-seconds in all%n", generatorCpu, 1e6 * generatorCpu / Math.max(1, hotline.messages()),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().availableProcessors() * hotline.elapsed().toNanos() / 1e9);
        out.println("(unloaded baseline: one frame through the pass-through relay, no crypto at either end)");
    }

    /** CPU time of this JVM (all threads), nanoseconds; 0 where the platform does not say. */
    private static long ownCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }

    private int holdConnections() throws Exception {
        if (connections < 2 || connections > 20_000) {
            throw new CommandFailure(ExitCodes.USAGE, "connections 2..20000");
        }
        PrintWriter out = spec.commandLine().getOut();
        Path base = dir != null ? dir : Files.createTempDirectory("hotline-bench-");
        Path exerciseDir = base.resolve("exercise");
        int roles = connections + connections % 2;
        out.printf("hotline bench: %d authenticated connections held open; machine: %d cores, %s%n", roles,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
        out.printf("issuing credentials for %d roles ...%n", roles);
        new ExercisePki(clock, random, 1000).initFromJson(exerciseDir, BenchExercise.template(roles / 2),
                Optional.of(PASS.toCharArray()));
        ExerciseDirectory d = new ExerciseDirectory(exerciseDir);
        Process relay = BenchExercise.startRelay(exerciseDir, base.resolve("relay-data"));
        try (ConnectionHold hold = new ConnectionHold()) {
            InetSocketAddress address = BenchExercise.readyAddress(relay);
            long idleHeap = RelayProbe.heapUsedKib(relay.pid());
            long idleRss = RelayProbe.rssKib(relay.pid());
            out.printf("relay idle: heap after full GC %d MiB, RSS %d MiB; connecting ...%n", idleHeap / 1024, idleRss / 1024);
            ConnectionHold.Opened opened = hold.open(address, roles, i -> d.loadRole((i % 2 == 0 ? "a" : "b") + (i / 2 + 1),
                    PASS.toCharArray(), clock.instant()), out::println);
            Thread.sleep(3000);
            long heap = RelayProbe.heapUsedKib(relay.pid());
            long rss = RelayProbe.rssKib(relay.pid());
            int open = hold.stillOpen();
            out.println();
            out.println("| measurement | value |");
            out.println("|---|---|");
            out.printf("| connections welcomed | %d of %d (%d failed) |%n", opened.welcomed(), roles, opened.failed());
            out.printf("| still open after the heap measurement | %d |%n", open);
            out.printf("| time to open all (32 handshakes in flight) | %.1f s (%.0f handshakes/s) |%n",
                    opened.elapsed().toMillis() / 1000.0, roles / (opened.elapsed().toMillis() / 1000.0));
            out.printf("| relay heap after full GC, idle (baseline) | %d MiB |%n", idleHeap / 1024);
            out.printf("| relay heap after full GC, %d connections | %d MiB (limit -Xmx512m) |%n", open, heap / 1024);
            out.printf("| heap per connection | %.1f KiB |%n", open == 0 ? 0.0 : (heap - idleHeap) / (double) open);
            out.printf("| relay RSS idle / with connections | %d / %d MiB |%n", idleRss / 1024, rss / 1024);
            return opened.welcomed() == roles && open == roles ? ExitCodes.OK : ExitCodes.NETWORK;
        } finally {
            relay.destroy();
            relay.waitFor(15, TimeUnit.SECONDS);
        }
    }

    private static void row(PrintWriter out, String name, double ours, double base) {
        out.printf("| %s | %.2f | %.2f | %.2f |%n", name, ours, base, base == 0 ? 0 : ours / base);
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }
}
