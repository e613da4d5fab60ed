package org.hotline.client.replay;

import org.hotline.app.testing.RelayClients;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hotline.app.HotlineMain;
import org.hotline.client.core.HotlineClient;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.audit.AuditReport;
import org.hotline.protocol.audit.AuditVerifier;
import org.hotline.protocol.testing.LogForger;
import org.hotline.server.net.RelayServer;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both sides' records cross-checked in-band (PROTOCOL.md §4.2 LogCheckpoint, §11.4 cross-check):
 * consoles exchange signed checkpoints of their logs through a real relay, and {@code log verify},
 * replay and report catch a log cut at an earlier checkpoint or rewritten, given the peer's log.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LogCrossCheckTest {

    @TempDir
    Path tmp;
    RelayFixture relay;
    Path inLog;
    Path pkLog;
    Path relayLog;
    String exerciseDir;

    record Cli(int exit, String out, String err) {
    }

    static Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HotlineMain.run(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(code, out.toString(), err.toString());
    }

    HotlineClient core(String role) throws Exception {
        // Link tests every 100 ms, so the checkpoint exchange (every 10 of them) runs every second.
        return RelayClients.open(RelayClients.config(relay, role, tmp.resolve(role)).withLinkTestInterval(Duration.ofMillis(100)));
    }

    static long held(Path log, String owner) throws Exception {
        if (!Files.exists(log)) {
            return 0;
        }
        return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains("\"type\":\"peer-checkpoint\"") && l.contains("\"owner\":\"" + owner + "\""))
                .count();
    }

    /** A real exchange: two consoles talk, and each records at least two of the other's checkpoints. */
    @BeforeEach
    void exchange() throws Exception {
        relay = new RelayFixture(tmp, c -> c, m -> m);
        exerciseDir = relay.exercise().dir().toString();
        inLog = tmp.resolve("in.pm/audit.jsonl");
        pkLog = tmp.resolve("pk.pm/audit.jsonl");
        relayLog = tmp.resolve("relay-data").resolve(RelayServer.AUDIT_FILE);
        HotlineClient in = core("in.pm");
        HotlineClient pk = core("pk.pm");
        try {
            in.start();
            pk.start();
            in.sendText("pk.pm", "first").get();
            ReplayTest.waitFor(() -> pk.receivedMessages().get().size() == 1);
            pk.sendText("in.pm", "answer").get();
            ReplayTest.waitFor(() -> in.receivedMessages().get().size() == 1);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((held(pkLog, "in.pm") < 2 || held(inLog, "pk.pm") < 2) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(held(pkLog, "in.pm")).as("in.pm's checkpoints held by pk.pm").isGreaterThanOrEqualTo(2);
            assertThat(held(inLog, "pk.pm")).as("pk.pm's checkpoints held by in.pm").isGreaterThanOrEqualTo(2);
            // Machine traffic: never shown as a message.
            assertThat(pk.receivedMessages().get()).hasSize(1);
            assertThat(in.sentMessages().get()).hasSize(1);
        } finally {
            in.close();
            pk.close();
            relay.close();
        }
    }

    /** The smallest and largest tree size of {@code owner}'s checkpoints held in {@code log}. */
    long[] heldSizes(Path log, String owner) throws Exception {
        var report = AuditVerifier.verify(log, Optional.empty());
        List<Long> sizes = report.peerCheckpoints().stream().filter(h -> h.owner().equals(owner))
                .map(AuditReport.HeldCheckpoint::treeSize).sorted().toList();
        return new long[] {sizes.get(0), sizes.get(sizes.size() - 1)};
    }

    @Test
    void bothLogsGenuine_crossCheckPasses() {
        Cli both = cli("log", "verify", inLog.toString(), pkLog.toString(), "--exercise", exerciseDir);
        assertThat(both.exit()).as(both.out() + both.err()).isZero();
        assertThat(both.out()).contains("cross-check OK: in.pm's log matches: pk.pm holds in.pm's signed checkpoint of")
                .contains("cross-check OK: pk.pm's log matches: in.pm holds pk.pm's signed checkpoint of")
                .doesNotContain("FAILED");
    }

    @Test
    void oneLogAlone_saysHowFarItIsVouchedFor_andWhichPeerCheckpointsItHolds() {
        Cli alone = cli("log", "verify", inLog.toString(), "--exercise", exerciseDir);
        assertThat(alone.exit()).as(alone.out() + alone.err()).isZero();
        assertThat(alone.out()).containsPattern("vouched for up to entry (\\d+) of \\1 by its last signed checkpoint")
                .contains("a cut at an earlier checkpoint shows only against a peer's log holding a later checkpoint of it")
                .containsPattern("peer checkpoints held: pk\\.pm at \\d+ entries \\(line \\d+\\)");
    }

    @Test
    void aLogCutAtAnEarlierCheckpoint_failsGivenThePeersLog_namingTheMissingRange() throws Exception {
        long[] sizes = heldSizes(pkLog, "in.pm");
        long earlier = sizes[0];
        long latest = sizes[1];
        assertThat(earlier).isLessThan(latest);
        // Cut right after the checkpoint line of size `earlier` (entry earlier + 1): alone, it still verifies.
        List<String> lines = Files.readAllLines(inLog, StandardCharsets.UTF_8);
        assertThat(lines.get((int) earlier)).contains("\"type\":\"checkpoint\"").contains("\"treeSize\":" + earlier + ",");
        Files.write(inLog, lines.subList(0, (int) earlier + 1), StandardCharsets.UTF_8);
        Cli alone = cli("log", "verify", inLog.toString(), "--exercise", exerciseDir);
        assertThat(alone.exit()).as(alone.out()).isZero();

        Cli both = cli("log", "verify", inLog.toString(), pkLog.toString(), "--exercise", exerciseDir);
        assertThat(both.exit()).as(both.out() + both.err()).isEqualTo(5);
        long end = earlier + 1;
        assertThat(both.out()).contains("cross-check FAILED: in.pm's log ends at entry " + end + " but pk.pm holds "
                + "in.pm's signed checkpoint of " + latest + " entries")
                .contains("entries " + (end + 1) + "\u2013" + latest + " are missing");

        // Replay and report show the same verdict and fail the same way.
        Cli replay = cli("replay", "--headless", inLog.toString(), pkLog.toString(), "--exercise", exerciseDir);
        assertThat(replay.exit()).isEqualTo(5);
        assertThat(replay.out()).contains("cross-check FAILED: in.pm's log ends at entry " + end);
        Path html = tmp.resolve("cut.html");
        Cli report = cli("report", inLog.toString(), pkLog.toString(), "--exercise", exerciseDir, "--out", html.toString());
        assertThat(report.exit()).isEqualTo(5);
        assertThat(Files.readString(html)).contains("cross-check FAILED: in.pm&#39;s log ends at entry " + end);
    }

    @Test
    void aLogRewrittenAndResignedByItsOwner_failsGivenThePeersLog_namingTheSize() throws Exception {
        // Rewrite something the owner may write freely (a status note), re-chained and re-signed.
        int note = LogForger.lineContaining(inLog, "\"type\":\"link-up\"");
        LogForger.rewrite(inLog, note, l -> l.replaceFirst("\"text\":\"[^\"]*\"", "\"text\":\"connected later\""),
                relay.exercise().role("in.pm").identity());
        Cli alone = cli("log", "verify", inLog.toString(), "--exercise", exerciseDir);
        assertThat(alone.exit()).as("re-signed by its owner, it verifies alone: " + alone.out()).isZero();

        Cli both = cli("log", "verify", inLog.toString(), pkLog.toString(), "--exercise", exerciseDir);
        assertThat(both.exit()).as(both.out() + both.err()).isEqualTo(5);
        assertThat(both.out()).containsPattern("cross-check FAILED: root differs at size \\d+: in\\.pm's log was "
                + "rewritten at or before entry \\d+");
        Timeline t = new TimelineMerger().merge(List.of(
                LogSource.load(inLog, Optional.of(relay.exercise().directory().validator())),
                LogSource.load(pkLog, Optional.of(relay.exercise().directory().validator()))));
        assertThat(t.crossCheckAgrees()).isFalse();
        assertThat(t.crossCheck()).anyMatch(c -> c.startsWith("cross-check FAILED: root differs at size"));
    }

    @Test
    void peerCheckpointsAreRecordedAsVerifiedEntries() throws Exception {
        var report = AuditVerifier.verify(pkLog, Optional.of(relay.exercise().directory().validator()));
        assertThat(report.problem()).isEmpty();
        List<AuditEvent.PeerCheckpoint> held = new ArrayList<>();
        report.accepted().forEach(e -> {
            if (e.event() instanceof AuditEvent.PeerCheckpoint p) {
                held.add(p);
            }
        });
        assertThat(held).allSatisfy(p -> {
            assertThat(p.checkpoint().owner()).isEqualTo("in.pm");
            assertThat(p.carriedBy()).isPresent();
        });
    }
}
