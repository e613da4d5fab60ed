package org.hotline.client.core.engine;

import java.io.IOException;
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
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.Receipt;

/**
 * Split-view detection (PROTOCOL.md §4.2 RelayCheckpoints, THREAT_MODEL.md "Split views"): each
 * client sends its peers, end to end, the newest checkpoint it verified of every relay, and checks
 * each one it receives against the same relay's log through its own path to that relay, with the
 * same monitor that checks the checkpoints the relay shows it ({@link RelayLogMonitor#observePeer}).
 * A relay that shows two clients two histories must then prove one a prefix of the other to each of
 * them, or contradict itself in a signed answer: a {@code relay-fork} entry and the fork alarm.
 *
 * <p>A peer's checkpoint is never stored as this client's own: one larger than our own last one is
 * held (at most {@link #MAX_HELD} per relay) until the relay has shown us a checkpoint at least as
 * large, because only then can it be asked for a proof it can sign (a relay cannot prove, or sign,
 * a size beyond the tree it keeps for us, PROTOCOL.md §12.4). Engine thread only.
 */
final class RelayCheckpointGossip {

    /** Peers' checkpoints waiting per relay for ours to catch up; beyond it newer ones are not held. */
    static final int MAX_HELD = 8;
    /** Peers' checkpoints remembered per relay as already checked, so a repeat is not asked again. */
    static final int MAX_CHECKED = 64;

    private record Held(SignedCheckpoint checkpoint, String peer) {
    }

    private final String role;
    private final Exercise exercise;
    private final ExerciseId exerciseId;
    private final Outbox outbox;
    private final RelayLogs logs;
    private final PeerTrust trust;
    private final ClientAudit audit;
    private final BooleanSupplier connected;
    private final Map<String, List<Held>> held = new HashMap<>();
    private final Map<String, LinkedHashSet<SignedCheckpoint>> checked = new HashMap<>();
    private Map<String, SignedCheckpoint> lastSent = Map.of();

    RelayCheckpointGossip(String role, Exercise exercise, ExerciseId exerciseId, Outbox outbox, RelayLogs logs,
                          PeerTrust trust, ClientAudit audit, BooleanSupplier connected) {
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
        lastSent = Map.copyOf(latest);
        List<Content.RelayNote> notes = new ArrayList<>();
        latest.forEach((relay, cp) -> notes.add(new Content.RelayNote(relay, cp.encode())));
        Content.RelayCheckpoints body = new Content.RelayCheckpoints(notes);
        for (Channel c : exercise.channelsOf(role)) {
            try {
                outbox.compose(c, body, Optional.empty(), Optional.empty());
            } catch (Exception e) {
                audit.problem("relay checkpoints to channel " + c.id() + " could not be sent: " + e.getMessage());
            }
        }
    }

    /**
     * The receiver's check (PROTOCOL.md §4.2): every note is a checkpoint of the named relay's log of
     * this exercise, signed by that relay's identity key as its certificate from the exercise CA
     * says. The sender's signature alone does not suffice: a note nobody can check would only make
     * an accusation, never evidence.
     *
     * @throws Rejections.Refused {@code MALFORMED}, naming the note that does not verify
     */
    List<SignedCheckpoint> requireVerified(MessageHeader h, Content.RelayCheckpoints body) throws Rejections.Refused {
        List<SignedCheckpoint> verified = new ArrayList<>();
        for (Content.RelayNote n : body.notes()) {
            try {
                verified.add(RelayLogProofs.verifyCheckpoint(n.note(), n.relay(), exerciseId,
                        trust.identity(n.relay()).key()));
            } catch (CheckpointException | PkiException e) {
                throw new Rejections.Refused(Receipt.RejectReason.MALFORMED, h.sender() + "'s checkpoint of "
                        + n.relay() + "'s log does not verify: " + e.getMessage());
            }
        }
        return verified;
    }

    /** A stored RelayCheckpoints message: each relay's checkpoint is checked now, or held until ours catches up. */
    void received(MessageHeader h, Content.RelayCheckpoints body) {
        List<SignedCheckpoint> verified;
        try {
            verified = requireVerified(h, body);
        } catch (Rejections.Refused e) {
            // Verified before the message was stored; a certificate revoked since leaves it unchecked.
            audit.problem(e.getMessage());
            return;
        }
        for (SignedCheckpoint cp : verified) {
            String relay = cp.checkpoint().relayName();
            if (logs.monitor(relay).isEmpty() || alreadyChecked(relay, cp)) {
                continue;
            }
            List<Held> waiting = held.computeIfAbsent(relay, r -> new ArrayList<>());
            if (waiting.stream().noneMatch(w -> w.checkpoint().equals(cp)) && waiting.size() < MAX_HELD) {
                waiting.add(new Held(cp, h.sender()));
            }
        }
        release();
    }

    /** Periodic: held checkpoints the relay's own checkpoints to us have caught up with are checked. */
    void tick() {
        release();
    }

    private void release() {
        for (Map.Entry<String, List<Held>> e : held.entrySet()) {
            RelayLogMonitor monitor = logs.monitor(e.getKey()).orElseThrow();
            Optional<SignedCheckpoint> ours = monitor.last();
            if (ours.isEmpty()) {
                continue;
            }
            List<Held> ready = e.getValue().stream().filter(w -> w.checkpoint().treeSize() <= ours.get().treeSize())
                    .toList();
            e.getValue().removeAll(ready);
            for (Held w : ready) {
                if (alreadyChecked(e.getKey(), w.checkpoint())) {
                    continue;
                }
                remember(e.getKey(), w.checkpoint());
                try {
                    monitor.observePeer(w.checkpoint(), w.peer());
                } catch (IOException ex) {
                    audit.problem("relay checkpoint of " + e.getKey() + " from " + w.peer() + " not checked: "
                            + ex.getMessage());
                }
            }
        }
    }

    private boolean alreadyChecked(String relay, SignedCheckpoint cp) {
        return checked.getOrDefault(relay, new LinkedHashSet<>()).contains(cp)
                || logs.monitor(relay).flatMap(RelayLogMonitor::last).map(cp::equals).orElse(false);
    }

    private void remember(String relay, SignedCheckpoint cp) {
        LinkedHashSet<SignedCheckpoint> seen = checked.computeIfAbsent(relay, r -> new LinkedHashSet<>());
        seen.add(cp);
        if (seen.size() > MAX_CHECKED) {
            seen.remove(seen.iterator().next());
        }
    }
}
