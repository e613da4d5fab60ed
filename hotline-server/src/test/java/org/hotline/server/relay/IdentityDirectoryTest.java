package org.hotline.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.hotline.protocol.pki.PkiException;
import org.hotline.protocol.testing.TestExercise;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay's cache of identity keys never outlives the certificate it came from. */
class IdentityDirectoryTest {

    @TempDir
    Path tmp;

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    @Test
    void aCachedKey_stopsVerifyingWhenItsCertificateExpires() throws Exception {
        TestExercise ex = TestExercise.create(tmp);
        MovableClock clock = new MovableClock();
        IdentityDirectory identities = new IdentityDirectory(ex.directory(), new TrustState(ex.directory()), clock);
        assertThat(identities.keyOf("pk.pm")).isEqualTo(ex.role("pk.pm").identity().publicKey());
        IdentityDirectory.Identity id = identities.identityOf("pk.pm");
        assertThat(id.certificate().getSubjectX500Principal().getName()).contains("pk.pm");
        assertThat(id.key()).isEqualTo(identities.keyOf("pk.pm"));

        clock.now.set(id.certificate().getNotAfter().toInstant().plusSeconds(1));

        assertThatThrownBy(() -> identities.keyOf("pk.pm")).isInstanceOf(PkiException.class).hasMessageContaining("expired");
    }
}
