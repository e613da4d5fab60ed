package org.hotline.protocol.crypto;

import java.time.Instant;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.ReadAs;
import org.hotline.protocol.wire.ReadingFields;
import org.hotline.protocol.wire.SignedMessage;

/**
 * Signs and verifies readings (context {@code hotline/v2 reading}, PROTOCOL.md §4.2).
 *
 * <p>Security guarantees: a reading that passes {@link #verify} was made by the holder of the
 * reader's identity key, in this exercise, about exactly one signed message (its id, sender,
 * channel and message hash): it cannot be moved to another message, another copy of the same id
 * (equivocation) or another exercise. It does NOT show that the reader received the message at
 * {@code receivedAt}: that is the reader's own word, as is the reading itself.
 */
public final class ReadingSigner {

    private ReadingSigner() {
    }

    /** The reader's signed reading of {@code message}, which its client stored at {@code receivedAt}. */
    public static Content.Reading sign(IdentityKeyPair readerKey, String reader, SignedMessage message,
                                       Instant receivedAt, Instant readAt, ReadAs readAs, String note) {
        var h = message.header();
        return sign(readerKey, new ReadingFields(h.exerciseId(), reader, h.messageId(), h.sender(), h.channel(),
                Hashes.messageHash(message), receivedAt, readAt, readAs, note));
    }

    /** Signs the given fields as they are; the method above derives them, tests build odd ones. */
    public static Content.Reading sign(IdentityKeyPair readerKey, ReadingFields fields) {
        return new Content.Reading(fields, readerKey.sign(SignatureContext.READING, fields.toBeSigned()));
    }

    /**
     * Checks the signature under the reader's key, then the exercise.
     *
     * @throws CryptoException {@code BAD_SIGNATURE} or {@code WRONG_EXERCISE}
     */
    public static void verify(Content.Reading reading, IdentityPublicKey readerKey, ExerciseId exercise)
            throws CryptoException {
        ReadingFields f = reading.fields();
        if (!readerKey.verify(SignatureContext.READING, reading.signature(), f.toBeSigned())) {
            throw new CryptoException(CryptoException.Reason.BAD_SIGNATURE, "bad signature on " + f.reader()
                    + "'s reading of message " + f.messageId().shortForm());
        }
        if (!f.exerciseId().equals(exercise)) {
            throw new CryptoException(CryptoException.Reason.WRONG_EXERCISE, f.reader() + "'s reading of message "
                    + f.messageId().shortForm() + " belongs to exercise " + f.exerciseId().shortForm()
                    + ", not to this exercise " + exercise.shortForm());
        }
    }
}
