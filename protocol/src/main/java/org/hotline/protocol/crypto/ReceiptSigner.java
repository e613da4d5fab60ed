package org.hotline.protocol.crypto;

import java.time.Instant;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;

/**
 * Signs and verifies delivery receipts (context {@code hotline/v1 receipt}).
 *
 * <p>Security guarantees: a receipt that passes {@link #verify} was made by the holder of the
 * asserter's identity key for exactly this type, message id, sender and time.
 */
public final class ReceiptSigner {

    private ReceiptSigner() {
    }

    public static Receipt sign(IdentityKeyPair asserterKey, Receipt.Type type, MessageId messageId, String asserter,
                               String sender, Instant at) {
        byte[] tbs = Receipt.toBeSigned(type, messageId, asserter, sender, Instant.ofEpochMilli(at.toEpochMilli()));
        return Receipt.of(type, messageId, asserter, sender, at, asserterKey.sign(SignatureContext.RECEIPT, tbs));
    }

    public static void verify(Receipt receipt, IdentityPublicKey asserterKey) throws CryptoException {
        if (!asserterKey.verify(SignatureContext.RECEIPT, receipt.signature(), receipt.toBeSigned())) {
            throw new CryptoException(CryptoException.Reason.BAD_SIGNATURE,
                    "bad signature on " + receipt.type().name().toLowerCase() + " receipt for message "
                            + receipt.messageId().shortForm() + " from " + receipt.asserter());
        }
    }
}
