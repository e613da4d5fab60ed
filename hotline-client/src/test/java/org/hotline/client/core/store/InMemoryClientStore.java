package org.hotline.client.core.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hotline.client.core.DeliveryState;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SignedMessage;
import org.hotline.protocol.wire.SignedPrekeyBytes;

/** The client's stores in memory, with the same contracts as {@link SqliteClientStore}, for unit tests. */
public final class InMemoryClientStore implements OutboxStore, InboxStore, PeerPrekeyStore {

    private record Acknowledgement(Instant at, Receipt receipt) {
    }

    private final Map<MessageId, Outgoing> outbox = new LinkedHashMap<>();
    private final Map<String, Chain> chains = new HashMap<>();
    private final Map<MessageId, Incoming> inbox = new LinkedHashMap<>();
    /** Per consumer, how many inbox rows (in arrival order) count as presented. */
    private final Map<String, Integer> presentedThrough = new HashMap<>();
    private final Map<MessageId, Acknowledgement> acknowledgements = new LinkedHashMap<>();
    private final Map<List<Object>, Receipt> rejections = new HashMap<>();
    private final java.util.Set<List<Object>> equivocationsLogged = new java.util.HashSet<>();
    private final Map<String, SignedPrekeyBytes> peerPrekeys = new HashMap<>();
    private final java.util.Set<MessageId> held = new java.util.HashSet<>();
    private final java.util.Set<String> rotatedPeers = new java.util.HashSet<>();
    /** (message, relay) pairs whose relay-inclusion entry is written. */
    private final java.util.Set<java.util.List<Object>> inclusions = new java.util.HashSet<>();

    @Override
    public synchronized boolean relayInclusionRecorded(MessageId id, String relay) {
        return inclusions.contains(java.util.List.of(id, relay));
    }

    @Override
    public synchronized void markRelayInclusionRecorded(MessageId id, String relay) {
        inclusions.add(java.util.List.of(id, relay));
    }

    /** As after a crash between the {@code relay-inclusion} entry and its flag (review F6). */
    public synchronized void forgetRelayInclusion(MessageId id, String relay) {
        inclusions.remove(java.util.List.of(id, relay));
    }

    /** Per message, the acceptedAt of each relay's acceptance. */
    private final Map<MessageId, Map<String, Instant>> acceptances = new HashMap<>();
    /** Per (message, recipient), the relays whose copy it rejected. */
    private final Map<List<Object>, java.util.Set<String>> copyRejections = new HashMap<>();
    private final java.util.Set<List<Object>> confirmations = new java.util.HashSet<>();

    @Override
    public synchronized boolean recordRelayAcceptance(MessageId id, String relay, Instant acceptedAt) {
        return acceptances.computeIfAbsent(id, k -> new HashMap<>()).putIfAbsent(relay, acceptedAt) == null;
    }

    @Override
    public synchronized Map<String, Instant> relayAcceptances(MessageId id) {
        return Map.copyOf(acceptances.getOrDefault(id, Map.of()));
    }

    @Override
    public synchronized boolean addCopyRejection(MessageId id, String asserter, String relay) {
        return copyRejections.computeIfAbsent(List.of(id, asserter), k -> new java.util.HashSet<>()).add(relay);
    }

    @Override
    public synchronized java.util.Set<String> rejectedCopies(MessageId id, String asserter) {
        return java.util.Set.copyOf(copyRejections.getOrDefault(List.of(id, asserter), java.util.Set.of()));
    }

    @Override
    public synchronized void addConfirmation(MessageId id, String asserter) {
        confirmations.add(List.of(id, asserter));
    }

    @Override
    public synchronized void addConfirmations(List<MessageId> ids, String asserter) {
        ids.forEach(id -> addConfirmation(id, asserter));
    }

    @Override
    public synchronized boolean confirmRejected(MessageId id, Instant at) {
        Outgoing o = outbox.get(id);
        if (o == null || o.state() != DeliveryState.REJECTED) {
            return false;
        }
        outbox.put(id, o.advancedTo(DeliveryState.DELIVERED, at));
        return true;
    }

    @Override
    public synchronized boolean confirmedBy(MessageId id, String asserter) {
        return confirmations.contains(List.of(id, asserter));
    }

    public ClientStores asStores() {
        return new ClientStores(this, this, this, () -> { });
    }

    @Override
    public synchronized Chain chain(String channel) {
        return chains.getOrDefault(channel, new Chain(1, Hash32.ZERO));
    }

    @Override
    public synchronized void addOutgoing(Outgoing o, Hash32 messageHash, boolean held) throws StoreException {
        if (outbox.containsKey(o.id())) {
            throw new StoreException("duplicate message id " + o.id().shortForm());
        }
        outbox.put(o.id(), o);
        if (held) {
            this.held.add(o.id());
        }
        chains.put(o.channel(), new Chain(o.counter() + 1, messageHash));
    }

    @Override
    public synchronized boolean resealed(MessageId id, byte[] sendFrame) {
        Outgoing o = outbox.get(id);
        if (o == null || o.state() != DeliveryState.QUEUED) {
            return false;
        }
        outbox.put(id, new Outgoing(o.id(), o.channel(), o.recipients(), o.counter(), sendFrame, o.message(),
                o.signalId(), o.text(), o.createdAt(), o.state(), o.acceptedAt(), o.deliveredAt(), o.acknowledgedAt()));
        return true;
    }

    @Override
    public synchronized boolean advance(MessageId id, DeliveryState state, Instant at) {
        Outgoing o = outbox.get(id);
        if (o == null || !state.isAfter(o.state())
                || state == DeliveryState.REJECTED && o.state().isAfter(DeliveryState.ACCEPTED)) {
            return false;
        }
        outbox.put(id, o.advancedTo(state, at));
        return true;
    }

    @Override
    public synchronized Optional<Outgoing> outgoing(MessageId id) {
        return Optional.ofNullable(outbox.get(id));
    }

    @Override
    public synchronized List<Outgoing> queued() {
        return outbox.values().stream().filter(o -> o.state() == DeliveryState.QUEUED)
                .filter(o -> !held.contains(o.id())).toList();
    }

    @Override
    public synchronized List<Outgoing> held() {
        return outbox.values().stream().filter(o -> o.state() == DeliveryState.QUEUED)
                .filter(o -> held.contains(o.id())).toList();
    }

    @Override
    public synchronized void released(MessageId id) {
        held.remove(id);
    }

    @Override
    public synchronized List<Outgoing> allOutgoing() {
        return List.copyOf(outbox.values());
    }

    @Override
    public synchronized boolean hasIncoming(MessageId id) {
        return inbox.containsKey(id);
    }

    @Override
    public synchronized Optional<SignedMessage> incoming(MessageId id) {
        return Optional.ofNullable(inbox.get(id)).map(Incoming::message);
    }

    @Override
    public synchronized void addIncoming(SignedMessage m, Hash32 hash, Instant receivedAt,
                                         Optional<RevokedSigner> revokedSigner) {
        inbox.putIfAbsent(m.header().messageId(), new Incoming(m, hash, receivedAt, Optional.empty(), revokedSigner));
    }

    @Override
    public synchronized void addIncomingAll(List<NewIncoming> messages) {
        for (NewIncoming n : messages) {
            addIncoming(n.message(), n.hash(), n.receivedAt(), n.revokedSigner());
        }
    }

    @Override
    public synchronized List<Incoming> allIncoming() {
        List<Incoming> out = new ArrayList<>();
        for (Incoming in : inbox.values()) {
            Acknowledgement a = acknowledgements.get(in.message().header().messageId());
            out.add(a == null ? in : new Incoming(in.message(), in.hash(), in.receivedAt(), Optional.of(a.at()),
                    in.revokedSigner()));
        }
        return out;
    }

    @Override
    public synchronized List<MessageId> unpresented(String consumer) {
        List<MessageId> ids = new ArrayList<>(inbox.keySet());
        return List.copyOf(ids.subList(presentedThrough.getOrDefault(consumer, 0), ids.size()));
    }

    @Override
    public synchronized void markPresented(String consumer, MessageId through) {
        int at = new ArrayList<>(inbox.keySet()).indexOf(through);
        if (at >= 0) {
            presentedThrough.merge(consumer, at + 1, Math::max);
        }
    }

    @Override
    public synchronized void markAcknowledged(MessageId id, Instant at, Receipt receipt) {
        if (inbox.containsKey(id)) {
            acknowledgements.putIfAbsent(id, new Acknowledgement(at, receipt));
        }
    }

    @Override
    public synchronized List<Receipt> acknowledgementsSince(Instant since) {
        return acknowledgements.values().stream().filter(a -> !a.at().isBefore(since)).map(Acknowledgement::receipt)
                .toList();
    }

    @Override
    public synchronized void putPeerPrekey(String role, SignedPrekeyBytes prekey) {
        peerPrekeys.put(role, prekey);
    }

    @Override
    public synchronized Optional<SignedPrekeyBytes> peerPrekey(String role) {
        return Optional.ofNullable(peerPrekeys.get(role));
    }

    @Override
    public synchronized void addRejection(Receipt rejected, Hash32 copy, Instant at) {
        rejections.putIfAbsent(List.of(rejected.messageId(), copy), rejected);
    }

    @Override
    public synchronized int rejectedCopyCount(MessageId id) {
        return (int) rejections.keySet().stream().filter(k -> k.get(0).equals(id)).count();
    }

    @Override
    public synchronized List<Receipt.RejectReason> rejectionReasons(MessageId id) {
        return rejections.entrySet().stream().filter(e -> e.getKey().get(0).equals(id))
                .flatMap(e -> e.getValue().reason().stream()).toList();
    }

    @Override
    public synchronized boolean equivocationLogged(String sender, String channel, long counter,
                                                   Hash32 messageHash) {
        return equivocationsLogged.contains(List.of(sender, channel, counter, messageHash));
    }

    @Override
    public synchronized boolean markEquivocationLogged(String sender, String channel, long counter,
                                                       Hash32 messageHash) {
        return equivocationsLogged.add(List.of(sender, channel, counter, messageHash));
    }

    @Override
    public synchronized Optional<Receipt> rejection(MessageId id, Hash32 copy) {
        return Optional.ofNullable(rejections.get(List.of(id, copy)));
    }

    @Override
    public synchronized void markPeerRotated(String role) {
        rotatedPeers.add(role);
    }

    @Override
    public synchronized boolean peerRotated(String role) {
        return rotatedPeers.contains(role);
    }
}
