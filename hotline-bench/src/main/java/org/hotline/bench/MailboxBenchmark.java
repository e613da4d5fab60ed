package org.hotline.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SealedBox;
import org.hotline.server.store.Envelope;
import org.hotline.server.store.SqliteMailbox;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The relay's durable mailbox alone: 1 KiB envelopes appended by many concurrent senders (1,000
 * outstanding appends per operation), committed with {@code synchronous=FULL}. The baseline in the
 * same run is {@code maxBatch=1}: one transaction, so one fsync, per message.
 * Run: {@code java -jar hotline-bench/target/hotline-bench.jar Mailbox -f 1 -wi 2 -i 5}
 * The data directory is under {@code ./target} so fsync reaches the real disk (not a tmpfs).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MailboxBenchmark {

    private static final int OUTSTANDING = 1000;

    @Param({"512", "1"})
    public int maxBatch;

    private SqliteMailbox mailbox;
    private Path dir;
    // The benchmark's state is its entry point: it creates the clock and random source once.
    private final Clock clock = Clock.systemUTC();
    private final SecureRandom random = new SecureRandom();
    private final byte[] ciphertext = new byte[1024 + 16];
    private final byte[] encapsulation = new byte[1120];
    private final Receipt receipt = Receipt.of(new Receipt.Fields(Receipt.Type.ACCEPTED,
            ExerciseId.of(new byte[ExerciseId.LENGTH]), MessageId.random(random), "relay", "in.pm", "leaders",
            clock.instant(), Hash32.ZERO), new byte[64]);

    @Setup(Level.Trial)
    public void open() throws Exception {
        Files.createDirectories(Path.of("target"));
        dir = Files.createTempDirectory(Path.of("target"), "mailbox-bench");
        mailbox = SqliteMailbox.open(dir, maxBatch, clock);
        random.nextBytes(ciphertext);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        mailbox.close();
        try (var w = Files.walk(dir)) {
            w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    @OperationsPerInvocation(OUTSTANDING)
    public void append1KiB() {
        CompletableFuture<?>[] fs = new CompletableFuture<?>[OUTSTANDING];
        Instant now = clock.instant();
        for (int i = 0; i < OUTSTANDING; i++) {
            MessageId id = MessageId.random(random);
            fs[i] = mailbox.append(new Envelope(id, "in.pm", "leaders", now,
                    List.of(new SealedBox("pk.pm", 1, encapsulation, ciphertext)), id.bytes(), receipt),
                    Integer.MAX_VALUE, Long.MAX_VALUE);
        }
        CompletableFuture.allOf(fs).join();
    }
}
