package org.hotline.protocol.crypto;

import java.util.List;
import java.util.Objects;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.SignedMessage;

/**
 * What a sender knows about a message it sent, against which every receipt for it is checked
 * (PROTOCOL.md §6): the signed header's exercise, id, sender, channel and recipients, the message
 * hash, and the hash of the {@code SEND} payload it handed to the relay.
 */
public record ReceiptSubject(ExerciseId exerciseId, MessageId messageId, String sender, String channel,
                             List<String> recipients, Hash32 messageHash, Hash32 sendHash) {

    public ReceiptSubject {
        Objects.requireNonNull(exerciseId, "exerciseId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(channel, "channel");
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(messageHash, "messageHash");
        Objects.requireNonNull(sendHash, "sendHash");
    }

    /**
     * @param message     the signed message as sent
     * @param sendPayload the exact {@code SEND} payload (version byte to last box) sent, and re-sent, for it
     */
    public static ReceiptSubject of(SignedMessage message, byte[] sendPayload) {
        var h = message.header();
        return new ReceiptSubject(h.exerciseId(), h.messageId(), h.sender(), h.channel(), h.recipients(),
                Hashes.messageHash(message), Hashes.sendHash(sendPayload));
    }
}
