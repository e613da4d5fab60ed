package org.hotline.client.core.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** The pipeline's tail: an exception becomes the connection's close cause, then the channel closes. */
final class CloseOnExceptionHandler extends ChannelInboundHandlerAdapter {

    private final CloseCause cause;

    CloseOnExceptionHandler(CloseCause cause) {
        this.cause = cause;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable t) {
        cause.record(t);
        ctx.close();
    }
}
