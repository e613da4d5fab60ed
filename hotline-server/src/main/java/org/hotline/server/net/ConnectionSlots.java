package org.hotline.server.net;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Authenticated connections counted against the relay's limit and against each role's own cap, so
 * one role (a stolen credential, a runaway script) cannot take every slot and lock the other roles
 * out (THREAT_MODEL.md §8, PROTOCOL.md §3.5). Shared by every connection, so thread-safe.
 */
final class ConnectionSlots {

    private final int max;
    private final int perRole;
    private final ConcurrentMap<String, Integer> byRole = new ConcurrentHashMap<>();
    private int total;

    ConnectionSlots(int max, int perRole) {
        this.max = max;
        this.perRole = perRole;
    }

    /**
     * Takes a slot for {@code role}: empty if taken (the caller must {@link #release} it when the
     * connection closes), otherwise why not, in words for the peer and the log.
     */
    synchronized Optional<String> take(String role) {
        if (total >= max) {
            return Optional.of("the relay is at its limit of " + max + " connections; try again shortly");
        }
        int mine = byRole.getOrDefault(role, 0);
        if (mine >= perRole) {
            return Optional.of("role " + role + " already has " + mine + " connections, the limit per role");
        }
        total++;
        byRole.put(role, mine + 1);
        return Optional.empty();
    }

    synchronized void release(String role) {
        total--;
        byRole.computeIfPresent(role, (r, n) -> n <= 1 ? null : n - 1);
    }
}
