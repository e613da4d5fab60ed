package org.hotline.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.hotline.protocol.transport.FrameDecoder;
import org.hotline.protocol.transport.FrameErrors;

/**
 * Coverage-guided fuzzing of every decoder that sees untrusted bytes. Without JAZZER_FUZZ these run
 * as regression tests over the seed corpus in {@code DecoderFuzzTestInputs/} (in CI); with
 * {@code JAZZER_FUZZ=1} Jazzer explores for the time budget given (docs/benchmarks.md, "Fuzzing").
 * Property: a decoder either returns a value that re-encodes to the very same bytes, or throws
 * {@link FrameDecodeException}; nothing else, ever.
 */
class DecoderFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void frameCodec(byte[] input) {
        try {
            Frame f = FrameCodec.decode(input);
            assertThat(FrameCodec.encode(f)).isEqualTo(input);
        } catch (FrameDecodeException expected) {
            // The property: a refusal, never another exception (which would fail the test); the reason enum is never null.
        }
    }

    @FuzzTest(maxDuration = "60s")
    void signedStructures(byte[] input) {
        try {
            SignedMessage m = SignedMessage.decode(input);
            assertThat(m.encode()).isEqualTo(input);
        } catch (FrameDecodeException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
        try {
            assertThat(Receipt.decode(input).encode()).isEqualTo(input);
        } catch (FrameDecodeException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
        try {
            assertThat(SignedPrekeyBytes.decode(input).encode()).isEqualTo(input);
        } catch (FrameDecodeException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    /** The stream framing in front of the codec: any byte stream, any split, never an unexpected exception. */
    @FuzzTest(maxDuration = "60s")
    void streamFraming(byte[] input) {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(4096));
        int pos = 0;
        int step = input.length == 0 ? 1 : 1 + (input[0] & 0x0f);
        while (pos < input.length) {
            int n = Math.min(step, input.length - pos);
            try {
                ch.writeInbound(Unpooled.wrappedBuffer(input, pos, n));
            } catch (DecoderException e) {
                assertThat(FrameErrors.decodeFailure(e)).isPresent();
            }
            pos += n;
        }
        Object o;
        while ((o = ch.readInbound()) != null) {
            assertThat(o).isInstanceOf(Frame.class);
        }
        ch.finishAndReleaseAll();
    }
}
