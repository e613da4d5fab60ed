package org.hotline.server.net;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Optional;
import org.hotline.protocol.text.DisplaySafe;
import org.hotline.protocol.transport.FrameErrors;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.FrameDecodeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last in the pipeline: turns a bad frame into an ERROR frame naming the problem, logs one line,
 * and closes that connection (its peer is broken or hostile); anything else is logged and the
 * connection closed. Nothing here affects any other connection.
 */
@ChannelHandler.Sharable
final class TailExceptionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(TailExceptionHandler.class);

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ChannelSession s = ctx.channel().attr(PeerIdentityHandler.SESSION).get();
        String who = s == null ? String.valueOf(ctx.channel().remoteAddress()) : s.describe();
        Optional<FrameDecodeException> bad = FrameErrors.decodeFailure(cause);
        if (bad.isPresent() && s != null) {
            FrameDecodeException e = bad.get();
            log.warn("bad frame from {}: {} ({}); closing", who, DisplaySafe.line(String.valueOf(e.getMessage())),
                    e.reason().errorCode());
            ctx.writeAndFlush(new Frame.Error(e.reason().errorCode(), Optional.empty(), e.getMessage()))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (s == null) {
            // Before authentication: the handshake-failure line (rate-limited) already says why.
            log.debug("closing unauthenticated {}: {}", who, RefusalLog.brief(cause));
        } else if (cause instanceof java.io.IOException) {
            log.debug("connection error with {}: {}", who, cause.getMessage());
        } else {
            log.info("closing {}: {}", who, PeerIdentityHandler.rootMessage(cause));
        }
        ctx.close();
    }
}
