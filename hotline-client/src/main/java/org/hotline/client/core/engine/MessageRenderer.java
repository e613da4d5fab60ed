package org.hotline.client.core.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hotline.client.core.ReceivedMessage;
import org.hotline.client.core.SentMessage;
import org.hotline.client.core.store.OutboxStore;
import org.hotline.protocol.audit.DisplayText;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.signals.SignalCatalog;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.SignedMessage;

/** What the person sees of a message: the exact words, and the rows the views show. */
final class MessageRenderer {

    private final SignalCatalog catalog;
    private final Exercise exercise;
    private final PeerTrust trust;

    MessageRenderer(SignalCatalog catalog, Exercise exercise, PeerTrust trust) {
        this.catalog = catalog;
        this.exercise = exercise;
        this.trust = trust;
    }

    /** Link tests and log and relay checkpoints are traffic between machines: never shown, never listed. */
    static boolean isMachineTraffic(Content c) {
        return c instanceof Content.LinkTest || c instanceof Content.LinkTestReply || c instanceof Content.LogCheckpoint
                || c instanceof Content.RelayCheckpoints || c instanceof Content.Reading;
    }

    /** The exact words shown for a message: the catalog's canonical wording for a signal (one function for all). */
    String render(Content c, MessageHeader h) {
        return DisplayText.render(c, catalog, exercise.parties());
    }

    ReceivedMessage received(SignedMessage m, Instant receivedAt, boolean late, List<Long> missing,
                             List<String> warnings, boolean acknowledged) {
        MessageHeader h = m.header();
        Optional<String> signalId = Optional.empty();
        Optional<String> category = Optional.empty();
        Map<String, String> params = Map.of();
        if (m.content() instanceof Content.Signal s) {
            signalId = Optional.of(s.signalId());
            category = catalog.find(s.signalId()).map(x -> x.category());
            params = s.params();
        }
        return new ReceivedMessage(h.messageId(), h.sender(), h.recipients(), h.channel(), h.counter(), h.sentAt(),
                receivedAt, signalId, category, params, render(m.content(), h), true, late, missing, warnings,
                h.inReplyTo(), h.answerBy(), trust.fingerprint(h.sender()), acknowledged);
    }

    static SentMessage sent(OutboxStore.Outgoing o) {
        Map<String, String> params = o.message().content() instanceof Content.Signal s ? s.params() : Map.of();
        return new SentMessage(o.id(), o.channel(), o.recipients(), o.counter(), o.createdAt(), o.signalId(), o.text(),
                o.state(), o.acceptedAt(), o.deliveredAt(), o.acknowledgedAt(), params);
    }
}
