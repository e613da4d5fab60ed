package org.hotline.server.store;

import java.time.Instant;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.SealedBox;

/** A stored, not yet delivered box for one recipient, in arrival order ({@code seq}). */
public record StoredEnvelope(long seq, MessageId messageId, String sender, String channel, Instant acceptedAt,
                             SealedBox box) {
}
