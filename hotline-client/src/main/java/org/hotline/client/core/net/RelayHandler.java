package org.hotline.client.core.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.Frame;

/**
 * The business end of one connection: reports TLS up and every frame to the engine's executor,
 * keeps the line alive with PINGs, closes a silent (half-open) line, and reports the disconnect
 * with its {@link CloseCause}. Runs on the channel's event loop.
 */
final class RelayHandler extends SimpleChannelInboundHandler<Frame> {

    private static final System.Logger LOG = System.getLogger(RelayHandler.class.getName());

    /** What the connection's reconnect policy needs to hear, on the event loop. */
    interface Session {
        /** The relay accepted HELLO: back-off may reset. */
        void welcomed();

        /** Another console of this role took the line: hold off reconnecting. */
        void superseded();
    }

    private final Connection.Events events;
    private final Executor engine;
    private final Session session;
    private final Duration keepAlive;
    private final CloseCause cause;
    private boolean up;

    RelayHandler(Connection.Events events, Executor engine, Session session, Duration keepAlive, CloseCause cause) {
        this.events = events;
        this.engine = engine;
        this.session = session;
        this.keepAlive = keepAlive;
        this.cause = cause;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE) {
                // Nothing, not even a PONG, for three keep-alive intervals: the relay or a
                // middlebox is gone without closing. Only a new connection can tell.
                cause.record("no traffic from the relay for " + 3 * keepAlive.toSeconds()
                        + " s (half-open connection); reconnecting");
                ctx.close();
            } else if (idle.state() == IdleState.ALL_IDLE && up) {
                ctx.writeAndFlush(new Frame.Ping(ThreadLocalRandom.current().nextLong()), ctx.voidPromise());
            }
            return;
        }
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (done.isSuccess()) {
                up = true;
                engine.execute(events::connected);
            } else {
                String why = "TLS handshake with the relay failed: " + CloseCause.rootMessage(done.cause());
                cause.record(why);
                engine.execute(() -> events.disconnected(why));
            }
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
        if (frame instanceof Frame.Error e) {
            cause.record(e);
            if (e.code() == ErrorCode.SUPERSEDED) {
                // Here, on the event loop, before the relay's close schedules the reconnect.
                session.superseded();
            }
        }
        if (frame instanceof Frame.Welcome) {
            session.welcomed();
        }
        try {
            events.arriving(frame);
        } catch (RuntimeException e) {
            // The hook only gets work ahead (DeliveryPrefetch); failing, it must neither lose the
            // frame nor, through CloseOnExceptionHandler, close the line: the engine opens it itself.
            LOG.log(System.Logger.Level.DEBUG, "frame hook failed, the engine handles the frame alone", e);
        }
        engine.execute(() -> events.frame(frame));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (up) {
            // A failed handshake was reported when it failed; only a line that was up goes down here.
            String why = cause.describe();
            engine.execute(() -> events.disconnected(why));
        }
        super.channelInactive(ctx);
    }
}
