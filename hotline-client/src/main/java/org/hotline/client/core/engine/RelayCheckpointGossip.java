package org.hotline.client.core.engine;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.function.BooleanSupplier;
import org.hotline.protocol.exercise.Channel;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.pki.PkiException;
import org.hotline.protocol.tlog.CheckpointException;
import org.hotline.protocol.tlog.RelayLogProofs;
import org.hotline.protocol.tlog.SignedCheckpoint;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageHeader;

/**
 * Split-view detection (PROTOCOL.md §4.2 RelayCheckpoints, THREAT_MODEL.md "Split views"): each
 * client sends its peers, end to end, the newest checkpoint it verified of every relay, and checks
 * each one it receives against the same relay's log through its own path to that relay, with the
 * same monitor that checks the checkpoints the relay shows it ({@link RelayLogMonitor#observePeer}).
 * A relay that shows two clients two histories must then prove one a prefix of the other to each of
 * them, or contradict itself in a signed answer: a {@code relay-fork} entry and the fork alarm.
 *
 * <p>A peer's checkpoint is never stored as this client's own: one larger than our own last one is
 * held (one per peer, at most {@link #MAX_HELD} peers per relay) until the relay has shown us a checkpoint at least as
 * large, because only then can it be asked for a proof it can sign (a relay cannot prove, or sign,
 * a size beyond the tree it keeps for us, PROTOCOL.md §12.4). Engine thread only.
 */
final class RelayCheckpointGossip {

    /** Peers' checkpoints waiting per relay for ours to catch up; beyond it newer ones are not held. */
    static final int MAX_HELD = 8;
    /** Peers' checkpoints remembered per relay as already checked, so a repeat is not asked again. */
    static final int MAX_CHECKED = 64;

    /**
     * What makes two peer checkpoints the same: the relay, size and root. A note's bytes do not,
     * because extra signature lines of other keys still verify (C2SP signed-note), so one
     * relay-signed checkpoint could otherwise be made into any number of "new" ones.
     */
    private record Key(String relay, long treeSize, Hash32 root) {
        static Key of(SignedCheckpoint cp) {
            return new Key(cp.checkpoint().relayName(), cp.treeSize(), cp.checkpoint().root());
        }
    }

    private final String role;
    private final Exercise exercise;
    private final ExerciseId exerciseId;
    private final Outbox outbox;
    private final RelayLogs logs;
    private final PeerTrust trust;
    private final ClientAudit audit;
    private final BooleanSupplier connected;
    /** Per relay, per peer: the newest checkpoint waiting, so one peer cannot take every slot. */
    private final Map<String, Map<String, SignedCheckpoint>> held = new HashMap<>();
    private final Map<String, LinkedHashSet<Key>> checked = new HashMap<>();
    private Map<String, SignedCheckpoint> lastSent = Map.of();
    private final Clock clock;
    /**
     * At most one round per this interval (ten link-test intervals, the forced audit-checkpoint
     * period): each round is a message per channel, and its own acceptance gives every relay a new
     * checkpoint, so sending on every change would feed itself (a busy sender, e.g. exercise
     * control, flooded its relays' consistency checks). A change within the interval goes at the
     * next tick after it.
     */
    private final Duration minInterval;
    private Instant lastSentAt;

    RelayCheckpointGossip(String role, Exercise exercise, ExerciseId exerciseId, Outbox outbox, RelayLogs logs,
                          PeerTrust trust, ClientAudit audit, BooleanSupplier connected, Clock clock,
                          Duration minInterval) {
        this.clock = clock;
        this.minInterval = minInterval;
        this.role = role;
        this.exercise = exercise;
        this.exerciseId = exerciseId;
        this.outbox = outbox;
        this.logs = logs;
        this.trust = trust;
        this.audit = audit;
        this.connected = connected;
    }

    /**
     * Sends our newest checkpoint of each relay to every channel, when one changed since they last
     * went; on the cadence of our own log checkpoints ({@link CheckpointExchange}), never while the
     * line is down (the newest goes later).
     */
    void sendLatest() {
        SortedMap<String, SignedCheckpoint> latest = logs.latest();
        if (!connected.getAsBoolean() || latest.isEmpty() || latest.equals(lastSent)) {
            return;
        }
        Instant now = clock.instant();
        if (lastSentAt != null && now.isBefore(lastSentAt.plus(minInterval))) {
            return;
        }
        lastSentAt = now;
        lastSent = Map.copyOf(latest);
        List<Content.RelayNote> notes = new ArrayList<>();
        latest.forEach((relay, cp) -> notes.add(new Content.RelayNote(relay, cp.encode())));
        // One message carries at most MAX_RELAY_CHECKPOINTS relays (PROTOCOL.md §4.2); more relays go in several.
        List<Content.RelayCheckpoints> bodies = new ArrayList<>();
        for (int from = 0; from < notes.size(); from += Content.MAX_RELAY_CHECKPOINTS) {
            bodies.add(new Content.RelayCheckpoints(
                    notes.subList(from, Math.min(notes.size(), from + Content.MAX_RELAY_CHECKPOINTS))));
        }
        for (Channel c : exercise.channelsOf(role)) {
            for (Content.RelayCheckpoints body : bodies) {
                try {
                    outbox.compose(c, body, Optional.empty(), Optional.empty());
                } catch (Exception e) {
                    audit.problem("relay checkpoints to channel " + c.id() + " could not be sent: " + e.getMessage());
                }
            }
        }
    }

    /**
     * A stored RelayCheckpoints message (PROTOCOL.md §4.2): each note of a relay we have a monitor
     * for is verified as a checkpoint of that relay's log of this exercise, signed by the relay's
     * identity key as its certificate from the exercise CA says, then checked now or held until ours
     * catches up. A note that cannot be verified now (a certificate reissued, revoked or missing
     * here, a CRL being rewritten, a forgery) is skipped with one problem line: the message itself
     * stays accepted, because refusing it would leave a gap in the sender's counters that reads as
     * a relay dropping messages (THREAT_MODEL.md "Split views"). A skipped note is never evidence.
     */
    void received(MessageHeader h, Content.RelayCheckpoints body) {
        for (Content.RelayNote n : body.notes()) {
            String relay = n.relay();
            if (logs.monitor(relay).isEmpty()) {
                continue;
            }
            SignedCheckpoint cp;
            try {
                cp = RelayLogProofs.verifyCheckpoint(n.note(), relay, exerciseId, trust.identity(relay).key());
            } catch (CheckpointException | PkiException e) {
                audit.problem("checkpoint of " + relay + "'s log from " + h.sender() + " skipped: it does not "
                        + "verify: " + e.getMessage());
                continue;
            }
            if (alreadyChecked(relay, cp)) {
                continue;
            }
            hold(relay, cp, h.sender());
        }
        release();
    }

    /** Periodic: held checkpoints the relay's own checkpoints to us have caught up with are checked. */
    void tick() {
        release();
        sendLatest();
    }

    /** One held checkpoint per peer and relay, the newest winning; at most {@link #MAX_HELD} peers per relay. */
    private void hold(String relay, SignedCheckpoint cp, String peer) {
        Map<String, SignedCheckpoint> waiting = held.computeIfAbsent(relay, r -> new HashMap<>());
        SignedCheckpoint before = waiting.get(peer);
        if (before != null) {
            if (cp.treeSize() > before.treeSize()) {
                waiting.put(peer, cp);
            }
        } else if (waiting.size() < MAX_HELD) {
            waiting.put(peer, cp);
        }
    }

    private void release() {
        for (Map.Entry<String, Map<String, SignedCheckpoint>> e : held.entrySet()) {
            RelayLogMonitor monitor = logs.monitor(e.getKey()).orElseThrow();
            Optional<SignedCheckpoint> ours = monitor.last();
            if (ours.isEmpty()) {
                continue;
            }
            List<Map.Entry<String, SignedCheckpoint>> ready = e.getValue().entrySet().stream()
                    .filter(w -> w.getValue().treeSize() <= ours.get().treeSize()).toList();
            for (Map.Entry<String, SignedCheckpoint> w : List.copyOf(ready)) {
                e.getValue().remove(w.getKey());
                if (alreadyChecked(e.getKey(), w.getValue())) {
                    continue;
                }
                remember(e.getKey(), w.getValue());
                try {
                    monitor.observePeer(w.getValue(), w.getKey());
                } catch (IOException ex) {
                    audit.problem("relay checkpoint of " + e.getKey() + " from " + w.getKey() + " not checked: "
                            + ex.getMessage());
                }
            }
        }
    }

    private boolean alreadyChecked(String relay, SignedCheckpoint cp) {
        Key k = Key.of(cp);
        return checked.getOrDefault(relay, new LinkedHashSet<>()).contains(k)
                || logs.monitor(relay).flatMap(RelayLogMonitor::last).map(l -> Key.of(l).equals(k)).orElse(false);
    }

    private void remember(String relay, SignedCheckpoint cp) {
        LinkedHashSet<Key> seen = checked.computeIfAbsent(relay, r -> new LinkedHashSet<>());
        seen.add(Key.of(cp));
        if (seen.size() > MAX_CHECKED) {
            seen.remove(seen.iterator().next());
        }
    }
}
