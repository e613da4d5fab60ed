package org.hotline.client.core.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.hotline.client.core.DeliveryState;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageId;

/**
 * A deliberately broken outbox for fault tests: around a real one, the next N writes (a new message
 * or a state change) fail and write nothing. Reads always work.
 */
public final class FaultyOutboxStore implements OutboxStore {

    private final OutboxStore real;
    private final AtomicInteger failingWrites = new AtomicInteger();

    public FaultyOutboxStore(OutboxStore real) {
        this.real = real;
    }

    public void failNextWrites(int n) {
        failingWrites.set(n);
    }

    private void write() throws StoreException {
        if (failingWrites.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new StoreException("disk full (injected)");
        }
    }

    @Override
    public Chain chain(String channel) throws StoreException {
        return real.chain(channel);
    }

    @Override
    public void addOutgoing(Outgoing o, Hash32 messageHash, boolean held) throws StoreException {
        write();
        real.addOutgoing(o, messageHash, held);
    }

    @Override
    public List<Outgoing> held() throws StoreException {
        return real.held();
    }

    @Override
    public void released(MessageId id) throws StoreException {
        write();
        real.released(id);
    }

    @Override
    public boolean resealed(MessageId id, byte[] sendFrame) throws StoreException {
        write();
        return real.resealed(id, sendFrame);
    }

    @Override
    public boolean advance(MessageId id, DeliveryState state, Instant at) throws StoreException {
        write();
        return real.advance(id, state, at);
    }

    @Override
    public boolean relayInclusionRecorded(MessageId id, String relay) throws StoreException {
        return real.relayInclusionRecorded(id, relay);
    }

    @Override
    public void markRelayInclusionRecorded(MessageId id, String relay) throws StoreException {
        write();
        real.markRelayInclusionRecorded(id, relay);
    }

    @Override
    public boolean recordRelayAcceptance(MessageId id, String relay, Instant acceptedAt) throws StoreException {
        write();
        return real.recordRelayAcceptance(id, relay, acceptedAt);
    }

    @Override
    public java.util.Map<String, Instant> relayAcceptances(MessageId id) throws StoreException {
        return real.relayAcceptances(id);
    }

    @Override
    public boolean addCopyRejection(MessageId id, String asserter, String relay) throws StoreException {
        write();
        return real.addCopyRejection(id, asserter, relay);
    }

    @Override
    public java.util.Set<String> rejectedCopies(MessageId id, String asserter) throws StoreException {
        return real.rejectedCopies(id, asserter);
    }

    @Override
    public void addConfirmation(MessageId id, String asserter) throws StoreException {
        write();
        real.addConfirmation(id, asserter);
    }

    @Override
    public void addConfirmations(List<MessageId> ids, String asserter) throws StoreException {
        write();
        real.addConfirmations(ids, asserter);
    }

    @Override
    public boolean confirmRejected(MessageId id, Instant at) throws StoreException {
        write();
        return real.confirmRejected(id, at);
    }

    @Override
    public boolean confirmedBy(MessageId id, String asserter) throws StoreException {
        return real.confirmedBy(id, asserter);
    }

    @Override
    public Optional<Outgoing> outgoing(MessageId id) throws StoreException {
        return real.outgoing(id);
    }

    @Override
    public List<Outgoing> queued() throws StoreException {
        return real.queued();
    }

    @Override
    public List<Outgoing> allOutgoing() throws StoreException {
        return real.allOutgoing();
    }
}
