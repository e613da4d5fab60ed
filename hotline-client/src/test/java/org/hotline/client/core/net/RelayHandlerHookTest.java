package org.hotline.client.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.wire.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The event-loop hook {@link Connection.Events#arriving} may fail without losing the frame or the line. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RelayHandlerHookTest {

    @Test
    void aFailingHook_stillHandsTheFrameToTheEngine_andKeepsTheLine() {
        List<Frame> frames = new CopyOnWriteArrayList<>();
        Connection.Events events = new Connection.Events() {
            @Override
            public void connected() {
            }

            @Override
            public void arriving(Frame frame) {
                throw new IllegalStateException("prefetch broke");
            }

            @Override
            public void frame(Frame frame) {
                frames.add(frame);
            }

            @Override
            public void disconnected(String reason) {
            }
        };
        RelayHandler.Session session = new RelayHandler.Session() {
            @Override
            public void welcomed() {
            }

            @Override
            public void superseded() {
            }
        };
        CloseCause cause = new CloseCause();
        EmbeddedChannel ch = new EmbeddedChannel(
                new RelayHandler(events, Runnable::run, session, Duration.ofSeconds(10), cause),
                new CloseOnExceptionHandler(cause));
        ch.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        Frame.Pong pong = new Frame.Pong(7);
        ch.writeInbound(pong);
        assertThat(frames).containsExactly(pong);
        assertThat(ch.isActive()).isTrue();
        ch.finishAndReleaseAll();
    }
}
