package org.hotline.protocol.audit;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hotline.protocol.wire.Hash32;

/**
 * Cross-checks several verified audit logs against each other (PROTOCOL.md §11.4, "Cross-check"):
 * every peer checkpoint one log holds about another log's owner must match that owner's log, if
 * given. This catches what no log can show alone: a log cut at an earlier checkpoint of its own
 * (entries missing) or rewritten and re-signed by its owner (root differs).
 */
public final class AuditCrossCheck {

    /**
     * One comparison: {@code holder}'s log, at {@code line}, holds {@code owner}'s signed checkpoint
     * of {@code treeSize} entries; {@code agrees} when {@code owner}'s log has those entries with that root.
     */
    public record Finding(String holder, int line, String owner, long treeSize, boolean agrees, String message) {
        @Override
        public String toString() {
            return message;
        }
    }

    private AuditCrossCheck() {
    }

    /**
     * Every comparison the given logs allow, in log order then line order. A checkpoint whose
     * owner's log is not among {@code logs} is not compared (the caller can list it through
     * {@link AuditReport#vouching()}).
     */
    public static List<Finding> check(List<AuditReport> logs) {
        // Every root a target's log is asked for, computed in one pass over its leaves.
        Map<AuditReport, Map<Long, Hash32>> roots = new IdentityHashMap<>();
        for (AuditReport target : logs) {
            List<Long> sizes = new ArrayList<>();
            for (AuditReport holder : logs) {
                if (holder != target) {
                    holder.peerCheckpoints().stream().filter(h -> h.owner().equals(target.owner()))
                            .forEach(h -> sizes.add(h.treeSize()));
                }
            }
            roots.put(target, sizes.isEmpty() ? Map.of() : target.rootsAt(sizes));
        }
        List<Finding> out = new ArrayList<>();
        for (AuditReport holder : logs) {
            for (AuditReport.HeldCheckpoint h : holder.peerCheckpoints()) {
                for (AuditReport target : logs) {
                    if (target != holder && target.owner().equals(h.owner())) {
                        out.add(compare(holder, h, target, Optional.ofNullable(roots.get(target).get(h.treeSize()))));
                    }
                }
            }
        }
        return out;
    }

    /** True when no finding disagrees. */
    public static boolean agree(List<Finding> findings) {
        return findings.stream().allMatch(Finding::agrees);
    }

    private static Finding compare(AuditReport holder, AuditReport.HeldCheckpoint h,
                                   AuditReport target, Optional<Hash32> root) {
        String o = h.owner();
        long n = h.treeSize();
        int has = target.leafHashes().size();
        String held = holder.owner() + " holds " + o + "'s signed checkpoint of " + n + " entries (line " + h.line() + ")";
        if (root.isEmpty()) {
            String range = n == has + 1 ? "entry " + n + " is" : "entries " + (has + 1) + "\u2013" + n + " are";
            String why = target.intact() ? "" : " (its verification stopped at " + target.problem().get() + ")";
            return new Finding(holder.owner(), h.line(), o, n, false, o + "'s log ends at entry " + has + why + " but "
                    + held + ": " + range + " missing");
        }
        if (!root.get().equals(h.root())) {
            return new Finding(holder.owner(), h.line(), o, n, false, "root differs at size " + n + ": " + o
                    + "'s log was rewritten at or before entry " + n + " (" + held + ")");
        }
        return new Finding(holder.owner(), h.line(), o, n, true, o + "'s log matches: " + held);
    }
}
