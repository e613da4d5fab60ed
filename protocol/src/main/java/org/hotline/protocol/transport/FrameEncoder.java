package org.hotline.protocol.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.FrameCodec;

/** Writes {@code u32 length | payload} for each outgoing {@link Frame}. Stateless, so shareable. */
@ChannelHandler.Sharable
public final class FrameEncoder extends MessageToByteEncoder<Frame> {

    public FrameEncoder() {
        super(Frame.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Frame frame, ByteBuf out) {
        byte[] payload = FrameCodec.encode(frame);
        out.writeInt(payload.length);
        out.writeBytes(payload);
    }
}
