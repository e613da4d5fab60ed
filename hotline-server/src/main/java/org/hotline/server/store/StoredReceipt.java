package org.hotline.server.store;

import org.hotline.protocol.wire.Receipt;

/** A receipt waiting for its addressee (the message's sender), in arrival order. */
public record StoredReceipt(long seq, String addressee, Receipt receipt) {
}
