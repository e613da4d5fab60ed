package org.hotline.app.bench;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hotline.protocol.crypto.CumulativeReceiptSigner;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.wire.CumulativeReceipt;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.WireLimits;

/**
 * A load receiver's confirmations, batched as a real client batches them (PROTOCOL.md §6.1): the
 * deliveries of one event-loop round are covered by one signed {@code delivered-through} receipt
 * per sender and channel, sent once the round's frames are read, with no timer. One instance per
 * connection, used only on its event loop.
 *
 * <p>The load's boxes are random bytes, not sealed messages, so there are no counters or message
 * hashes to commit to: the counters are those of the deliveries in arrival order and the chain
 * head is zero. The relay cannot check either (it never sees messages) and no sender here reads
 * them; what the relay does check, the signature and that every listed box was delivered to this
 * role from that sender on that channel, is real.
 */
final class BatchedReceipts {

    private record Pair(String sender, String channel) {
    }

    private final RawClient connection;
    private final RoleCredential receiver;
    private final Clock clock;
    private final Map<Pair, List<MessageId>> pending = new LinkedHashMap<>();
    private final Map<Pair, Long> covered = new LinkedHashMap<>();
    private boolean flushQueued;

    BatchedReceipts(RawClient connection, RoleCredential receiver, Clock clock) {
        this.connection = connection;
        this.receiver = receiver;
        this.clock = clock;
    }

    void delivered(Frame.Deliver d) {
        pending.computeIfAbsent(new Pair(d.sender(), d.channel()), k -> new ArrayList<>()).add(d.messageId());
        if (!flushQueued) {
            flushQueued = true;
            connection.afterCurrentRound(this::flush);
        }
    }

    private void flush() {
        flushQueued = false;
        pending.forEach((p, ids) -> {
            for (int i = 0; i < ids.size(); i += WireLimits.MAX_CUMULATIVE_IDS) {
                List<MessageId> part = ids.subList(i, Math.min(ids.size(), i + WireLimits.MAX_CUMULATIVE_IDS));
                long from = covered.getOrDefault(p, 0L) + 1;
                long through = from + part.size() - 1;
                CumulativeReceipt r = CumulativeReceiptSigner.sign(receiver.identity(),
                        new CumulativeReceipt.Fields(receiver.exerciseId(), receiver.role(), p.sender(), p.channel(),
                                from, through, Hash32.ZERO, clock.instant(), part));
                connection.send(new Frame.DeliveredThrough(r));
                covered.put(p, through);
            }
        });
        pending.clear();
    }
}
