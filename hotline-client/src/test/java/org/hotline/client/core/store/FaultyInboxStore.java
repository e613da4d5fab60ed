package org.hotline.client.core.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SignedMessage;

/**
 * A deliberately broken inbox for fault tests: around a real one, it can fail the next N writes of
 * a received message (a full disk for a moment), or fail every call until it is brought back up
 * (a store that is gone). Nothing is written when a call fails.
 */
public final class FaultyInboxStore implements InboxStore {

    private final InboxStore real;
    private final AtomicInteger failingWrites = new AtomicInteger();
    /** How many messages each successful write stored, in order (a batch is one write). */
    private final List<Integer> writeSizes = new CopyOnWriteArrayList<>();
    private volatile boolean down;

    public FaultyInboxStore(InboxStore real) {
        this.real = real;
    }

    /** The next {@code n} calls of {@link #addIncoming} or {@link #addIncomingAll} fail; everything else works. */
    public void failNextWrites(int n) {
        failingWrites.set(n);
    }

    /** From the next {@link #addIncoming} on, every call fails until {@code down(false)}. */
    public void goDownAtNextWrite() {
        failingWrites.set(Integer.MIN_VALUE);
    }

    public void down(boolean isDown) {
        this.down = isDown;
        if (!isDown) {
            failingWrites.set(0);
        }
    }

    private void check() throws StoreException {
        if (down) {
            throw new StoreException("disk I/O error (injected: store down)");
        }
    }

    @Override
    public boolean hasIncoming(MessageId id) throws StoreException {
        check();
        return real.hasIncoming(id);
    }

    @Override
    public Optional<SignedMessage> incoming(MessageId id) throws StoreException {
        check();
        return real.incoming(id);
    }

    @Override
    public void addIncoming(SignedMessage m, Hash32 hash, Instant receivedAt, Optional<RevokedSigner> revokedSigner)
            throws StoreException {
        failIfInjected();
        real.addIncoming(m, hash, receivedAt, revokedSigner);
        writeSizes.add(1);
    }

    /** A whole batch counts as one write: it fails whole, as the one transaction it is. */
    @Override
    public void addIncomingAll(List<NewIncoming> messages) throws StoreException {
        failIfInjected();
        real.addIncomingAll(messages);
        writeSizes.add(messages.size());
    }

    /** How many messages each successful write of received messages stored, oldest first. */
    public List<Integer> writeSizes() {
        return List.copyOf(writeSizes);
    }

    private void failIfInjected() throws StoreException {
        check();
        if (failingWrites.get() == Integer.MIN_VALUE) {
            down = true;
            throw new StoreException("disk I/O error (injected: store went down)");
        }
        if (failingWrites.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new StoreException("disk full (injected)");
        }
    }

    @Override
    public List<MessageId> unpresented(String consumer) throws StoreException {
        check();
        return real.unpresented(consumer);
    }

    @Override
    public void markPresented(String consumer, MessageId through) throws StoreException {
        check();
        real.markPresented(consumer, through);
    }

    @Override
    public List<Incoming> allIncoming() throws StoreException {
        check();
        return real.allIncoming();
    }

    @Override
    public void markAcknowledged(MessageId id, Instant at, Receipt receipt) throws StoreException {
        check();
        real.markAcknowledged(id, at, receipt);
    }

    @Override
    public List<Receipt> acknowledgementsSince(Instant since) throws StoreException {
        check();
        return real.acknowledgementsSince(since);
    }

    @Override
    public void addRejection(Receipt rejected, Hash32 copy, Instant at) throws StoreException {
        check();
        real.addRejection(rejected, copy, at);
    }

    @Override
    public int rejectedCopyCount(MessageId id) throws StoreException {
        return real.rejectedCopyCount(id);
    }

    @Override
    public java.util.List<Receipt.RejectReason> rejectionReasons(MessageId id) throws StoreException {
        return real.rejectionReasons(id);
    }

    @Override
    public boolean equivocationLogged(String sender, String channel, long counter, Hash32 messageHash)
            throws StoreException {
        check();
        return real.equivocationLogged(sender, channel, counter, messageHash);
    }

    @Override
    public boolean markEquivocationLogged(String sender, String channel, long counter, Hash32 messageHash)
            throws StoreException {
        check();
        return real.markEquivocationLogged(sender, channel, counter, messageHash);
    }

    @Override
    public Optional<Receipt> rejection(MessageId id, Hash32 copy) throws StoreException {
        check();
        return real.rejection(id, copy);
    }
}
