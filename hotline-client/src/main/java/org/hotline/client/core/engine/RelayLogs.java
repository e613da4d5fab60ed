package org.hotline.client.core.engine;

import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.hotline.client.core.ClientConfig;
import org.hotline.client.core.net.Connection;
import org.hotline.client.core.net.RelayPaths;
import org.hotline.protocol.exercise.RelayEndpoint;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.tlog.SignedCheckpoint;
import org.hotline.protocol.wire.Receipt;

/**
 * One {@link RelayLogMonitor} per relay (PROTOCOL.md §12, §13): each relay's checkpoints form their
 * own chain, checked against that relay's key and asked for proofs through that relay's path only.
 * With one relay this is the one monitor. Engine thread only.
 */
final class RelayLogs {

    private final Map<String, RelayLogMonitor> monitors = new LinkedHashMap<>();
    private final Optional<RelayPaths> paths;

    RelayLogs(ClientConfig config, ExerciseId exerciseId, PeerTrust trust, Connection connection, ClientAudit audit,
              Clock clock) {
        this.paths = connection instanceof RelayPaths p ? Optional.of(p) : Optional.empty();
        if (paths.isPresent()) {
            for (RelayEndpoint r : config.relays()) {
                monitors.put(r.name(), new RelayLogMonitor(config.role(), r.name(), exerciseId, trust,
                        paths.get().to(r.name()), audit, config.dataDir(), clock));
            }
        } else {
            monitors.put(config.relayName(), new RelayLogMonitor(config.role(), config.relayName(), exerciseId, trust,
                    connection, audit, config.dataDir(), clock));
        }
    }

    /** The first relay's monitor (the only one of a single-relay client). */
    RelayLogMonitor first() {
        return monitors.values().iterator().next();
    }

    /** The monitor of the relay named {@code relay}, if this client is configured with it. */
    Optional<RelayLogMonitor> monitor(String relay) {
        return Optional.ofNullable(monitors.get(relay));
    }

    /** Each relay's last verified checkpoint, by relay name (relays that showed none are left out). */
    SortedMap<String, SignedCheckpoint> latest() {
        SortedMap<String, SignedCheckpoint> latest = new TreeMap<>();
        monitors.forEach((name, m) -> m.last().ifPresent(cp -> latest.put(name, cp)));
        return latest;
    }

    void load() throws IOException {
        for (RelayLogMonitor m : monitors.values()) {
            m.load();
        }
    }

    void tick() {
        monitors.values().forEach(RelayLogMonitor::tick);
    }

    /** A relay said WELCOME: its monitor asks again for what was unanswered. */
    void welcomed() {
        current().ifPresent(RelayLogMonitor::welcomed);
    }

    /** What the delivery tracker does with a receipt the relay's log proves. */
    interface AcceptByLog {
        /**
         * Checks the proven receipt against our message (moving it to accepted if it awaited that);
         * true if it is our message and this relay's proof of it is not recorded yet.
         */
        boolean accept(Receipt r) throws Exception;

        /** This relay's proof of the message is now in the audit log. */
        void recorded(Receipt r) throws Exception;
    }

    /**
     * An ACCEPTED_IN_LOG (PROTOCOL.md §12.3): its receipt is unsigned, so the log proof of the relay
     * it names comes first and stands in for the signature; only then does the tracker see it. The
     * proof is recorded once per message and relay: the first time a verified proof for a message
     * we sent arrives, whatever the message's state by then (a delivery receipt may have come first).
     */
    void acceptedInLog(Frame.Accepted a, AcceptByLog tracker) throws Exception {
        Receipt r = a.receipt();
        RelayLogMonitor m = monitors.get(r.asserter());
        if (m == null) {
            return;
        }
        Optional<SignedCheckpoint> proven = m.proveInclusion(r, a.inclusion().orElseThrow());
        if (proven.isEmpty()) {
            return;
        }
        if (tracker.accept(r) && m.included(r, a.inclusion().orElseThrow(), proven.get())) {
            tracker.recorded(r);
        }
    }

    /** A plain (signed) ACCEPTED and the tracker's verdict on it; recorded as for {@link #acceptedInLog}. */
    void acceptedWithoutProof(Frame.Accepted a, DeliveryTracker.Verdict verdict) {
        Receipt r = a.receipt();
        RelayLogMonitor m = monitors.get(r.asserter());
        if (m != null && recorded(verdict, r)) {
            m.acceptedWithoutProof(r);
        }
    }

    private boolean recorded(DeliveryTracker.Verdict verdict, Receipt r) {
        return verdict == DeliveryTracker.Verdict.MOVED
                || verdict == DeliveryTracker.Verdict.MATCHED && firstHere(r);
    }

    private boolean firstHere(Receipt r) {
        return paths.map(p -> p.currentRelay().equals(Optional.of(r.asserter()))
                && p.firstAcceptanceOnCurrentPath(r.messageId())).orElse(false);
    }

    /** A consistency proof, for the monitor of the relay that sent it. */
    void consistency(Frame.LogConsistency c) throws IOException {
        Optional<RelayLogMonitor> m = current();
        if (m.isPresent()) {
            m.get().consistency(c);
        }
    }

    private Optional<RelayLogMonitor> current() {
        if (paths.isEmpty()) {
            return Optional.of(first());
        }
        return paths.get().currentRelay().map(monitors::get);
    }
}
