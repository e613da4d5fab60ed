package org.hotline.app.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.function.BiConsumer;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.transport.FrameDecoder;
import org.hotline.protocol.transport.FrameEncoder;
import org.hotline.protocol.transport.TlsContexts;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.WireLimits;

/**
 * A load-generator connection: mutual TLS as a role, the real frame codec, frames handed to a
 * callback on the event loop. It plays a protocol peer without a client core (pre-sealed load).
 */
final class RawClient {

    private final Channel channel;

    private RawClient(Channel channel) {
        this.channel = channel;
    }

    static RawClient connect(EventLoopGroup group, InetSocketAddress relay, RoleCredential credential,
                             BiConsumer<RawClient, Frame> onFrame) throws Exception {
        // CA-only trust with the host name checked against "localhost": see the method's Javadoc.
        SslContext ssl = TlsContexts.forLoadGeneratorParticipantTrustingCaOnly(credential);
        RawClient[] self = new RawClient[1];
        Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast(ssl.newHandler(c.alloc(), "localhost", relay.getPort()),
                                new FrameDecoder(WireLimits.DEFAULT_MAX_FRAME_BYTES), new FrameEncoder(),
                                new SimpleChannelInboundHandler<Frame>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, Frame f) {
                                        onFrame.accept(self[0], f);
                                    }
                                });
                    }
                }).connect(relay).sync().channel();
        self[0] = new RawClient(ch);
        return self[0];
    }

    void send(Frame f) {
        channel.writeAndFlush(f, channel.voidPromise());
    }

    /** Runs {@code task} on this connection's event loop after the frames of the current read round. */
    void afterCurrentRound(Runnable task) {
        channel.eventLoop().execute(task);
    }

    io.netty.channel.ChannelFuture closeFuture() {
        return channel.closeFuture();
    }

    boolean isOpen() {
        return channel.isActive();
    }

    void close() {
        channel.close().awaitUninterruptibly();
    }
}
