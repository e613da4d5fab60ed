package org.hotline.app.bench;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.hotline.app.cli.CommandFailure;
import org.hotline.app.cli.ExitCodes;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.SealedBox;

/**
 * Drives sender/receiver pairs of protocol peers with pre-sealed envelopes of a given size: each
 * sender keeps {@code window} messages outstanding (waiting for ACCEPTED), each receiver confirms
 * its deliveries with one signed cumulative receipt per event-loop round ({@link BatchedReceipts}),
 * as a real client confirms a batch. Records send to accepted and
 * send to delivered latencies (microseconds) and the throughput of the whole run.
 */
final class LoadRun {

    record Pair(RoleCredential sender, RoleCredential receiver, String channel) {
    }

    record Result(long messages, Duration elapsed, Histogram accepted, Histogram delivered, long errors) {
        double perSecond() {
            return messages / (elapsed.toNanos() / 1e9);
        }
    }

    private LoadRun() {
    }

    /**
     * The load generator's own connections share one event-loop thread by default
     * ({@code -Dbench.clientThreads=N} to change): on two cores, spreading them over two threads
     * added tens of milliseconds of scheduling delay to every cross-connection hop and made the
     * baseline meaningless.
     */
    static Result run(InetSocketAddress relay, List<Pair> pairs, int perPair, int size, int window,
                      Consumer<String> progress, Clock clock, SecureRandom random) throws Exception {
        return run(relay, pairs, perPair, Duration.ZERO, size, window, progress, clock, random);
    }

    /**
     * @param perPair  messages per sender; ignored when {@code duration} is positive
     * @param duration when positive, senders keep their window full for this long instead, and the
     *                 run ends when everything sent has been delivered
     */
    static Result run(InetSocketAddress relay, List<Pair> pairs, int perPair, Duration duration, int size, int window,
                      Consumer<String> progress, Clock clock, SecureRandom random) throws Exception {
        return run(List.of(relay), pairs, perPair, duration, size, window, progress, clock, random);
    }

    /**
     * As {@link #run(InetSocketAddress, List, int, Duration, int, int, Consumer, Clock, SecureRandom)}
     * through several relays at once (PROTOCOL.md §13): every sender and receiver connects to each,
     * every envelope is sent through all of them, and each receiver confirms every copy it gets.
     * A message counts as accepted at its first ACCEPTED and as delivered at its first copy, as a
     * client sees it; its window slot frees only once every relay has answered it, so no relay can
     * fall behind without bound and the figure is what all of them sustain together.
     */
    static Result run(List<InetSocketAddress> relays, List<Pair> pairs, int perPair, Duration duration, int size,
                      int window, Consumer<String> progress, Clock clock, SecureRandom random) throws Exception {
        boolean timed = !duration.isZero() && !duration.isNegative();
        int limit = timed ? Integer.MAX_VALUE : perPair;
        int paths = relays.size();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(Integer.getInteger("bench.clientThreads", 1), NioIoHandler.newFactory());
        ConcurrentHistogram accepted = new ConcurrentHistogram(3);
        ConcurrentHistogram delivered = new ConcurrentHistogram(3);
        Map<MessageId, Long> sentAt = new ConcurrentHashMap<>();
        // Per message in flight: relays yet to answer, and whether any accepted it.
        Map<MessageId, Outstanding> outstanding = new ConcurrentHashMap<>();
        AtomicLong sentCount = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean rateLimited = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.Set<MessageId> deliveredIds = ConcurrentHashMap.newKeySet();
        AtomicLong errors = new AtomicLong();
        AtomicInteger deliveredCount = new AtomicInteger();
        List<RawClient> clients = new ArrayList<>();
        // One per receiving connection, made on its event loop by its first delivery.
        Map<RawClient, BatchedReceipts> receipts = new ConcurrentHashMap<>();
        try {
            for (Pair p : pairs) {
                for (InetSocketAddress relay : relays) {
                    CountDownLatch welcomed = new CountDownLatch(1);
                    clients.add(RawClient.connect(group, relay, p.receiver(), (c, f) -> {
                        if (f instanceof Frame.Welcome) {
                            welcomed.countDown();
                        } else if (f instanceof Frame.Deliver d) {
                            // Acknowledged in every case (a backlog from an earlier run must drain too),
                            // counted only once (the first of its copies) and only if this run sent it.
                            Long t0 = sentAt.get(d.messageId());
                            if (t0 != null && deliveredIds.add(d.messageId())) {
                                delivered.recordValue(Math.max(0, (System.nanoTime() - t0) / 1000));
                                deliveredCount.incrementAndGet();
                            }
                            receipts.computeIfAbsent(c, k -> new BatchedReceipts(k, p.receiver(), clock)).delivered(d);
                        } else if (f instanceof Frame.Ping ping) {
                            c.send(new Frame.Pong(ping.nonce()));
                        }
                    }));
                    clients.get(clients.size() - 1).send(new Frame.Hello("hotline-bench"));
                    welcomed.await(30, TimeUnit.SECONDS);
                }
            }
            byte[] enc = new byte[1120];
            byte[] ct = new byte[size + 16];
            random.nextBytes(enc);
            random.nextBytes(ct);
            long start = System.nanoTime();
            long stopAt = timed ? start + duration.toNanos() : Long.MAX_VALUE;
            for (Pair p : pairs) {
                AtomicInteger next = new AtomicInteger();
                AtomicInteger welcomes = new AtomicInteger();
                Runnable[] sendOne = new Runnable[1];
                List<RawClient> mine = new java.util.concurrent.CopyOnWriteArrayList<>();
                sendOne[0] = () -> {
                    if (System.nanoTime() >= stopAt || next.getAndIncrement() >= limit) {
                        return;
                    }
                    sentCount.incrementAndGet();
                    MessageId id = MessageId.random(random);
                    sentAt.put(id, System.nanoTime());
                    outstanding.put(id, new Outstanding(paths, false));
                    Frame.Send send = new Frame.Send(id, p.sender().role(), p.channel(),
                            List.of(new SealedBox(p.receiver().role(), 1, enc, ct)));
                    mine.forEach(c -> c.send(send));
                };
                for (InetSocketAddress relay : relays) {
                    RawClient c = RawClient.connect(group, relay, p.sender(), (self, f) -> {
                        if (f instanceof Frame.Welcome) {
                            // The window opens once the sender is connected to every relay.
                            if (welcomes.incrementAndGet() == paths) {
                                for (int i = 0; i < window; i++) {
                                    sendOne[0].run();
                                }
                            }
                        } else if (f instanceof Frame.Accepted a) {
                            Outstanding before = outstanding.get(a.receipt().messageId());
                            Long t0 = sentAt.get(a.receipt().messageId());
                            if (t0 != null && before != null && !before.accepted()) {
                                accepted.recordValue(Math.max(0, (System.nanoTime() - t0) / 1000));
                            }
                            if (answered(outstanding, a.receipt().messageId(), true)) {
                                sendOne[0].run();
                            }
                        } else if (f instanceof Frame.Error e) {
                            // A refused SEND will never be delivered: count it out and keep the window full.
                            errors.incrementAndGet();
                            if (e.code() == ErrorCode.RATE_LIMITED) {
                                // Frames over the rate are dropped, most without an answer: the run cannot finish.
                                rateLimited.set(true);
                            } else if (e.messageId().isPresent()) {
                                Outstanding before = outstanding.get(e.messageId().get());
                                if (answered(outstanding, e.messageId().get(), false)) {
                                    if (before != null && before.waiting() == 1 && !before.accepted()) {
                                        refused.incrementAndGet(); // no relay took it: it will never arrive
                                    }
                                    sendOne[0].run();
                                }
                            }
                        } else if (f instanceof Frame.Ping ping) {
                            self.send(new Frame.Pong(ping.nonce()));
                        }
                    });
                    mine.add(c);
                    clients.add(c);
                    c.send(new Frame.Hello("hotline-bench"));
                }
            }
            long expected = timed ? -1 : (long) pairs.size() * perPair;
            long lastReport = System.nanoTime();
            long lastDelivery = start;
            long seen = 0;
            while (true) {
                Thread.sleep(20);
                long now = System.nanoTime();
                long deliveredNow = deliveredCount.get();
                if (deliveredNow != seen) {
                    seen = deliveredNow;
                    lastDelivery = now;
                }
                if (rateLimited.get()) {
                    throw new CommandFailure(ExitCodes.USAGE, "the relay rate-limits this load (it answered RATE_LIMITED "
                            + "and drops frames over its rate): start it with --rate 1000000 --burst 1000000, as the bench "
                            + "does for the relay it starts itself");
                }
                boolean sendingOver = timed ? now >= stopAt : sentCount.get() >= expected;
                if (sendingOver && deliveredNow + refused.get() >= sentCount.get()) {
                    break;
                }
                if (now - lastReport > TimeUnit.SECONDS.toNanos(5)) {
                    lastReport = now;
                    progress.accept(String.format("  ... %d delivered of %d sent%s", deliveredNow, sentCount.get(),
                            timed ? String.format(" (%d s left)", Math.max(0, TimeUnit.NANOSECONDS.toSeconds(stopAt - now))) : ""));
                }
                if (now - lastDelivery > TimeUnit.MINUTES.toNanos(2)) {
                    throw new CommandFailure(ExitCodes.NETWORK, "nothing delivered for 2 minutes: " + deliveredNow + " of "
                            + sentCount.get() + " sent (" + errors.get() + " errors)");
                }
            }
            Duration elapsed = Duration.ofNanos(lastDelivery - start);
            return new Result(deliveredCount.get(), elapsed, accepted, delivered, errors.get());
        } finally {
            clients.forEach(RawClient::close);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }

    /** A message in flight: how many relays have yet to answer it, and whether one accepted it. */
    private record Outstanding(int waiting, boolean accepted) {
    }

    /**
     * Records one relay's answer to {@code id}; true when it was the last relay to answer, so the
     * sender's window slot is free again.
     */
    private static boolean answered(Map<MessageId, Outstanding> outstanding, MessageId id, boolean acceptedNow) {
        boolean[] last = new boolean[1];
        outstanding.computeIfPresent(id, (k, o) -> {
            if (o.waiting() <= 1) {
                last[0] = true;
                return null;
            }
            return new Outstanding(o.waiting() - 1, o.accepted() || acceptedNow);
        });
        return last[0];
    }
}
