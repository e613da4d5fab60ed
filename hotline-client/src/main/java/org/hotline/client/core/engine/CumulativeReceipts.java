package org.hotline.client.core.engine;

import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import org.hotline.client.core.net.Connection;
import org.hotline.client.core.store.StoreException;
import org.hotline.protocol.crypto.CumulativeReceiptSigner;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.sequence.ChannelSequence;
import org.hotline.protocol.wire.CumulativeReceipt;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.WireLimits;

/**
 * The recipient's side of cumulative receipts (PROTOCOL.md §6.1): per sender and channel, one
 * signed {@code delivered-through} receipt per batch of stored deliveries instead of one
 * {@code delivered} receipt per message.
 *
 * <p>A batch is whatever the engine thread processes before the flush it schedules runs: the
 * flush is queued behind the frames already waiting, with no timer, so on a quiet line each
 * message is confirmed as soon as it is stored, and under load one signature covers every
 * delivery that arrived meanwhile. A message is declared received only through the highest
 * counter N such that every message 1 to N from that sender on that channel is stored here and
 * links to the one before; a message stored above a gap is confirmed at once with its own
 * {@code delivered} receipt (so the relay stops delivering it) and covered again once the gap
 * closes. Engine thread only.
 */
final class CumulativeReceipts {

    /** The inbox's view of what is stored, per sender and channel. */
    interface StoredSequences {
        /**
         * The sequence of messages stored from {@code sender} on {@code channel} (reloaded from the
         * store first if a failed write left it stale).
         */
        ChannelSequence of(String sender, String channel) throws StoreException;
    }

    private record Pair(String sender, String channel) {
    }

    private final String role;
    private final RoleCredential credential;
    private final Connection connection;
    private final Clock clock;
    private final Executor engine;
    private final StoredSequences sequences;
    private final ClientAudit audit;

    /** Per pair: the highest counter a sent cumulative receipt covers (every message 1 to it). */
    private final Map<Pair, Long> covered = new HashMap<>();
    /** Per pair: the highest counter known stored and linked from 1 (at least {@link #covered}). */
    private final Map<Pair, Long> frontier = new HashMap<>();
    private final Set<Pair> dirty = new LinkedHashSet<>();
    private boolean flushQueued;

    CumulativeReceipts(String role, RoleCredential credential, Connection connection, Clock clock, Executor engine,
                       StoredSequences sequences, ClientAudit audit) {
        this.role = role;
        this.credential = credential;
        this.connection = connection;
        this.clock = clock;
        this.engine = engine;
        this.sequences = sequences;
        this.audit = audit;
    }

    /**
     * At open, for each pair the store holds: what it holds linked from 1 counts as confirmed.
     * Whatever of it the relay never heard about it delivers again, and a redelivery of a stored
     * message is answered with a {@code delivered} receipt of its own.
     */
    void loaded(String sender, String channel, ChannelSequence sequence) {
        Pair p = new Pair(sender, channel);
        long through = sequence.linkedThrough();
        covered.put(p, through);
        frontier.put(p, through);
    }

    /**
     * A new message is durably stored. True if a cumulative receipt will cover it (queued for the
     * end of the current batch); false if it lies above a gap or a broken link, so the caller
     * confirms it with its own {@code delivered} receipt now.
     */
    boolean stored(MessageHeader h, ChannelSequence sequence) {
        Pair p = new Pair(h.sender(), h.channel());
        long front = frontier.getOrDefault(p, 0L);
        List<ChannelSequence.Held> run = sequence.linkedRun(front, Integer.MAX_VALUE);
        if (!run.isEmpty()) {
            front = run.get(run.size() - 1).counter();
            frontier.put(p, front);
        }
        if (h.counter() > front) {
            return false;
        }
        dirty.add(p);
        if (!flushQueued) {
            flushQueued = true;
            // Behind every frame already queued for the engine thread: that is the batch.
            engine.execute(this::flush);
        }
        return true;
    }

    /** Signs and sends one receipt per pair (one per {@code MAX_CUMULATIVE_IDS} counters) for what is new. */
    void flush() {
        flushQueued = false;
        List<Pair> pairs = List.copyOf(dirty);
        dirty.clear();
        for (Pair p : pairs) {
            try {
                ChannelSequence sequence = sequences.of(p.sender(), p.channel());
                long from = covered.getOrDefault(p, 0L);
                long front = frontier.getOrDefault(p, 0L);
                while (from < front) {
                    List<ChannelSequence.Held> run = sequence.linkedRun(from,
                            (int) Math.min(WireLimits.MAX_CUMULATIVE_IDS, front - from));
                    if (run.isEmpty()) {
                        break;
                    }
                    CumulativeReceipt r = CumulativeReceiptSigner.sign(credential.identity(), credential.exerciseId(),
                            role, p.sender(), p.channel(), run, clock.instant());
                    if (!connection.send(new Frame.DeliveredThrough(r))) {
                        // No line: the relay delivers these again, and the next receipt covers them.
                        break;
                    }
                    from = r.throughCounter();
                    covered.put(p, from);
                }
            } catch (StoreException e) {
                audit.problem("cannot confirm messages from " + p.sender() + " on " + p.channel() + ": "
                        + e.getMessage() + "; the relay delivers them again");
            }
        }
    }
}
