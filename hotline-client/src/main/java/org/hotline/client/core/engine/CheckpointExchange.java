package org.hotline.client.core.engine;

import java.io.IOException;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.hotline.protocol.exercise.Channel;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.wire.Content;

/**
 * Sends this console's signed checkpoints of its own audit log to every channel peer (PROTOCOL.md
 * §4.2 LogCheckpoint, §11.4 cross-check): whenever the log writes one on its own cadence, every
 * {@link #TICKS_PER_EXCHANGE} link-test intervals, and at shutdown. Each peer records them, so a
 * log later cut at an earlier checkpoint, or rewritten, fails verification beside the peer's log.
 * Machine traffic: never shown. Engine thread only (the log's listener only hands on to it).
 */
final class CheckpointExchange {

    /** Link-test intervals between forced checkpoints: 10 × 30 s = every 5 minutes by default. */
    static final int TICKS_PER_EXCHANGE = 10;

    private final String role;
    private final Exercise exercise;
    private final Outbox outbox;
    private final ClientAudit audit;
    private final BooleanSupplier connected;
    private long lastSentTreeSize;
    private int ticks;
    private boolean stopped;

    /** What goes out beside each checkpoint sent (the relay checkpoints, {@link RelayCheckpointGossip}). */
    private final Runnable alongside;

    CheckpointExchange(String role, Exercise exercise, Outbox outbox, ClientAudit audit, BooleanSupplier connected,
                       Executor engineThread, Runnable alongside) {
        this.alongside = alongside;
        this.role = role;
        this.connected = connected;
        this.exercise = exercise;
        this.outbox = outbox;
        this.audit = audit;
        // The log calls back while it writes (perhaps inside the outbox's own logging): send afterwards.
        audit.onCheckpoint(() -> {
            try {
                engineThread.execute(this::sendLatest);
            } catch (RejectedExecutionException closing) {
                // The final checkpoint at close: the engine is gone, and atShutdown sent the newest state.
            }
        });
    }

    /** Every link-test interval; every {@link #TICKS_PER_EXCHANGE}th, checkpoints what is new and sends it. */
    void tick() {
        if (!connected.getAsBoolean() || ++ticks < TICKS_PER_EXCHANGE) {
            return;
        }
        ticks = 0;
        checkpointAndSend();
    }

    /**
     * At shutdown, while the line is still up: the newest state of the log goes to every peer. Off
     * the line nothing is sent; the log's final checkpoint goes out after the next start.
     */
    void atShutdown() {
        if (connected.getAsBoolean()) {
            checkpointAndSend();
        }
        stopped = true;
    }

    private void checkpointAndSend() {
        Optional<Content.LogCheckpoint> last = audit.lastCheckpoint();
        // The checkpoint line itself is entry treeSize + 1: anything after it is not yet covered.
        boolean uncovered = last.map(c -> audit.size() > c.treeSize() + 1).orElse(true);
        if (uncovered) {
            try {
                audit.checkpoint();
            } catch (IOException e) {
                audit.problem("audit log checkpoint could not be written: " + e.getMessage());
                return;
            }
        }
        sendLatest();
    }

    /** The newest checkpoint to every channel, unless it was already sent or the line is down (then later). */
    void sendLatest() {
        Optional<Content.LogCheckpoint> last = audit.lastCheckpoint();
        if (stopped || !connected.getAsBoolean() || last.isEmpty() || last.get().treeSize() <= lastSentTreeSize) {
            return;
        }
        lastSentTreeSize = last.get().treeSize();
        for (Channel c : exercise.channelsOf(role)) {
            try {
                outbox.compose(c, last.get(), Optional.empty(), Optional.empty());
            } catch (Exception e) {
                audit.problem("log checkpoint to channel " + c.id() + " could not be sent: " + e.getMessage());
            }
        }
        alongside.run();
    }
}
