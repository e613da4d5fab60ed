package org.hotline.server.relay;

import java.util.List;
import org.hotline.protocol.wire.Frame;
import org.hotline.server.store.AppendResult;
import org.hotline.server.store.Mailbox;
import org.hotline.server.store.StoredEnvelope;
import org.hotline.server.store.StoredReceipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery loop of one attached session: sends it everything waiting in the mailbox, envelopes
 * then receipts, each in arrival order, and remembers how far it got (the cursors), so nothing
 * committed is missed and nothing is sent twice on one connection.
 *
 * <p>A pass reads one batch of each from the mailbox and sends it; it continues on the thread that
 * completes the mailbox's reads (the mailbox's reader thread). At most one pass runs at a time:
 * {@link #wake()} during a pass marks the pump {@link State#BEHIND} and the pass goes round again
 * when it ends. Cursors are touched only inside a pass; the synchronized state changes order them
 * between passes.
 */
final class DeliveryPump {

    private static final Logger log = LoggerFactory.getLogger(DeliveryPump.class);
    static final int BATCH = 256;

    /** Where the pump is; every change goes through one synchronized transition below. */
    enum State {
        /** No pass is running. A wake starts one. */
        IDLE,
        /** A pass is reading and sending; nothing newer was committed for this role since it began. */
        DRAINING,
        /**
         * A pass is running and newer rows were committed since it began (or its last read filled
         * a batch): when it ends, another pass begins.
         */
        BEHIND,
        /** The session detached or was superseded by a newer connection of its role. Final. */
        STOPPED
    }

    /** The system property of the fault hook below. */
    static final String DROP_EVERY_NTH = "hotline.relay.fault.dropEveryNth";

    private final RelaySession session;
    private final Mailbox mailbox;
    /**
     * Test-only fault hook: the relay accepts every message but silently never delivers a box whose
     * mailbox sequence number is a multiple of this (0, the default: it delivers everything), as a
     * relay that drops every tenth envelope would. Set only by {@code DroppingRelayTest} through
     * {@link #DROP_EVERY_NTH}; without the property (every {@code hotline relay} run) nothing is
     * dropped. docs/architecture.md ("relay" package) documents it as test-only, never an operator
     * setting.
     */
    private final int dropEveryNth = Integer.getInteger(DROP_EVERY_NTH, 0);
    private State state = State.IDLE;
    private long envelopeCursor;
    private long receiptCursor;

    DeliveryPump(RelaySession session, Mailbox mailbox) {
        this.session = session;
        this.mailbox = mailbox;
    }

    RelaySession session() {
        return session;
    }

    synchronized State state() {
        return state;
    }

    /** Something new may be waiting for this session: start a pass, or make the running one go again. */
    void wake() {
        if (transitionOnWake()) {
            pass();
        }
    }

    /**
     * A box the mailbox has just committed for this session's role. A pump that is idle and whose
     * cursor is exactly the box committed for the role before this one has sent everything before
     * it, so it sends it at once, without reading it back (no read, no hand-off to the reader
     * thread). Otherwise the box counts as a {@link #wake()}: it is committed, so a pass reads it. A
     * box the pump already sent (a pass that read it between its commit and this call) is not sent
     * again. Redelivery is unchanged: what this connection does not acknowledge stays undelivered
     * in the mailbox, and the next connection's first pass reads it.
     */
    void offer(AppendResult.Fresh fresh) {
        StoredEnvelope e = fresh.envelope();
        switch (transitionOnOffer(fresh)) {
            case FROM_MEMORY -> {
                sendEnvelopes(List.of(e));
                if (transitionOnPassEnd(false)) {
                    pass();
                }
            }
            case READ -> pass();
            case NOTHING -> {
                // A pass is running and goes round again, or the box was sent, or the pump stopped.
            }
        }
    }

    private enum Offer { FROM_MEMORY, READ, NOTHING }

    private synchronized Offer transitionOnOffer(AppendResult.Fresh fresh) {
        switch (state) {
            case IDLE -> {
                if (fresh.envelope().seq() <= envelopeCursor) {
                    return Offer.NOTHING;
                }
                state = State.DRAINING;
                return fresh.previousSeq() == envelopeCursor ? Offer.FROM_MEMORY : Offer.READ;
            }
            case DRAINING -> {
                state = State.BEHIND;
                return Offer.NOTHING;
            }
            default -> {
                return Offer.NOTHING;
            }
        }
    }

    /**
     * The session is gone or displaced: no further pass starts, and a pass in progress sends nothing
     * more (a read that completes after the stop is dropped; the new session's pump delivers it).
     */
    synchronized void stop() {
        state = State.STOPPED;
    }

    private synchronized boolean transitionOnWake() {
        switch (state) {
            case IDLE -> {
                state = State.DRAINING;
                return true;
            }
            case DRAINING -> state = State.BEHIND;
            case BEHIND, STOPPED -> {
                // Already going round again, or stopped for good.
            }
        }
        return false;
    }

    /** @return true if another pass must start now */
    private synchronized boolean transitionOnPassEnd(boolean filledABatch) {
        if (state == State.STOPPED) {
            return false;
        }
        if ((state == State.BEHIND || filledABatch) && session.isOpen()) {
            state = State.DRAINING;
            return true;
        }
        state = State.IDLE;
        return false;
    }

    /** After a failed read the cursors are unchanged: the next wake starts a fresh pass from them. */
    private synchronized void transitionOnFailure() {
        if (state != State.STOPPED) {
            state = State.IDLE;
        }
    }

    private void pass() {
        mailbox.pending(session.role(), envelopeCursor, BATCH)
                .thenCompose(envelopes -> {
                    sendEnvelopes(envelopes);
                    return mailbox.pendingReceipts(session.role(), receiptCursor, BATCH)
                            .thenApply(receipts -> {
                                sendReceipts(receipts);
                                return envelopes.size() == BATCH || receipts.size() == BATCH;
                            });
                })
                .whenComplete((filledABatch, failure) -> {
                    if (failure != null) {
                        transitionOnFailure();
                        if (session.isOpen()) {
                            log.error("delivery to {} failed: {}", session.role(), failure.toString());
                        } else {
                            log.debug("delivery to closed {} stopped: {}", session.role(), failure.toString());
                        }
                    } else if (transitionOnPassEnd(filledABatch)) {
                        pass();
                    }
                });
    }

    private synchronized boolean stopped() {
        return state == State.STOPPED;
    }

    private void sendEnvelopes(List<StoredEnvelope> envelopes) {
        if (stopped()) {
            return;
        }
        for (StoredEnvelope e : envelopes) {
            if (dropEveryNth <= 0 || e.seq() % dropEveryNth != 0) {
                session.send(new Frame.Deliver(e.messageId(), e.sender(), e.channel(), e.acceptedAt(), e.box()));
            }
            envelopeCursor = e.seq();
        }
    }

    private void sendReceipts(List<StoredReceipt> receipts) {
        if (stopped()) {
            return;
        }
        for (StoredReceipt r : receipts) {
            session.send(r.forward());
            receiptCursor = r.seq();
        }
    }
}
