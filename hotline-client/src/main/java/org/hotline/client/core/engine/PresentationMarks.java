package org.hotline.client.core.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.hotline.client.core.InboxItem;
import org.hotline.client.core.store.InboxStore;
import org.hotline.client.core.store.StoreException;
import org.hotline.protocol.wire.MessageId;

/**
 * Where each consumer that presents arrivals as the listeners are handed them ({@code hotline
 * listen} prints them) got to in the inbox, kept durably, so that what a kill kept it from
 * presenting is presented at its next start instead of lost. The inbox stores a batch of deliveries
 * in one commit, confirms them to the relay and only then hands them over; the relay never delivers
 * them again, so without a mark a kill between the commit and the printing loses them from the
 * consumer's view (they stay in the inbox, which the console shows).
 *
 * <p>At least once, never lost: the mark moves after the batch was handed over (the consumer's
 * callbacks print synchronously), in a write of its own, so a kill in between presents that batch
 * again, at most {@link Inbox#MAX_BATCH} items. Writing the mark per item would bound that to one
 * at the price of a sync per message, which the inbox's group commit exists to avoid. Engine thread
 * only.
 */
final class PresentationMarks {

    private final InboxStore store;
    /** The stored arrival of an id as the listeners were handed it, empty for machine traffic. */
    private final Function<MessageId, Optional<InboxItem>> items;
    private final ClientAudit audit;
    /** The consumers resumed in this process, whose marks follow every handover. */
    private final Set<String> following = new LinkedHashSet<>();

    PresentationMarks(InboxStore store, Function<MessageId, Optional<InboxItem>> items, ClientAudit audit) {
        this.store = store;
        this.items = items;
        this.audit = audit;
    }

    /**
     * What the inbox holds after {@code consumer}'s mark, in arrival order, machine traffic left
     * out; from now on the consumer's mark follows every handover ({@link #handedOver}).
     */
    List<InboxItem> resume(String consumer) throws StoreException {
        List<InboxItem> out = new ArrayList<>();
        for (MessageId id : store.unpresented(consumer)) {
            items.apply(id).ifPresent(out::add);
        }
        following.add(consumer);
        return out;
    }

    /** Moves {@code consumer}'s mark to {@code through} (never back), durably. */
    void mark(String consumer, MessageId through) throws StoreException {
        store.markPresented(consumer, through);
    }

    /**
     * A batch of new arrivals, the last of them {@code last}, was handed to the listeners: each
     * resumed consumer presented it, so its mark moves past it. A failed write is reported, not
     * thrown: the batch is then presented again at the next start, which is the safe side.
     */
    void handedOver(MessageId last) {
        for (String consumer : following) {
            try {
                store.markPresented(consumer, last);
            } catch (StoreException e) {
                audit.problem("could not record what " + consumer + " has shown (shown again at its next start): "
                        + e.getMessage());
            }
        }
    }
}
