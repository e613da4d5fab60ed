package org.hotline.client.core.engine;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        List<String> recipients = channel.addressees(role);
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
        if (connected.getAsBoolean()) {
            // Only after WELCOME: a frame before HELLO would make the relay close the connection.
            connection.send(frame);
            lastSent.put(header.messageId(), clock.instant());
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
                connection.send(FrameCodec.decode(o.sendFrame()));
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
