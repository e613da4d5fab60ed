package org.hotline.server.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.ThreadLocalRandom;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.Frame;
import org.hotline.server.relay.Relay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands decoded frames of an authenticated connection to the relay logic; pings idle peers. */
final class RelayFrameHandler extends SimpleChannelInboundHandler<Frame> {

    private static final Logger log = LoggerFactory.getLogger(RelayFrameHandler.class);

    private final Relay relay;

    RelayFrameHandler(Relay relay) {
        this.relay = relay;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
        relay.onFrame(ctx.channel().attr(PeerIdentityHandler.SESSION).get(), frame);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent idle) {
            ChannelSession s = ctx.channel().attr(PeerIdentityHandler.SESSION).get();
            if (idle.state() == IdleState.READER_IDLE) {
                log.info("idle timeout: closing {}", s == null ? ctx.channel().remoteAddress() : s.describe());
                if (s != null) {
                    s.closeWith(ErrorCode.IDLE_TIMEOUT, "nothing received for too long; closing");
                } else {
                    ctx.close();
                }
            } else if (idle.state() == IdleState.WRITER_IDLE && s != null) {
                s.send(new Frame.Ping(ThreadLocalRandom.current().nextLong()));
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }
}
