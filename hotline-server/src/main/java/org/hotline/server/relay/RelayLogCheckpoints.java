package org.hotline.server.relay;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.hotline.protocol.crypto.IdentityKeyPair;
import org.hotline.protocol.crypto.ReceiptSigner;
import org.hotline.protocol.tlog.Checkpoint;
import org.hotline.protocol.tlog.MerkleLog;
import org.hotline.protocol.tlog.RelayLogProofs;
import org.hotline.protocol.tlog.SignedCheckpoint;
import org.hotline.protocol.tlog.SignedConsistency;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.LogInclusion;
import org.hotline.protocol.wire.Receipt;

/**
 * The relay's side of its log (PROTOCOL.md §12): signs checkpoints of the committed tree, one per
 * tree size (so one per group commit however many messages it held), builds each accepted
 * message's inclusion proof, and answers consistency fetches. The tree only ever shows committed
 * leaves ({@link org.hotline.server.store.Mailbox#relayLog}), so nothing signed here can name a
 * message that a crash could still lose.
 */
final class RelayLogCheckpoints {

    private final MerkleLog log;
    private final IdentityKeyPair relayIdentity;
    private final String origin;
    /** The last checkpoint signed: reused by every answer of the same tree size. Guarded by this. */
    private SignedCheckpoint latest;

    RelayLogCheckpoints(MerkleLog log, IdentityKeyPair relayIdentity, ExerciseId exerciseId) {
        this(log, relayIdentity, org.hotline.protocol.wire.Receipt.RELAY, exerciseId);
    }

    /** The log of the relay named {@code relayName}: origin {@code relayName/<exercise id>} (PROTOCOL.md §12.2). */
    RelayLogCheckpoints(MerkleLog log, IdentityKeyPair relayIdentity, String relayName, ExerciseId exerciseId) {
        this.log = log;
        this.relayIdentity = relayIdentity;
        this.origin = Checkpoint.originOf(relayName, exerciseId);
    }

    /** A relay without a log in its store (a test fake) answers plain ACCEPTED. */
    static Optional<RelayLogCheckpoints> of(Optional<MerkleLog> log, IdentityKeyPair relayIdentity, ExerciseId exerciseId) {
        return of(log, relayIdentity, org.hotline.protocol.wire.Receipt.RELAY, exerciseId);
    }

    static Optional<RelayLogCheckpoints> of(Optional<MerkleLog> log, IdentityKeyPair relayIdentity, String relayName,
                                            ExerciseId exerciseId) {
        return log.map(l -> new RelayLogCheckpoints(l, relayIdentity, relayName, exerciseId));
    }

    /** The signed checkpoint of the committed tree as it is now. */
    synchronized SignedCheckpoint current() {
        long size = log.size();
        if (latest == null || latest.treeSize() != size) {
            latest = SignedCheckpoint.sign(new Checkpoint(origin, size, Hash32.of(log.root(size))), relayIdentity);
        }
        return latest;
    }

    /** Where a committed leaf sits, proved against the current checkpoint. */
    LogInclusion inclusion(long leafIndex) {
        SignedCheckpoint cp = current();
        List<Hash32> path = RelayLogProofs.hashes(log.inclusionProof(leafIndex, cp.treeSize()));
        return new LogInclusion(leafIndex, path, cp.encode());
    }

    /**
     * The answer to an accepted SEND: ACCEPTED_IN_LOG with the receipt unsigned, its place in the log
     * and the checkpoint when the store gave a leaf already in the published tree; otherwise (a
     * failed publication after the commit, or a message stored before the relay kept a log) plain
     * ACCEPTED with the receipt signed here, never no answer (PROTOCOL.md §3.4.7, §12.3).
     */
    Frame.Accepted accepted(Receipt receipt, OptionalLong leafIndex) {
        if (leafIndex.isPresent() && leafIndex.getAsLong() < log.size()) {
            Receipt leaf = receipt.isSigned() ? receipt.withoutSignature() : receipt;
            return new Frame.Accepted(leaf, Optional.of(inclusion(leafIndex.getAsLong())));
        }
        return new Frame.Accepted(receipt.isSigned() ? receipt
                : ReceiptSigner.sign(relayIdentity, receipt.fields().orElseThrow()));
    }

    /**
     * The answer to a consistency fetch: the proof, or no hashes when the sizes are out of order or
     * beyond the committed tree (which no verifier accepts, PROTOCOL.md §12.4). A fetch that asks
     * for a signed answer gets the relay's roots at both sizes and its signature over them and the
     * proof: one signature, only for a client whose unsigned proof failed, so the acceptance path
     * keeps its one signature per group commit.
     */
    Frame.LogConsistency consistency(Frame.LogConsistencyFetch fetch) {
        long size = log.size();
        if (fetch.oldSize() > fetch.newSize() || fetch.newSize() > size) {
            return new Frame.LogConsistency(fetch.oldSize(), fetch.newSize(), List.of());
        }
        List<Hash32> proof = RelayLogProofs.hashes(log.consistencyProof(fetch.oldSize(), fetch.newSize()));
        if (!fetch.signed()) {
            return new Frame.LogConsistency(fetch.oldSize(), fetch.newSize(), proof);
        }
        SignedConsistency signed = SignedConsistency.sign(
                new Checkpoint(origin, fetch.oldSize(), Hash32.of(log.root(fetch.oldSize()))),
                new Checkpoint(origin, fetch.newSize(), Hash32.of(log.root(fetch.newSize()))), proof, relayIdentity);
        return new Frame.LogConsistency(fetch.oldSize(), fetch.newSize(), proof, Optional.of(signed.wire()));
    }
}
