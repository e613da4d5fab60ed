package org.hotline.protocol.audit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hotline.protocol.wire.Hash32;

/**
 * The outcome of {@link AuditVerifier#verify}. {@code problem} is empty exactly when the log is
 * intact. {@code accepted} holds, in order, every entry that passed every check before the first
 * problem (torn lines are never among them): readers show a log through this list only, so a line
 * the verifier rejected is never read some other way.
 */
public record AuditReport(Path file, Optional<Problem> problem, String owner, String caFingerprint,
                          boolean authenticated, int entries, int checkpoints, int signedItemsVerified,
                          List<String> warnings, List<AuditEntry> accepted, long vouchedEntries,
                          List<HeldCheckpoint> peerCheckpoints, List<Hash32> leafHashes, List<String> relayForks,
                          List<String> revokedRelayForks) {
    public AuditReport {
        warnings = List.copyOf(warnings);
        accepted = List.copyOf(accepted);
        peerCheckpoints = List.copyOf(peerCheckpoints);
        leafHashes = List.copyOf(leafHashes);
        relayForks = List.copyOf(relayForks);
        revokedRelayForks = List.copyOf(revokedRelayForks);
    }

    /**
     * Forks of the relay's log that this log proves (PROTOCOL.md §12.5): the relay's fault, not the
     * log's, so they do not make the log fail; {@code log verify} reports them and exits 6 (5 if a
     * log given is itself at fault).
     */
    /*
     * revokedRelayForks: forks one of whose relay signatures was verified under a relay certificate
     * the trust anchor's CRL revoked at or before the owner's first signed checkpoint covering the
     * fork (PROTOCOL.md §12.5): the key may have been misused by then, so they prove nothing about
     * the relay's operator and are not in relayForks; log verify exits 5 for them, never 0.
     */

    public boolean relayForked() {
        return !relayForks.isEmpty();
    }

    public boolean intact() {
        return problem.isEmpty();
    }

    /**
     * True when every line verified and only the last entries lack a signed checkpoint (PROTOCOL.md
     * §11.4, "unsigned tail"): the owner ended without closing the log, or the file was cut after a
     * checkpoint. Not evidence of tampering; the entries a checkpoint covers stay vouched for.
     */
    public boolean onlyUnsignedTail() {
        return problem.isPresent() && problem.get().unsignedTail();
    }

    /** How many accepted entries lie after the last signed checkpoint (0 for an intact log). */
    public long unsignedTailEntries() {
        return onlyUnsignedTail() ? entries - vouchedEntries : 0;
    }

    /**
     * Whether accepted entry {@code index} (0-based, in {@link #accepted()}) is covered by a valid
     * signed checkpoint of a log with no other problem: every entry of an intact log, the entries
     * before the last checkpoint of a log with only an unsigned tail, none of a log that failed.
     */
    public boolean vouchesFor(int index) {
        return intact() || (onlyUnsignedTail() && index < vouchedEntries);
    }

    /**
     * The Merkle root (PROTOCOL.md §11.2) over the first {@code treeSize} accepted entries, as a
     * checkpoint of that size must name it; empty if the log has fewer accepted entries.
     */
    public Optional<Hash32> rootAt(long treeSize) {
        return Optional.ofNullable(rootsAt(List.of(treeSize)).get(treeSize));
    }

    /**
     * The Merkle roots at every size in {@code treeSizes} that this log reaches, in one pass over
     * its leaves: a cross-check of k held checkpoints costs O(n + k log n) hashes, not O(k n).
     */
    public Map<Long, Hash32> rootsAt(java.util.Collection<Long> treeSizes) {
        java.util.SortedSet<Long> wanted = new java.util.TreeSet<>(treeSizes);
        Map<Long, Hash32> out = new java.util.HashMap<>();
        MerkleTree t = new MerkleTree();
        for (long size : wanted) {
            if (size < 0 || size > leafHashes.size()) {
                continue;
            }
            while (t.size() < size) {
                t.append(leafHashes.get((int) t.size()).bytes());
            }
            out.put(size, Hash32.of(t.root()));
        }
        return out;
    }

    /**
     * What this log alone can vouch for: how far its signed checkpoints reach, and which peers'
     * checkpoints it holds (the newest per owner), so a reader knows which other logs to give.
     */
    public List<String> vouching() {
        List<String> out = new ArrayList<>();
        out.add("vouched for up to entry " + vouchedEntries + " of " + entries + " by its last signed checkpoint"
                + (entries > vouchedEntries ? "; entries " + (vouchedEntries + 1) + "–" + entries + " unsigned" : "")
                + "; a cut at an earlier checkpoint shows only against a peer's log holding a later checkpoint of it");
        Map<String, HeldCheckpoint> newest = new java.util.TreeMap<>();
        for (HeldCheckpoint h : peerCheckpoints) {
            newest.merge(h.owner(), h, (a, b) -> b.treeSize() >= a.treeSize() ? b : a);
        }
        out.add("peer checkpoints held: " + (newest.isEmpty() ? "none" : String.join(", ", newest.values().stream()
                .map(h -> h.owner() + " at " + h.treeSize() + " entries (line " + h.line() + ")").toList())));
        return out;
    }

    /**
     * A {@code peer-checkpoint} entry that verified: at {@code line} this log's owner recorded
     * {@code owner}'s signed checkpoint of its first {@code treeSize} entries with Merkle root {@code root}.
     */
    public record HeldCheckpoint(int line, String owner, long treeSize, Hash32 root) {
    }

    /**
     * The first thing wrong: 1-based line number and what is wrong there. {@code unsignedTail} is
     * true when every line verified but the last ones are not yet covered by a checkpoint (a live
     * log between checkpoints looks like this, and so does a log cut short).
     */
    public record Problem(int line, String message, boolean unsignedTail) {
        @Override
        public String toString() {
            return "line " + line + ": " + message;
        }
    }
}
