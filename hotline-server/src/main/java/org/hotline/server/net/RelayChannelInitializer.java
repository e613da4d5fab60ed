package org.hotline.server.net;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.hotline.protocol.pki.RelayCredential;
import org.hotline.protocol.transport.FrameDecoder;
import org.hotline.protocol.transport.FrameEncoder;
import org.hotline.protocol.transport.TlsContexts;
import org.hotline.server.config.RelayConfig;
import org.hotline.server.relay.Relay;
import org.hotline.server.relay.TrustState;

/**
 * The pipeline of every relay connection, one handler per concern, in the fixed order: idle
 * timeout → TLS → length-bounded frame decoder → codec → peer identity → rate limit → relay logic
 * → exception handler at the tail. Inbound bytes pass them top to bottom; outbound frames pass
 * the encoder and TLS on the way out.
 */
final class RelayChannelInitializer extends ChannelInitializer<SocketChannel> {

    private final RelayConfig config;
    private final SslContext ssl;
    private final TrustState trust;
    private final Relay relay;
    private final Clock clock;
    private final ChannelGroup connections;
    /**
     * Authenticated connections, counted against {@link RelayConfig#maxConnections()} and
     * {@link RelayConfig#maxConnectionsPerRole()}.
     */
    private final ConnectionSlots authenticated;
    private final FrameEncoder encoder = new FrameEncoder();
    private final TailExceptionHandler tail = new TailExceptionHandler();
    /** Lines about unauthenticated peers: 20 at once, then 1 a second (RefusalLog says why). */
    private final RefusalLog refusals = new RefusalLog(1, 20, System::nanoTime);

    /**
     * @param connections every accepted channel is added here, so the server can close them all and
     *                    the CRL check can find the revoked ones
     */
    RelayChannelInitializer(RelayConfig config, RelayCredential credential, TrustState trust, Relay relay, Clock clock,
                            ChannelGroup connections) throws SSLException {
        this.config = config;
        this.ssl = TlsContexts.forRelay(credential, trust::validator, clock);
        this.trust = trust;
        this.relay = relay;
        this.clock = clock;
        this.connections = connections;
        this.authenticated = new ConnectionSlots(config.maxConnections(), config.maxConnectionsPerRole());
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        connections.add(ch);
        SslHandler tls = ssl.newHandler(ch.alloc());
        tls.setHandshakeTimeoutMillis(config.handshakeTimeout().toMillis());
        ch.pipeline()
                // Closes a connection silent for the idle timeout; asks for a PING when we have been quiet.
                .addLast("idle", new IdleStateHandler(config.idleTimeout().toMillis(),
                        config.pingInterval().toMillis(), 0, TimeUnit.MILLISECONDS))
                // Mutual TLS 1.3: a client certificate is required and checked against the exercise CA and the live CRL.
                .addLast("tls", tls)
                // Splits the stream into frames and refuses one over the size limit before buffering it.
                .addLast("frame-decoder", new FrameDecoder(config.maxFrameBytes()))
                // Frames to bytes on the way out (shared: it keeps no state).
                .addLast("frame-encoder", encoder)
                // Binds the certificate's role to the connection, enforces the connection limits and the HELLO
                // deadline; nothing passes before.
                .addLast("peer-identity", new PeerIdentityHandler(trust, relay, authenticated,
                        config.helloTimeout(), clock, refusals))
                // Frames per second per connection; over the limit a frame is dropped and answered RATE_LIMITED.
                .addLast("rate-limit", new RateLimitHandler(config.messagesPerSecond(), config.burst()))
                // Hands each frame to the relay logic; pings idle peers and closes silent ones.
                .addLast("relay", new RelayFrameHandler(relay))
                // Last: a bad frame becomes an ERROR naming it, anything else is logged; the connection closes.
                .addLast("errors", tail);
    }
}
