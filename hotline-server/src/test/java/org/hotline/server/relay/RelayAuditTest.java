package org.hotline.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.hotline.protocol.audit.AuditLog;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.pki.ExercisePki;
import org.hotline.protocol.pki.RelayCredential;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.Receipt;
import org.hotline.server.store.Mailbox;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay's audit writes around a group commit (review A-L1, A-L2): nothing is answered before
 * the entries of its commit are written, and a write that fails in any way still lets the
 * committed messages be answered.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RelayAuditTest {

    @TempDir
    Path tmp;
    TestExercise exercise;
    RelayCredential relay;
    Path file;
    /** When set, the audit log's clock throws: every write of an entry fails with a runtime exception. */
    final AtomicBoolean clockBroken = new AtomicBoolean();
    /** The group-commit hook the audit registered, and whether "the mailbox" is completing a commit. */
    final AtomicReference<Runnable> hook = new AtomicReference<>();
    final AtomicBoolean completing = new AtomicBoolean();
    final List<String> order = new CopyOnWriteArrayList<>();

    @BeforeEach
    void pki() throws Exception {
        exercise = TestExercise.create(tmp);
        relay = exercise.relay();
        file = tmp.resolve("relay-audit.jsonl");
    }

    /** A mailbox that commits in groups, as far as the audit can tell: it holds the hook and says when it completes. */
    Mailbox groupCommitting() {
        return (Mailbox) Proxy.newProxyInstance(Mailbox.class.getClassLoader(), new Class<?>[] {Mailbox.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "afterEachGroupCommit" -> {
                        hook.set((Runnable) args[0]);
                        yield true;
                    }
                    case "completingGroupCommit" -> completing.get();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    AuditLog log() throws Exception {
        Clock system = Clock.systemUTC();
        Clock clock = new Clock() {
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
                if (clockBroken.get()) {
                    throw new IllegalStateException("clock broken by the test");
                }
                return system.instant();
            }
        };
        return AuditLog.open(file, ExercisePki.RELAY_NAME, relay.identity(), relay.identityCertificate(),
                relay.caCertificate(), clock, 256);
    }

    Frame.Send send(long counter) throws Exception {
        return RelayFixture.seal(exercise, "in.pm", "pk.pm", "leaders", counter, new Content.Text("x" + counter));
    }

    Receipt accepted(Frame.Send send) {
        return Receipt.unsigned(new Receipt.Fields(Receipt.Type.ACCEPTED, relay.exerciseId(), send.messageId(),
                Receipt.RELAY, send.sender(), send.channel(), Instant.now(), Hashes.sendHash(send)));
    }

    long relayAcceptedLines() throws Exception {
        return Files.readAllLines(file).stream().filter(l -> l.contains("\"type\":\"relay-accepted\"")).count();
    }

    @Test
    void aDuplicateAnsweredInTheOriginalsGroupCommit_waitsForTheOriginalsEntry() throws Exception {
        try (AuditLog log = log()) {
            RelayAudit audit = new RelayAudit(log, groupCommitting());
            Frame.Send original = send(1);
            completing.set(true);
            audit.accepted(original, accepted(original), () -> order.add("original answered"));
            audit.afterPending(() -> order.add("duplicate answered"));
            assertThat(order).as("nothing answered before the commit's entries are written").isEmpty();
            assertThat(relayAcceptedLines()).isZero();
            completing.set(false);

            hook.get().run(); // the group commit's completions are done

            assertThat(order).containsExactly("original answered", "duplicate answered");
            assertThat(relayAcceptedLines()).isEqualTo(1);
        }
    }

    @Test
    void aDuplicateOutsideAGroupCommit_isAnsweredAtOnce() throws Exception {
        try (AuditLog log = log()) {
            RelayAudit audit = new RelayAudit(log, groupCommitting());
            audit.afterPending(() -> order.add("duplicate answered"));
            assertThat(order).containsExactly("duplicate answered");
        }
    }

    @Test
    void aBatchWriteThatThrowsARuntimeException_stillAnswersEveryMessageOfTheCommit() throws Exception {
        try (AuditLog log = log()) {
            RelayAudit audit = new RelayAudit(log, groupCommitting());
            completing.set(true);
            for (long i = 1; i <= 3; i++) {
                Frame.Send s = send(i);
                audit.accepted(s, accepted(s), () -> order.add("answered " + s.messageId().shortForm()));
            }
            completing.set(false);
            clockBroken.set(true);

            hook.get().run();

            assertThat(order).hasSize(3);
            clockBroken.set(false);
        }
    }

    @Test
    void anEntryWriteThatThrowsARuntimeException_outsideAGroupCommit_stillAnswers() throws Exception {
        try (AuditLog log = log()) {
            RelayAudit audit = new RelayAudit(log, groupCommitting());
            Frame.Send s = send(1);
            clockBroken.set(true);

            audit.accepted(s, accepted(s), () -> order.add("answered"));

            assertThat(order).containsExactly("answered");
            clockBroken.set(false);
        }
    }
}
