package org.hotline.protocol.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.List;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.FrameCodec;
import org.hotline.protocol.wire.FrameCodecTest;
import org.hotline.protocol.wire.FrameDecodeException;
import org.hotline.protocol.wire.ProtocolVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The stream framing: one byte at a time, several frames at once, over-long and malformed frames and recovery. */
class FrameDecoderTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(1024), new FrameEncoder());

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private static ByteBuf wire(Frame f) {
        byte[] p = FrameCodec.encode(f);
        ByteBuf b = Unpooled.buffer(p.length + 4);
        b.writeInt(p.length).writeBytes(p);
        return b;
    }

    @Test
    void frameFedOneByteAtATime_decodesOnceComplete() {
        ByteBuf whole = wire(new Frame.PrekeyFetch("pk.pm"));
        int n = whole.readableBytes();
        for (int i = 0; i < n - 1; i++) {
            assertThat(channel.writeInbound(whole.readRetainedSlice(1))).isFalse();
        }
        assertThat(channel.writeInbound(whole.readRetainedSlice(1))).isTrue();
        whole.release();
        assertThat((Frame) channel.readInbound()).isEqualTo(new Frame.PrekeyFetch("pk.pm"));
    }

    @Test
    void severalFramesInOneBuffer_allDecodeInOrder() {
        ByteBuf b = Unpooled.buffer();
        for (int i = 0; i < 5; i++) {
            ByteBuf f = wire(new Frame.Ping(i));
            b.writeBytes(f);
            f.release();
        }
        channel.writeInbound(b);
        for (int i = 0; i < 5; i++) {
            assertThat((Frame) channel.readInbound()).isEqualTo(new Frame.Ping(i));
        }
    }

    @Test
    void overlongFrame_isRefusedWithoutBuffering_thenNextFrameDecodes() {
        ByteBuf head = Unpooled.buffer().writeInt(1_000_000).writeBytes(new byte[100]);
        assertThatThrownBy(() -> channel.writeInbound(head)).isInstanceOf(DecoderException.class)
                .satisfies(e -> assertThat(FrameErrors.decodeFailure(e)).get()
                        .extracting(FrameDecodeException::reason).isEqualTo(FrameDecodeException.Reason.TOO_LARGE));
        // The rest of the oversized frame arrives in pieces and is skipped.
        int remaining = 1_000_000 - 100;
        while (remaining > 0) {
            int n = Math.min(remaining, 65536);
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[n]));
            remaining -= n;
        }
        assertThat((Object) channel.readInbound()).isNull();
        channel.writeInbound(wire(new Frame.Ping(7)));
        assertThat((Frame) channel.readInbound()).isEqualTo(new Frame.Ping(7));
    }

    @Test
    void malformedFrame_isRefused_thenNextFrameDecodes() {
        ByteBuf bad = Unpooled.buffer().writeInt(3).writeByte(ProtocolVersion.CURRENT).writeByte(0x77).writeByte(0);
        assertThatThrownBy(() -> channel.writeInbound(bad)).isInstanceOf(DecoderException.class)
                .hasMessageContaining("unknown frame kind 0x77");
        channel.writeInbound(wire(new Frame.Pong(1)));
        assertThat((Frame) channel.readInbound()).isEqualTo(new Frame.Pong(1));
    }

    @Test
    void frameTooShortForHeader_isRefused() {
        ByteBuf bad = Unpooled.buffer().writeInt(1).writeByte(1);
        assertThatThrownBy(() -> channel.writeInbound(bad)).hasMessageContaining("too short");
    }

    @Test
    void lengthWithTopBitSet_isTooLarge() {
        ByteBuf bad = Unpooled.buffer().writeInt(0x80000000);
        assertThatThrownBy(() -> channel.writeInbound(bad)).hasMessageContaining("exceeds the limit");
    }

    @Test
    void encoder_writesLengthPrefixedPayload() {
        Frame f = new Frame.Hello("test");
        channel.writeOutbound(f);
        ByteBuf out = channel.readOutbound();
        byte[] payload = FrameCodec.encode(f);
        assertThat(out.readInt()).isEqualTo(payload.length);
        byte[] got = new byte[out.readableBytes()];
        out.readBytes(got);
        out.release();
        assertThat(got).isEqualTo(payload);
    }

    @Test
    void everyFrameKind_survivesRandomSplits() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(64 * 1024));
        java.util.Random random = new java.util.Random(3);
        List<Frame> frames = FrameCodecTest.everyFrameKind().toList();
        ByteBuf all = Unpooled.buffer();
        for (Frame f : frames) {
            ByteBuf w = wire(f);
            all.writeBytes(w);
            w.release();
        }
        while (all.isReadable()) {
            channel.writeInbound(all.readRetainedSlice(Math.min(all.readableBytes(), 1 + random.nextInt(50))));
        }
        all.release();
        for (Frame f : frames) {
            assertThat((Frame) channel.readInbound()).isEqualTo(f);
        }
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }
}
