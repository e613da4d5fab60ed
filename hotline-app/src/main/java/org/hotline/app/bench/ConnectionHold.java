package org.hotline.app.bench;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.wire.Frame;

/**
 * Opens one authenticated connection (mutual TLS, HELLO, WELCOME) per role and keeps them all
 * open, answering the relay's pings, until closed. Handshakes are paced (a bounded number in
 * flight) so that the relay's handshake timeout measures the relay, not a thundering herd.
 */
final class ConnectionHold implements AutoCloseable {

    /** How many roles said HELLO and got WELCOME, and how long opening them all took. */
    record Opened(int welcomed, int failed, Duration elapsed) {
    }

    interface Credentials {
        RoleCredential load(int index) throws Exception;
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<RawClient> clients = new ArrayList<>();

    Opened open(InetSocketAddress relay, int count, Credentials credentials, Consumer<String> progress)
            throws Exception {
        Semaphore inFlight = new Semaphore(32);
        CountDownLatch settled = new CountDownLatch(count);
        AtomicInteger welcomed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long start = System.nanoTime();
        long lastReport = start;
        for (int i = 0; i < count; i++) {
            RoleCredential role = credentials.load(i);
            inFlight.acquire();
            boolean[] done = new boolean[1];
            Runnable settle = () -> {
                synchronized (done) {
                    if (!done[0]) {
                        done[0] = true;
                        inFlight.release();
                        settled.countDown();
                    }
                }
            };
            try {
                RawClient c = RawClient.connect(group, relay, role, (self, f) -> {
                    if (f instanceof Frame.Welcome) {
                        welcomed.incrementAndGet();
                        settle.run();
                    } else if (f instanceof Frame.Ping ping) {
                        self.send(new Frame.Pong(ping.nonce()));
                    } else if (f instanceof Frame.Error) {
                        failed.incrementAndGet();
                        settle.run();
                    }
                });
                c.closeFuture().addListener(x -> {
                    synchronized (done) {
                        if (!done[0]) {
                            failed.incrementAndGet();
                        }
                    }
                    settle.run();
                });
                synchronized (clients) {
                    clients.add(c);
                }
                c.send(new Frame.Hello("hotline-bench"));
            } catch (Exception e) {
                failed.incrementAndGet();
                settle.run();
            }
            if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(10)) {
                lastReport = System.nanoTime();
                progress.accept(String.format("  ... %d of %d connections welcomed", welcomed.get(), count));
            }
        }
        settled.await(5, TimeUnit.MINUTES);
        return new Opened(welcomed.get(), failed.get(), Duration.ofNanos(System.nanoTime() - start));
    }

    /** Connections that are still open now. */
    int stillOpen() {
        synchronized (clients) {
            return (int) clients.stream().filter(RawClient::isOpen).count();
        }
    }

    @Override
    public void close() {
        synchronized (clients) {
            clients.forEach(RawClient::close);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
