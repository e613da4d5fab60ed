package org.hotline.server.relay;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.hotline.protocol.text.DisplaySafe;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.Frame;
import org.hotline.server.store.AppendResult;
import org.hotline.server.store.Mailbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attached session of each role, one at a time, with its {@link DeliveryPump}. A session is
 * attached by its HELLO (unless its certificate was revoked since the handshake); a second
 * connection of the same role supersedes the first, which is told so ({@code SUPERSEDED}) and
 * closed; a closing connection detaches only itself.
 */
final class SessionRegistry {

    private static final Logger log = LoggerFactory.getLogger(SessionRegistry.class);

    private final Map<String, DeliveryPump> attached = new ConcurrentHashMap<>();
    private final Mailbox mailbox;
    private final Clock clock;
    private final int maxFrameBytes;
    private final Predicate<String> revokedSerial;

    SessionRegistry(Mailbox mailbox, Clock clock, int maxFrameBytes, Predicate<String> revokedSerial) {
        this.mailbox = mailbox;
        this.clock = clock;
        this.maxFrameBytes = maxFrameBytes;
        this.revokedSerial = revokedSerial;
    }

    /** Whether {@code s} is its role's attached session (said HELLO, not superseded, not closed). */
    boolean isAttached(RelaySession s) {
        DeliveryPump p = attached.get(s.role());
        return p != null && p.session() == s;
    }

    /** HELLO: welcome the session, displace an older connection of its role, deliver its backlog. */
    void attach(RelaySession s, Frame.Hello hello) {
        if (revokedSerial.test(s.certificateSerial())) {
            // The CRL may have changed since the handshake; a revoked role gets nothing.
            s.closeWith(ErrorCode.NOT_AUTHENTICATED, "your certificate has been revoked");
            return;
        }
        DeliveryPump pump = new DeliveryPump(s, mailbox);
        DeliveryPump previous = attached.put(s.role(), pump);
        if (previous != null) {
            supersede(previous, s.role());
        }
        s.send(new Frame.Welcome(s.role(), clock.instant(), maxFrameBytes));
        log.info("{} said hello ({})", s.describe(), DisplaySafe.line(hello.clientSoftware()));
        pump.wake();
    }

    /** Displacement: the older connection's pump stops and, if still open, it is told why and closed. */
    private static void supersede(DeliveryPump previous, String role) {
        previous.stop();
        if (previous.session().isOpen()) {
            log.info("{} superseded by a new connection of the same role", previous.session().describe());
            previous.session().closeWith(ErrorCode.SUPERSEDED, "superseded by a newer connection of " + role);
        }
    }

    /** A closed connection; a newer connection of the same role stays attached. */
    void detach(RelaySession s) {
        attached.computeIfPresent(s.role(), (role, pump) -> {
            if (pump.session() != s) {
                return pump;
            }
            pump.stop();
            return null;
        });
    }

    /** New rows were committed for {@code role}: its pump, if the role is attached, delivers them. */
    void wake(String role) {
        DeliveryPump p = attached.get(role);
        if (p != null) {
            p.wake();
        }
    }

    /**
     * A box just committed for its recipient: that role's pump, if attached, sends it from memory
     * when it can ({@link DeliveryPump#offer}), else reads it.
     */
    void offer(AppendResult.Fresh fresh) {
        DeliveryPump p = attached.get(fresh.envelope().box().recipient());
        if (p != null) {
            p.offer(fresh);
        }
    }

    /** The attached session's pump of {@code role}, if any. */
    Optional<DeliveryPump> pumpOf(String role) {
        return Optional.ofNullable(attached.get(role));
    }

    int size() {
        return attached.size();
    }
}
