package org.hotline.client.core;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy between clients and the relay that misbehaves on command, like a bad network or a
 * middlebox: it delays bytes (latency spikes, order kept), resets every connection (RST, not FIN),
 * turns into a black hole (connections stay open on both ends, bytes vanish: a half-open link),
 * or refuses connections outright (the link is down). The bytes themselves are never altered:
 * TLS would catch that, and it is not the fault under test.
 */
final class FaultInjectingProxy implements AutoCloseable {

    private enum Mode { PASS, BLACKHOLE, DOWN }

    private final InetSocketAddress target;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Set<Channel> open = ConcurrentHashMap.newKeySet();
    private final Channel server;
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile Mode mode = Mode.PASS;
    private volatile long delayMillis;

    FaultInjectingProxy(InetSocketAddress target) throws InterruptedException {
        this.target = target;
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ClientSide());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    int connectionsAccepted() {
        return accepted.get();
    }

    /** Every byte waits this long before it is passed on (both directions, order kept). */
    void delay(Duration d) {
        delayMillis = d.toMillis();
    }

    /** Resets every open connection: both ends see a connection reset, at once. */
    void resetAll() {
        for (Channel c : open) {
            reset(c);
        }
    }

    /**
     * From now on bytes in either direction are swallowed and new connections are accepted but go
     * nowhere, while every socket stays open: neither end sees a FIN or a reset.
     */
    void blackhole() {
        mode = Mode.BLACKHOLE;
    }

    /** The link is down: open connections are reset and new ones refused until {@link #restore()}. */
    void down() {
        mode = Mode.DOWN;
        resetAll();
    }

    /**
     * Back to normal. Connections that lived through a black hole are reset, as a middlebox that
     * lost their state would on their next packet.
     */
    void restore() {
        Mode was = mode;
        mode = Mode.PASS;
        if (was == Mode.BLACKHOLE) {
            resetAll();
        }
    }

    private void reset(Channel c) {
        if (c.isActive()) {
            c.config().setOption(ChannelOption.SO_LINGER, 0);
        }
        c.close();
    }

    private void track(Channel c) {
        open.add(c);
        c.closeFuture().addListener(f -> open.remove(c));
    }

    /** The client's side of one proxied connection. */
    private final class ClientSide extends ChannelInboundHandlerAdapter {
        private Channel relay;
        private long nextDelivery;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            accepted.incrementAndGet();
            Channel client = ctx.channel();
            track(client);
            if (mode == Mode.DOWN) {
                reset(client);
                return;
            }
            if (mode == Mode.BLACKHOLE) {
                client.config().setAutoRead(true); // read and swallow; never connect onwards
                return;
            }
            new Bootstrap().group(client.eventLoop()).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new RelaySide(client))
                    .connect(target).addListener((ChannelFutureListener) f -> {
                        if (f.isSuccess()) {
                            relay = f.channel();
                            track(relay);
                            relay.closeFuture().addListener(x -> client.close());
                            client.config().setAutoRead(true);
                        } else {
                            reset(client);
                        }
                    });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            nextDelivery = forward(msg, relay, nextDelivery);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (relay != null) {
                relay.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** The relay's side of one proxied connection. */
    private final class RelaySide extends ChannelInboundHandlerAdapter {
        private final Channel client;
        private long nextDelivery;

        RelaySide(Channel client) {
            this.client = client;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            nextDelivery = forward(msg, client, nextDelivery);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            client.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Passes bytes on after the current delay, never before bytes read earlier; returns when they go. */
    private long forward(Object msg, Channel to, long notBefore) {
        if (mode != Mode.PASS || to == null) {
            ReferenceCountUtil.release(msg);
            return notBefore;
        }
        long now = System.nanoTime();
        long at = Math.max(now + TimeUnit.MILLISECONDS.toNanos(delayMillis), notBefore);
        if (at <= now) {
            to.writeAndFlush(msg);
        } else {
            ByteBuf bytes = (ByteBuf) msg;
            to.eventLoop().schedule(() -> {
                if (mode == Mode.PASS) {
                    to.writeAndFlush(bytes);
                } else {
                    bytes.release();
                }
            }, at - now, TimeUnit.NANOSECONDS);
        }
        return at;
    }

    @Override
    public void close() {
        resetAll();
        server.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
