package org.hotline.client.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLHandshakeException;
import org.hotline.protocol.transport.FrameDecoder;
import org.hotline.protocol.transport.FrameEncoder;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.FrameCodec;
import org.hotline.protocol.wire.WireLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client pipeline's order and the cause it reports when a connection ends, on an EmbeddedChannel. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClientPipelineTest {

    final List<String> disconnects = new CopyOnWriteArrayList<>();
    final List<Frame> frames = new CopyOnWriteArrayList<>();
    final AtomicInteger connects = new AtomicInteger();
    final AtomicInteger superseded = new AtomicInteger();

    final Connection.Events events = new Connection.Events() {
        @Override
        public void connected() {
            connects.incrementAndGet();
        }

        @Override
        public void frame(Frame frame) {
            frames.add(frame);
        }

        @Override
        public void disconnected(String reason) {
            disconnects.add(reason);
        }
    };

    final RelayHandler.Session session = new RelayHandler.Session() {
        @Override
        public void welcomed() {
        }

        @Override
        public void superseded() {
            superseded.incrementAndGet();
        }
    };

    /** Everything after TLS, with TLS reported up: what the relay's bytes meet once the handshake is done. */
    EmbeddedChannel upAfterTls() {
        CloseCause cause = new CloseCause();
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(WireLimits.DEFAULT_MAX_FRAME_BYTES),
                new FrameEncoder(), new RelayHandler(events, Runnable::run, session, Duration.ofSeconds(10), cause),
                new CloseOnExceptionHandler(cause));
        ch.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        assertThat(connects.get()).isEqualTo(1);
        return ch;
    }

    static byte[] framed(Frame f) {
        byte[] payload = FrameCodec.encode(f);
        byte[] out = new byte[4 + payload.length];
        out[0] = (byte) (payload.length >>> 24);
        out[1] = (byte) (payload.length >>> 16);
        out[2] = (byte) (payload.length >>> 8);
        out[3] = (byte) payload.length;
        System.arraycopy(payload, 0, out, 4, payload.length);
        return out;
    }

    @Test
    void initializer_installsOneHandlerPerConcern_inTheFixedOrder() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(new ClientPipelineInitializer(SslContextBuilder.forClient().build(),
                "relay.invalid", 1, Duration.ofSeconds(10), events, Runnable::run, session));
        List<Class<?>> order = ch.pipeline().toMap().values().stream().map(ChannelHandler::getClass)
                .<Class<?>>map(c -> c).toList();
        assertThat(order).containsExactly(IdleStateHandler.class, SslHandler.class, FrameDecoder.class,
                FrameEncoder.class, RelayHandler.class, CloseOnExceptionHandler.class);
        ch.finishAndReleaseAll();
    }

    @Test
    void aFrameTooShortToRead_isTheReportedCause_notAPlainClose() {
        EmbeddedChannel ch = upAfterTls();
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 1, 7}));
        assertThat(ch.isOpen()).isFalse();
        assertThat(disconnects).singleElement().satisfies(r ->
                assertThat(r).startsWith("the relay sent a frame this client cannot read").contains("too short"));
        ch.finishAndReleaseAll();
    }

    @Test
    void anOverLongFrame_isTheReportedCause() {
        EmbeddedChannel ch = upAfterTls();
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x7f, 0, 0, 0, 1, 2, 3}));
        assertThat(disconnects).singleElement().satisfies(r ->
                assertThat(r).startsWith("the relay sent a frame this client cannot read").contains("exceeds the limit"));
        ch.finishAndReleaseAll();
    }

    @Test
    void supersededByAnotherConsole_isTheReportedCause_andHoldsOffReconnecting() {
        EmbeddedChannel ch = upAfterTls();
        ch.writeInbound(Unpooled.wrappedBuffer(framed(new Frame.Error(ErrorCode.SUPERSEDED, Optional.empty(), "bye"))));
        ch.close();
        assertThat(superseded.get()).isEqualTo(1);
        assertThat(frames).hasSize(1);
        assertThat(disconnects).containsExactly("superseded: another console signed in as this role took the line");
        ch.finishAndReleaseAll();
    }

    @Test
    void aSessionEndingRelayError_isTheReportedCause() {
        EmbeddedChannel ch = upAfterTls();
        ch.writeInbound(Unpooled.wrappedBuffer(framed(new Frame.Error(ErrorCode.NOT_AUTHENTICATED, Optional.empty(),
                "say HELLO first"))));
        ch.close();
        assertThat(disconnects).containsExactly("the relay ended the session: not authenticated (say HELLO first)");
        ch.finishAndReleaseAll();
    }

    @Test
    void aRateLimitError_isNoCause_aLaterCloseIsTheRelays() {
        EmbeddedChannel ch = upAfterTls();
        ch.writeInbound(Unpooled.wrappedBuffer(framed(new Frame.Error(ErrorCode.RATE_LIMITED, Optional.empty(),
                "slow down"))));
        assertThat(ch.isOpen()).isTrue();
        ch.close();
        assertThat(disconnects).containsExactly("the relay closed the connection");
        ch.finishAndReleaseAll();
    }

    @Test
    void anErrorAboutOneMessage_isNoCause_butAnImpersonationIs() {
        EmbeddedChannel ch = upAfterTls();
        org.hotline.protocol.wire.MessageId id = org.hotline.protocol.wire.MessageId.random(new java.security.SecureRandom());
        ch.writeInbound(Unpooled.wrappedBuffer(framed(new Frame.Error(ErrorCode.POLICY_VIOLATION, Optional.of(id),
                "not your channel"))));
        ch.writeInbound(Unpooled.wrappedBuffer(framed(new Frame.Error(ErrorCode.IMPERSONATION, Optional.of(id),
                "sender is not you"))));
        ch.close();
        assertThat(disconnects).containsExactly("the relay ended the session: "
                + ErrorCode.IMPERSONATION.description() + " (sender is not you)");
        ch.finishAndReleaseAll();
    }

    @Test
    void silenceForThreeKeepAlives_isReportedAsAHalfOpenLink() {
        EmbeddedChannel ch = upAfterTls();
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        assertThat(ch.isOpen()).isFalse();
        assertThat(disconnects).containsExactly("no traffic from the relay for 30 s (half-open connection); reconnecting");
        ch.finishAndReleaseAll();
    }

    @Test
    void aConnectionReset_isReportedAsLost() {
        EmbeddedChannel ch = upAfterTls();
        ch.pipeline().fireExceptionCaught(new java.io.IOException("Connection reset by peer"));
        assertThat(disconnects).containsExactly("connection to the relay lost: Connection reset by peer");
        ch.finishAndReleaseAll();
    }

    @Test
    void aFailedHandshake_isReportedOnce_asATlsFailure() {
        CloseCause cause = new CloseCause();
        EmbeddedChannel ch = new EmbeddedChannel(new RelayHandler(events, Runnable::run, session, Duration.ofSeconds(10),
                cause), new CloseOnExceptionHandler(cause));
        ch.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(
                new SSLHandshakeException("certificate revoked")));
        ch.close();
        assertThat(connects.get()).isZero();
        assertThat(disconnects).containsExactly("TLS handshake with the relay failed: certificate revoked");
        ch.finishAndReleaseAll();
    }

    @Test
    void aWelcome_isPassedOnToTheEngine() {
        EmbeddedChannel ch = upAfterTls();
        ch.writeInbound(Unpooled.wrappedBuffer(framed(new Frame.Welcome("in.pm", Instant.EPOCH, 1024))));
        assertThat(frames).singleElement().isInstanceOf(Frame.Welcome.class);
        ch.finishAndReleaseAll();
    }
}
