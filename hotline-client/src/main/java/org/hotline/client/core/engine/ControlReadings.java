package org.hotline.client.core.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hotline.client.core.MessageReading;
import org.hotline.protocol.crypto.CryptoException;
import org.hotline.protocol.crypto.IdentityPublicKey;
import org.hotline.protocol.crypto.ReadingSigner;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;

/**
 * Exercise control's side of readings (PROTOCOL.md §4.2, Reading): a reading is accepted only by
 * control, only addressed to control alone, only from its own reader and only with the reader's
 * valid signature; accepted ones are kept and reported. Engine thread only.
 */
final class ControlReadings {

    private final String role;
    private final Exercise exercise;
    private final Listeners listeners;
    /** By the id of the message that carried each, in arrival order. */
    private final Map<MessageId, MessageReading> received = new LinkedHashMap<>();

    ControlReadings(String role, Exercise exercise, Listeners listeners) {
        this.role = role;
        this.exercise = exercise;
        this.listeners = listeners;
    }

    /**
     * @throws Rejections.Refused this client is not control, the message is addressed to anyone but
     *     control, the reading is not the sender's own, or its signature does not verify: it can
     *     never be accepted, so it is answered with a signed rejection (PROTOCOL.md §6)
     */
    void requireValid(MessageHeader h, Content.Reading r, IdentityPublicKey senderKey, ExerciseId exerciseId)
            throws Rejections.Refused {
        if (!exercise.isControl(role) || !h.recipients().equals(List.of(role))) {
            throw new Rejections.Refused(Receipt.RejectReason.MISADDRESSED, "reading sent by " + h.sender() + " to "
                    + h.recipients() + ": readings go to exercise control alone");
        }
        if (!r.fields().reader().equals(h.sender())) {
            throw new Rejections.Refused(Receipt.RejectReason.MALFORMED, r.fields().reader() + "'s reading sent by "
                    + h.sender());
        }
        try {
            ReadingSigner.verify(r, senderKey, exerciseId);
        } catch (CryptoException e) {
            throw new Rejections.Refused(e.reason() == CryptoException.Reason.WRONG_EXERCISE
                    ? Receipt.RejectReason.WRONG_EXERCISE : Receipt.RejectReason.MALFORMED, e.getMessage());
        }
    }

    /**
     * Keeps a verified, stored reading that message {@code carrier} brought; {@code announce} fires
     * the listeners (not when loading).
     */
    void accept(MessageId carrier, Content.Reading r, boolean announce) {
        var f = r.fields();
        MessageReading mr = new MessageReading(f.messageId(), f.reader(), f.sender(), f.channel(), f.readAs(), f.note(),
                f.receivedAt(), f.readAt(), Optional.empty());
        received.put(carrier, mr);
        if (announce) {
            listeners.fire(l -> l.readingReceived(mr));
        }
    }

    List<MessageReading> received() {
        return List.copyOf(received.values());
    }

    /** The reading message {@code carrier} brought, if it brought one. */
    Optional<MessageReading> carriedBy(MessageId carrier) {
        return Optional.ofNullable(received.get(carrier));
    }
}
