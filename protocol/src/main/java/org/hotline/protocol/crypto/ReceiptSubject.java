package org.hotline.protocol.crypto;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.FrameCodec;
import org.hotline.protocol.wire.FrameDecodeException;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.SealedBox;
import org.hotline.protocol.wire.SignedMessage;

/**
 * What a sender knows about a message it sent, against which every receipt for it is checked
 * (PROTOCOL.md §6): the signed header's exercise, id, sender, channel and recipients, the message
 * hash, the hash of the {@code SEND} payload it handed to the relay, per recipient the box sealed
 * to it, and per relay that accepted it the {@code acceptedAt} of that relay's {@code accepted}
 * receipt: a recipient's {@code rejected} receipt commits to one relay's copy of its box
 * ({@link Hashes#copyHash}), so it matches only a box as sealed, delivered with the time that relay
 * signed (PROTOCOL.md §6, §13).
 */
public record ReceiptSubject(ExerciseId exerciseId, MessageId messageId, String sender, String channel,
                             List<String> recipients, Hash32 messageHash, Hash32 sendHash,
                             Map<String, SealedBox> boxes, Map<String, Instant> acceptances) {

    public ReceiptSubject {
        Objects.requireNonNull(exerciseId, "exerciseId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(channel, "channel");
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(messageHash, "messageHash");
        Objects.requireNonNull(sendHash, "sendHash");
        boxes = Map.copyOf(boxes);
        acceptances = Map.copyOf(acceptances);
    }

    /** This subject with the {@code acceptedAt} of each relay's verified {@code accepted} receipt. */
    public ReceiptSubject withAcceptances(Map<String, Instant> byRelay) {
        return new ReceiptSubject(exerciseId, messageId, sender, channel, recipients, messageHash, sendHash, boxes,
                byRelay);
    }

    /**
     * The relay whose copy a {@code rejected} receipt's subject names: the one whose
     * {@code acceptedAt}, with the box sealed to the asserter, gives that copy hash.
     */
    public Optional<String> copyOf(String asserter, Hash32 subject) {
        return copiesOf(asserter, subject).stream().findFirst();
    }

    /**
     * Every relay whose copy a {@code rejected} receipt's subject names, in name order: two relays
     * that signed the same {@code acceptedAt} (the same millisecond) delivered byte-identical copies
     * with one copy hash, so one rejection rejects both (review N4).
     */
    public List<String> copiesOf(String asserter, Hash32 subject) {
        SealedBox box = boxes.get(asserter);
        if (box == null) {
            return List.of();
        }
        return acceptances.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .filter(e -> Hashes.copyHash(box, e.getValue()).equals(subject)).map(Map.Entry::getKey).toList();
    }

    /**
     * @param message     the signed message as sent
     * @param sendPayload the exact {@code SEND} payload (version byte to last box) sent, and re-sent, for
     *                    it; its boxes give {@link #boxes()} (none if it does not decode); no
     *                    acceptance yet ({@link #withAcceptances})
     */
    public static ReceiptSubject of(SignedMessage message, byte[] sendPayload) {
        var h = message.header();
        Map<String, SealedBox> boxes = new HashMap<>();
        try {
            if (FrameCodec.decode(sendPayload) instanceof Frame.Send send) {
                send.boxes().forEach(b -> boxes.put(b.recipient(), b));
            }
        } catch (FrameDecodeException e) {
            // Bytes that are not a SEND name no box: no rejected receipt can match them (fails closed).
            boxes.clear();
        }
        return new ReceiptSubject(h.exerciseId(), h.messageId(), h.sender(), h.channel(), h.recipients(),
                Hashes.messageHash(message), Hashes.sendHash(sendPayload), boxes, Map.of());
    }
}
