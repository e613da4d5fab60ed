package org.hotline.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.hotline.app.HotlineMain;
import org.hotline.app.testing.RelayClients;
import org.hotline.protocol.tlog.MerkleHashes;
import org.hotline.protocol.tlog.MerkleLog;
import org.hotline.server.store.Mailbox;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relay that shows two histories (PROTOCOL.md §12.4, THREAT_MODEL.md): a test relay whose fault
 * hook rewrites its log after a client has seen a checkpoint is caught by that client (its problem
 * list says "relay log forked: …"). Its failed proof is asked for again signed, and what the relay
 * signs then contradicts the checkpoint the client holds, so {@code log verify} on the client's log,
 * with only the exercise CA, reports that the relay signed two inconsistent histories (exit 6, the log
 * itself intact), while an honest relay's log, with restarts, gives no such finding.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RelayLogForkTest {

    @TempDir
    Path tmp;

    record Cli(int exit, String out, String err) {
    }

    static Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HotlineMain.run(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(code, out.toString(), err.toString());
    }

    /** Collects what a client shows as problems. */
    static final class Problems implements ClientListener {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public void problem(String message) {
            seen.add(message);
        }

        boolean await(String prefix) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                if (seen.stream().anyMatch(p -> p.startsWith(prefix))) {
                    return true;
                }
                Thread.sleep(20);
            }
            return false;
        }
    }

    private static void send(HotlineClient c, String to, String text) throws Exception {
        var id = c.sendText(to, text).get(30, TimeUnit.SECONDS);
        c.whenState(id, DeliveryState.ACCEPTED).get(30, TimeUnit.SECONDS);
    }

    @Test
    void relayRewritesItsLog_senderReportsTheFork_andLogVerifyProvesIt() throws Exception {
        java.time.Instant testStart = java.time.Instant.now();
        AtomicReference<Mailbox> mailbox = new AtomicReference<>();
        org.hotline.protocol.testing.TestExercise exercise;
        try (RelayFixture relay = new RelayFixture(tmp, c -> c, m -> {
            mailbox.set(m);
            return m;
        })) {
            exercise = relay.exercise();
            Problems problems = new Problems();
            HotlineClient in = RelayClients.open(relay, "in.pm", tmp.resolve("in.pm"));
            in.addListener(problems);
            in.start();
            send(in, "pk.pm", "one");
            send(in, "pk.pm", "two");
            // Both checkpoints were checked: size 1, then 2 with the relay's proof 1 -> 2.
            Path stored = tmp.resolve("in.pm").resolve("relay-log-checkpoint");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(Files.exists(stored) && Files.readString(stored).contains("\n2\n")) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(Files.readString(stored, StandardCharsets.UTF_8)).contains("\n2\n");
            assertThat(problems.seen).noneMatch(p -> p.startsWith("relay log forked"));

            // The fault: the relay replaces leaf 1 with another, as if it had accepted something else.
            MerkleLog log = mailbox.get().relayLog().orElseThrow();
            log.truncate(1);
            log.append(MerkleHashes.leafHash("a message nobody sent".getBytes(StandardCharsets.UTF_8)));

            send(in, "pk.pm", "three");
            assertThat(problems.await("relay log forked: checkpoint 3 is not consistent with 2 (it signed two roots "
                    + "for size 2; the relay's own signatures prove it)")).as("problems shown: %s", problems.seen).isTrue();
            in.close();
        }
        Path auditLog = tmp.resolve("in.pm").resolve("audit.jsonl");
        Cli verify = cli("log", "verify", auditLog.toString(), "--exercise", tmp.resolve("exercise").toString());
        // The relay's signed answer contradicts the checkpoint of size 2 it signed before (PROTOCOL.md §12.5):
        // proof by its own signatures, exit 6; the log itself is intact.
        assertThat(verify.exit()).as(verify.out() + verify.err()).isEqualTo(6);
        assertThat(verify.out()).contains("RELAY LOG FORKED").contains("relay relay signed two inconsistent histories: "
                + "checkpoint 3 is not consistent with 2 (it signed two roots for size 2)");
        assertThat(verify.err()).doesNotContain("the log owner's account");
        assertThat(verify.out()).as("the log itself is intact").contains(": intact (");

        // Review M1: without a trust anchor the relay key comes from the log's own CA, which anyone can
        // make: the fork is shown as not authenticated, and the exit is not 6.
        Cli bare = cli("log", "verify", auditLog.toString());
        assertThat(bare.exit()).as(bare.out() + bare.err()).isZero();
        assertThat(bare.out()).contains("RELAY LOG FORKED (NOT authenticated: no trust anchor; the relay key comes "
                + "from the log's own CA ").contains("signed two inconsistent histories");

        // Review w7 L6: a proven fork does not hide a log at fault: given with a damaged log, the exit is 5.
        byte[] bytes = Files.readAllBytes(auditLog);
        bytes[bytes.length / 2] ^= 1;
        Path damaged = tmp.resolve("damaged-audit.jsonl");
        Files.write(damaged, bytes);
        Cli both = cli("log", "verify", auditLog.toString(), damaged.toString(), "--exercise",
                tmp.resolve("exercise").toString());
        assertThat(both.exit()).as(both.out() + both.err()).isEqualTo(5);
        assertThat(both.out()).contains(auditLog + ": RELAY LOG FORKED: ").contains(damaged + ": NOT INTACT");

        // Review w8 P2/P3: a certificate behind one of the fork's signatures revoked at or before the
        // owner's first signed checkpoint covering the fork: the key may have been misused then, so it
        // is shown, not counted as the relay's fork, and the log is not clean either (exit 5).
        Path early = tmp.resolve("exercise-revoked-early");
        copyTree(tmp.resolve("exercise"), early);
        new org.hotline.protocol.pki.ExercisePki(java.time.Clock.fixed(testStart.minusSeconds(60),
                java.time.ZoneOffset.UTC), new java.security.SecureRandom(),
                org.hotline.protocol.testing.TestExercise.TEST_KDF_ITERATIONS)
                .revoke(early, "relay", org.hotline.protocol.testing.TestExercise.PASSPHRASE.toCharArray());
        Cli revoked = cli("log", "verify", auditLog.toString(), "--exercise", early.toString());
        assertThat(revoked.exit()).as(revoked.out() + revoked.err()).isEqualTo(5);
        assertThat(revoked.out()).contains(": RELAY LOG FORKED, signed by a revoked certificate (the key may have been "
                + "misused; not counted as the relay's fork): line ").contains("relay relay signed two inconsistent "
                + "histories: checkpoint 3 is not consistent with 2 (it signed two roots for size 2)");
        assertThat(revoked.out()).doesNotContain(": RELAY LOG FORKED: ");

        // Revoked after that checkpoint (a routine `pki reissue` revokes too): the proven fork still
        // counts, exit 6, with the later revocation noted. A CRL's revocation date has whole seconds,
        // so a revocation within the second of the covering checkpoint reads as "at or before" it:
        // revoke in a later second.
        Thread.sleep(1_100);
        exercise.revoke("relay");
        Cli later = cli("log", "verify", auditLog.toString(), "--exercise", tmp.resolve("exercise").toString());
        assertThat(later.exit()).as(later.out() + later.err()).isEqualTo(6);
        assertThat(later.out()).contains(": RELAY LOG FORKED: ").contains("revoked later, on ");
        assertThat(later.out()).doesNotContain("signed by a revoked certificate");
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    @Test
    void honestRelay_acrossARestart_noForkAndLogVerifyPasses() throws Exception {
        try (RelayFixture relay = new RelayFixture(tmp, c -> c)) {
            Problems problems = new Problems();
            HotlineClient in = RelayClients.open(relay, "in.pm", tmp.resolve("in.pm"));
            in.addListener(problems);
            in.start();
            send(in, "pk.pm", "one");
            relay.restartOnSamePort();
            send(in, "pk.pm", "two");
            send(in, "pk.pm", "three");
            in.close();
            assertThat(problems.seen).noneMatch(p -> p.startsWith("relay log forked") || p.startsWith("relay's log proof"));
            String logText = Files.readString(tmp.resolve("in.pm").resolve("audit.jsonl"), StandardCharsets.UTF_8);
            assertThat(logText).contains("\"type\":\"relay-inclusion\"").contains("\"type\":\"relay-checkpoint\"")
                    .doesNotContain("\"type\":\"relay-fork\"");
        }
        Cli verify = cli("log", "verify", tmp.resolve("in.pm").resolve("audit.jsonl").toString(), "--exercise",
                tmp.resolve("exercise").toString());
        assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
    }

    /**
     * The stored relay checkpoint lost (a crash before it was written, or a relay reissue that makes
     * it unverifiable): the client continues from its audit log's newest relay-checkpoint entry, so
     * its own log still verifies (PROTOCOL.md §12.5; review M3).
     */
    @Test
    void storedCheckpointLost_clientContinuesFromItsLog_andLogVerifyPasses() throws Exception {
        Path dir = tmp.resolve("in.pm");
        try (RelayFixture relay = new RelayFixture(tmp, c -> c)) {
            Problems problems = new Problems();
            HotlineClient in = RelayClients.open(relay, "in.pm", dir);
            in.addListener(problems);
            in.start();
            send(in, "pk.pm", "one");
            send(in, "pk.pm", "two");
            Path stored = dir.resolve("relay-log-checkpoint");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(Files.exists(stored) && Files.readString(stored).contains("\n2\n")) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            in.close();
            Files.delete(stored);

            HotlineClient again = RelayClients.open(relay, "in.pm", dir);
            again.addListener(problems);
            again.start();
            send(again, "pk.pm", "three");
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            // The client also sends its own log checkpoints, so the relay's size is not the count of texts.
            while (!Files.exists(stored) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            again.close();
            assertThat(stored).as("a newer checkpoint stored after the restart").exists();
            assertThat(problems.seen).noneMatch(p -> p.startsWith("relay log forked"));
        }
        String logText = Files.readString(dir.resolve("audit.jsonl"), StandardCharsets.UTF_8);
        assertThat(logText.split("\"previousSize\":0,", -1)).as("one chain start").hasSize(2);
        Cli verify = cli("log", "verify", dir.resolve("audit.jsonl").toString(), "--exercise",
                tmp.resolve("exercise").toString());
        assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
    }
}
