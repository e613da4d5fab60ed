package org.hotline.protocol.crypto;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.FrameCodec;
import org.hotline.protocol.wire.FrameDecodeException;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.SignedMessage;

/**
 * What a sender knows about a message it sent, against which every receipt for it is checked
 * (PROTOCOL.md §6): the signed header's exercise, id, sender, channel and recipients, the message
 * hash, the hash of the {@code SEND} payload it handed to the relay, and per recipient the hash of
 * the box sealed to it (what that recipient's {@code rejected} receipt commits to).
 */
public record ReceiptSubject(ExerciseId exerciseId, MessageId messageId, String sender, String channel,
                             List<String> recipients, Hash32 messageHash, Hash32 sendHash,
                             Map<String, Hash32> boxHashes) {

    public ReceiptSubject {
        Objects.requireNonNull(exerciseId, "exerciseId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(channel, "channel");
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(messageHash, "messageHash");
        Objects.requireNonNull(sendHash, "sendHash");
        boxHashes = Map.copyOf(boxHashes);
    }

    /**
     * @param message     the signed message as sent
     * @param sendPayload the exact {@code SEND} payload (version byte to last box) sent, and re-sent, for
     *                    it; its boxes give {@link #boxHashes()} (none if it does not decode)
     */
    public static ReceiptSubject of(SignedMessage message, byte[] sendPayload) {
        var h = message.header();
        Map<String, Hash32> boxes = new HashMap<>();
        try {
            if (FrameCodec.decode(sendPayload) instanceof Frame.Send send) {
                send.boxes().forEach(b -> boxes.put(b.recipient(), Hashes.boxHash(b)));
            }
        } catch (FrameDecodeException e) {
            // Bytes that are not a SEND name no box: no rejected receipt can match them (fails closed).
            boxes.clear();
        }
        return new ReceiptSubject(h.exerciseId(), h.messageId(), h.sender(), h.channel(), h.recipients(),
                Hashes.messageHash(message), Hashes.sendHash(sendPayload), boxes);
    }
}
