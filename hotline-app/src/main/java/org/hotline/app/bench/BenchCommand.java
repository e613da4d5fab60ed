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
import org.hotline.protocol.exercise.RelayEndpoint;
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
 * commit) and a minimal pass-through TLS relay (same TLS and codec, no crypto, no storage), the
 * unloaded end-to-end latency of real client cores (seal, sign, relay, open, verify), and how fast
 * a real client core that comes back online drains a backlog ({@link BacklogDrain}). With
 * {@code --relays 2} it measures one relay alone and then two (PROTOCOL.md §13) in the same run,
 * then the unloaded probe with one and two relays alternating sample by sample
 * ({@link TwoRelaysReport}).
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
            + "(and the durable commit floor): no baseline, no load run. With --relays 2: one relay against two, "
            + "their samples alternating in the same process."})
    boolean latencyOnly;

    @Option(names = "--server", paramLabel = "HOST:PORT", description = {"Load a relay that is already running "
            + "instead of starting one. It must serve the bench exercise in --dir (created by an earlier run with the "
            + "same --dir and at least as many --pairs), started with HOTLINE_PASSPHRASE=" + PASS + " and a rate limit "
            + "above the load (--rate 1000000 --burst 1000000); relay CPU and memory are then not measured."})
    String server;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "0", description = {"Before each measured load "
            + "(baseline and Hotline), run the same load this long in the same processes, unrecorded, so JIT warm-up "
            + "does not weigh on the figures (default: ${DEFAULT-VALUE}, off)."})
    int warmup;

    @Option(names = "--backlog", paramLabel = "N", defaultValue = "2000", description = {"After the load: a recipient "
            + "(real client core) comes back online to N messages accepted while it was offline; report how fast it "
            + "drains them (verified, stored, shown) (default: ${DEFAULT-VALUE}; 0 = off)."})
    int backlog;

    @Option(names = "--relays", paramLabel = "N", defaultValue = "1", description = {"1, or 2: start two relays (one "
            + "per party, PROTOCOL.md §13) and measure, in the same run, one relay alone and then every message through "
            + "both: throughput, unloaded latency and backlog drain, two against one; then the unloaded latency of one "
            + "relay and of both with their samples alternating (default: ${DEFAULT-VALUE})."})
    int relays;

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
        if (pairs < 1 || pairs > 500 || messages < 1 || size < 1 || size > 60_000 || window < 1 || duration < 0
                || warmup < 0 || backlog < 0 || backlog > 100_000 || relays < 1 || relays > 2) {
            throw new CommandFailure(ExitCodes.USAGE, "pairs 1..500, messages >= 1, size 1..60000, window >= 1, "
                    + "duration >= 0, warmup >= 0, backlog 0..100000, relays 1..2");
        }
        if (relays > 1 && server != null) {
            throw new CommandFailure(ExitCodes.USAGE, "--relays " + relays + " starts its own relays and compares them "
                    + "with one: not with --server");
        }
        if (server != null && dir == null) {
            throw new CommandFailure(ExitCodes.USAGE, "--server needs --dir: the bench exercise the relay serves");
        }
        Optional<InetSocketAddress> remote = server == null ? Optional.empty() : Optional.of(HostPort.parse("--server", server).socketAddress());
        Duration runFor = Duration.ofSeconds(duration);
        PrintWriter out = spec.commandLine().getOut();
        Path base = dir != null ? dir : Files.createTempDirectory("hotline-bench-");
        Path exerciseDir = base.resolve("exercise");
        out.printf("hotline bench: %d pairs x %s of %d bytes, window %d%s%s; machine: %d cores, %s%n", pairs,
                duration > 0 ? duration + " s" : messages + " messages", size, window,
                warmup > 0 ? ", warm-up " + warmup + " s" : "", relays > 1 ? ", relays " + relays : "",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
        if (!Files.exists(exerciseDir.resolve(ExerciseFiles.FILE_NAME))) {
            // Two relays: pair 1 measures one relay alone, pair 2 both (each client keeps its own relays).
            new ExercisePki(clock, random, 1000).initFromJson(exerciseDir,
                    BenchExercise.template(Math.max(pairs, relays), relays), Optional.of(PASS.toCharArray()));
        } else if (remote.isEmpty()) {
            out.println("reusing the exercise in " + exerciseDir);
        }
        if (latencyOnly) {
            return relays > 1 ? latencyOnlyRelays(out, exerciseDir, base) : latencyOnly(out, exerciseDir, base, remote);
        }
        ExerciseDirectory d = new ExerciseDirectory(exerciseDir);
        List<RelayEndpoint> listed = d.exercise().relays();
        if (listed.size() != relays) {
            throw new CommandFailure(ExitCodes.USAGE, "the exercise in " + exerciseDir + " has " + listed.size()
                    + " relay(s), not " + relays + "; use a new --dir");
        }
        if (relays > 1 && d.exercise().role("a" + relays).isEmpty()) {
            throw new CommandFailure(ExitCodes.USAGE, "the exercise in " + exerciseDir + " has no pair " + relays
                    + " for the two-relay clients; use a new --dir");
        }
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
        try (PassThroughRelay pass = new PassThroughRelay(d.loadRelay(listed.get(0).name(), PASS.toCharArray(),
                clock.instant()), clock)) {
            warmUp(out, List.of(pass.address()), load);
            baseline = LoadRun.run(pass.address(), load, messages, runFor, size, window, out::println, clock, random);
            baselineRtt = LoadRun.run(pass.address(), load.subList(0, 1), samples, size, 1, s -> { }, clock, random).delivered();
        }
        if (remote.isPresent()) {
            out.println("hotline relay at " + server + " ...");
            RelayEndpoint there = new RelayEndpoint(listed.get(0).name(), remote.get().getHostString(), remote.get().getPort());
            measureHotline(out, exerciseDir, base, there, load, runFor, baseline, baselineRtt, Optional.empty());
            return ExitCodes.OK;
        }
        // Every relay of the exercise starts now; with two, relay-b idles while relay-a is measured alone.
        List<Process> processes = new ArrayList<>();
        try {
            List<RelayEndpoint> running = startRelays(exerciseDir, base, listed, processes);
            out.println(relays == 1 ? "hotline relay (separate process, durable) ..."
                    : "hotline relay " + running.get(0).name() + " alone (separate process, durable) ...");
            Phase one = measureHotline(out, exerciseDir, base, running.get(0), load, runFor, baseline, baselineRtt,
                    Optional.of(new ProcessSampler(processes.get(0).pid())));
            if (relays > 1) {
                out.printf("%n%d hotline relays (%s, separate processes), every message through all of them ...%n",
                        relays, String.join(", ", running.stream().map(RelayEndpoint::name).toList()));
                List<ProcessSampler> samplers = processes.stream().map(p -> new ProcessSampler(p.pid())).toList();
                Phase several = phase(out, exerciseDir, base, running, relays, load, runFor, samplers);
                UnloadedLatencyProbe.Paired paired = interleaved(out, exerciseDir, base, running);
                TwoRelaysReport.print(out, one, several, running);
                TwoRelaysReport.printInterleaved(out, paired, running.size());
            }
        } finally {
            for (Process p : processes) {
                p.destroy();
            }
            for (Process p : processes) {
                p.waitFor(15, TimeUnit.SECONDS);
            }
        }
        return ExitCodes.OK;
    }

    /**
     * Starts every relay of {@code listed} as its own process (added to {@code processes}, which the
     * caller stops), each in its own data directory when there are several; returns where they listen.
     */
    private List<RelayEndpoint> startRelays(Path exerciseDir, Path base, List<RelayEndpoint> listed,
                                            List<Process> processes) throws Exception {
        List<RelayEndpoint> running = new ArrayList<>();
        for (RelayEndpoint r : listed) {
            Process p = listed.size() == 1 ? BenchExercise.startRelay(exerciseDir, base.resolve("relay-data"))
                    : BenchExercise.startRelay(exerciseDir, base.resolve(r.name() + "-data"), Optional.of(r.name()));
            processes.add(p);
            InetSocketAddress at = BenchExercise.readyAddress(p);
            running.add(new RelayEndpoint(r.name(), at.getHostString(), at.getPort()));
        }
        return running;
    }

    /** The unloaded probe with one relay (the first) and with all of {@code running}, samples alternating. */
    private UnloadedLatencyProbe.Paired interleaved(PrintWriter out, Path exerciseDir, Path base,
                                                    List<RelayEndpoint> running) throws Exception {
        out.printf("%nunloaded end to end, one relay and %d relays alternately in the same process ...%n",
                running.size());
        return UnloadedLatencyProbe.interleaved(exerciseDir, base, running.subList(0, 1), running, running.size(),
                size, samples, clock, random);
    }

    /** {@code --latency-only --relays 2}: both relays started here, then only the interleaved probe. */
    private int latencyOnlyRelays(PrintWriter out, Path exerciseDir, Path base) throws Exception {
        ExerciseDirectory d = new ExerciseDirectory(exerciseDir);
        List<RelayEndpoint> listed = d.exercise().relays();
        if (listed.size() != relays || d.exercise().role("a" + relays).isEmpty()) {
            throw new CommandFailure(ExitCodes.USAGE, "the exercise in " + exerciseDir + " is not a " + relays
                    + "-relay bench exercise; use a new --dir");
        }
        List<Process> processes = new ArrayList<>();
        try {
            List<RelayEndpoint> running = startRelays(exerciseDir, base, listed, processes);
            TwoRelaysReport.printInterleaved(out, interleaved(out, exerciseDir, base, running), running.size());
        } finally {
            for (Process p : processes) {
                p.destroy();
            }
            for (Process p : processes) {
                p.waitFor(15, TimeUnit.SECONDS);
            }
        }
        return ExitCodes.OK;
    }

    /**
     * What one configuration of relays measured: the load, the unloaded probe, the backlog drain
     * (if {@code --backlog}), and each relay process's CPU time during the load (empty for a relay
     * started elsewhere).
     */
    record Phase(LoadRun.Result load, UnloadedLatencyProbe.Result unloaded, Optional<BacklogDrain.Result> drain,
                 List<ProcessSampler> relayCpu) {
    }

    /**
     * Load through {@code relays} (after the warm-up), then the unloaded probe and the backlog drain
     * with real client cores of pair {@code clientPair} connected to all of them.
     */
    private Phase phase(PrintWriter out, Path exerciseDir, Path base, List<RelayEndpoint> relayList, int clientPair,
                        List<LoadRun.Pair> load, Duration runFor, List<ProcessSampler> samplers) throws Exception {
        List<InetSocketAddress> addresses = relayList.stream()
                .map(r -> new InetSocketAddress(r.host(), r.port())).toList();
        warmUp(out, addresses, load);
        samplers.forEach(ProcessSampler::start);
        LoadRun.Result result = LoadRun.run(addresses, load, messages, runFor, size, window, out::println, clock, random);
        samplers.forEach(ProcessSampler::stop);
        out.println("unloaded end to end with real client cores (seal+sign, relay, open+verify) ...");
        UnloadedLatencyProbe.Result unloaded = UnloadedLatencyProbe.measure(exerciseDir, base, relayList, clientPair,
                size, samples, clock, random);
        return new Phase(result, unloaded, drain(out, exerciseDir, base, relayList, clientPair), samplers);
    }

    /** {@code --backlog}: the drain with pair {@code clientPair} on {@code relayList}; empty when off. */
    private Optional<BacklogDrain.Result> drain(PrintWriter out, Path exerciseDir, Path base,
                                                List<RelayEndpoint> relayList, int clientPair) throws Exception {
        if (backlog == 0) {
            return Optional.empty();
        }
        out.printf("backlog drain: %d messages to a recipient that was offline ...%n", backlog);
        return Optional.of(BacklogDrain.measure(exerciseDir, base, relayList, clientPair, backlog, size, clock, random,
                out::println));
    }

    /** {@code --warmup}: the same load for that long, unrecorded, so the JIT has compiled the hot paths. */
    private void warmUp(PrintWriter out, List<InetSocketAddress> addresses, List<LoadRun.Pair> load) throws Exception {
        if (warmup > 0) {
            out.printf("  warm-up: %d s of the same load, not recorded ...%n", warmup);
            LoadRun.run(addresses, load, messages, Duration.ofSeconds(warmup), size, window, s -> { }, clock, random);
        }
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

    private Phase measureHotline(PrintWriter out, Path exerciseDir, Path base, RelayEndpoint relay,
                                 List<LoadRun.Pair> load, Duration runFor, LoadRun.Result baseline, Histogram baselineRtt,
                                 Optional<ProcessSampler> sampler) throws Exception {
        InetSocketAddress address = new InetSocketAddress(relay.host(), relay.port());
        warmUp(out, List.of(address), load);
        sampler.ifPresent(ProcessSampler::start);
        long generatorCpuBefore = ownCpuNanos();
        LoadRun.Result hotline = LoadRun.run(address, load, messages, runFor, size, window, out::println, clock, random);
        double generatorCpu = (ownCpuNanos() - generatorCpuBefore) / 1e9;
        sampler.ifPresent(ProcessSampler::stop);
        // Live heap right after the load (a full GC first), before the unloaded phase adds its own.
        long heapAfterLoad = sampler.isPresent() ? RelayProbe.heapUsedKib(sampler.get().pid) : -1;
        out.println("unloaded end to end with real client cores (seal+sign, relay, open+verify) ...");
        UnloadedLatencyProbe.Result unloaded = UnloadedLatencyProbe.measure(exerciseDir, base, List.of(relay), 1, size,
                samples, clock, random);
        Optional<BacklogDrain.Result> drain = drain(out, exerciseDir, base, List.of(relay), 1);
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
        drain.ifPresent(r -> printDrain(out, r));
        return new Phase(hotline, unloaded, drain, sampler.map(List::of).orElse(List.of()));
    }

    static void printDrain(PrintWriter out, BacklogDrain.Result r) {
        out.printf("backlog drain: a recipient back online drained %d messages (opened, verified, stored, shown and "
                        + "confirmed) in %.2f s from connecting: %.0f messages/s (first to last shown: %.2f s); the "
                        + "sender's backlog was accepted in %.1f s%n", r.messages(), r.fromConnect().toNanos() / 1e9,
                r.perSecond(), r.fromFirst().toNanos() / 1e9, r.filled().toNanos() / 1e9);
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
