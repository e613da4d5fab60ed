package org.hotline.client.core.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.transport.FrameDecoder;
import org.hotline.protocol.transport.FrameEncoder;
import org.hotline.protocol.wire.WireLimits;

/**
 * The client's pipeline to the relay, one handler per concern in the fixed order idle timeout →
 * TLS → frame decoder → codec → business → exception handler at the tail. Business code never
 * sees a {@code ByteBuf}; it hands frames to the engine's executor.
 */
final class ClientPipelineInitializer extends ChannelInitializer<Channel> {

    /** Why this channel ended; read by {@link NettyConnection#drop()} to record a local drop. */
    static final AttributeKey<CloseCause> CLOSE_CAUSE = AttributeKey.valueOf("hotline.closeCause");

    private final SslContext ssl;
    private final String host;
    private final int port;
    private final Duration keepAlive;
    private final Connection.Events events;
    private final Executor engine;
    private final RelayHandler.Session session;

    ClientPipelineInitializer(SslContext ssl, String host, int port, Duration keepAlive, Connection.Events events,
                              Executor engine, RelayHandler.Session session) {
        this.ssl = ssl;
        this.host = host;
        this.port = port;
        this.keepAlive = keepAlive;
        this.events = events;
        this.engine = engine;
        this.session = session;
    }

    @Override
    protected void initChannel(Channel ch) {
        CloseCause cause = new CloseCause();
        ch.attr(CLOSE_CAUSE).set(cause);
        long keepAliveMillis = keepAlive.toMillis();
        ch.pipeline().addLast(
                // Idle timeout: READER_IDLE after three keep-alives of silence (a half-open link),
                // ALL_IDLE after one quiet interval (time to PING). RelayHandler reacts to both.
                new IdleStateHandler(3 * keepAliveMillis, 0, keepAliveMillis, TimeUnit.MILLISECONDS),
                // TLS 1.3, mutual: our role's TLS certificate out; the relay's certificate checked
                // against the exercise CA and CRL in the handshake (that check is the peer identity
                // step: the exercise has exactly one relay, so no handler after it needs to know who).
                ssl.newHandler(ch.alloc(), host, port),
                // Length-bounded frame decoder: bytes to Frame records, refusing over-long frames
                // before buffering them (PROTOCOL.md §3).
                new FrameDecoder(WireLimits.DEFAULT_MAX_FRAME_BYTES),
                // Codec, outbound: Frame records to length-prefixed bytes.
                new FrameEncoder(),
                // Business: TLS up → engine, frames → engine, keep-alive PINGs, half-open detection,
                // and the disconnect report with its cause.
                new RelayHandler(events, engine, session, keepAlive, cause),
                // Tail: any exception (a bad frame, a TLS alert, a reset) is recorded as the cause
                // and closes the channel; nothing reaches Netty's "unhandled exception" log.
                new CloseOnExceptionHandler(cause));
    }
}
