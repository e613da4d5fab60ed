package org.hotline.client.core.engine;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.hotline.protocol.crypto.CryptoException;
import org.hotline.protocol.crypto.IdentityPublicKey;
import org.hotline.protocol.crypto.MessageSealer;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.crypto.PrekeyPair;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.SignedMessage;

/**
 * Opens and verifies delivered messages ahead of the engine thread, on a small pool, so a backlog
 * is opened on every core while the engine thread sequences, stores and shows in arrival order.
 *
 * <p>Only pure computation moves: the X-Wing decapsulation, AES-GCM and decoding of
 * {@link MessageSealer#open}, and the Ed25519 check of {@link MessageSigner#verify} under the key
 * that last verified that sender's message. Every decision stays on the engine thread, in order,
 * exactly where and when it was taken before (PROTOCOL.md §5.1, §4.4, §4.5, §13; architecture.md
 * §4): whether the message is stored already, whether the copy was answered before, which prekey
 * of ours it needs, which certificate judges it and when it was revoked, addressing, sequence,
 * equivocation, the batch's commit, confirmations and their routing to the relay of the copy in
 * hand. The engine takes a result only if it was computed with the very prekey it would use now
 * (not erased since), and uses a signature check only if the sender's certificate it judges with
 * now has that key; anything else, and every failure, is opened and verified again on the engine
 * thread as before. A copy whose bytes were already handed to the pool (the other relay's copy) is
 * not opened twice: the inbox recognises it ({@link OpenedCopies}).
 *
 * <p>Threads: {@link #arriving} on the connection's event loop, before the frame is handed to the
 * engine thread (so its result is registered before the engine can look for it); the work on this
 * class's pool; everything else on the engine thread.
 */
final class DeliveryPrefetch {

    /** Deliveries opened ahead at most; beyond, the engine opens them itself. */
    static final int MAX_AHEAD = 1_024;

    /** Fingerprints of copies handed to the pool lately, to leave the other relay's copy alone. */
    private static final int RECENT_COPIES = 4_096;

    /**
     * What the pool found: the message {@code d} opened to with {@code prekey}, and the key its
     * signature verified under (empty if it was not checked or did not verify).
     */
    record Ahead(PrekeyPair prekey, SignedMessage message, Optional<IdentityPublicKey> verifiedUnder) {
    }

    /** The opened message and, if already checked, the key its signature verified under. */
    record Opened(SignedMessage message, Optional<IdentityPublicKey> verifiedUnder) {
    }

    private final ExerciseId exerciseId;
    private final ExecutorService pool;
    /** Our prekeys the engine opened a message with (any thread reads). */
    private final Map<Integer, PrekeyPair> prekeys = new ConcurrentHashMap<>();
    /** Per sender, the key of the certificate its last message verified under, unrevoked (any thread reads). */
    private final Map<String, IdentityPublicKey> senderKeys = new ConcurrentHashMap<>();
    /** Work handed to the pool per DELIVER frame (the same object reaches the engine thread). */
    private final Map<Frame.Deliver, Job> ahead = new IdentityHashMap<>();
    private final Map<Hash32, Boolean> recentCopies = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Hash32, Boolean> eldest) {
            return size() > RECENT_COPIES;
        }
    };
    private volatile boolean closed;
    /** Results the engine took (engine thread; tests and profiles). */
    private long taken;

    /**
     * @param threads the pool's size; 0 opens nothing ahead (every delivery on the engine thread)
     */
    DeliveryPrefetch(String role, ExerciseId exerciseId, int threads) {
        this.exerciseId = exerciseId;
        if (threads <= 0) {
            this.pool = null;
            return;
        }
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "hotline-open-" + role + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Threads for a client on this machine: as many as the cores, at most two (a client shares its machine). */
    static int defaultThreads() {
        return Math.min(2, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Any thread (the connection's event loop), before {@code frame} is handed to the engine
     * thread: a DELIVER is queued for the pool, unless its bytes were queued lately (the other
     * relay's copy) or {@link #MAX_AHEAD} wait already.
     */
    void arriving(Frame frame) {
        if (pool == null || closed || !(frame instanceof Frame.Deliver d)) {
            return;
        }
        synchronized (this) {
            if (ahead.size() >= MAX_AHEAD || recentCopies.put(OpenedCopies.fingerprint(d), Boolean.TRUE) != null) {
                return;
            }
            Job job = new Job(d);
            try {
                pool.execute(job.task);
                ahead.put(d, job);
            } catch (RejectedExecutionException shutDown) {
                // Closed meanwhile: the engine opens it, if it still runs.
            }
        }
    }

    /**
     * One delivery's work: done by the pool, or by the engine thread itself if it gets there
     * first (then the pool skips it), so no core waits while another has the work queued.
     */
    private final class Job {
        final AtomicBoolean started = new AtomicBoolean();
        final FutureTask<Ahead> task;

        Job(Frame.Deliver d) {
            this.task = new FutureTask<>(() -> started.compareAndSet(false, true) ? open(d) : null);
        }
    }

    /**
     * The pool's part: looked up when it runs, not when the frame arrived, so a backlog arriving
     * before the engine opened its first message still gains once it has. Null: nothing to use.
     */
    private Ahead open(Frame.Deliver d) throws CryptoException {
        PrekeyPair prekey = prekeys.get(d.box().prekeyId());
        if (prekey == null || prekey.isErased()) {
            return null;
        }
        IdentityPublicKey key = senderKeys.get(d.sender());
        SignedMessage m = MessageSealer.open(d, prekey);
        if (key == null) {
            return new Ahead(prekey, m, Optional.empty());
        }
        try {
            MessageSigner.verify(m, key, exerciseId);
            return new Ahead(prekey, m, Optional.of(key));
        } catch (CryptoException notUnderThatKey) {
            // Judged on the engine thread, with every certificate of the sender (SenderCertificates).
            return new Ahead(prekey, m, Optional.empty());
        }
    }

    /** Engine thread: what was handed to the pool for {@code d}, now in the engine's hands. */
    Optional<Future<Ahead>> claim(Frame.Deliver d) {
        if (pool == null) {
            return Optional.empty();
        }
        Job job;
        synchronized (this) {
            job = ahead.remove(d);
        }
        if (job == null || job.started.compareAndSet(false, true)) {
            return Optional.empty(); // not started on the pool: this thread opens it, the pool skips it
        }
        return Optional.of(job.task);
    }

    /**
     * Engine thread: the message in {@code d}, opened with {@code prekey}: the pool's result if it
     * used this very prekey and the prekey still opens; otherwise (none, another prekey, erased
     * since, or it failed there) opened here, exactly as {@link MessageSealer#open} does.
     *
     * @throws CryptoException as {@link MessageSealer#open}
     */
    Opened open(Frame.Deliver d, PrekeyPair prekey, Optional<Future<Ahead>> claimed) throws CryptoException {
        if (claimed.isPresent() && !prekey.isErased()) {
            try {
                Ahead a = claimed.get().get();
                if (a != null && a.prekey() == prekey) {
                    taken++;
                    return new Opened(a.message(), a.verifiedUnder());
                }
            } catch (ExecutionException | CancellationException failedThere) {
                // Opened again here, so the failure is raised and judged where it always was.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new Opened(MessageSealer.open(d, prekey), Optional.empty());
    }

    /** Engine thread: {@code d}'s work is not needed (stored already, answered before, no prekey). */
    static void unused(Optional<Future<Ahead>> claimed) {
        claimed.ifPresent(f -> f.cancel(false));
    }

    /**
     * Engine thread: a message sealed to {@code prekey} opened, and its signature verified under
     * {@code senderKey} of an unrevoked certificate; later deliveries like it are opened ahead.
     */
    void learned(PrekeyPair prekey, String sender, Optional<IdentityPublicKey> senderKey) {
        if (pool == null) {
            return;
        }
        held(prekey);
        senderKey.ifPresentOrElse(k -> senderKeys.put(sender, k), () -> senderKeys.remove(sender));
    }

    /** Whether every delivery handed to the pool and not yet claimed is done there (tests). */
    synchronized boolean settled() {
        return ahead.values().stream().allMatch(j -> j.task.isDone());
    }

    /** How many deliveries the engine took opened from the pool (engine thread). */
    long taken() {
        return taken;
    }

    /** Engine thread: a prekey of ours that may open deliveries (at open, so a backlog is opened ahead from its start). */
    void held(PrekeyPair prekey) {
        if (pool != null && !prekey.isErased()) {
            prekeys.put(prekey.id(), prekey);
        }
    }

    /** Stops the pool; deliveries still queued are opened on the engine thread, if it still runs. */
    void close() {
        closed = true;
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /**
     * After {@link #close}: whether every pool task ended within {@code bound}. An open in flight
     * expands its prekey (review w8 L2/N6), so the engine drops expanded keys only after this.
     */
    boolean awaitTermination(java.time.Duration bound) {
        if (pool == null) {
            return true;
        }
        try {
            return pool.awaitTermination(bound.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
