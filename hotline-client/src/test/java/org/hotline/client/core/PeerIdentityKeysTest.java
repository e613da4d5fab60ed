package org.hotline.client.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.hotline.protocol.crypto.IdentityPublicKey;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.PkiException;
import org.hotline.protocol.testing.TestExercise;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache of validated peer keys must never outlive what validated them. */
class PeerIdentityKeysTest {

    @TempDir
    Path tmp;

    @Test
    void aReissuedCertificate_isPickedUpAtOnce_evenWithTheSameValidator() throws Exception {
        TestExercise ex = TestExercise.create(tmp);
        PeerIdentityKeys keys = new PeerIdentityKeys(ex.directory());
        CertificateValidator validator = ex.directory().validator();
        IdentityPublicKey before = keys.identity("pk.pm", validator, Instant.now()).key();
        assertThat(keys.identity("pk.pm", validator, Instant.now()).key()).isSameAs(before);

        ex.pki().reissue(ex.dir(), "pk.pm", TestExercise.PASSPHRASE.toCharArray(),
                Optional.of(TestExercise.PASSPHRASE.toCharArray()));

        IdentityPublicKey after = keys.identity("pk.pm", validator, Instant.now()).key();
        assertThat(after).isNotEqualTo(before).isEqualTo(ex.role("pk.pm").identity().publicKey());
    }

    @Test
    void aReloadedCrl_revokesACachedKey() throws Exception {
        TestExercise ex = TestExercise.create(tmp);
        PeerIdentityKeys keys = new PeerIdentityKeys(ex.directory());
        keys.identity("in.pm", ex.directory().validator(), Instant.now());

        ex.revoke("in.pm");

        assertThatThrownBy(() -> keys.identity("in.pm", ex.directory().validator(), Instant.now()))
                .isInstanceOf(PkiException.class).hasMessageContaining("revoked");
    }

    @Test
    void anExpiredCertificate_isRefusedEvenWhenCached() throws Exception {
        TestExercise ex = TestExercise.create(tmp);
        PeerIdentityKeys keys = new PeerIdentityKeys(ex.directory());
        CertificateValidator validator = ex.directory().validator();
        keys.identity("in.pm", validator, Instant.now());

        Instant afterExpiry = ex.directory().identityCertificateOf("in.pm").getNotAfter().toInstant().plusSeconds(1);
        assertThatThrownBy(() -> keys.identity("in.pm", validator, afterExpiry))
                .isInstanceOf(PkiException.class).hasMessageContaining("expired");
    }
}
