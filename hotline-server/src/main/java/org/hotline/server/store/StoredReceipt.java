package org.hotline.server.store;

import java.util.Objects;
import org.hotline.protocol.wire.CumulativeReceipt;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.Receipt;

/**
 * A receipt waiting for its addressee (the message's sender), in arrival order, as the frame that
 * forwards it: a per-message receipt in {@code RECEIPT}, a cumulative one in
 * {@code DELIVERED_THROUGH} (PROTOCOL.md §6.1).
 */
public record StoredReceipt(long seq, String addressee, Frame forward) {

    public StoredReceipt {
        Objects.requireNonNull(addressee, "addressee");
        if (!(forward instanceof Frame.ReceiptNotice) && !(forward instanceof Frame.DeliveredThrough)) {
            throw new IllegalArgumentException("a stored receipt is forwarded in RECEIPT or DELIVERED_THROUGH, not "
                    + forward);
        }
    }

    public StoredReceipt(long seq, String addressee, Receipt receipt) {
        this(seq, addressee, new Frame.ReceiptNotice(receipt));
    }

    public StoredReceipt(long seq, String addressee, CumulativeReceipt receipt) {
        this(seq, addressee, new Frame.DeliveredThrough(receipt));
    }

    /** True for a cumulative {@code delivered-through} receipt, which {@link #receipt()} does not return. */
    public boolean isCumulative() {
        return forward instanceof Frame.DeliveredThrough;
    }

    /**
     * The per-message receipt.
     *
     * @throws IllegalStateException for a cumulative one ({@link #isCumulative()})
     */
    public Receipt receipt() {
        if (forward instanceof Frame.ReceiptNotice n) {
            return n.receipt();
        }
        throw new IllegalStateException("a cumulative receipt is not a per-message receipt");
    }
}
