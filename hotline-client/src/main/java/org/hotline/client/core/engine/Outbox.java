package org.hotline.client.core.engine;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.hotline.client.core.DeliveryState;
import org.hotline.client.core.SentMessage;
import org.hotline.client.core.net.Connection;
import org.hotline.client.core.store.OutboxStore;
import org.hotline.client.core.store.StoreException;
import org.hotline.protocol.crypto.CryptoException;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.crypto.MessageSealer;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.crypto.VerifiedPrekey;
import org.hotline.protocol.exercise.Channel;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.FrameCodec;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.SignedMessage;

/**
 * Outgoing messages: compose, sign, seal, store in the durable outbox, send, and the re-send window
 * that brings every QUEUED message to the relay again until it is ACCEPTED. Engine thread only.
 *
 * <p>A new message goes out at once only when it may (PROTOCOL.md §5.2, "Selection"): the line is
 * up, no prekey fetch for one of its recipients is unanswered, each box is sealed to the prekey
 * {@link PeerPrekeys#peer} names, and nothing older on its channel is held. Otherwise it is stored
 * <em>held</em>, sealed provisionally, and released later, oldest first: checked against the
 * prekeys {@link PeerPrekeys#peer} names then, re-sealed (same signed message, stored first) if one
 * is newer, and marked released in the store before it is sent. On each channel nothing overtakes
 * a held message, so counters reach the relay in order; one without a usable prekey for a
 * recipient stays held (and its channel with it) until the relay hands one out. The held mark is
 * durable, so a later process checks them the same way; a message once released is re-sent exactly
 * as stored, since the relay may hold those bytes and refuses the same id with others.
 */
final class Outbox {

    private static final Duration RESEND_AFTER = Duration.ofSeconds(10);
    /** Below the relay's default burst (400 frames), so a reconnect does not trip its rate limit at once. */
    static final int RESEND_BATCH = 200;

    private final String role;
    private final RoleCredential credential;
    private final String catalogVersion;
    private final OutboxStore store;
    private final Connection connection;
    private final PeerPrekeys prekeys;
    private final MessageRenderer renderer;
    private final ClientAudit audit;
    private final Listeners listeners;
    private final Function<String, Hash32> lastReceivedOn;
    private final BooleanSupplier connected;
    private final EngineTimer timer;
    private final Clock clock;
    private final SecureRandom random;

    /** Composed here (or by an earlier process) and stored held: not yet sent, in the order composed. */
    private final Map<MessageId, OutboxStore.Outgoing> held = new LinkedHashMap<>();
    /** Held messages found no longer QUEUED while being re-sealed (accepted meanwhile): not to be sent. */
    private final Set<MessageId> settled = new HashSet<>();
    /** Held messages whose missing prekey was already reported (once each). */
    private final Set<MessageId> reported = new HashSet<>();
    /** When each queued message last went to the relay on the current connection. */
    private final Map<MessageId, Instant> lastSent = new HashMap<>();
    /** retryQueued stopped at RESEND_BATCH with more waiting: refill as ACCEPTEDs free the window. */
    private boolean moreQueued;
    /** After RATE_LIMITED: no refill before the scheduled retry, or the window would refill into an empty bucket. */
    private Instant refillPausedUntil = Instant.MIN;

    /**
     * @param lastReceivedOn the hash of the newest message received on a channel (the inbox's)
     * @param connected      whether the relay said WELCOME on the current connection
     */
    Outbox(String role, RoleCredential credential, String catalogVersion, OutboxStore store, Connection connection,
           PeerPrekeys prekeys, MessageRenderer renderer, ClientAudit audit, Listeners listeners,
           Function<String, Hash32> lastReceivedOn, BooleanSupplier connected, EngineTimer timer, Clock clock,
           SecureRandom random) {
        this.role = role;
        this.credential = credential;
        this.catalogVersion = catalogVersion;
        this.store = store;
        this.connection = connection;
        this.prekeys = prekeys;
        this.renderer = renderer;
        this.audit = audit;
        this.listeners = listeners;
        this.lastReceivedOn = lastReceivedOn;
        this.connected = connected;
        this.timer = timer;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Signs, seals and stores a message to every other member of {@code channel}, then sends it if
     * the line is up. Nothing goes on the network before it is durably stored.
     */
    MessageId compose(Channel channel, Content content, Optional<MessageId> inReplyTo, Optional<Instant> answerBy)
            throws Exception {
        List<String> recipients = channel.addressees(role);
        OutboxStore.Chain chain = store.chain(channel.id());
        MessageHeader header = new MessageHeader(credential.exerciseId(), MessageId.random(random), role, recipients,
                channel.id(),
                chain.nextCounter(), clock.instant(), chain.lastSentHash(), lastReceivedOn.apply(channel.id()),
                catalogVersion, inReplyTo, answerBy);
        SignedMessage signed = MessageSigner.sign(credential.identity(), header, content);
        // It goes at once only on a live line with nothing older held on its channel (or waiting for
        // a re-send batch), no fetch for a recipient unanswered and a usable prekey for each;
        // otherwise it is held, sealed provisionally, and checked again before it goes.
        boolean goesNow = connected.getAsBoolean() && !moreQueued
                && held.values().stream().noneMatch(h -> h.channel().equals(channel.id()));
        if (goesNow) {
            // Only after WELCOME: a frame before HELLO would make the relay close the connection.
            prekeys.fetchIfStale(connection, recipients);
            goesNow = !prekeys.awaiting(recipients);
        }
        List<VerifiedPrekey> keys = new ArrayList<>();
        for (String r : recipients) {
            if (goesNow) {
                try {
                    keys.add(prekeys.peer(r));
                    continue;
                } catch (CryptoException e) {
                    goesNow = false; // no usable prekey now: held, and reported when it is checked
                }
            }
            keys.add(prekeys.provisional(r));
        }
        Frame.Send frame = MessageSealer.seal(signed, keys, random);
        String text = renderer.render(content, signed.header());
        Optional<String> signalId = content instanceof Content.Signal s ? Optional.of(s.signalId()) : Optional.empty();
        OutboxStore.Outgoing row = new OutboxStore.Outgoing(header.messageId(), channel.id(), recipients,
                header.counter(), FrameCodec.encode(frame), signed, signalId, text, clock.instant(),
                DeliveryState.QUEUED, Optional.empty(), Optional.empty(), Optional.empty());
        store.addOutgoing(row, Hashes.messageHash(signed), !goesNow);
        if (goesNow) {
            // On the line as soon as it is durable; its message-sent entry follows (a crash between
            // the two is repaired at the next open, SentLogReconciler, PROTOCOL.md §11.3).
            connection.send(frame);
            lastSent.put(header.messageId(), clock.instant());
            audit.messageSent(signed, text);
        } else {
            audit.messageSent(signed, text);
            held.put(header.messageId(), row);
            releaseHeld(RESEND_BATCH);
        }
        if (!MessageRenderer.isMachineTraffic(content)) {
            SentMessage queued = MessageRenderer.sent(row);
            listeners.fire(l -> l.messageQueued(queued));
        }
        listeners.fire(l -> l.deliveryStateChanged(header.messageId(), DeliveryState.QUEUED));
        return header.messageId();
    }

    /**
     * Re-sends queued messages, oldest first, exactly as first sealed (the relay makes it
     * idempotent). After a reconnect everything queued goes out once; while connected, only what
     * has waited {@link #RESEND_AFTER} without an ACCEPTED goes again, so a long queue is not
     * re-sent wholesale every tick.
     */
    void retryQueued() {
        if (!connected.getAsBoolean()) {
            return;
        }
        prekeys.retryUnanswered(connection);
        try {
            Instant now = clock.instant();
            int sent = 0;
            moreQueued = false;
            for (OutboxStore.Outgoing o : store.queued()) {
                if (held.containsKey(o.id())) {
                    continue; // composed here and not yet out: releaseHeld decides, after the older ones
                }
                Instant last = lastSent.get(o.id());
                if (last != null && Duration.between(last, now).compareTo(RESEND_AFTER) < 0) {
                    continue;
                }
                connection.send(FrameCodec.decode(o.sendFrame()));
                lastSent.put(o.id(), now);
                if (++sent >= RESEND_BATCH) {
                    moreQueued = true;
                    return; // held messages wait too: they must not overtake what this batch left out
                }
            }
            releaseHeld(RESEND_BATCH - sent);
        } catch (Exception e) {
            audit.problem("cannot re-send queued messages: " + e.getMessage());
        }
    }

    /**
     * The relay dropped frames over its rate: whatever it has not accepted goes again in a second,
     * instead of after {@link #RESEND_AFTER}. Nothing for the person to do, so no problem shown.
     */
    void rateLimited() {
        lastSent.clear();
        refillPausedUntil = clock.instant().plusSeconds(1);
        timer.after(Duration.ofSeconds(1), this::retryQueued);
    }

    /**
     * The connection is gone: everything queued goes again on the next one; held messages stay held
     * (in order) until after the next WELCOME and its prekey answers.
     */
    void connectionLost() {
        lastSent.clear();
    }

    /**
     * Sends the held messages that may go now, oldest first, at most {@code budget} (see the class
     * comment); on a channel where one must wait, every later one waits too. Called after each
     * compose, prekey answer and re-send round. Nothing is released while older queued messages
     * still wait for their re-send on this connection ({@link #RESEND_BATCH}).
     */
    void releaseHeld(int budget) {
        if (!connected.getAsBoolean() || held.isEmpty() || moreQueued) {
            return;
        }
        int sent = 0;
        Set<String> waiting = new HashSet<>();
        Instant now = clock.instant();
        for (Iterator<OutboxStore.Outgoing> it = held.values().iterator(); it.hasNext(); ) {
            OutboxStore.Outgoing o = it.next();
            if (waiting.contains(o.channel()) || prekeys.awaiting(o.recipients())) {
                waiting.add(o.channel());
                continue;
            }
            Optional<Frame.Send> frame = sealedForSending(o);
            if (settled.remove(o.id())) {
                it.remove(); // the relay accepted it already: nothing to send, its provisional box least of all
                reported.remove(o.id());
                continue;
            }
            if (frame.isEmpty()) {
                waiting.add(o.channel());
                continue;
            }
            try {
                store.released(o.id()); // first: from now on it is re-sent exactly as sealed, by any process
            } catch (Exception e) {
                audit.problem("message " + o.id().shortForm() + " waits in the outbox: " + e.getMessage());
                waiting.add(o.channel());
                continue;
            }
            connection.send(frame.get());
            it.remove();
            reported.remove(o.id());
            lastSent.put(o.id(), now);
            if (++sent >= budget) {
                moreQueued = !held.isEmpty();
                return;
            }
        }
    }

    /**
     * {@code o}'s SEND frame as it may go out now: as stored if every box is sealed to the prekey
     * {@link PeerPrekeys#peer} names (or one at least as new); otherwise re-sealed to those prekeys
     * and stored first. Empty, with a problem (once), when a recipient has no usable prekey: the
     * message stays held and a fetch is asked for when the last answer is stale.
     */
    private Optional<Frame.Send> sealedForSending(OutboxStore.Outgoing o) {
        Frame.Send sent;
        List<VerifiedPrekey> keys = new ArrayList<>();
        boolean reseal = false;
        try {
            sent = (Frame.Send) FrameCodec.decode(o.sendFrame());
            for (String r : o.recipients()) {
                VerifiedPrekey k = prekeys.peer(r);
                keys.add(k);
                int boxPrekey = sent.boxes().stream().filter(b -> b.recipient().equals(r)).findFirst()
                        .orElseThrow().prekeyId();
                reseal |= prekeys.newer(r, boxPrekey, k);
            }
        } catch (Exception e) {
            if (reported.add(o.id())) {
                audit.problem("message " + o.id().shortForm() + " waits in the outbox: " + e.getMessage());
            }
            try {
                prekeys.fetchIfStale(connection, o.recipients());
            } catch (Exception again) {
                audit.problem("cannot ask the relay for prekeys: " + again.getMessage());
            }
            return Optional.empty();
        }
        if (!reseal) {
            return Optional.of(sent);
        }
        try {
            Frame.Send again = MessageSealer.seal(o.message(), keys, random);
            if (!store.resealed(o.id(), FrameCodec.encode(again))) {
                // No longer QUEUED: an ACCEPTED for it arrived meanwhile. Its stored frame is the
                // provisional one, perhaps sealed to an initial prekey: it must not go out.
                store.released(o.id());
                settled.add(o.id());
                return Optional.empty();
            }
            return Optional.of(again);
        } catch (Exception e) {
            if (reported.add(o.id())) {
                audit.problem("message " + o.id().shortForm() + " waits in the outbox: cannot re-seal it to the newer "
                        + "prekeys: " + e.getMessage());
            }
            return Optional.empty();
        }
    }

    /**
     * At start: the messages a previous process composed and held (they never went to the relay),
     * so they are checked against the newest prekeys before they go, as this process's own are.
     */
    void load() throws StoreException {
        held.clear();
        for (OutboxStore.Outgoing o : store.held()) {
            held.put(o.id(), o);
        }
    }

    /** Whether any message composed by this process has not gone out yet. */
    boolean holdsAny() {
        return !held.isEmpty();
    }

    /** Whether {@code id} was composed by this process and has not gone out yet (tests). */
    boolean isHeld(MessageId id) {
        return held.containsKey(id);
    }

    /** A verified receipt for {@code id} arrived: it is no longer waiting for the relay. */
    void receiptArrived(MessageId id) {
        lastSent.remove(id);
    }

    /**
     * A long queue after an outage drains as a sliding window, not one batch per tick: called
     * after a receipt's state is stored, so the message just accepted is no longer among the queued.
     */
    void refillIfRoom() {
        if (moreQueued && lastSent.size() <= RESEND_BATCH / 2 && clock.instant().isAfter(refillPausedUntil)) {
            retryQueued();
        }
    }

    /** Messages sent so far (machine traffic excluded), in send order. */
    List<SentMessage> sentMessages() throws Exception {
        return store.allOutgoing().stream().filter(o -> !MessageRenderer.isMachineTraffic(o.message().content()))
                .map(MessageRenderer::sent).toList();
    }
}
