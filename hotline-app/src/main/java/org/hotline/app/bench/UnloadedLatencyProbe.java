package org.hotline.app.bench;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.hotline.app.cli.CommandFailure;
import org.hotline.app.cli.ExitCodes;
import org.hotline.client.core.ClientConfig;
import org.hotline.client.core.ClientListener;
import org.hotline.client.core.DeliveryState;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.core.ReceivedMessage;
import org.hotline.protocol.exercise.RelayEndpoint;
import org.hotline.protocol.wire.MessageId;

/**
 * Unloaded end-to-end latency with real client cores ({@code a1} sends to {@code b1} of the bench
 * exercise): seal and sign, durable outbox, relay, open and verify, durable inbox, one message at a
 * time. The first 20 messages warm up and are not recorded.
 */
final class UnloadedLatencyProbe {

    private static final int WARM_UP = 20;

    /**
     * Microseconds from send to the sender's engine answering it (signed, sealed, durably in the
     * outbox, handed to the line), to ACCEPTED at the sender, and to shown at the recipient.
     */
    record Result(Histogram composed, Histogram accepted, Histogram shown) {
    }

    /** One relay and several, measured alternately in the same process ({@link #interleaved}). */
    record Paired(Result one, Result several) {
    }

    private UnloadedLatencyProbe() {
    }

    static Result measure(Path exerciseDir, Path base, InetSocketAddress relay, int size, int samples, Clock clock,
                          SecureRandom random) throws Exception {
        ClientConfig a = ClientConfig.defaults(exerciseDir, "a1", relay.getHostString(), relay.getPort(),
                base.resolve("clients/a1")).withKdfIterations(1000);
        ClientConfig b = ClientConfig.defaults(exerciseDir, "b1", relay.getHostString(), relay.getPort(),
                base.resolve("clients/b1")).withKdfIterations(1000);
        return measure(a, b, size, samples, clock, random);
    }

    /**
     * The same between pair {@code pair} of the bench exercise ({@code a<pair>} to {@code b<pair>},
     * data under {@code base/clients}), each connected to {@code relays}: every message then travels
     * all of them and the first copy counts (PROTOCOL.md §13).
     */
    static Result measure(Path exerciseDir, Path base, List<RelayEndpoint> relays, int pair, int size, int samples,
                          Clock clock, SecureRandom random) throws Exception {
        return measure(clientConfig(exerciseDir, base, relays, "a" + pair), clientConfig(exerciseDir, base, relays,
                "b" + pair), size, samples, clock, random);
    }

    /**
     * One relay against several in the same process and the same minutes: pair 1 on {@code one}
     * only and pair {@code severalPair} on {@code several} are open together, and their samples
     * alternate (one, several; then several, one; and so on), so whatever else the machine does
     * weighs on both alike. Measured one after the other, the two figures also differ by what the
     * machine did in between (docs/benchmarks.md, issue 19: the two-relay p50 alone moved by 2 ms
     * between two runs), which is more than the 1 ms bound being checked.
     */
    static Paired interleaved(Path exerciseDir, Path base, List<RelayEndpoint> one, List<RelayEndpoint> several,
                              int severalPair, int size, int samples, Clock clock, SecureRandom random) throws Exception {
        try (Line alone = new Line(clientConfig(exerciseDir, base, one, "a1"), clientConfig(exerciseDir, base, one, "b1"),
                clock, random);
             Line both = new Line(clientConfig(exerciseDir, base, several, "a" + severalPair),
                     clientConfig(exerciseDir, base, several, "b" + severalPair), clock, random)) {
            alone.start();
            both.start();
            Thread.sleep(1500);
            String text = "x".repeat(size);
            for (int i = 0; i < samples + WARM_UP; i++) {
                boolean record = i >= WARM_UP;
                Line first = i % 2 == 0 ? alone : both;
                Line second = first == alone ? both : alone;
                first.sample(i, text, record);
                second.sample(i, text, record);
            }
            return new Paired(alone.result(), both.result());
        }
    }

    /** A bench client of {@code role} on {@code relays}, its data in {@code base/clients/<role>}. */
    static ClientConfig clientConfig(Path exerciseDir, Path base, List<RelayEndpoint> relays, String role) {
        RelayEndpoint first = relays.get(0);
        return ClientConfig.defaults(exerciseDir, role, first.host(), first.port(), base.resolve("clients/" + role))
                .withKdfIterations(1000).withRelays(relays);
    }

    private static Result measure(ClientConfig a, ClientConfig b, int size, int samples, Clock clock,
                                  SecureRandom random) throws Exception {
        try (Line line = new Line(a, b, clock, random)) {
            line.start();
            Thread.sleep(1500);
            String text = "x".repeat(size);
            for (int i = 0; i < samples + WARM_UP; i++) {
                line.sample(i, text, i >= WARM_UP);
            }
            return line.result();
        }
    }

    /** A sender and its recipient, both real client cores, and what their samples measured. */
    private static final class Line implements AutoCloseable {
        private final HotlineClient sender;
        private final HotlineClient receiver;
        private final String recipient;
        private final BlockingQueue<ReceivedMessage> got = new LinkedBlockingQueue<>();
        private final AtomicLong arrived = new AtomicLong();
        private final Histogram composed = new Histogram(3);
        private final Histogram accepted = new Histogram(3);
        private final Histogram shown = new Histogram(3);

        Line(ClientConfig a, ClientConfig b, Clock clock, SecureRandom random) throws Exception {
            this.sender = HotlineClient.open(a, BenchExercise.PASSPHRASE.toCharArray(), clock, random);
            try {
                this.receiver = HotlineClient.open(b, BenchExercise.PASSPHRASE.toCharArray(), clock, random);
            } catch (Exception | Error e) {
                sender.close();
                throw e;
            }
            this.recipient = b.role();
            receiver.addListener(new ClientListener() {
                @Override
                public void messageReceived(ReceivedMessage m) {
                    arrived.set(System.nanoTime());
                    got.add(m);
                }
            });
        }

        void start() throws Exception {
            sender.start();
            receiver.start();
        }

        /** Message {@code i}: sent, shown at the recipient and ACCEPTED at the sender; recorded if {@code record}. */
        void sample(int i, String text, boolean record) throws Exception {
            long t0 = System.nanoTime();
            MessageId id = sender.sendText(recipient, text).get();
            long t1 = System.nanoTime();
            CompletableFuture<Long> acceptedAt = sender.whenState(id, DeliveryState.ACCEPTED)
                    .thenApply(reached -> System.nanoTime());
            if (got.poll(10, TimeUnit.SECONDS) == null) {
                throw new CommandFailure(ExitCodes.NETWORK, "message " + i + " not delivered within 10 s");
            }
            if (record) {
                composed.recordValue((t1 - t0) / 1000);
                shown.recordValue((arrived.get() - t0) / 1000);
                accepted.recordValue(Math.max(0, acceptedAt.get(10, TimeUnit.SECONDS) - t0) / 1000);
            }
            Thread.sleep(5); // unloaded: let the previous message's receipts settle first
        }

        Result result() {
            return new Result(composed, accepted, shown);
        }

        @Override
        public void close() throws Exception {
            try {
                receiver.close();
            } finally {
                sender.close();
            }
        }
    }
}
