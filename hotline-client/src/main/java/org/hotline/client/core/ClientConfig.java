package org.hotline.client.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.hotline.protocol.exercise.RelayEndpoint;
import org.hotline.protocol.wire.Receipt;

/**
 * How a client core runs. {@link #defaults} gives the production values; tests shorten intervals.
 *
 * @param exerciseDir       the exercise directory handed out by the facilitator
 * @param role              whose seat this is, e.g. {@code in.pm}
 * @param relayHost         relay address
 * @param relayPort         relay port
 * @param dataDir           local store, prekey store and {@code audit.jsonl}
 * @param linkTestInterval  how often an end-to-end link test goes to each channel peer
 * @param reconnectMin      first reconnect delay; doubles (with jitter) up to {@code reconnectMax}
 * @param reconnectMax      longest reconnect delay
 * @param prekeyRotation    a new prekey after this long
 * @param prekeyValidity    how long a prekey may be used by senders
 * @param prekeyRetention   how long an expired prekey's private half is kept for late messages
 * @param checkpointEvery   audit-log entries between signed checkpoints
 * @param kdfIterations     PBKDF2 iterations for the prekey store
 * @param keepAlive         the client pings the relay after this long without traffic, and drops a
 *                          connection on which nothing at all arrived for three times this long
 *                          (a half-open link: the relay or a middlebox vanished without a FIN)
 * @param relays            every relay the client connects to, the first at {@code relayHost}:{@code relayPort}
 *                          (one named {@code relay}, or several: PROTOCOL.md §13)
 */
public record ClientConfig(Path exerciseDir, String role, String relayHost, int relayPort, Path dataDir,
                           Duration linkTestInterval, Duration reconnectMin, Duration reconnectMax,
                           Duration prekeyRotation, Duration prekeyValidity, Duration prekeyRetention,
                           int checkpointEvery, int kdfIterations, Duration keepAlive, List<RelayEndpoint> relays) {

    public ClientConfig {
        Objects.requireNonNull(exerciseDir);
        Objects.requireNonNull(role);
        Objects.requireNonNull(relayHost);
        Objects.requireNonNull(dataDir);
        relays = List.copyOf(relays);
        if (relays.isEmpty() || !relays.get(0).host().equals(relayHost) || relays.get(0).port() != relayPort) {
            throw new IllegalArgumentException("the first relay must be relayHost:relayPort");
        }
        if (keepAlive.isNegative() || keepAlive.isZero()) {
            throw new IllegalArgumentException("keep-alive interval must be positive");
        }
        // Senders refuse a rotated prekey valid longer than this (PROTOCOL.md §5.2): a client making
        // such prekeys would publish nothing anyone seals to.
        if (prekeyValidity.isNegative() || prekeyValidity.isZero()
                || prekeyValidity.compareTo(org.hotline.protocol.crypto.VerifiedPrekey.MAX_ROTATED_VALIDITY) > 0) {
            throw new IllegalArgumentException("prekey validity must be positive and at most "
                    + org.hotline.protocol.crypto.VerifiedPrekey.MAX_ROTATED_VALIDITY.toHours() + " h, not "
                    + prekeyValidity);
        }
    }

    /** A client of a single-relay exercise: one relay, named {@code relay}, at {@code relayHost}:{@code relayPort}. */
    public ClientConfig(Path exerciseDir, String role, String relayHost, int relayPort, Path dataDir,
                        Duration linkTestInterval, Duration reconnectMin, Duration reconnectMax,
                        Duration prekeyRotation, Duration prekeyValidity, Duration prekeyRetention,
                        int checkpointEvery, int kdfIterations, Duration keepAlive) {
        this(exerciseDir, role, relayHost, relayPort, dataDir, linkTestInterval, reconnectMin, reconnectMax,
                prekeyRotation, prekeyValidity, prekeyRetention, checkpointEvery, kdfIterations, keepAlive,
                List.of(new RelayEndpoint(Receipt.RELAY, relayHost, relayPort)));
    }

    public static ClientConfig defaults(Path exerciseDir, String role, String relayHost, int relayPort, Path dataDir) {
        return new ClientConfig(exerciseDir, role, relayHost, relayPort, dataDir, Duration.ofSeconds(30),
                Duration.ofMillis(200), Duration.ofSeconds(3), Duration.ofHours(24), Duration.ofHours(48),
                Duration.ofDays(7), 64, 200_000, Duration.ofSeconds(10),
                List.of(new RelayEndpoint(Receipt.RELAY, relayHost, relayPort)));
    }

    public ClientConfig withLinkTestInterval(Duration d) {
        return new ClientConfig(exerciseDir, role, relayHost, relayPort, dataDir, d, reconnectMin, reconnectMax,
                prekeyRotation, prekeyValidity, prekeyRetention, checkpointEvery, kdfIterations, keepAlive, relays);
    }

    public ClientConfig withKdfIterations(int n) {
        return new ClientConfig(exerciseDir, role, relayHost, relayPort, dataDir, linkTestInterval, reconnectMin,
                reconnectMax, prekeyRotation, prekeyValidity, prekeyRetention, checkpointEvery, n, keepAlive, relays);
    }

    /** One relay at {@code host}:{@code port}, keeping the name of the first relay (a single-relay exercise). */
    public ClientConfig withRelay(String host, int port) {
        return withRelays(List.of(new RelayEndpoint(relays.get(0).name(), host, port)));
    }

    /** These relays (PROTOCOL.md §13): the client connects to each and sends every message through all of them. */
    public ClientConfig withRelays(List<RelayEndpoint> endpoints) {
        RelayEndpoint first = endpoints.get(0);
        return new ClientConfig(exerciseDir, role, first.host(), first.port(), dataDir, linkTestInterval, reconnectMin,
                reconnectMax, prekeyRotation, prekeyValidity, prekeyRetention, checkpointEvery, kdfIterations,
                keepAlive, endpoints);
    }

    /** The name of the first relay (the one a single-path client talks to). */
    public String relayName() {
        return relays.get(0).name();
    }

    public ClientConfig withKeepAlive(Duration d) {
        return new ClientConfig(exerciseDir, role, relayHost, relayPort, dataDir, linkTestInterval, reconnectMin,
                reconnectMax, prekeyRotation, prekeyValidity, prekeyRetention, checkpointEvery, kdfIterations, d, relays);
    }
}
