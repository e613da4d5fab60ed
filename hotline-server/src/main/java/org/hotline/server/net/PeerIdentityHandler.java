package org.hotline.server.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.AttributeKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.pki.CertificatePurpose;
import org.hotline.protocol.pki.PeerIdentity;
import org.hotline.protocol.pki.PkiException;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.Frame;
import org.hotline.server.relay.Relay;
import org.hotline.server.relay.TrustState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After the TLS handshake, reads the role from the client certificate and binds it to the
 * connection; enforces the connection limits (in total and per role) and the HELLO deadline. Until
 * then no frame reaches the relay logic.
 */
final class PeerIdentityHandler extends ChannelInboundHandlerAdapter {

    static final AttributeKey<ChannelSession> SESSION = AttributeKey.valueOf("hotline.session");
    private static final Logger log = LoggerFactory.getLogger(PeerIdentityHandler.class);

    private final TrustState trust;
    private final Relay relay;
    private final ConnectionSlots slots;
    private final Duration helloTimeout;
    private final Clock clock;
    private final RefusalLog refusals;
    /** The role whose slot this connection holds, once it holds one. */
    private String slotRole;

    PeerIdentityHandler(TrustState trust, Relay relay, ConnectionSlots slots, Duration helloTimeout, Clock clock,
                        RefusalLog refusals) {
        this.refusals = refusals;
        this.trust = trust;
        this.relay = relay;
        this.slots = slots;
        this.helloTimeout = helloTimeout;
        this.clock = clock;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (!done.isSuccess()) {
                // The peer is unauthenticated and chooses what it sends: one short line, rate-limited.
                var admitted = refusals.admit();
                if (admitted.isPresent()) {
                    log.info("TLS handshake with {} failed: {}{}", ctx.channel().remoteAddress(),
                            RefusalLog.brief(done.cause()), admitted.getAsLong() == 0 ? ""
                                    : " (" + admitted.getAsLong() + " similar lines suppressed)");
                }
                ctx.close();
                return;
            }
            bind(ctx);
        }
        super.userEventTriggered(ctx, evt);
    }

    private void bind(ChannelHandlerContext ctx) {
        try {
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            X509Certificate cert = (X509Certificate) ssl.engine().getSession().getPeerCertificates()[0];
            PeerIdentity id = trust.validator().validate(cert, CertificatePurpose.ROLE_TLS, clock.instant());
            if (!relay.isKnownRole(id.role())) {
                refuse(ctx, ErrorCode.UNKNOWN_ROLE, "role " + id.role() + " is not part of this exercise");
                return;
            }
            Optional<String> full = slots.take(id.role());
            if (full.isPresent()) {
                refuse(ctx, ErrorCode.TOO_MANY_CONNECTIONS, full.get());
                return;
            }
            slotRole = id.role();
            ChannelSession session = new ChannelSession(ctx.channel(), id.role(), id.serialHex());
            ctx.channel().attr(SESSION).set(session);
            log.info("connection opened: {} (certificate serial {})", session.describe(), id.serialHex());
            // A connection that never says HELLO would hold its slot until the idle timeout.
            ctx.executor().schedule(() -> closeWithoutHello(session), helloTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (PkiException e) {
            refuse(ctx, ErrorCode.NOT_AUTHENTICATED, e.getMessage());
        } catch (Exception e) {
            refuse(ctx, ErrorCode.NOT_AUTHENTICATED, "no usable client certificate");
        }
    }

    private void closeWithoutHello(ChannelSession session) {
        if (session.isOpen() && !relay.isAttached(session)) {
            log.info("no HELLO from {} within {} ms of the handshake; closing", session.describe(),
                    helloTimeout.toMillis());
            session.closeWith(ErrorCode.IDLE_TIMEOUT, "no HELLO within " + helloTimeout.toMillis()
                    + " ms of the handshake; closing");
        }
    }

    private static void refuse(ChannelHandlerContext ctx, ErrorCode code, String text) {
        log.warn("refused {}: {}", ctx.channel().remoteAddress(), text);
        ctx.writeAndFlush(new Frame.Error(code, Optional.empty(), text))
                .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (ctx.channel().attr(SESSION).get() == null) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (slotRole != null) {
            slots.release(slotRole);
        }
        ChannelSession s = ctx.channel().attr(SESSION).get();
        if (s != null) {
            relay.detach(s);
            log.info("connection closed: {}", s.describe());
        }
        super.channelInactive(ctx);
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
