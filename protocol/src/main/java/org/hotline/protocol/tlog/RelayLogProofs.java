package org.hotline.protocol.tlog;

import java.util.List;
import org.hotline.protocol.crypto.IdentityPublicKey;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.LogConsistencySignature;
import org.hotline.protocol.wire.LogInclusion;
import org.hotline.protocol.wire.Receipt;

/**
 * What the relay's log means (PROTOCOL.md §12): its leaves, and the checks a sender, a verifier of
 * an audit log or any third party holding the exercise CA runs on what the relay hands out.
 *
 * <p>Security guarantees: a checkpoint accepted by {@link #verifyCheckpoint} was signed by the
 * holder of the relay's identity key for this exercise's log; an inclusion accepted by
 * {@link #verifyInclusion} proves that the relay's log, at that checkpoint's size, holds the
 * accepted receipt's fields at that index; a consistency proof accepted by
 * {@link #verifyConsistency} proves that the older checkpoint's tree is a prefix of the newer one's.
 * None of them says anything about the time at which the relay signed.
 */
public final class RelayLogProofs {

    private RelayLogProofs() {
    }

    /**
     * The leaf entry of an accepted message: the relay's {@code accepted} receipt without its
     * signature (PROTOCOL.md §6 fields 1 to 9), so the leaf stands for the same statement the
     * receipt's own signature makes.
     *
     * @throws IllegalArgumentException if the receipt is not a version-2 {@code accepted} receipt by the relay
     */
    public static byte[] leafOf(Receipt accepted) {
        if (accepted.type() != Receipt.Type.ACCEPTED || !Receipt.isRelayName(accepted.asserter())
                || accepted.version() != 2) {
            throw new IllegalArgumentException("a relay log leaf is a version-2 accepted receipt by the relay");
        }
        return accepted.toBeSigned();
    }

    public static byte[] leafHashOf(Receipt accepted) {
        return MerkleHashes.leafHash(leafOf(accepted));
    }

    /**
     * Parses {@code encoded} and checks that it is this exercise's relay log checkpoint, signed by
     * {@code relayKey} (from the relay's identity certificate, validated against the exercise CA).
     *
     * @throws CheckpointException if it does not parse, names another log, or the signature fails
     */
    public static SignedCheckpoint verifyCheckpoint(byte[] encoded, ExerciseId exercise, IdentityPublicKey relayKey)
            throws CheckpointException {
        return verifyCheckpoint(encoded, Receipt.RELAY, exercise, relayKey);
    }

    /**
     * As {@link #verifyCheckpoint(byte[], ExerciseId, IdentityPublicKey)}, for the log of the relay
     * named {@code relayName} (origin {@code relayName/<exercise id>}, PROTOCOL.md §12.2).
     */
    public static SignedCheckpoint verifyCheckpoint(byte[] encoded, String relayName, ExerciseId exercise,
                                                    IdentityPublicKey relayKey) throws CheckpointException {
        SignedCheckpoint cp = SignedCheckpoint.parse(encoded);
        String origin = Checkpoint.originOf(relayName, exercise);
        if (!cp.checkpoint().origin().equals(origin)) {
            throw new CheckpointException("checkpoint is of log '" + cp.checkpoint().origin() + "', not '" + origin + "'");
        }
        if (!cp.verify(origin, relayKey)) {
            throw new CheckpointException("checkpoint signature does not verify under the relay's identity key");
        }
        return cp;
    }

    /**
     * Checks that {@code accepted} is leaf {@code inclusion.leafIndex()} of the relay's log at the
     * signed checkpoint {@code inclusion.checkpoint()}.
     *
     * @return the verified checkpoint
     * @throws CheckpointException if the checkpoint fails {@link #verifyCheckpoint} or the proof does not lead to its root
     */
    public static SignedCheckpoint verifyInclusion(Receipt accepted, LogInclusion inclusion, ExerciseId exercise,
                                                   IdentityPublicKey relayKey) throws CheckpointException {
        if (!Receipt.isRelayName(accepted.asserter())) {
            throw new CheckpointException("a relay log leaf is an accepted receipt by a relay, not by "
                    + accepted.asserter());
        }
        // The receipt's asserter names the log: a relay's receipt is proven only in its own log.
        SignedCheckpoint cp = verifyCheckpoint(inclusion.checkpoint(), accepted.asserter(), exercise, relayKey);
        byte[] leafHash;
        try {
            leafHash = leafHashOf(accepted);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(e.getMessage());
        }
        if (!MerkleProofs.verifyInclusion(leafHash, inclusion.leafIndex(), cp.treeSize(), bytes(inclusion.path()),
                cp.checkpoint().root().bytes())) {
            throw new CheckpointException("inclusion proof of leaf " + inclusion.leafIndex()
                    + " does not lead to the root of checkpoint " + cp.treeSize());
        }
        return cp;
    }

    /**
     * Checks that {@code older}'s tree is a prefix of {@code newer}'s ({@code older.treeSize() ≤
     * newer.treeSize()}), given the RFC 9162 consistency proof between them.
     *
     * @throws CheckpointException "relay log forked: checkpoint N is not consistent with M"
     */
    public static void verifyConsistency(SignedCheckpoint older, SignedCheckpoint newer, List<Hash32> proof)
            throws CheckpointException {
        if (!MerkleProofs.verifyConsistency(older.treeSize(), newer.treeSize(), bytes(proof),
                older.checkpoint().root().bytes(), newer.checkpoint().root().bytes())) {
            throw new CheckpointException(forked(newer.treeSize(), older.treeSize()));
        }
    }

    /**
     * Checks that a LOG_CONSISTENCY answer's signature is the relay's over its roots at both sizes
     * and the proof (PROTOCOL.md §12.4), for the log of the relay named {@code relayName}.
     *
     * @return the verified statement, which may still contradict other checkpoints of the relay
     *     ({@link SignedConsistency#contradiction})
     * @throws CheckpointException if the sizes are out of order or the signature does not verify
     */
    public static SignedConsistency verifySignedConsistency(long oldSize, long newSize, List<Hash32> proof,
                                                            LogConsistencySignature signature, String relayName,
                                                            ExerciseId exercise, IdentityPublicKey relayKey)
            throws CheckpointException {
        SignedConsistency s;
        try {
            s = SignedConsistency.of(Checkpoint.originOf(relayName, exercise), oldSize, newSize, proof, signature);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("signed consistency proof: " + e.getMessage());
        }
        if (!s.verify(relayKey)) {
            throw new CheckpointException("signed consistency proof from " + oldSize + " to " + newSize
                    + ": signature does not verify under the relay's identity key");
        }
        return s;
    }

    /**
     * The wording of a fork the relay's own signatures prove (PROTOCOL.md §12.5), for the client
     * and {@code log verify} alike.
     */
    public static String inconsistentHistories(String relayName, long newSize, long oldSize, String why) {
        return "relay " + relayName + " signed two inconsistent histories: checkpoint " + newSize
                + " is not consistent with " + oldSize + " (" + why + ")";
    }

    /** The one wording of a detected fork, used by the client, the console and {@code log verify}. */
    public static String forked(long newSize, long oldSize) {
        return "relay log forked: checkpoint " + newSize + " is not consistent with " + oldSize;
    }

    public static List<byte[]> bytes(List<Hash32> hashes) {
        return hashes.stream().map(Hash32::bytes).toList();
    }

    public static List<Hash32> hashes(List<byte[]> raw) {
        return raw.stream().map(Hash32::of).toList();
    }
}
