package org.hotline.server.store;

import java.time.Instant;
import java.util.List;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SealedBox;

/**
 * One accepted message as the relay stores it: routing metadata, one sealed box per recipient,
 * the hash of the SEND frame (to recognise an identical re-send) and the relay's signed receipt.
 */
public record Envelope(MessageId messageId, String sender, String channel, Instant acceptedAt, List<SealedBox> boxes,
                       byte[] sendHash, Receipt acceptedReceipt) {
    public Envelope {
        boxes = List.copyOf(boxes);
        sendHash = sendHash.clone();
    }

    @Override
    public byte[] sendHash() {
        return sendHash.clone();
    }
}
