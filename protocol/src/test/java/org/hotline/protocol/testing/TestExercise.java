package org.hotline.protocol.testing;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.pki.ExerciseDirectory;
import org.hotline.protocol.pki.ExercisePki;
import org.hotline.protocol.pki.PkiException;
import org.hotline.protocol.pki.RelayCredential;
import org.hotline.protocol.pki.RoleCredential;

/**
 * A freshly generated exercise (real CA, real credentials) in a test's temporary directory. The
 * only concession to test speed is a low PBKDF2 iteration count; every code path is the real one.
 */
public final class TestExercise {

    public static final String PASSPHRASE = "correct horse battery staple";
    public static final int TEST_KDF_ITERATIONS = 1000;

    private final Path dir;
    private final Exercise exercise;
    private final ExercisePki pki;

    private TestExercise(Path dir, Exercise exercise, ExercisePki pki) {
        this.dir = dir;
        this.exercise = exercise;
        this.pki = pki;
    }

    public static TestExercise create(Path parent) {
        return create(parent, Clock.systemUTC());
    }

    public static TestExercise create(Path parent, Clock clock) {
        try {
            Path dir = parent.resolve("exercise");
            ExercisePki pki = new ExercisePki(clock, new SecureRandom(), TEST_KDF_ITERATIONS);
            var result = pki.init(dir, "south-asia", Optional.of(PASSPHRASE.toCharArray()));
            return new TestExercise(dir, result.exercise(), pki);
        } catch (Exception e) {
            throw new IllegalStateException("test exercise creation failed", e);
        }
    }

    /** The template exercise with {@code relays} relays, named after the parties (PROTOCOL.md §13). */
    public static TestExercise withRelays(Path parent, int relays) {
        try {
            Path dir = parent.resolve("exercise");
            ExercisePki pki = new ExercisePki(Clock.systemUTC(), new SecureRandom(), TEST_KDF_ITERATIONS);
            var result = pki.init(dir, "south-asia", Optional.of(PASSPHRASE.toCharArray()), relays);
            return new TestExercise(dir, result.exercise(), pki);
        } catch (Exception e) {
            throw new IllegalStateException("test exercise creation failed", e);
        }
    }

    /** The relay named {@code name} of a multi-relay exercise. */
    public RelayCredential relay(String name) throws PkiException {
        return directory().loadRelay(name, PASSPHRASE.toCharArray(), Instant.now());
    }

    /**
     * The template exercise with exercise control reading nothing ({@code "reads": "none"}): leaders'
     * messages go to the one peer only, as tests of the two-party line (prekeys, receipts) expect.
     */
    public static TestExercise withoutControlReading(Path parent, Clock clock) {
        try (var in = TestExercise.class.getResourceAsStream("/org/hotline/protocol/exercise/templates/south-asia.json")) {
            String template = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            String json = template.replace("\"reads\": \"content\"", "\"reads\": \"none\"");
            if (json.equals(template)) {
                throw new IllegalStateException("the template no longer says \"reads\": \"content\"");
            }
            Path dir = parent.resolve("exercise");
            ExercisePki pki = new ExercisePki(clock, new SecureRandom(), TEST_KDF_ITERATIONS);
            var result = pki.initFromJson(dir, json, Optional.of(PASSPHRASE.toCharArray()));
            return new TestExercise(dir, result.exercise(), pki);
        } catch (Exception e) {
            throw new IllegalStateException("test exercise creation failed", e);
        }
    }

    /**
     * The template exercise with {@code edit} applied to its JSON (e.g. a channel given a third
     * member); {@code edit} must change it.
     */
    public static TestExercise fromTemplate(Path parent, java.util.function.UnaryOperator<String> edit) {
        try (var in = TestExercise.class.getResourceAsStream("/org/hotline/protocol/exercise/templates/south-asia.json")) {
            String template = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            String json = edit.apply(template);
            if (json.equals(template)) {
                throw new IllegalStateException("the edit changed nothing in the template");
            }
            Path dir = parent.resolve("exercise");
            ExercisePki pki = new ExercisePki(Clock.systemUTC(), new SecureRandom(), TEST_KDF_ITERATIONS);
            var result = pki.initFromJson(dir, json, Optional.of(PASSPHRASE.toCharArray()));
            return new TestExercise(dir, result.exercise(), pki);
        } catch (Exception e) {
            throw new IllegalStateException("test exercise creation failed", e);
        }
    }

    public static TestExercise withoutControlReading(Path parent) {
        return withoutControlReading(parent, Clock.systemUTC());
    }

    public Path dir() {
        return dir;
    }

    public ExerciseDirectory directory() {
        return new ExerciseDirectory(dir);
    }

    public Exercise exercise() {
        return exercise;
    }

    public ExercisePki pki() {
        return pki;
    }

    public RoleCredential role(String role) throws PkiException {
        return directory().loadRole(role, PASSPHRASE.toCharArray(), Instant.now());
    }

    public RelayCredential relay() throws PkiException {
        return directory().loadRelay(PASSPHRASE.toCharArray(), Instant.now());
    }

    public org.hotline.protocol.pki.CertificateAuthority authority() throws PkiException {
        return pki.loadAuthority(dir, PASSPHRASE.toCharArray());
    }

    public void revoke(String role) throws PkiException {
        pki.revoke(dir, role, PASSPHRASE.toCharArray());
    }
}
