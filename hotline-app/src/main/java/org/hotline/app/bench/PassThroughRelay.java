package org.hotline.app.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.RelayCredential;
import org.hotline.protocol.transport.FrameDecoder;
import org.hotline.protocol.transport.FrameEncoder;
import org.hotline.protocol.transport.TlsContexts;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SealedBox;
import org.hotline.protocol.wire.WireLimits;

/**
 * The baseline of the load generator: the same mutual TLS and frame codec, but no policy, no
 * signatures, no storage. A SEND is answered at once and forwarded to the recipient's connection.
 * It is what a bare TLS message relay costs on this machine; our figures are reported as ratios to it.
 */
final class PassThroughRelay implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(Integer.getInteger("bench.passThreads", 1), NioIoHandler.newFactory());
    private final Map<String, Channel> byRole = new ConcurrentHashMap<>();
    private final Channel server;
    private final ExerciseId exerciseId;
    /** Stamps WELCOME, ACCEPTED and DELIVER as the relay would. */
    private final Clock clock;

    PassThroughRelay(RelayCredential credential, Clock clock) throws Exception {
        this.clock = clock;
        this.exerciseId = credential.exerciseId();
        // A baseline, not a relay: CA-only trust, see the method's list of what it does not check.
        SslContext ssl = TlsContexts.forLoadGeneratorRelayTrustingCaOnly(credential);
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(ssl.newHandler(ch.alloc()),
                                new FrameDecoder(WireLimits.DEFAULT_MAX_FRAME_BYTES), new FrameEncoder(), new Forwarder());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    private final class Forwarder extends SimpleChannelInboundHandler<Frame> {
        private String role;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
                X509Certificate cert = (X509Certificate) ctx.pipeline().get(SslHandler.class).engine().getSession()
                        .getPeerCertificates()[0];
                role = CertificateValidator.commonName(cert).orElse("?");
                byRole.put(role, ctx.channel());
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame f) {
            if (f instanceof Frame.Hello) {
                ctx.writeAndFlush(new Frame.Welcome(role, clock.instant(), WireLimits.DEFAULT_MAX_FRAME_BYTES));
            } else if (f instanceof Frame.Send s) {
                // Unsigned and without the SEND hash: the baseline measures forwarding, not the relay's work.
                ctx.writeAndFlush(new Frame.Accepted(Receipt.of(new Receipt.Fields(Receipt.Type.ACCEPTED, exerciseId,
                        s.messageId(), Receipt.RELAY, role, s.channel(), clock.instant(), Hash32.ZERO), new byte[64])));
                for (SealedBox b : s.boxes()) {
                    Channel to = byRole.get(b.recipient());
                    if (to != null) {
                        to.writeAndFlush(new Frame.Deliver(s.messageId(), s.sender(), s.channel(), clock.instant(), b));
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
