package org.hotline.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.Frame;
import org.hotline.server.testing.RelayFixture;
import org.hotline.server.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One role cannot lock the others out: its authenticated connections are capped, and a connection
 * that never says HELLO is closed at the HELLO deadline (PROTOCOL.md §3.5, THREAT_MODEL.md §8).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionSlotsTest {

    @TempDir
    Path tmp;

    @Test
    void oneRoleOverItsCap_neverSayingHello_cannotLockAnotherRoleOut() throws Exception {
        // Three slots in all, two per role: without the per-role cap in.pm would take all three.
        try (RelayFixture relay = new RelayFixture(tmp, c -> c.withMaxConnections(3)
                .withHelloLimits(Duration.ofSeconds(30), 2))) {
            List<TestClient> silent = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    TestClient c = relay.connect("in.pm");
                    assertThat(c.handshake()).isTrue();
                    silent.add(c);
                }
                TestClient third = silent.get(2);
                assertThat(third.expectError(ErrorCode.TOO_MANY_CONNECTIONS).text())
                        .contains("in.pm").contains("limit per role");
                assertThat(third.awaitClosed(Duration.ofSeconds(5))).isTrue();
                try (TestClient other = relay.hello("pk.pm")) {
                    other.send(new Frame.Ping(7));
                    assertThat(other.expect(Frame.Pong.class).nonce()).isEqualTo(7);
                }
                assertThat(silent.get(0).isOpen()).as("within the cap and the HELLO deadline").isTrue();
            } finally {
                silent.forEach(TestClient::close);
            }
        }
    }

    @Test
    void connectionWithoutHello_isClosedAtTheDeadline_andItsSlotFreed() throws Exception {
        try (RelayFixture relay = new RelayFixture(tmp, c -> c.withHelloLimits(Duration.ofMillis(500), 1))) {
            try (TestClient mute = relay.connect("in.pm")) {
                assertThat(mute.handshake()).isTrue();
                long start = System.nanoTime();
                assertThat(mute.expectError(ErrorCode.IDLE_TIMEOUT).text()).contains("no HELLO");
                assertThat(mute.awaitClosed(Duration.ofSeconds(5))).isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
            }
            // The slot is free again, and a connection that said HELLO outlives the deadline.
            try (TestClient ok = relay.hello("in.pm")) {
                Thread.sleep(1000);
                ok.send(new Frame.Ping(3));
                assertThat(ok.expect(Frame.Pong.class).nonce()).isEqualTo(3);
            }
        }
    }
}
