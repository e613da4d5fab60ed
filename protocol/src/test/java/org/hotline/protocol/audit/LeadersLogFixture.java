package org.hotline.protocol.audit;

import java.nio.file.Path;
import java.util.Optional;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.testing.TestExercise;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exercise the audit-log tests write logs in: one fresh PKI per test class with both prime
 * ministers' credentials, a fresh directory per test, and the exercise CA as trust anchor.
 */
abstract class LeadersLogFixture {

    @TempDir
    static Path shared;
    static TestExercise ex;
    static RoleCredential inPm;
    static RoleCredential pkPm;

    @TempDir
    Path tmp;

    @BeforeAll
    static void exercise() throws Exception {
        ex = TestExercise.create(shared);
        inPm = ex.role("in.pm");
        pkPm = ex.role("pk.pm");
    }

    static Optional<CertificateValidator> trust() throws Exception {
        return Optional.of(ex.directory().validator());
    }
}
