package org.hotline.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
 * A bare protocol client for relay tests: real mutual TLS, the real frame codec, and a queue of
 * everything received. It does nothing on its own (no automatic pongs or acks), so tests can play
 * a well-behaved or a misbehaving peer.
 */
public final class TestClient implements AutoCloseable {

    private final EventLoopGroup group;
    private final Channel channel;
    private final BlockingQueue<Frame> queue;
    private final SslHandler ssl;

    private TestClient(EventLoopGroup group, Channel channel, SslHandler ssl, BlockingQueue<Frame> queue) {
        this.group = group;
        this.channel = channel;
        this.ssl = ssl;
        this.queue = queue;
    }

    /**
     * Connects as a well-behaved participant, through the product's TLS context: the role's chain,
     * and the relay checked against {@code ca} (without a CRL) and the relay's name.
     */
    public static TestClient connect(InetSocketAddress relay, RoleCredential credential, X509Certificate ca)
            throws Exception {
        return connect(relay, TlsContexts.forParticipant(credential, () -> CertificateValidator.withoutRevocation(ca),
                Clock.systemUTC(), ExercisePki.RELAY_NAME));
    }

    /** Connects with any key and chain (or none, if {@code key} is null), trusting {@code ca} for the relay. */
    public static TestClient connect(InetSocketAddress relay, PrivateKey key, X509Certificate[] chain,
                                     X509Certificate ca) throws Exception {
        return connect(relay, key, chain, ca, "TLSv1.3");
    }

    /**
     * A misbehaving peer: any key and chain, any protocol version. Deliberately not
     * {@link TlsContexts}, whose typed API cannot offer a foreign chain, no certificate or TLS 1.2;
     * the relay's refusal of exactly those is what the tests using this check.
     */
    public static TestClient connect(InetSocketAddress relay, PrivateKey key, X509Certificate[] chain,
                                     X509Certificate ca, String tlsProtocol) throws Exception {
        SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols(tlsProtocol)
                .trustManager(ca);
        if (key != null) {
            b.keyManager(key, chain);
        }
        return connect(relay, b.build());
    }

    private static TestClient connect(InetSocketAddress relay, SslContext ctx) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        BlockingQueue<Frame> queue = new LinkedBlockingQueue<>();
        SslHandler[] holder = new SslHandler[1];
        try {
            Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            holder[0] = ctx.newHandler(c.alloc(), "localhost", relay.getPort());
                            c.pipeline().addLast(holder[0], new FrameDecoder(WireLimits.DEFAULT_MAX_FRAME_BYTES),
                                    new FrameEncoder(), new SimpleChannelInboundHandler<Frame>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext x, Frame f) {
                                            queue.add(f);
                                        }

                                        @Override
                                        public void exceptionCaught(ChannelHandlerContext x, Throwable t) {
                                            x.close();
                                        }
                                    });
                        }
                    }).connect(relay).sync().channel();
            return new TestClient(group, ch, holder[0], queue);
        } catch (Exception e) {
            group.shutdownGracefully();
            throw e;
        }
    }

    /** Waits for the TLS handshake; true if it succeeded. */
    public boolean handshake() {
        return ssl.handshakeFuture().awaitUninterruptibly(10, TimeUnit.SECONDS) && ssl.handshakeFuture().isSuccess();
    }

    public Throwable handshakeFailure() {
        ssl.handshakeFuture().awaitUninterruptibly(10, TimeUnit.SECONDS);
        return ssl.handshakeFuture().cause();
    }

    public TestClient hello() throws InterruptedException {
        send(new Frame.Hello("test-client"));
        Frame.Welcome w = expect(Frame.Welcome.class);
        assertThat(w.role()).isNotBlank();
        return this;
    }

    public void send(Frame f) {
        channel.writeAndFlush(f).syncUninterruptibly();
    }

    /** Writes raw bytes inside the TLS stream (for malformed-frame tests). */
    public void sendRaw(byte[] bytes) {
        channel.writeAndFlush(channel.alloc().buffer(bytes.length).writeBytes(bytes)).syncUninterruptibly();
    }

    public Frame next(Duration timeout) throws InterruptedException {
        return queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next frame of type {@code type}, skipping pings (and answering them). */
    public <T extends Frame> T expect(Class<T> type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Frame f = queue.poll(100, TimeUnit.MILLISECONDS);
            if (f == null) {
                continue;
            }
            if (f instanceof Frame.Ping p && type != Frame.Ping.class) {
                send(new Frame.Pong(p.nonce()));
                continue;
            }
            assertThat(f).as("expected " + type.getSimpleName()).isInstanceOf(type);
            return type.cast(f);
        }
        throw new AssertionError("no " + type.getSimpleName() + " within 10 s");
    }

    public Frame.Error expectError(ErrorCode code) throws InterruptedException {
        Frame.Error e = expect(Frame.Error.class);
        assertThat(e.code()).as(e.text()).isEqualTo(code);
        return e;
    }

    /** Asserts that nothing but pings arrives for {@code d}. */
    public void expectNothing(Duration d) throws InterruptedException {
        long deadline = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < deadline) {
            Frame f = queue.poll(50, TimeUnit.MILLISECONDS);
            if (f != null && !(f instanceof Frame.Ping)) {
                throw new AssertionError("unexpected " + f);
            }
        }
    }

    public boolean awaitClosed(Duration d) {
        return channel.closeFuture().awaitUninterruptibly(d.toMillis()) && !channel.isActive();
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
