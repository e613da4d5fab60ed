package org.hotline.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.crypto.PrekeyPair;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.Frame;
import org.hotline.server.testing.RelayFixture;
import org.hotline.server.testing.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 7, the relay's half (PROTOCOL.md §5.2, *Relay*): once the relay has loaded a CRL
 * that revokes a role, it stops handing out the prekeys that role uploaded under the revoked
 * identity, so no sender is asked to seal to a key whose owner's credential is revoked; after a
 * reissue, prekeys uploaded under the new identity are served again.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RevokedOwnerPrekeysTest {

    @TempDir
    Path tmp;
    RelayFixture relay;
    final SecureRandom random = new SecureRandom();

    @BeforeEach
    void start() throws Exception {
        relay = new RelayFixture(tmp, c -> c.withCrlCheckInterval(Duration.ofMillis(200)));
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    /** pk.pm (connected as {@code pakistan}) publishes a rotated prekey; in.pm is served it. */
    private PrekeyPair published(TestClient india, TestClient pakistan, int id) throws Exception {
        PrekeyPair fresh = PrekeyPair.generate(relay.exercise().role("pk.pm").identity(),
                relay.exercise().role("pk.pm").exerciseId(), "pk.pm", id, Instant.now(), Duration.ofDays(2), random);
        pakistan.send(new Frame.PrekeyUpload(List.of(fresh.signed())));
        assertThat(pakistan.expect(Frame.PrekeyBundle.class).prekeys()).containsExactly(fresh.signed());
        india.send(new Frame.PrekeyFetch("pk.pm"));
        assertThat(india.expect(Frame.PrekeyBundle.class).prekeys()).as("served before the revocation")
                .containsExactly(fresh.signed());
        return fresh;
    }

    @Test
    void afterAReissue_prekeysSignedByTheReplacedIdentity_areNoLongerServed_newOnesAre() throws Exception {
        try (TestClient india = relay.hello("in.pm"); TestClient pakistan = relay.hello("pk.pm")) {
            published(india, pakistan, 41);
            relay.exercise().pki().reissue(relay.exercise().dir(), "pk.pm", TestExercise.PASSPHRASE.toCharArray(),
                    Optional.of(TestExercise.PASSPHRASE.toCharArray()));
            // Closed by the housekeeping pass that reloaded the CRL and re-read the identity certificates.
            pakistan.expectError(ErrorCode.NOT_AUTHENTICATED);
            assertThat(pakistan.awaitClosed(Duration.ofSeconds(5))).isTrue();

            india.send(new Frame.PrekeyFetch("pk.pm"));
            assertThat(india.expectError(ErrorCode.NO_PREKEY).text()).contains("pk.pm");

            try (TestClient reissued = relay.hello("pk.pm")) {
                PrekeyPair underNewKey = published(india, reissued, 42);
                assertThat(underNewKey.signed().prekeyId()).isEqualTo(42);
            }
        }
        relay.assertStillServes();
    }

    @Test
    void afterARevocation_theRevokedRolesPrekeys_areNoLongerServed() throws Exception {
        try (TestClient india = relay.hello("in.pm"); TestClient pakistan = relay.hello("pk.pm")) {
            published(india, pakistan, 43);
            relay.exercise().revoke("pk.pm");
            pakistan.expectError(ErrorCode.NOT_AUTHENTICATED);
            assertThat(pakistan.awaitClosed(Duration.ofSeconds(5))).isTrue();

            india.send(new Frame.PrekeyFetch("pk.pm"));
            india.expectError(ErrorCode.NO_PREKEY);
        }
        relay.assertStillServes();
    }
}
