package org.hotline.server.relay;

import java.util.Optional;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.text.DisplaySafe;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's logic, free of network types: authentication has already bound each session to a
 * role. This class only dispatches each frame to the component that owns its stage:
 * {@link SessionRegistry} (HELLO, attach, supersede, detach, each session's {@link DeliveryPump}),
 * {@link SendAdmission} (SEND), {@link ReceiptHandler} (DELIVERY_ACK, RECEIPT_NOTICE, RECEIPT_ACK)
 * and {@link PrekeyDirectory} (PREKEY_UPLOAD, PREKEY_FETCH); all of them write the audit log
 * through {@link RelayAudit}. Frames of one connection arrive on its event loop in order; storage
 * outcomes continue on the mailbox's threads (see {@link org.hotline.server.store.Mailbox}).
 */
public final class Relay {

    private static final Logger log = LoggerFactory.getLogger(Relay.class);

    private final Exercise exercise;
    private final SessionRegistry sessions;
    private final SendAdmission admission;
    private final ReceiptHandler receipts;
    private final PrekeyDirectory prekeys;
    private final Optional<RelayLogCheckpoints> relayLog;

    public Relay(RelayDependencies deps) {
        RelayAudit audit = new RelayAudit(deps.audit(), deps.mailbox());
        this.exercise = deps.exercise();
        this.sessions = new SessionRegistry(deps.mailbox(), deps.clock(), deps.config().maxFrameBytes(),
                deps.revokedSerial());
        this.relayLog = RelayLogCheckpoints.of(deps.mailbox().relayLog(), deps.relayIdentity(), deps.relayName(),
                deps.exerciseId());
        this.admission = new SendAdmission(deps.exercise(), deps.config(), deps.mailbox(), deps.relayIdentity(),
                deps.relayName(), deps.exerciseId(), deps.clock(), audit, sessions, relayLog);
        this.receipts = new ReceiptHandler(deps.identities(), deps.exerciseId(), deps.mailbox(), deps.clock(), audit,
                sessions);
        this.prekeys = new PrekeyDirectory(deps.exercise(), deps.directory(), deps.identities(), deps.exerciseId(),
                deps.mailbox(), deps.clock());
    }

    public boolean isKnownRole(String role) {
        return exercise.role(role).isPresent();
    }

    /** Whether {@code s} has said HELLO and is its role's current session. */
    public boolean isAttached(RelaySession s) {
        return sessions.isAttached(s);
    }

    /** The number of roles currently connected. */
    public int connectedRoles() {
        return sessions.size();
    }

    /** Messages newly stored since the relay started. */
    public int acceptedCount() {
        return admission.acceptedCount();
    }

    /** Dispatches one frame from an authenticated session. */
    public void onFrame(RelaySession s, Frame frame) {
        boolean attached = sessions.isAttached(s);
        if (frame instanceof Frame.Hello h) {
            if (!attached) {
                sessions.attach(s, h);
            }
            return;
        }
        if (frame instanceof Frame.Ping p) {
            s.send(new Frame.Pong(p.nonce()));
            return;
        }
        if (frame instanceof Frame.Pong) {
            return;
        }
        if (!attached) {
            s.closeWith(ErrorCode.UNEXPECTED_FRAME, "send HELLO first");
            return;
        }
        if (frame instanceof Frame.Send send) {
            admission.onSend(s, send);
        } else if (frame instanceof Frame.DeliveryAck ack) {
            receipts.onDelivered(s, ack.receipt());
        } else if (frame instanceof Frame.ReceiptNotice notice) {
            receipts.onAcknowledged(s, notice.receipt());
        } else if (frame instanceof Frame.DeliveredThrough through) {
            receipts.onDeliveredThrough(s, through.receipt());
        } else if (frame instanceof Frame.ReceiptAck ack) {
            receipts.onReceiptAck(s, ack);
        } else if (frame instanceof Frame.PrekeyUpload up) {
            prekeys.onUpload(s, up.prekeys());
        } else if (frame instanceof Frame.PrekeyFetch fetch) {
            prekeys.onFetch(s, fetch.role());
        } else if (frame instanceof Frame.LogConsistencyFetch fetch) {
            // No log (a test store): the same answer as for sizes it does not have.
            s.send(relayLog.map(l -> l.consistency(fetch))
                    .orElseGet(() -> new Frame.LogConsistency(fetch.oldSize(), fetch.newSize(), java.util.List.of())));
        } else if (frame instanceof Frame.Error e) {
            // Peer-chosen text: a \n in it would forge a log line.
            log.info("{} reported error {}: {}", s.describe(), e.code(), DisplaySafe.line(e.text()));
        } else {
            s.send(new Frame.Error(ErrorCode.UNEXPECTED_FRAME, Optional.empty(),
                    frame.kind() + " is sent by the relay, not to it"));
        }
    }

    /** Called by the network layer when a connection closes. */
    public void detach(RelaySession s) {
        sessions.detach(s);
    }
}
