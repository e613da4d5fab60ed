package org.hotline.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.hotline.protocol.wire.WireLimits;

/**
 * Everything the relay can be told, with safe defaults ({@link #defaults}). Every limit the relay
 * enforces (README.md, "Run a relay") is here and nowhere else.
 *
 * @param host                   address to bind
 * @param port                   port to bind; 0 picks a free one
 * @param dataDir                where the mailbox lives
 * @param maxFrameBytes          largest frame accepted (after the length prefix)
 * @param maxQueuedEnvelopes     undelivered envelopes held per recipient
 * @param maxQueuedBytes         undelivered ciphertext bytes held per recipient
 * @param messagesPerSecond      sustained frames per second per connection (token bucket rate)
 * @param burst                  token bucket size
 * @param maxConnections         simultaneous connections
 * @param handshakeTimeout       a TLS handshake must finish within this
 * @param idleTimeout            a connection that sends nothing for this long is closed
 * @param pingInterval           the relay pings a connection it has not written to for this long
 * @param retention              delivered envelopes and receipts are purged after this
 * @param crlCheckInterval       how often crl.pem is checked for changes
 * @param groupCommitMaxBatch    most writes committed in one transaction
 * @param helloTimeout           an authenticated connection must send HELLO within this after the
 *                               handshake (PROTOCOL.md §3.5), so silent connections cannot hold slots
 * @param maxConnectionsPerRole  simultaneous authenticated connections of one role, so that one role
 *                               cannot take every slot and lock the others out (THREAT_MODEL.md §8)
 */
public record RelayConfig(String host, int port, Path dataDir, int maxFrameBytes, int maxQueuedEnvelopes,
                          long maxQueuedBytes, double messagesPerSecond, int burst, int maxConnections,
                          Duration handshakeTimeout, Duration idleTimeout, Duration pingInterval, Duration retention,
                          Duration crlCheckInterval, int groupCommitMaxBatch, Duration helloTimeout,
                          int maxConnectionsPerRole) {

    public RelayConfig {
        Objects.requireNonNull(host);
        Objects.requireNonNull(dataDir);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535");
        }
        if (maxFrameBytes < 1024 || maxFrameBytes > WireLimits.ABSOLUTE_MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("max frame size must be 1 KiB..16 MiB");
        }
        if (maxQueuedEnvelopes < 1 || maxQueuedBytes < 1 || messagesPerSecond <= 0 || burst < 1
                || maxConnections < 1 || groupCommitMaxBatch < 1 || maxConnectionsPerRole < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (helloTimeout.isNegative() || helloTimeout.isZero()) {
            throw new IllegalArgumentException("the HELLO timeout must be positive");
        }
        if (idleTimeout.compareTo(pingInterval) <= 0) {
            throw new IllegalArgumentException("idle timeout must be longer than the ping interval");
        }
    }

    public static RelayConfig defaults(String host, int port, Path dataDir) {
        return new RelayConfig(host, port, dataDir, WireLimits.DEFAULT_MAX_FRAME_BYTES, 10_000, 256L * 1024 * 1024,
                200, 400, 10_000, Duration.ofSeconds(10), Duration.ofSeconds(90), Duration.ofSeconds(30),
                Duration.ofDays(7), Duration.ofSeconds(2), 512, Duration.ofSeconds(10), 4);
    }

    public RelayConfig withPort(int p) {
        return new RelayConfig(host, p, dataDir, maxFrameBytes, maxQueuedEnvelopes, maxQueuedBytes, messagesPerSecond,
                burst, maxConnections, handshakeTimeout, idleTimeout, pingInterval, retention, crlCheckInterval,
                groupCommitMaxBatch, helloTimeout,
                maxConnectionsPerRole);
    }

    public RelayConfig withQueueLimits(int envelopes, long bytes) {
        return new RelayConfig(host, port, dataDir, maxFrameBytes, envelopes, bytes, messagesPerSecond, burst,
                maxConnections, handshakeTimeout, idleTimeout, pingInterval, retention, crlCheckInterval,
                groupCommitMaxBatch, helloTimeout,
                maxConnectionsPerRole);
    }

    public RelayConfig withRate(double perSecond, int burstSize) {
        return new RelayConfig(host, port, dataDir, maxFrameBytes, maxQueuedEnvelopes, maxQueuedBytes, perSecond,
                burstSize, maxConnections, handshakeTimeout, idleTimeout, pingInterval, retention, crlCheckInterval,
                groupCommitMaxBatch, helloTimeout,
                maxConnectionsPerRole);
    }

    public RelayConfig withMaxConnections(int n) {
        return new RelayConfig(host, port, dataDir, maxFrameBytes, maxQueuedEnvelopes, maxQueuedBytes, messagesPerSecond,
                burst, n, handshakeTimeout, idleTimeout, pingInterval, retention, crlCheckInterval,
                groupCommitMaxBatch, helloTimeout,
                maxConnectionsPerRole);
    }

    public RelayConfig withTimeouts(Duration handshake, Duration idle, Duration ping) {
        return new RelayConfig(host, port, dataDir, maxFrameBytes, maxQueuedEnvelopes, maxQueuedBytes, messagesPerSecond,
                burst, maxConnections, handshake, idle, ping, retention, crlCheckInterval,
                groupCommitMaxBatch, helloTimeout,
                maxConnectionsPerRole);
    }

    public RelayConfig withMaxFrameBytes(int n) {
        return new RelayConfig(host, port, dataDir, n, maxQueuedEnvelopes, maxQueuedBytes, messagesPerSecond, burst,
                maxConnections, handshakeTimeout, idleTimeout, pingInterval, retention, crlCheckInterval,
                groupCommitMaxBatch, helloTimeout,
                maxConnectionsPerRole);
    }

    public RelayConfig withRetention(Duration r) {
        return new RelayConfig(host, port, dataDir, maxFrameBytes, maxQueuedEnvelopes, maxQueuedBytes, messagesPerSecond,
                burst, maxConnections, handshakeTimeout, idleTimeout, pingInterval, r, crlCheckInterval,
                groupCommitMaxBatch, helloTimeout,
                maxConnectionsPerRole);
    }

    /** The HELLO deadline after the handshake and the cap on one role's authenticated connections. */
    public RelayConfig withHelloLimits(Duration hello, int perRole) {
        return new RelayConfig(host, port, dataDir, maxFrameBytes, maxQueuedEnvelopes, maxQueuedBytes, messagesPerSecond,
                burst, maxConnections, handshakeTimeout, idleTimeout, pingInterval, retention, crlCheckInterval,
                groupCommitMaxBatch, hello, perRole);
    }

    public RelayConfig withCrlCheckInterval(Duration d) {
        return new RelayConfig(host, port, dataDir, maxFrameBytes, maxQueuedEnvelopes, maxQueuedBytes, messagesPerSecond,
                burst, maxConnections, handshakeTimeout, idleTimeout, pingInterval, retention, d,
                groupCommitMaxBatch, helloTimeout,
                maxConnectionsPerRole);
    }
}
