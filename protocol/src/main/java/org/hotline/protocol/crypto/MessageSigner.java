package org.hotline.protocol.crypto;

import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.ProtocolVersion;
import org.hotline.protocol.wire.SignedMessage;
import org.hotline.protocol.wire.WireWriter;

/**
 * Signs and verifies end-to-end messages.
 *
 * <p>Security guarantees: a message that passes {@link #verify} was signed by the holder of the
 * identity key, over exactly these header and body bytes, for the purpose "message" of protocol
 * version 2 (context {@code hotline/v2 message}), and names the exercise it was checked for; no
 * byte of header, body or signature can change undetected. The signature input is
 * {@code context || 0x00 || u32(len header) || header || u32(len body) || body}.
 */
public final class MessageSigner {

    private MessageSigner() {
    }

    /** Signs a header of the current version; the header names its exercise. */
    public static SignedMessage sign(IdentityKeyPair identity, MessageHeader header, Content content) {
        byte[] headerBytes = header.encode();
        byte[] bodyBytes = Content.encode(content);
        byte[] signature = identity.sign(SignatureContext.MESSAGE, lengthPrefixed(headerBytes, bodyBytes));
        return SignedMessage.of(header, content, headerBytes, bodyBytes, signature);
    }

    /**
     * Verifies a message received from a peer: the signature, then the exercise (PROTOCOL.md §4.4, §5.1).
     *
     * @throws CryptoException {@code BAD_SIGNATURE} if the signature does not verify under {@code sender};
     *                         {@code WRONG_EXERCISE} if the header names another exercise than {@code exercise}
     */
    public static void verify(SignedMessage message, IdentityPublicKey sender, ExerciseId exercise)
            throws CryptoException {
        if (message.version() != ProtocolVersion.CURRENT) {
            throw new CryptoException(CryptoException.Reason.MALFORMED, "message "
                    + message.header().messageId().shortForm() + " is of version " + message.version()
                    + ", which is only read from old records");
        }
        verifySignature(message, sender, SignatureContext.MESSAGE);
        ExerciseId named = message.header().exerciseId();
        if (!named.equals(exercise)) {
            throw new CryptoException(CryptoException.Reason.WRONG_EXERCISE, "message "
                    + message.header().messageId().shortForm() + " from " + message.header().sender()
                    + " belongs to exercise " + named.shortForm() + ", not to this exercise " + exercise.shortForm());
        }
    }

    /**
     * Verifies a message read from a record (an audit log, PROTOCOL.md §8.1): one of the current
     * version as {@link #verify}; one of version 1, which names no exercise, under the version-1
     * context {@code hotline/v1 message} only.
     */
    public static void verifyRecorded(SignedMessage message, IdentityPublicKey sender, ExerciseId exercise)
            throws CryptoException {
        if (message.version() == ProtocolVersion.LEGACY_V1) {
            verifySignature(message, sender, SignatureContext.LEGACY_V1_MESSAGE);
        } else {
            verify(message, sender, exercise);
        }
    }

    private static void verifySignature(SignedMessage message, IdentityPublicKey sender, SignatureContext context)
            throws CryptoException {
        byte[] input = lengthPrefixed(message.headerBytes(), message.bodyBytes());
        if (!sender.verify(context, message.signature(), input)) {
            throw new CryptoException(CryptoException.Reason.BAD_SIGNATURE,
                    "bad signature on message " + message.header().messageId().shortForm()
                            + " claimed from " + message.header().sender());
        }
    }

    private static byte[] lengthPrefixed(byte[] header, byte[] body) {
        return new WireWriter(header.length + body.length + 8).bytes32(header).bytes32(body).toByteArray();
    }
}
