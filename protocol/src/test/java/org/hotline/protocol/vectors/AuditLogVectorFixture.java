package org.hotline.protocol.vectors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.hotline.protocol.audit.AuditLog;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.signals.SignalCatalog;
import org.hotline.protocol.testing.SettableClock;
import org.hotline.protocol.testing.TestExercise;

/**
 * What every generator of a signed audit-log vector (PROTOCOL.md §11.6) starts from: a fresh
 * exercise issued the day before {@code t}, in.pm's and pk.pm's credentials, the built-in catalog,
 * the vector's log file in the source tree (deleted first), a clock set to {@code t}; then in.pm's
 * log opened on that file, and the copies that must be rejected written next to it.
 */
final class AuditLogVectorFixture {

    /** Changes a copy of the log into one that must be rejected. */
    interface Edit {
        void apply(Path file) throws Exception;
    }

    final TestExercise exercise;
    final RoleCredential in;
    final RoleCredential pk;
    final SignalCatalog catalog = SignalCatalog.builtIn();
    /** The vector's log, in {@link Vectors#SOURCE_DIR}. */
    final Path log;
    final SettableClock clock;

    private AuditLogVectorFixture(TestExercise exercise, RoleCredential in, RoleCredential pk, Path log, Instant t) {
        this.exercise = exercise;
        this.in = in;
        this.pk = pk;
        this.log = log;
        this.clock = new SettableClock(t);
    }

    /** A fresh exercise under {@code tmp} and an empty {@code file} in the vector directory, the clock at {@code t}. */
    static AuditLogVectorFixture create(Path tmp, Instant t, String file) throws Exception {
        TestExercise ex = TestExercise.create(tmp, Clock.fixed(t.minus(Duration.ofDays(1)), ZoneOffset.UTC));
        char[] pass = TestExercise.PASSPHRASE.toCharArray();
        RoleCredential in = ex.directory().loadRole("in.pm", pass, t);
        RoleCredential pk = ex.directory().loadRole("pk.pm", pass, t);
        Path log = Vectors.SOURCE_DIR.resolve(file);
        Files.deleteIfExists(log);
        return new AuditLogVectorFixture(ex, in, pk, log, t);
    }

    /** in.pm's audit log on {@link #log}, on {@link #clock}, a checkpoint every 64 entries (and at close). */
    AuditLog openLog() throws Exception {
        return AuditLog.open(log, "in.pm", in.identity(), in.identityCertificate(), in.caCertificate(), clock, 64);
    }

    /**
     * Writes {@code name}, a copy of the log changed by {@code edit}, and lists it in {@code out} with
     * the line a verifier must reject it at and the words its reason must contain.
     */
    void negative(ArrayNode out, String name, int line, String reason, String what, Edit edit) throws Exception {
        Path f = Vectors.SOURCE_DIR.resolve(name);
        Files.copy(log, f, StandardCopyOption.REPLACE_EXISTING);
        edit.apply(f);
        ObjectNode n = out.addObject();
        n.put("file", name);
        n.put("what", what);
        n.put("line", line);
        n.put("reason", reason);
    }
}
