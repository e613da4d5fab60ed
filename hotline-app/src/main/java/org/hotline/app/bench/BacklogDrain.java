package org.hotline.app.bench;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
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
 * A recipient coming back online to a backlog, with real client cores on pair {@code pair} of the
 * bench exercise: while {@code b<pair>} is offline, {@code a<pair>} sends {@code backlog} messages
 * and every one is durably accepted by the relays; then {@code b<pair>} opens its store and
 * connects, and the clock runs until the last of them is opened, verified, stored in its inbox
 * (group commit) and shown, which is also when it is confirmed (cumulative receipts, PROTOCOL.md
 * §6.1). The client data is the one the unloaded probe uses ({@code base/clients/<role>}).
 */
final class BacklogDrain {

    /**
     * @param messages      messages drained (the whole backlog)
     * @param fromConnect   from the recipient's {@code start()} (connect, TLS, HELLO) to the last shown
     * @param fromFirst     from the first message shown to the last
     * @param filled        how long the sender took to have the whole backlog accepted
     */
    record Result(int messages, Duration fromConnect, Duration fromFirst, Duration filled) {
        double perSecond() {
            return messages / Math.max(1e-9, fromConnect.toNanos() / 1e9);
        }
    }

    private BacklogDrain() {
    }

    static Result measure(Path exerciseDir, Path base, List<RelayEndpoint> relays, int pair, int backlog, int size,
                          Clock clock, SecureRandom random, Consumer<String> progress) throws Exception {
        ClientConfig a = UnloadedLatencyProbe.clientConfig(exerciseDir, base, relays, "a" + pair);
        ClientConfig b = UnloadedLatencyProbe.clientConfig(exerciseDir, base, relays, "b" + pair);
        char[] pass = BenchExercise.PASSPHRASE.toCharArray();
        String text = "d".repeat(size);
        try (HotlineClient sender = HotlineClient.open(a, pass, clock, random)) {
            sender.start();
            // The recipient online once first: its prekeys are on every relay and nothing older waits.
            try (HotlineClient receiver = HotlineClient.open(b, pass, clock, random)) {
                CountDownLatch first = new CountDownLatch(1);
                receiver.addListener(new ClientListener() {
                    @Override
                    public void messageReceived(ReceivedMessage m) {
                        first.countDown();
                    }
                });
                receiver.start();
                sender.sendText(b.role(), text).get(30, TimeUnit.SECONDS);
                if (!first.await(30, TimeUnit.SECONDS)) {
                    throw new CommandFailure(ExitCodes.NETWORK, "backlog drain: the recipient did not get the "
                            + "message sent while it was online within 30 s");
                }
                Thread.sleep(500); // its receipts settle before it leaves
            }
            progress.accept(String.format("  recipient %s offline; %s sends %d messages ...", b.role(), a.role(), backlog));
            long fillStart = System.nanoTime();
            List<CompletableFuture<DeliveryState>> acceptedAll = new ArrayList<>();
            for (int i = 0; i < backlog; i++) {
                MessageId id = sender.sendText(b.role(), text).get(30, TimeUnit.SECONDS);
                acceptedAll.add(sender.whenState(id, DeliveryState.ACCEPTED));
            }
            CompletableFuture.allOf(acceptedAll.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            Duration filled = Duration.ofNanos(System.nanoTime() - fillStart);
            progress.accept(String.format("  %d accepted (durably) in %.1f s; recipient %s connects ...", backlog,
                    filled.toNanos() / 1e9, b.role()));
            try (HotlineClient receiver = HotlineClient.open(b, pass, clock, random)) {
                CountDownLatch all = new CountDownLatch(backlog);
                AtomicLong firstAt = new AtomicLong();
                AtomicLong lastAt = new AtomicLong();
                // Each message travels every relay: a copy shown twice would be a bug, not a faster drain.
                java.util.Set<MessageId> shown = java.util.concurrent.ConcurrentHashMap.newKeySet();
                AtomicLong shownTwice = new AtomicLong();
                receiver.addListener(new ClientListener() {
                    @Override
                    public void messageReceived(ReceivedMessage m) {
                        if (!shown.add(m.id())) {
                            shownTwice.incrementAndGet();
                            return;
                        }
                        long now = System.nanoTime();
                        firstAt.compareAndSet(0, now);
                        lastAt.set(now);
                        all.countDown();
                    }
                });
                long t0 = System.nanoTime();
                receiver.start();
                if (!all.await(5, TimeUnit.MINUTES)) {
                    throw new CommandFailure(ExitCodes.NETWORK, "backlog drain: " + (backlog - all.getCount())
                            + " of " + backlog + " messages shown after 5 minutes");
                }
                if (shownTwice.get() > 0) {
                    throw new CommandFailure(ExitCodes.NETWORK, "backlog drain: " + shownTwice.get()
                            + " messages shown twice");
                }
                return new Result(backlog, Duration.ofNanos(lastAt.get() - t0), Duration.ofNanos(lastAt.get()
                        - firstAt.get()), filled);
            }
        }
    }
}
