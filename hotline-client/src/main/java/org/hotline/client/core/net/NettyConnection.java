package org.hotline.client.core.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.hotline.client.core.ClientConfig;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.exercise.RelayEndpoint;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.transport.TlsContexts;
import org.hotline.protocol.wire.Frame;

/**
 * The {@link Connection} over Netty: mutual TLS 1.3 (the relay's certificate must be the exercise
 * relay's, checked against the exercise CA and CRL), the pipeline of {@link ClientPipelineInitializer},
 * and reconnection with jittered exponential back-off (from {@code reconnectMin} doubling to
 * {@code reconnectMax}). Events are handed to the engine's executor, so the engine sees them on one
 * thread, in order.
 */
public final class NettyConnection implements Connection {

    private final ClientConfig config;
    /** The relay this connection goes to: its certificate must name it (CN), PROTOCOL.md §13. */
    private final RelayEndpoint relay;
    private final SslContext ssl;
    private final Events events;
    private final Executor engine;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private volatile Channel channel;
    private volatile boolean stopped;
    private volatile Duration backoff;
    /** System.nanoTime before which no reconnect is made. */
    private volatile long holdOffUntil = System.nanoTime();

    /**
     * @param trust the current validator (the engine reloads it, with the CRL, at every WELCOME)
     * @throws SSLException the credential cannot make a TLS context
     */
    public NettyConnection(ClientConfig config, RoleCredential credential, Supplier<CertificateValidator> trust,
                           Clock clock, Events events, Executor engine) throws SSLException {
        this(config, config.relays().get(0), credential, trust, clock, events, engine);
    }

    /** A connection to {@code relay}, one of the exercise's relays. */
    public NettyConnection(ClientConfig config, RelayEndpoint relay, RoleCredential credential,
                           Supplier<CertificateValidator> trust, Clock clock, Events events, Executor engine)
            throws SSLException {
        this.config = config;
        this.relay = relay;
        this.events = events;
        this.engine = engine;
        this.backoff = config.reconnectMin();
        this.ssl = TlsContexts.forParticipant(credential, trust, clock, relay.name());
    }

    @Override
    public void start() {
        connect();
    }

    private void connect() {
        if (stopped) {
            return;
        }
        String host = relay.host();
        int port = relay.port();
        ChannelFuture f = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ClientPipelineInitializer(ssl, host, port, config.keepAlive(), events, engine, new Session()))
                .connect(host, port);
        f.addListener(done -> {
            if (!done.isSuccess()) {
                String why = relay.name() + " " + host + ":" + port + " unreachable (" + CloseCause.rootMessage(done.cause()) + ")";
                engine.execute(() -> events.disconnected(why));
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

    @Override
    public boolean send(Frame frame) {
        Channel c = channel;
        if (c == null || !c.isActive()) {
            return false;
        }
        c.writeAndFlush(frame, c.voidPromise());
        return true;
    }

    @Override
    public void drop() {
        Channel c = channel;
        if (c != null) {
            c.eventLoop().execute(() -> {
                CloseCause cause = c.attr(ClientPipelineInitializer.CLOSE_CAUSE).get();
                if (cause != null) {
                    cause.record("connection dropped by this client");
                }
                c.close();
            });
        }
    }

    /** The reconnect policy's view of a session, called on the event loop. */
    private final class Session implements RelayHandler.Session {
        @Override
        public void welcomed() {
            // Back-off resets only once the relay accepted us: a relay that completes TLS and then
            // refuses HELLO (revoked, superseded, full) must not be hammered.
            backoff = config.reconnectMin();
        }

        @Override
        public void superseded() {
            holdOffUntil = System.nanoTime() + SUPERSEDED_HOLD_OFF.toNanos();
        }
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
}
