package org.hotline.client.core;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.ExercisePki;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.transport.FrameDecoder;
import org.hotline.protocol.transport.FrameEncoder;
import org.hotline.protocol.transport.TlsContexts;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.WireLimits;

/**
 * The client's one connection to the relay: mutual TLS 1.3 (the relay's certificate must be the
 * exercise relay's, checked against the exercise CA and CRL), the frame codec, and reconnection
 * with jittered exponential back-off (from {@code reconnectMin} doubling to {@code reconnectMax}).
 * Events are handed to the core's executor, so the core sees them on one thread, in order.
 */
final class RelayConnection implements AutoCloseable {

    interface Events {
        void connected();

        void frame(Frame frame);

        void disconnected(String reason);
    }

    private final ClientConfig config;
    private final SslContext ssl;
    private final Events events;
    private final Executor core;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private volatile Channel channel;
    private volatile boolean stopped;
    private volatile String host;
    private volatile int port;
    private Duration backoff;

    RelayConnection(ClientConfig config, RoleCredential credential, Supplier<CertificateValidator> trust, Clock clock,
                    Events events, Executor core) throws SSLException {
        this.config = config;
        this.events = events;
        this.core = core;
        this.host = config.relayHost();
        this.port = config.relayPort();
        this.backoff = config.reconnectMin();
        this.ssl = TlsContexts.forParticipant(credential, trust, clock, ExercisePki.RELAY_NAME);
    }

    void start() {
        connect();
    }

    private void connect() {
        if (stopped) {
            return;
        }
        ChannelFuture f = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        long keepAlive = config.keepAlive().toMillis();
                        ch.pipeline().addLast(new IdleStateHandler(3 * keepAlive, 0, keepAlive, TimeUnit.MILLISECONDS),
                                ssl.newHandler(ch.alloc(), host, port),
                                new FrameDecoder(WireLimits.DEFAULT_MAX_FRAME_BYTES), new FrameEncoder(), new Inbound());
                    }
                }).connect(host, port);
        f.addListener(done -> {
            if (!done.isSuccess()) {
                String why = "relay " + host + ":" + port + " unreachable (" + rootMessage(done.cause()) + ")";
                core.execute(() -> events.disconnected(why));
                scheduleReconnect();
            } else {
                channel = f.channel();
                f.channel().closeFuture().addListener(closed -> scheduleReconnect());
            }
        });
    }

    private void scheduleReconnect() {
        if (stopped) {
            return;
        }
        long ms = backoff.toMillis();
        long jittered = ms / 2 + ThreadLocalRandom.current().nextLong(ms / 2 + 1);
        backoff = Duration.ofMillis(Math.min(config.reconnectMax().toMillis(), ms * 2));
        long holdOff = TimeUnit.NANOSECONDS.toMillis(holdOffUntil - System.nanoTime());
        group.schedule(this::connect, Math.max(jittered, holdOff), TimeUnit.MILLISECONDS);
    }

    /** Sends if connected; false if the frame could not be handed to a live connection. */
    boolean send(Frame frame) {
        Channel c = channel;
        if (c == null || !c.isActive()) {
            return false;
        }
        c.writeAndFlush(frame, c.voidPromise());
        return true;
    }

    /** Drops the current connection (tests, or after the relay said something unrecoverable). */
    void drop() {
        Channel c = channel;
        if (c != null) {
            c.close();
        }
    }

    void redirect(String newHost, int newPort) {
        this.host = newHost;
        this.port = newPort;
    }

    @Override
    public void close() {
        stopped = true;
        Channel c = channel;
        if (c != null) {
            c.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /**
     * How long a connection superseded by another of the same role waits before reconnecting:
     * long enough that two consoles signed in as one role do not take the line from each other in
     * turn, short enough that closing the other one brings this one back by itself.
     */
    static final Duration SUPERSEDED_HOLD_OFF = Duration.ofSeconds(60);

    /** System.nanoTime before which no reconnect is made. */
    private volatile long holdOffUntil = System.nanoTime();

    private final class Inbound extends SimpleChannelInboundHandler<Frame> {
        private boolean up;
        private boolean silent;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent idle) {
                if (idle.state() == IdleState.READER_IDLE) {
                    // Nothing, not even a PONG, for three keep-alive intervals: the relay or a
                    // middlebox is gone without closing. Only a new connection can tell.
                    silent = true;
                    ctx.close();
                } else if (idle.state() == IdleState.ALL_IDLE && up) {
                    ctx.writeAndFlush(new Frame.Ping(ThreadLocalRandom.current().nextLong()), ctx.voidPromise());
                }
                return;
            }
            if (evt instanceof SslHandshakeCompletionEvent done) {
                if (done.isSuccess()) {
                    up = true;
                    core.execute(events::connected);
                } else {
                    String why = "TLS handshake with the relay failed: " + rootMessage(done.cause());
                    core.execute(() -> events.disconnected(why));
                }
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
            if (frame instanceof Frame.Error e && e.code() == ErrorCode.SUPERSEDED) {
                // Set here, on the event loop, before the relay's close schedules the reconnect.
                holdOffUntil = System.nanoTime() + SUPERSEDED_HOLD_OFF.toNanos();
            }
            if (frame instanceof Frame.Welcome) {
                // Back-off resets only once the relay accepted us: a relay that completes TLS and
                // then refuses HELLO (revoked, superseded, full) must not be hammered.
                backoff = config.reconnectMin();
            }
            core.execute(() -> events.frame(frame));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (up) {
                String why = silent ? "no traffic from the relay for " + 3 * config.keepAlive().toSeconds()
                        + " s (half-open connection); reconnecting" : "connection to the relay closed";
                core.execute(() -> events.disconnected(why));
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    static String rootMessage(Throwable t) {
        if (t == null) {
            return "unknown";
        }
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
