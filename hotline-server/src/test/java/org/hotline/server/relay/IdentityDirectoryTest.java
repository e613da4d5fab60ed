package org.hotline.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import org.hotline.protocol.pki.PkiException;
import org.hotline.protocol.testing.SettableClock;
import org.hotline.protocol.testing.TestExercise;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay's cache of identity keys never outlives the certificate it came from. */
class IdentityDirectoryTest {

    @TempDir
    Path tmp;

    @Test
    void aCachedKey_stopsVerifyingWhenItsCertificateExpires() throws Exception {
        TestExercise ex = TestExercise.create(tmp);
        SettableClock clock = new SettableClock(Instant.now());
        IdentityDirectory identities = new IdentityDirectory(ex.directory(), new TrustState(ex.directory()), clock);
        assertThat(identities.keyOf("pk.pm")).isEqualTo(ex.role("pk.pm").identity().publicKey());
        IdentityDirectory.Identity id = identities.identityOf("pk.pm");
        assertThat(id.certificate().getSubjectX500Principal().getName()).contains("pk.pm");
        assertThat(id.key()).isEqualTo(identities.keyOf("pk.pm"));

        clock.set(id.certificate().getNotAfter().toInstant().plusSeconds(1));

        assertThatThrownBy(() -> identities.keyOf("pk.pm")).isInstanceOf(PkiException.class).hasMessageContaining("expired");
    }
}
