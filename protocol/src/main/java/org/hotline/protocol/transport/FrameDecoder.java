package org.hotline.protocol.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import java.util.List;
import org.hotline.protocol.wire.FrameCodec;
import org.hotline.protocol.wire.FrameDecodeException;
import org.hotline.protocol.wire.WireLimits;

/**
 * Splits the byte stream into length-prefixed frames ({@code u32 length | payload}) and decodes
 * each payload with {@link FrameCodec}. A frame longer than the limit is skipped without being
 * buffered; a malformed payload is consumed whole. In both cases a {@link DecoderException}
 * wrapping the {@link FrameDecodeException} goes down the pipeline and the stream stays in sync,
 * so the next frame decodes normally: the handler at the tail decides whether to close.
 */
public final class FrameDecoder extends ByteToMessageDecoder {

    private static final int LENGTH_BYTES = 4;
    private static final int MIN_PAYLOAD_BYTES = 2;

    private final int maxFrameBytes;
    private long bytesToDiscard;

    public FrameDecoder(int maxFrameBytes) {
        if (maxFrameBytes < 64 || maxFrameBytes > WireLimits.ABSOLUTE_MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("max frame size out of range: " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (bytesToDiscard > 0) {
            int skip = (int) Math.min(bytesToDiscard, in.readableBytes());
            in.skipBytes(skip);
            bytesToDiscard -= skip;
            return;
        }
        if (in.readableBytes() < LENGTH_BYTES) {
            return;
        }
        long length = in.getUnsignedInt(in.readerIndex());
        if (length > maxFrameBytes) {
            in.skipBytes(LENGTH_BYTES);
            long skip = Math.min(length, in.readableBytes());
            in.skipBytes((int) skip);
            bytesToDiscard = length - skip;
            throw new DecoderException(new FrameDecodeException(FrameDecodeException.Reason.TOO_LARGE,
                    "frame of " + length + " bytes exceeds the limit of " + maxFrameBytes));
        }
        if (in.readableBytes() < LENGTH_BYTES + length) {
            return;
        }
        in.skipBytes(LENGTH_BYTES);
        byte[] payload = new byte[(int) length];
        in.readBytes(payload);
        if (length < MIN_PAYLOAD_BYTES) {
            throw new DecoderException(new FrameDecodeException(FrameDecodeException.Reason.MISSING_FIELD,
                    "frame of " + length + " bytes is too short for version and kind"));
        }
        try {
            out.add(FrameCodec.decode(payload));
        } catch (FrameDecodeException e) {
            throw new DecoderException(e);
        }
    }
}
