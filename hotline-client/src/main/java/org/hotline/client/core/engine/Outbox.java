package org.hotline.client.core.engine;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
 * <p>A message composed while the line is down is sealed to the prekeys at hand (the last bundle
 * seen, or the initial prekey). When the line comes up it waits for the fresh bundles (or the
 * bounded wait) and is re-sealed to the newest prekeys before it first goes out: same signed
 * message, new boxes, stored before sending (PROTOCOL.md §5.2). Only messages composed by this
 * process and never handed to the connection are re-sealed: one queued by an earlier process may
 * already have reached the relay, which refuses the same id with other bytes (DUPLICATE_CONFLICT).
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
    private final PrekeyKeeper prekeys;
    private final MessageRenderer renderer;
    private final ClientAudit audit;
    private final Listeners listeners;
    private final Function<String, Hash32> lastReceivedOn;
    private final BooleanSupplier connected;
    private final EngineTimer timer;
    private final Clock clock;
    private final SecureRandom random;

    /** Composed by this process while the line was down and not yet handed to the connection. */
    private final Set<MessageId> neverSent = new HashSet<>();
    /** The prekey bundles asked for at this connection's WELCOME have arrived (or the wait ran out). */
    private boolean prekeysFresh;
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
           PrekeyKeeper prekeys, MessageRenderer renderer, ClientAudit audit, Listeners listeners,
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
        List<String> recipients = channel.members().stream().filter(m -> !m.equals(role)).sorted().toList();
        OutboxStore.Chain chain = store.chain(channel.id());
        MessageHeader header = new MessageHeader(credential.exerciseId(), MessageId.random(random), role, recipients,
                channel.id(),
                chain.nextCounter(), clock.instant(), chain.lastSentHash(), lastReceivedOn.apply(channel.id()),
                catalogVersion, inReplyTo, answerBy);
        SignedMessage signed = MessageSigner.sign(credential.identity(), header, content);
        List<VerifiedPrekey> keys = new ArrayList<>();
        for (String r : recipients) {
            keys.add(prekeys.peer(r));
        }
        Frame.Send frame = MessageSealer.seal(signed, keys, random);
        String text = renderer.render(content, signed.header());
        Optional<String> signalId = content instanceof Content.Signal s ? Optional.of(s.signalId()) : Optional.empty();
        OutboxStore.Outgoing row = new OutboxStore.Outgoing(header.messageId(), channel.id(), recipients,
                header.counter(), FrameCodec.encode(frame), signed, signalId, text, clock.instant(),
                DeliveryState.QUEUED, Optional.empty(), Optional.empty(), Optional.empty());
        store.addOutgoing(row, Hashes.messageHash(signed));
        audit.messageSent(signed, text);
        if (connected.getAsBoolean() && prekeysFresh && neverSent.isEmpty()) {
            // Only after WELCOME: a frame before HELLO would make the relay close the connection.
            // And never ahead of an earlier message still held for fresh prekeys: the relay stores,
            // and the peer receives, in the order frames arrive.
            connection.send(frame);
            lastSent.put(header.messageId(), clock.instant());
        } else {
            neverSent.add(header.messageId());
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
        try {
            Instant now = clock.instant();
            int sent = 0;
            moreQueued = false;
            for (OutboxStore.Outgoing o : store.queued()) {
                Instant last = lastSent.get(o.id());
                if (last != null && Duration.between(last, now).compareTo(RESEND_AFTER) < 0) {
                    continue;
                }
                Frame frame = FrameCodec.decode(o.sendFrame());
                if (neverSent.contains(o.id())) {
                    if (!prekeysFresh) {
                        break; // held until the bundles are in; nothing later may overtake it
                    }
                    frame = resealedIfNewer(o, (Frame.Send) frame);
                }
                connection.send(frame);
                neverSent.remove(o.id());
                lastSent.put(o.id(), now);
                if (++sent >= RESEND_BATCH) {
                    moreQueued = true;
                    break;
                }
            }
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

    /** The connection is gone: everything queued goes again on the next one. */
    void connectionLost() {
        lastSent.clear();
        prekeysFresh = false;
    }

    /** The bundles asked for at WELCOME are in (or the wait ran out): what waited for them goes now. */
    void prekeysFetched() {
        if (!prekeysFresh && connected.getAsBoolean()) {
            prekeysFresh = true;
            retryQueued();
        }
    }

    /**
     * {@code sent} re-sealed to the newest verified prekeys if any recipient has a newer one than
     * its box was sealed to, stored before it is returned; otherwise {@code sent} unchanged. On a
     * failure the message goes out as first sealed (its boxes are still valid) and a problem says so.
     */
    private Frame resealedIfNewer(OutboxStore.Outgoing o, Frame.Send sent) {
        try {
            List<VerifiedPrekey> keys = new ArrayList<>();
            boolean newer = false;
            for (String r : o.recipients()) {
                VerifiedPrekey k = prekeys.peer(r);
                keys.add(k);
                newer |= sent.boxes().stream().noneMatch(b -> b.recipient().equals(r) && b.prekeyId() == k.id());
            }
            if (!newer) {
                return sent;
            }
            Frame.Send again = MessageSealer.seal(o.message(), keys, random);
            return store.resealed(o.id(), FrameCodec.encode(again)) ? again : sent;
        } catch (Exception e) {
            audit.problem("message " + o.id().shortForm() + " goes out sealed to the prekeys it was composed with: "
                    + e.getMessage());
            return sent;
        }
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
