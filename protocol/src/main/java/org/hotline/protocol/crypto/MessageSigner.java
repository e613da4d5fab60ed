package org.hotline.protocol.crypto;

import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.SignedMessage;
import org.hotline.protocol.wire.WireWriter;

/**
 * Signs and verifies end-to-end messages.
 *
 * <p>Security guarantees: a message that passes {@link #verify} was signed by the holder of the
 * identity key, over exactly these header and body bytes, for the purpose "message"
 * (context {@code hotline/v1 message}); no byte of header, body or signature can change undetected.
 * The signature input is {@code context || 0x00 || u32(len header) || header || u32(len body) || body}.
 */
public final class MessageSigner {

    private MessageSigner() {
    }

    public static SignedMessage sign(IdentityKeyPair identity, MessageHeader header, Content content) {
        byte[] headerBytes = header.encode();
        byte[] bodyBytes = Content.encode(content);
        byte[] signature = identity.sign(SignatureContext.MESSAGE, lengthPrefixed(headerBytes, bodyBytes));
        return SignedMessage.of(header, content, headerBytes, bodyBytes, signature);
    }

    /** @throws CryptoException {@code BAD_SIGNATURE} if the signature does not verify under {@code sender} */
    public static void verify(SignedMessage message, IdentityPublicKey sender) throws CryptoException {
        byte[] input = lengthPrefixed(message.headerBytes(), message.bodyBytes());
        if (!sender.verify(SignatureContext.MESSAGE, message.signature(), input)) {
            throw new CryptoException(CryptoException.Reason.BAD_SIGNATURE,
                    "bad signature on message " + message.header().messageId().shortForm()
                            + " claimed from " + message.header().sender());
        }
    }

    private static byte[] lengthPrefixed(byte[] header, byte[] body) {
        return new WireWriter(header.length + body.length + 8).bytes32(header).bytes32(body).toByteArray();
    }
}
