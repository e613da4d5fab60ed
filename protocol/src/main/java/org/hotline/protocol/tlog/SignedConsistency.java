package org.hotline.protocol.tlog;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hotline.protocol.crypto.IdentityKeyPair;
import org.hotline.protocol.crypto.IdentityPublicKey;
import org.hotline.protocol.crypto.SignatureContext;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.LogConsistencySignature;
import org.hotline.protocol.wire.WireLimits;
import org.hotline.protocol.wire.WireWriter;

/**
 * The relay's signed statement that its log at {@code older.treeSize()} had root {@code
 * older.root()}, at {@code newer.treeSize()} root {@code newer.root()}, and that {@code proof} is
 * the RFC 9162 consistency proof between them (PROTOCOL.md §12.4). An honest relay's statement is
 * always true, so one whose roots contradict another checkpoint the relay signed, or whose proof
 * fails, is offline evidence that the relay signed two inconsistent histories.
 *
 * <p>Signed input (context {@code hotline/v2 relay-log-consistency}, §4.4): {@code u16 len ||
 * older note text || u16 len || newer note text || u8 count || proof hashes}.
 */
public record SignedConsistency(Checkpoint older, Checkpoint newer, List<Hash32> proof, byte[] signature) {

    public SignedConsistency {
        Objects.requireNonNull(older, "older");
        Objects.requireNonNull(newer, "newer");
        if (!older.origin().equals(newer.origin())) {
            throw new IllegalArgumentException("both checkpoints must be of one log");
        }
        if (older.treeSize() > newer.treeSize()) {
            throw new IllegalArgumentException("the older checkpoint must not be larger than the newer");
        }
        proof = List.copyOf(proof);
        if (proof.size() > WireLimits.MAX_PROOF_HASHES) {
            throw new IllegalArgumentException("at most " + WireLimits.MAX_PROOF_HASHES + " proof hashes");
        }
        if (signature.length != LogConsistencySignature.SIGNATURE_BYTES) {
            throw new IllegalArgumentException("an Ed25519 signature is 64 bytes");
        }
        signature = signature.clone();
    }

    /** The relay's signature of its answer: its roots at both sizes and the proof between them. */
    public static SignedConsistency sign(Checkpoint older, Checkpoint newer, List<Hash32> proof, IdentityKeyPair relay) {
        byte[] sig = relay.sign(SignatureContext.RELAY_LOG_CONSISTENCY, toBeSigned(older, newer, proof));
        return new SignedConsistency(older, newer, proof, sig);
    }

    /** The statement of a LOG_CONSISTENCY answer, for the log {@code origin}. */
    public static SignedConsistency of(String origin, long oldSize, long newSize, List<Hash32> proof,
                                       LogConsistencySignature s) {
        return new SignedConsistency(new Checkpoint(origin, oldSize, s.oldRoot()), new Checkpoint(origin, newSize,
                s.newRoot()), proof, s.signature());
    }

    /** The signed input after the context prefix. */
    static byte[] toBeSigned(Checkpoint older, Checkpoint newer, List<Hash32> proof) {
        WireWriter w = new WireWriter();
        w.bytes16(older.text()).bytes16(newer.text()).u8(proof.size());
        proof.forEach(h -> h.write(w));
        return w.toByteArray();
    }

    public byte[] toBeSigned() {
        return toBeSigned(older, newer, proof);
    }

    /** Whether the holder of {@code relayKey} signed exactly this statement. */
    public boolean verify(IdentityPublicKey relayKey) {
        return relayKey.verify(SignatureContext.RELAY_LOG_CONSISTENCY, signature, toBeSigned());
    }

    /** Whether the proof leads from the older root to the newer one (RFC 9162 §2.1.4.2). */
    public boolean proofHolds() {
        return MerkleProofs.verifyConsistency(older.treeSize(), newer.treeSize(), RelayLogProofs.bytes(proof),
                older.root().bytes(), newer.root().bytes());
    }

    /** The wire form of the signature part (roots and signature). */
    public LogConsistencySignature wire() {
        return new LogConsistencySignature(older.root(), newer.root(), signature);
    }

    /**
     * What this verified statement contradicts, given two checkpoints the relay signed of its sizes
     * ({@code a} and {@code b}, in either order): a root it signed differently for the same size,
     * or a proof that fails between its own roots. Empty when the statement shows {@code a} and
     * {@code b} consistent.
     *
     * @throws IllegalArgumentException if the sizes of {@code a} and {@code b} are not the statement's
     */
    public Optional<String> contradiction(Checkpoint a, Checkpoint b) {
        Checkpoint lo = a.treeSize() <= b.treeSize() ? a : b;
        Checkpoint hi = lo == a ? b : a;
        if (lo.treeSize() != older.treeSize() || hi.treeSize() != newer.treeSize()) {
            throw new IllegalArgumentException("the statement is of sizes " + older.treeSize() + " and "
                    + newer.treeSize() + ", not " + lo.treeSize() + " and " + hi.treeSize());
        }
        if (!lo.root().equals(older.root())) {
            return Optional.of("it signed two roots for size " + lo.treeSize());
        }
        if (!hi.root().equals(newer.root())) {
            return Optional.of("it signed two roots for size " + hi.treeSize());
        }
        if (!proofHolds()) {
            return Optional.of("its signed consistency proof from " + older.treeSize() + " to " + newer.treeSize()
                    + " does not verify");
        }
        return Optional.empty();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedConsistency s && older.equals(s.older) && newer.equals(s.newer)
                && proof.equals(s.proof) && Arrays.equals(signature, s.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(older, newer, proof, Arrays.hashCode(signature));
    }
}
