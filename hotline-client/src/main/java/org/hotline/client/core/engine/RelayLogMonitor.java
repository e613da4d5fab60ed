package org.hotline.client.core.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.hotline.client.core.net.Connection;
import org.hotline.protocol.audit.AuditCodec;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.audit.AuditFormatException;
import org.hotline.protocol.files.OwnerOnlyFiles;
import org.hotline.protocol.pki.IdentityKeyCache;
import org.hotline.protocol.pki.PkiException;
import org.hotline.protocol.tlog.CheckpointException;
import org.hotline.protocol.tlog.RelayLogProofs;
import org.hotline.protocol.tlog.SignedCheckpoint;
import org.hotline.protocol.tlog.SignedConsistency;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.LogInclusion;
import org.hotline.protocol.wire.Receipt;

/**
 * Watches the relay's log (PROTOCOL.md §12): checks each inclusion proof that comes with an
 * acceptance, and that every checkpoint the relay shows is consistent with the last one this client
 * verified, kept in {@code <data>/relay-log-checkpoint} across restarts. A relay that shows two
 * histories is reported as a problem: "relay log forked: checkpoint N is not consistent with M".
 * Runs on the engine thread, like every engine component.
 */
final class RelayLogMonitor {

    /** The last verified checkpoint, the note's bytes. */
    static final String FILE = "relay-log-checkpoint";

    /** How long the relay has to answer a consistency fetch (reconnects re-ask within it). */
    static final Duration FETCH_TIMEOUT = Duration.ofSeconds(30);
    /** Checkpoints waiting for a proof, at most; a relay that never answers cannot grow the queue. */
    static final int MAX_PENDING = 32;
    /** Peers' checkpoints waiting for a proof, at most, apart from our own (one per peer). */
    static final int MAX_PEER_PENDING = 8;

    /**
     * A checkpoint waiting for its consistency check against {@link #last}. {@code unsignedFailed}
     * is the relay's unsigned proof that failed, once there is one: the fetch then asks the relay to
     * sign its answer, so that a fork becomes evidence a third party can check (PROTOCOL.md §12.4).
     * {@code silenceAsked} marks the one signed fetch sent after the unsigned one went unanswered, so
     * that evading the check needs silence on both.
     */
    private record Pending(SignedCheckpoint checkpoint, Optional<List<Hash32>> unsignedFailed, boolean silenceAsked,
                           Optional<String> shownTo) {
        Pending(SignedCheckpoint checkpoint, Optional<String> shownTo) {
            this(checkpoint, Optional.empty(), false, shownTo);
        }

        /** Names the peer whose checkpoint this is, after a problem's text (empty for our own). */
        String origin() {
            return shownTo.map(peer -> " [" + checkpoint.checkpoint().relayName() + "'s checkpoint "
                    + checkpoint.treeSize() + " as shown to " + peer + "]").orElse("");
        }

        boolean signed() {
            return unsignedFailed.isPresent() || silenceAsked;
        }
    }

    private final String role;
    private final ExerciseId exerciseId;
    private final PeerTrust trust;
    private final Connection connection;
    private final ClientAudit audit;
    private final Path file;
    private final Clock clock;
    /** The relay whose log this is ({@code relay}, or one relay of several, PROTOCOL.md §13). */
    private final String relayName;
    private final Deque<Pending> queue = new ArrayDeque<>();
    private SignedCheckpoint last;
    /** The checkpoint whose proof was asked for, until the answer comes. */
    private Pending inFlight;
    /** When {@link #inFlight} was first asked for. */
    private Instant askedAt;

    RelayLogMonitor(String role, ExerciseId exerciseId, PeerTrust trust, Connection connection, ClientAudit audit,
                    Path dataDir, Clock clock) {
        this(role, Receipt.RELAY, exerciseId, trust, connection, audit, dataDir, clock);
    }

    /**
     * The monitor of the log of the relay named {@code relayName}: its checkpoint file is
     * {@code relay-log-checkpoint} for {@code relay}, {@code relay-log-checkpoint-<name>} for a
     * relay of several, so each relay's chain is checked on its own (PROTOCOL.md §13).
     */
    RelayLogMonitor(String role, String relayName, ExerciseId exerciseId, PeerTrust trust, Connection connection,
                    ClientAudit audit, Path dataDir, Clock clock) {
        this.relayName = relayName;
        this.clock = clock;
        this.role = role;
        this.exerciseId = exerciseId;
        this.trust = trust;
        this.connection = connection;
        this.audit = audit;
        this.file = dataDir.resolve(relayName.equals(Receipt.RELAY) ? FILE : FILE + "-" + relayName);
    }

    /**
     * Restores the last checkpoint. The audit log's newest {@code relay-checkpoint} entry wins: it
     * is written before the file, and it is what {@code log verify} chains the next entry to
     * (PROTOCOL.md §12.5). So a file lost in a crash, never written, or no longer verifying under a
     * reissued relay certificate does not restart the chain at previous size 0 (which would make
     * this client's own log fail). The file is used only when the log holds no such entry.
     */
    void load() throws IOException {
        Optional<SignedCheckpoint> logged = lastLogged(audit.file(), relayName);
        if (logged.isPresent()) {
            last = logged.get();
            return;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException none) {
            return;
        }
        try {
            last = RelayLogProofs.verifyCheckpoint(bytes, relayName, exerciseId, relay().key());
        } catch (CheckpointException | PkiException e) {
            audit.problem("the stored relay log checkpoint (" + file + ") does not verify: " + e.getMessage());
        }
    }

    /**
     * The checkpoint of the newest {@code relay-checkpoint} entry of this client's own log. The
     * entry was verified before it was written; lines that do not decode (a torn last line) are
     * skipped, as {@code log verify} would name them.
     */
    static Optional<SignedCheckpoint> lastLogged(Path auditLog) throws IOException {
        return lastLogged(auditLog, Receipt.RELAY);
    }

    /** As {@link #lastLogged(Path)}, of the log of the relay named {@code relayName}. */
    static Optional<SignedCheckpoint> lastLogged(Path auditLog, String relayName) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(auditLog, StandardCharsets.UTF_8);
        } catch (NoSuchFileException none) {
            return Optional.empty();
        }
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i);
            if (!line.contains("\"relay-checkpoint\"")) {
                continue;
            }
            try {
                if (AuditCodec.decode(line.getBytes(StandardCharsets.UTF_8)).event() instanceof AuditEvent.RelayCheckpoint c
                        && c.checkpoint().checkpoint().relayName().equals(relayName)) {
                    return Optional.of(c.checkpoint());
                }
            } catch (AuditFormatException torn) {
                // Not an entry: keep looking further back.
            }
        }
        return Optional.empty();
    }

    /** The last checkpoint this client verified, if any. */
    Optional<SignedCheckpoint> last() {
        return Optional.ofNullable(last);
    }

    /**
     * A plain ACCEPTED (a relay-signed receipt, no log proof) that the delivery tracker verified and
     * that moved one of our messages to accepted. Once a checkpoint is stored, that is a problem:
     * the relay kept the message out of the proof.
     */
    void acceptedWithoutProof(Receipt receipt) {
        if (!receipt.sender().equals(role) || receipt.type() != Receipt.Type.ACCEPTED
                || !receipt.asserter().equals(relayName)) {
            // Another relay's receipt belongs to that relay's log, and to its monitor.
            return;
        }
        // A relay that has shown us its log cannot keep a message out of it unnoticed by falling
        // back to a plain ACCEPTED (PROTOCOL.md §12.3, THREAT_MODEL.md "Withhold").
        if (last != null) {
            audit.problem("relay accepted message " + receipt.messageId().shortForm() + " without a log proof");
        }
    }

    /**
     * The first check of an ACCEPTED_IN_LOG (PROTOCOL.md §12.3): its receipt carries no signature,
     * so it means something only if the checkpoint is the relay's and the inclusion proof leads
     * from exactly that receipt's leaf to the checkpoint's root. A failure is reported and the frame
     * accepts nothing.
     *
     * @return the verified checkpoint, or empty when the proof fails
     */
    Optional<SignedCheckpoint> proveInclusion(Receipt receipt, LogInclusion inclusion) {
        try {
            return Optional.of(RelayLogProofs.verifyInclusion(receipt, inclusion, exerciseId, relay().key()));
        } catch (CheckpointException | PkiException e) {
            audit.problem("relay's log proof for message " + receipt.messageId().shortForm() + " does not verify: "
                    + e.getMessage() + "; the message is not accepted by it");
            return Optional.empty();
        }
    }

    /**
     * An ACCEPTED_IN_LOG whose proof verified ({@link #proveInclusion}) and whose receipt the delivery
     * tracker then matched against our message: the proof is kept in the audit log (the message's
     * one record of acceptance, PROTOCOL.md §12.5), then its checkpoint is compared with the last one.
     *
     * @return whether the entry was written
     */
    boolean included(Receipt receipt, LogInclusion inclusion, SignedCheckpoint cp) throws IOException {
        try {
            audit.relayInclusion(receipt, inclusion, cp, relay().certificate());
        } catch (PkiException e) {
            audit.problem("relay's log proof for message " + receipt.messageId().shortForm() + " not recorded: "
                    + e.getMessage());
            return false;
        }
        observe(cp);
        return true;
    }

    /** A verified checkpoint: compared with the last one, now or once the relay's proof is in. */
    void observe(SignedCheckpoint cp) throws IOException {
        if (last == null) {
            accept(cp, 0, List.of());
            return;
        }
        check(new Pending(cp, Optional.empty()));
    }

    /**
     * A checkpoint of this relay that {@code peer}'s client verified and sent us (PROTOCOL.md §4.2,
     * RelayCheckpoints): checked exactly as one the relay showed us, through our own path to it, but
     * never stored as our last one. So it must be no larger than {@link #last} (the caller holds a
     * larger one until ours catches up): the relay then proves it a prefix of what it showed us, or
     * contradicts itself, which is a fork ({@code relay-fork}, PROTOCOL.md §12.4).
     */
    void observePeer(SignedCheckpoint cp, String peer) throws IOException {
        if (last == null || cp.treeSize() > last.treeSize()) {
            throw new IllegalStateException("a peer's checkpoint is checked only against a larger own one");
        }
        check(new Pending(cp, Optional.of(peer)));
    }

    private void check(Pending pending) throws IOException {
        SignedCheckpoint cp = pending.checkpoint();
        if (cp.treeSize() == last.treeSize()) {
            if (!cp.checkpoint().root().equals(last.checkpoint().root())) {
                forked(pending, List.of());
            }
            return;
        }
        // Same size and root is the same checkpoint, whatever extra signature lines its note carries.
        if (queue.stream().anyMatch(p -> sameCheckpoint(p.checkpoint(), cp))
                || (inFlight != null && sameCheckpoint(inFlight.checkpoint(), cp))) {
            return;
        }
        if (pending.shownTo().isPresent()) {
            queuePeer(pending);
        } else {
            List<Pending> own = queue.stream().filter(p -> p.shownTo().isEmpty()).toList();
            if (own.size() >= MAX_PENDING) {
                Pending dropped = own.get(0);
                queue.remove(dropped);
                audit.problem("relay did not prove consistency of checkpoint " + dropped.checkpoint().treeSize()
                        + " with " + last.treeSize() + " (" + MAX_PENDING + " checkpoints wait for the relay's proof)");
            }
            queue.add(pending);
        }
        next();
    }

    /**
     * A peer's checkpoint waits apart from our own: one per peer, the newest winning, and at most
     * {@link #MAX_PEER_PENDING} in all, so peers can never push our own checkpoints out of the queue.
     */
    private void queuePeer(Pending pending) {
        String peer = pending.shownTo().orElseThrow();
        Optional<Pending> before = queue.stream().filter(p -> p.shownTo().equals(Optional.of(peer))).findFirst();
        if (before.isPresent()) {
            if (before.get().checkpoint().treeSize() >= pending.checkpoint().treeSize()) {
                return;
            }
            queue.remove(before.get());
        } else if (queue.stream().filter(p -> p.shownTo().isPresent()).count() >= MAX_PEER_PENDING) {
            audit.problem("checkpoint " + pending.checkpoint().treeSize() + " of " + relayName + "'s log from "
                    + peer + " not checked: " + MAX_PEER_PENDING + " peers' checkpoints wait already");
            return;
        }
        queue.add(pending);
    }

    private static boolean sameCheckpoint(SignedCheckpoint a, SignedCheckpoint b) {
        return a.treeSize() == b.treeSize() && a.checkpoint().root().equals(b.checkpoint().root());
    }

    /**
     * Periodic: a fetch the relay has not answered with the sizes asked for within {@link
     * #FETCH_TIMEOUT} is asked once more, signed, then reported and given up, so a relay cannot
     * avoid the check by staying silent or answering other sizes (PROTOCOL.md §12.4).
     */
    void tick() {
        if (inFlight == null || clock.instant().isBefore(askedAt.plus(FETCH_TIMEOUT))) {
            return;
        }
        Pending p = inFlight;
        inFlight = null;
        if (p.unsignedFailed().isPresent()) {
            // Its proof failed and it would not sign one: the owner's account of a fork, not proof.
            try {
                forked(p, p.unsignedFailed().get());
            } catch (IOException e) {
                audit.problem(RelayLogProofs.forked(p.checkpoint().treeSize(), last.treeSize())
                        + " (not recorded: " + e.getMessage() + ")");
            }
        } else if (!p.silenceAsked()) {
            // Silence on the unsigned fetch must not be the cheap way out: ask once more, signed (review L2).
            inFlight = new Pending(p.checkpoint(), Optional.empty(), true, p.shownTo());
            askedAt = clock.instant();
            fetch(inFlight);
            return;
        } else {
            audit.problem("relay did not prove consistency of checkpoint " + p.checkpoint().treeSize() + " with "
                    + last.treeSize());
        }
        next();
    }

    /** After WELCOME: a fetch lost with the old connection is asked again. */
    void welcomed() {
        if (inFlight != null) {
            fetch(inFlight);
        } else {
            next();
        }
    }

    /**
     * The relay's answer to our fetch. A proof that holds settles it, signed or not. One that fails
     * is asked for again with the relay's signature; a signed answer that contradicts our two
     * checkpoints (another root for one of their sizes, or a failing proof) is recorded as proof of
     * the fork (PROTOCOL.md §12.4, §12.5).
     */
    void consistency(Frame.LogConsistency answer) throws IOException {
        Pending p = inFlight;
        if (p == null || last == null) {
            return;
        }
        SignedCheckpoint cp = p.checkpoint();
        long lo = Math.min(cp.treeSize(), last.treeSize());
        long hi = Math.max(cp.treeSize(), last.treeSize());
        if (answer.oldSize() != lo || answer.newSize() != hi) {
            return;
        }
        Optional<SignedConsistency> signed = signedBy(answer);
        if (signed.isPresent()) {
            inFlight = null;
            Optional<String> why = signed.get().contradiction(cp.checkpoint(), last.checkpoint());
            if (why.isPresent()) {
                provenFork(p, answer.proof(), signed.get(), why.get());
            } else if (cp.treeSize() > last.treeSize()) {
                accept(cp, last.treeSize(), answer.proof());
            }
            next();
            return;
        }
        SignedCheckpoint older = cp.treeSize() > last.treeSize() ? last : cp;
        SignedCheckpoint newer = older == cp ? last : cp;
        try {
            RelayLogProofs.verifyConsistency(older, newer, answer.proof());
        } catch (CheckpointException e) {
            if (p.unsignedFailed().isEmpty()) {
                // Before saying "forked", make the relay commit to its answer with its signature.
                inFlight = new Pending(cp, Optional.of(answer.proof()), false, p.shownTo());
                askedAt = clock.instant();
                fetch(inFlight);
                return;
            }
            inFlight = null;
            forked(p, answer.proof());
            next();
            return;
        }
        inFlight = null;
        if (cp.treeSize() > last.treeSize()) {
            accept(cp, last.treeSize(), answer.proof());
        }
        next();
    }

    /** The answer's statement if the relay signed it; a signature that does not verify is reported and ignored. */
    private Optional<SignedConsistency> signedBy(Frame.LogConsistency answer) {
        if (answer.signature().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(RelayLogProofs.verifySignedConsistency(answer.oldSize(), answer.newSize(),
                    answer.proof(), answer.signature().get(), relayName, exerciseId, relay().key()));
        } catch (CheckpointException | PkiException e) {
            audit.problem("relay's consistency proof of checkpoint " + answer.newSize() + " with " + answer.oldSize()
                    + " is not signed by it: " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Asks for the proof of the next waiting checkpoint. One of the size of {@link #last} (stored
     * after it was queued) needs no proof: the same-size rule of {@link #observe} settles it, and a
     * fetch of one size would make the relay's signed answer a fork that {@code log verify} reads
     * through that rule anyway (review H1).
     */
    private void next() {
        while (inFlight == null && !queue.isEmpty()) {
            Pending p = queue.poll();
            SignedCheckpoint cp = p.checkpoint();
            if (cp.treeSize() != last.treeSize()) {
                inFlight = p;
                askedAt = clock.instant();
                fetch(inFlight);
                return;
            }
            if (!cp.checkpoint().root().equals(last.checkpoint().root())) {
                try {
                    forked(p, List.of());
                } catch (IOException e) {
                    audit.problem(RelayLogProofs.forked(cp.treeSize(), last.treeSize())
                            + " (not recorded: " + e.getMessage() + ")");
                }
            }
        }
    }

    private void fetch(Pending p) {
        long lo = Math.min(p.checkpoint().treeSize(), last.treeSize());
        long hi = Math.max(p.checkpoint().treeSize(), last.treeSize());
        // Not sent while the line is down: welcomed() asks again.
        connection.send(new Frame.LogConsistencyFetch(lo, hi, p.signed()));
    }

    /** Records a checkpoint that extends the last one, then stores it as the new last. */
    private void accept(SignedCheckpoint cp, long previousSize, List<Hash32> proof) throws IOException {
        try {
            audit.relayCheckpoint(cp, previousSize, proof, relay().certificate());
        } catch (PkiException e) {
            audit.problem("relay checkpoint not recorded: " + e.getMessage());
            return;
        }
        // The audit entry first: a crash before the file is replaced leaves an older stored
        // checkpoint, which the log also holds (PROTOCOL.md §12.5).
        Path tmp = file.resolveSibling(FILE + ".tmp");
        OwnerOnlyFiles.file(tmp);
        // Synced before the rename, so a crash cannot leave the new name on empty or partial bytes.
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(cp.encode());
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        last = cp;
    }

    /**
     * Records the relay's signed answer that contradicts our checkpoints (offline proof, PROTOCOL.md
     * §12.5), then tells the person.
     */
    private void provenFork(Pending p, List<Hash32> proof, SignedConsistency signed, String why)
            throws IOException {
        SignedCheckpoint cp = p.checkpoint();
        try {
            audit.relayFork(cp, last.treeSize(), proof, Optional.of(signed.wire()), relay().certificate());
        } catch (PkiException e) {
            audit.problem("relay fork not recorded: " + e.getMessage());
        }
        audit.problem(RelayLogProofs.forked(cp.treeSize(), last.treeSize()) + " (" + why
                + "; the relay's own signatures prove it)" + p.origin());
    }

    /** Records the evidence (the relay's checkpoint and the proof it gave), then tells the person. */
    private void forked(Pending p, List<Hash32> proof) throws IOException {
        SignedCheckpoint cp = p.checkpoint();
        try {
            audit.relayFork(cp, last.treeSize(), proof, relay().certificate());
        } catch (PkiException e) {
            audit.problem("relay fork not recorded: " + e.getMessage());
        }
        audit.problem(RelayLogProofs.forked(cp.treeSize(), last.treeSize()) + p.origin());
    }

    private IdentityKeyCache.Identity relay() throws PkiException {
        return trust.identity(relayName);
    }
}
