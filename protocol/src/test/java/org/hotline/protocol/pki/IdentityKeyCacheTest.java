package org.hotline.protocol.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.hotline.protocol.crypto.IdentityPublicKey;
import org.hotline.protocol.testing.TestExercise;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one cache of validated identity keys (relay and client) must never outlive what validated
 * it: the certificate bytes, the CRL in force, the certificate's validity window. Every rule is
 * checked for both ways of reading the files.
 */
class IdentityKeyCacheTest {

    @TempDir
    Path tmp;

    static Stream<Arguments> modes() {
        return Stream.of(
                Arguments.of("readingOnLookup (client)",
                        (Function<ExerciseDirectory, IdentityKeyCache>) IdentityKeyCache::readingOnLookup),
                Arguments.of("readingOnRefresh (relay)",
                        (Function<ExerciseDirectory, IdentityKeyCache>) IdentityKeyCache::readingOnRefresh));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void aLookup_returnsTheRolesKeyAndCertificate_andReusesIt(String mode,
                                                              Function<ExerciseDirectory, IdentityKeyCache> factory)
            throws Exception {
        TestExercise ex = TestExercise.create(tmp);
        IdentityKeyCache cache = factory.apply(ex.directory());
        CertificateValidator validator = ex.directory().validator();

        IdentityKeyCache.Identity id = cache.identity("pk.pm", validator, Instant.now());

        assertThat(id.key()).isEqualTo(ex.role("pk.pm").identity().publicKey());
        assertThat(id.certificate().getSubjectX500Principal().getName()).contains("pk.pm");
        assertThat(cache.identity("pk.pm", validator, Instant.now()).key()).isSameAs(id.key());
    }

    @Test
    void readingOnLookup_aReissuedCertificate_isPickedUpAtOnce_evenWithTheSameValidator() throws Exception {
        TestExercise ex = TestExercise.create(tmp);
        IdentityKeyCache keys = IdentityKeyCache.readingOnLookup(ex.directory());
        CertificateValidator validator = ex.directory().validator();
        IdentityPublicKey before = keys.identity("pk.pm", validator, Instant.now()).key();
        assertThat(keys.identity("pk.pm", validator, Instant.now()).key()).isSameAs(before);

        ex.pki().reissue(ex.dir(), "pk.pm", TestExercise.PASSPHRASE.toCharArray(),
                Optional.of(TestExercise.PASSPHRASE.toCharArray()));

        IdentityPublicKey after = keys.identity("pk.pm", validator, Instant.now()).key();
        assertThat(after).isNotEqualTo(before).isEqualTo(ex.role("pk.pm").identity().publicKey());
    }

    @Test
    void readingOnRefresh_aReissuedCertificate_isPickedUpAtTheNextRefresh_andLookupsReadNoFile() throws Exception {
        TestExercise ex = TestExercise.create(tmp);
        IdentityKeyCache keys = IdentityKeyCache.readingOnRefresh(ex.directory());
        CertificateValidator validator = ex.directory().validator();
        IdentityPublicKey before = keys.identity("pk.pm", validator, Instant.now()).key();

        ex.pki().reissue(ex.dir(), "pk.pm", TestExercise.PASSPHRASE.toCharArray(),
                Optional.of(TestExercise.PASSPHRASE.toCharArray()));

        assertThat(keys.identity("pk.pm", validator, Instant.now()).key()).isSameAs(before);
        keys.refresh();
        IdentityPublicKey after = keys.identity("pk.pm", validator, Instant.now()).key();
        assertThat(after).isNotEqualTo(before).isEqualTo(ex.role("pk.pm").identity().publicKey());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void aReloadedCrl_revokesACachedKey(String mode, Function<ExerciseDirectory, IdentityKeyCache> factory)
            throws Exception {
        TestExercise ex = TestExercise.create(tmp);
        IdentityKeyCache keys = factory.apply(ex.directory());
        keys.identity("in.pm", ex.directory().validator(), Instant.now());

        ex.revoke("in.pm");

        assertThatThrownBy(() -> keys.identity("in.pm", ex.directory().validator(), Instant.now()))
                .isInstanceOf(PkiException.class).hasMessageContaining("revoked");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void anExpiredCertificate_isRefusedEvenWhenCached(String mode, Function<ExerciseDirectory, IdentityKeyCache> factory)
            throws Exception {
        TestExercise ex = TestExercise.create(tmp);
        IdentityKeyCache keys = factory.apply(ex.directory());
        CertificateValidator validator = ex.directory().validator();
        keys.identity("in.pm", validator, Instant.now());

        Instant afterExpiry = ex.directory().identityCertificateOf("in.pm").getNotAfter().toInstant().plusSeconds(1);
        assertThatThrownBy(() -> keys.identity("in.pm", validator, afterExpiry))
                .isInstanceOf(PkiException.class).hasMessageContaining("expired");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void aCertificateFiledUnderAnotherRole_isRefused(String mode, Function<ExerciseDirectory, IdentityKeyCache> factory)
            throws Exception {
        TestExercise ex = TestExercise.create(tmp);
        Files.copy(ex.directory().identityCertificate("in.pm"), ex.directory().identityCertificate("pk.pm"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        IdentityKeyCache keys = factory.apply(ex.directory());

        assertThatThrownBy(() -> keys.identity("pk.pm", ex.directory().validator(), Instant.now()))
                .isInstanceOf(PkiException.class).hasMessageContaining("is a certificate for in.pm");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void aMissingCertificate_isReportedAsMissing(String mode, Function<ExerciseDirectory, IdentityKeyCache> factory)
            throws Exception {
        TestExercise ex = TestExercise.create(tmp);
        Files.delete(ex.directory().identityCertificate("pk.pm"));
        IdentityKeyCache keys = factory.apply(ex.directory());

        assertThatThrownBy(() -> keys.identity("pk.pm", ex.directory().validator(), Instant.now()))
                .isInstanceOf(PkiException.class)
                .satisfies(e -> assertThat(((PkiException) e).reason()).isEqualTo(PkiException.Reason.MISSING_FILE));
    }
}
