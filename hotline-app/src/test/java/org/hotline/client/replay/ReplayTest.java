package org.hotline.client.replay;

import org.hotline.app.testing.RelayClients;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.hotline.client.core.HotlineClient;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.crypto.ReceiptSigner;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.audit.AuditLog;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.testing.LogForger;
import org.hotline.protocol.testing.SettableClock;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.SignedMessage;
import org.hotline.server.net.RelayServer;
import org.hotline.server.testing.FaultyMailbox;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayTest {

    @TempDir
    Path tmp;

    record Exchange(RelayFixture relay, List<Path> logs) {
    }

    /** A real exchange through a real relay; returns the three logs. */
    Exchange exchange(java.util.function.Predicate<org.hotline.server.store.Envelope> lose) throws Exception {
        FaultyMailbox[] faults = new FaultyMailbox[1];
        RelayFixture relay = new RelayFixture(tmp, c -> c, m -> {
            faults[0] = new FaultyMailbox(m);
            faults[0].loseEnvelopes(lose);
            return faults[0];
        });
        HotlineClient in = core(relay, "in.pm");
        HotlineClient pk = core(relay, "pk.pm");
        in.start();
        pk.start();
        MessageId a = in.sendSignal("pk.pm", "posture.normal-readiness", Map.of("asOf", "2026-05-10T14:00Z"),
                Optional.empty(), Optional.empty()).get();
        waitFor(() -> pk.receivedMessages().get().size() == 1);
        pk.acknowledge(a).get();
        in.sendText("pk.pm", "second").get();
        in.sendText("pk.pm", "third").get();
        waitFor(() -> pk.receivedMessages().get().stream().anyMatch(m -> m.text().equals("third")));
        Thread.sleep(300);
        in.close();
        pk.close();
        relay.close();
        return new Exchange(relay, List.of(tmp.resolve("in.pm/audit.jsonl"), tmp.resolve("pk.pm/audit.jsonl"),
                tmp.resolve("relay-data").resolve(RelayServer.AUDIT_FILE)));
    }

    static HotlineClient core(RelayFixture relay, String role) throws Exception {
        return RelayClients.open(relay, role, relay.exercise().dir().getParent().resolve(role));
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void waitFor(Check c) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (c.ok()) {
                return;
            }
            Thread.sleep(30);
        }
        throw new AssertionError("timed out");
    }

    Timeline merge(Exchange ex, List<Path> files) throws Exception {
        var trust = Optional.of(ex.relay().exercise().directory().validator());
        List<LogSource> logs = new ArrayList<>();
        for (Path f : files) {
            logs.add(LogSource.load(f, trust));
        }
        return new TimelineMerger().merge(logs);
    }

    @Test
    void realExchange_mergesSenderRecipientAndRelayViews() throws Exception {
        Exchange ex = exchange(e -> false);
        Timeline t = merge(ex, ex.logs());
        assertThat(t.logs()).allMatch(LogSource::trusted);
        assertThat(t.messages()).hasSize(3);
        Timeline.MessageRecord first = t.messages().get(0);
        assertThat(first.from()).isEqualTo("in.pm");
        assertThat(first.to()).containsExactly("control", "pk.pm"); // exercise control observes leaders
        assertThat(first.category()).isEqualTo("nuclear-posture");
        assertThat(first.acceptedAt()).isPresent();
        assertThat(first.deliveredAt()).isPresent();
        assertThat(first.acknowledgedAt()).isPresent();
        assertThat(first.seenBy()).contains("in.pm", "pk.pm", "relay");
        assertThat(t.messages().get(1).acknowledgedAt()).isEmpty();
        assertThat(t.gaps()).isEmpty();
        assertThat(t.disagreements()).isEmpty();
        TimelineStats s = TimelineStats.of(t);
        assertThat(s.acknowledged()).isEqualTo(1);
        assertThat(s.unanswered()).hasSize(2);
    }

    @Test
    void tamperedLog_isFlagged_andWhatOnlyItSaysIsUntrusted() throws Exception {
        Exchange ex = exchange(e -> false);
        byte[] bytes = Files.readAllBytes(ex.logs().get(0));
        bytes[bytes.length / 3] ^= 0x04;
        Path tampered = tmp.resolve("tampered.jsonl");
        Files.write(tampered, bytes);
        Timeline t = merge(ex, List.of(tampered));
        assertThat(t.logs().get(0).trusted()).isFalse();
        assertThat(t.logs().get(0).integrity()).contains("FAILED verification").contains("line ");
        assertThat(t.messages()).isNotEmpty().allMatch(m -> !m.trusted());
        StringWriter out = new StringWriter();
        HeadlessReplay.print(t, new PrintWriter(out), Optional.empty(), d -> { });
        assertThat(out.toString()).contains("UNTRUSTED");
    }

    static final String FORGED = "We reject your proposal and will respond with force.";

    record Cli(int exit, String out, String err) {
    }

    static Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = org.hotline.app.HotlineMain.run(args, Map.of(), new PrintWriter(out, true),
                new PrintWriter(err, true));
        return new Cli(code, out.toString(), err.toString());
    }

    /**
     * Issue 13's demonstration: pk.pm rewrites its own log so in.pm's message reads as a threat,
     * re-chains the lines and re-signs the checkpoints with its own key. Verification fails (exit 5,
     * naming the line and field), and neither the replay nor the report shows the forged words, even
     * merged with the other side's genuine log and the relay's.
     */
    @Test
    void ownerForgedPeerWords_failVerification_andAreNeverShown() throws Exception {
        Exchange ex = exchange(e -> false);
        Path pkLog = ex.logs().get(1);
        String exerciseDir = ex.relay().exercise().dir().toString();
        // Genuine logs pass every check the exercise enables (channel membership, signal wordings).
        Cli genuine = cli("log", "verify", ex.logs().get(0).toString(), pkLog.toString(), ex.logs().get(2).toString(),
                "--exercise", exerciseDir);
        assertThat(genuine.exit()).as(genuine.out() + genuine.err()).isZero();
        int line = LogForger.lineContaining(pkLog, "\"text\":\"second\"");
        LogForger.rewrite(pkLog, line, l -> l.replace("\"text\":\"second\"", "\"text\":\"" + FORGED + "\""),
                ex.relay().exercise().role("pk.pm").identity());

        Cli verify = cli("log", "verify", pkLog.toString(), "--exercise", exerciseDir);
        assertThat(verify.exit()).as(verify.out() + verify.err()).isEqualTo(5);
        assertThat(verify.out()).contains("NOT INTACT: line " + line + ": ").contains("\"text\"").doesNotContain(FORGED);

        Timeline t = merge(ex, ex.logs());
        assertThat(t.logs().get(1).trusted()).isFalse();
        assertThat(t.messages()).noneMatch(m -> m.text().contains(FORGED));
        assertThat(t.messages()).anyMatch(m -> m.text().equals("second"));
        assertThat(ReportWriter.render(t, "forged")).doesNotContain(FORGED).contains("FAILED verification");
        StringWriter out = new StringWriter();
        HeadlessReplay.print(t, new PrintWriter(out), Optional.empty(), d -> { });
        assertThat(out.toString()).doesNotContain(FORGED);

        Path html = tmp.resolve("forged.html");
        Cli report = cli(new String[] {"report", ex.logs().get(0).toString(), pkLog.toString(), ex.logs().get(2).toString(),
                "--exercise", exerciseDir, "--out", html.toString()});
        assertThat(report.exit()).as(report.err()).isEqualTo(5);
        assertThat(Files.readString(html)).doesNotContain(FORGED);
        Cli replay = cli("replay", "--headless", pkLog.toString(), "--exercise", exerciseDir);
        assertThat(replay.exit()).isEqualTo(5);
        assertThat(replay.out()).doesNotContain(FORGED);
    }

    /** Issue 14 item 1: a torn line replaced with a well-formed message is rejected and never shown. */
    @Test
    void tornLineReplacedWithAMessage_isRejected_andNeverShown() throws Exception {
        Exchange ex = exchange(e -> false);
        Path pkLog = ex.logs().get(1);
        Files.write(pkLog, "{\"seq\":99,\"ti".getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
        RoleCredential pk = ex.relay().exercise().role("pk.pm");
        AuditLog.open(pkLog, "pk.pm", pk.identity(), pk.identityCertificate(), pk.caCertificate(), Clock.systemUTC(), 64)
                .close();
        assertThat(merge(ex, List.of(pkLog)).logs().get(0).trusted()).isTrue();

        List<String> lines = new ArrayList<>(Files.readAllLines(pkLog));
        int torn = LogForger.lineContaining(pkLog, "{\"seq\":99,\"ti");
        String message = lines.get(LogForger.lineContaining(pkLog, "\"text\":\"third\"") - 1);
        lines.set(torn - 1, message.replace("\"text\":\"third\"", "\"text\":\"" + FORGED + "\""));
        Files.write(pkLog, lines);
        Timeline t = merge(ex, List.of(pkLog));
        assertThat(t.logs().get(0).trusted()).isFalse();
        assertThat(t.logs().get(0).report().problem().get().line()).isEqualTo(torn);
        assertThat(t.messages()).noneMatch(m -> m.text().contains(FORGED));
        assertThat(ReportWriter.render(t, "torn")).doesNotContain(FORGED);
    }

    @Test
    void aByteFlippedAtEvery97thOffsetOfALog_neverCrashesTheMerge() throws Exception {
        Exchange ex = exchange(e -> false);
        byte[] original = Files.readAllBytes(ex.logs().get(0));
        Path target = tmp.resolve("flipped.jsonl");
        for (int i = 0; i < original.length; i += 97) {
            byte[] copy = original.clone();
            copy[i] ^= 0x0f;
            Files.write(target, copy);
            Timeline t = merge(ex, List.of(target));
            assertThat(t.logs().get(0).trusted()).as("byte " + i).isFalse();
            ReportWriter.render(t, "flipped");
        }
    }

    @Test
    void messageDroppedByTheRelay_showsAsAGap() throws Exception {
        AtomicInteger n = new AtomicInteger();
        Exchange ex = exchange(e -> e.sender().equals("in.pm") && n.incrementAndGet() == 2 && !isLinkTest(e));
        Timeline t = merge(ex, ex.logs());
        assertThat(t.gaps()).anyMatch(g -> g.what().contains("never reached pk.pm"));
        assertThat(t.gaps()).anyMatch(g -> g.what().contains("was sent but never delivered"));
    }

    private static boolean isLinkTest(org.hotline.server.store.Envelope e) {
        return false;
    }

    @Test
    void sameIdWithDifferentContentInTwoLogs_isADisagreement() throws Exception {
        TestExercise exercise = TestExercise.create(tmp.resolve("x"));
        RoleCredential in = exercise.role("in.pm");
        RoleCredential pk = exercise.role("pk.pm");
        MessageId id = MessageId.random(new SecureRandom());
        SignedMessage original = sign(in, id, "We propose talks at 16:00 UTC.", Instant.parse("2026-05-10T14:00:00Z"));
        SignedMessage other = sign(in, id, "We propose talks at 18:00 UTC.", Instant.parse("2026-05-10T14:00:00Z"));
        Path a = tmp.resolve("a.jsonl");
        Path b = tmp.resolve("b.jsonl");
        try (AuditLog log = AuditLog.open(a, "in.pm", in.identity(), in.identityCertificate(), in.caCertificate(),
                Clock.systemUTC(), 64)) {
            log.append(new AuditEvent.MessageSent(original, "We propose talks at 16:00 UTC."));
        }
        try (AuditLog log = AuditLog.open(b, "pk.pm", pk.identity(), pk.identityCertificate(), pk.caCertificate(),
                Clock.systemUTC(), 64)) {
            log.ensureCertificate("in.pm", in.identityCertificate());
            log.append(new AuditEvent.MessageReceived(other, "We propose talks at 18:00 UTC.", Instant.now()));
        }
        var trust = Optional.of(exercise.directory().validator());
        Timeline t = new TimelineMerger().merge(List.of(LogSource.load(a, trust), LogSource.load(b, trust)));
        assertThat(t.logs()).allMatch(LogSource::trusted);
        assertThat(t.disagreements()).singleElement().asString().contains(id.shortForm()).contains("different content");
        assertThat(t.messages().get(0).disagreement()).isPresent();
        assertThat(ReportWriter.render(t, "x")).contains("different content");
    }

    static SignedMessage sign(RoleCredential c, MessageId id, String text, Instant at) {
        MessageHeader h = new MessageHeader(c.exerciseId(), id, c.role(), List.of(c.role().equals("in.pm") ? "pk.pm" : "in.pm"),
                "leaders", 1, at, Hash32.ZERO, Hash32.ZERO, "2026.11-1", Optional.empty(), Optional.empty());
        return MessageSigner.sign(c.identity(), h, new Content.Text(text));
    }

    /** Fixed times, ids and texts: the replay output must match the golden file exactly. */
    @Test
    void headlessReplay_outputIsStable_goldenFile() throws Exception {
        Instant t0 = Instant.parse("2026-05-10T14:00:00Z");
        TestExercise exercise = TestExercise.create(tmp.resolve("g"), Clock.fixed(t0.minus(Duration.ofDays(1)), ZoneOffset.UTC));
        char[] pass = TestExercise.PASSPHRASE.toCharArray();
        RoleCredential in = exercise.directory().loadRole("in.pm", pass, t0);
        RoleCredential pk = exercise.directory().loadRole("pk.pm", pass, t0);
        Path a = tmp.resolve("in.jsonl");
        Path b = tmp.resolve("pk.jsonl");
        SettableClock clock = new SettableClock(t0.minusSeconds(10));
        String[] texts = {"We have received a report of an incident and request the facts.",
                "Our strategic forces remain at normal peacetime readiness.", "We propose a cease-fire from 16:00 UTC."};
        long[] ackAfter = {38, -1, 95};
        try (AuditLog ia = AuditLog.open(a, "in.pm", in.identity(), in.identityCertificate(), in.caCertificate(), clock, 64);
             AuditLog pa = AuditLog.open(b, "pk.pm", pk.identity(), pk.identityCertificate(), pk.caCertificate(), clock, 64)) {
            pa.ensureCertificate("in.pm", in.identityCertificate());
            var relayId = exercise.directory().loadRelay(pass, t0);
            ia.ensureCertificate(Receipt.RELAY, relayId.identityCertificate());
            for (int i = 0; i < texts.length; i++) {
                Instant sent = t0.plusSeconds(60L * i * (i + 1));
                byte[] idBytes = new byte[16];
                idBytes[15] = (byte) (i + 1);
                SignedMessage m = sign(in, MessageId.of(idBytes), texts[i], sent);
                clock.set(sent);
                ia.append(new AuditEvent.MessageSent(m, texts[i]));
                clock.set(sent.plusMillis(300));
                // The strict reader needs real signed receipts where the old lenient one took bare ids.
                // No SEND frame is made here; the relay's receipt commits to a stand-in hash (PROTOCOL.md §6).
                ia.append(AuditEvent.ReceiptRecorded.byClient(ReceiptSigner.sign(relayId.identity(),
                        new Receipt.Fields(Receipt.Type.ACCEPTED, relayId.exerciseId(), m.header().messageId(),
                                Receipt.RELAY, "in.pm", m.header().channel(), clock.instant(),
                                org.hotline.protocol.wire.Hash32.ZERO))));
                clock.set(sent.plusMillis(400));
                pa.append(new AuditEvent.MessageReceived(m, texts[i], sent.plusMillis(400)));
                if (ackAfter[i] > 0) {
                    clock.set(sent.plusSeconds(ackAfter[i]));
                    pa.append(new AuditEvent.Acknowledged(ReceiptSigner.sign(pk.identity(), Receipt.Type.ACKNOWLEDGED, m,
                            "pk.pm", clock.instant())));
                }
            }
        }
        var trust = Optional.of(exercise.directory().validator());
        Timeline t = new TimelineMerger().merge(List.of(LogSource.load(a, trust), LogSource.load(b, trust)));
        StringWriter out = new StringWriter();
        List<Duration> pauses = new ArrayList<>();
        HeadlessReplay.print(t, new PrintWriter(out), Optional.of(60.0), pauses::add);
        String golden = new String(ReplayTest.class.getResourceAsStream("/org/hotline/client/replay/golden-replay.txt")
                .readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out.toString().replace("\r\n", "\n")).isEqualTo(golden);
        assertThat(pauses).containsExactly(Duration.ZERO, Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void report_isSelfContained_withChartStatsAndTranscript() throws Exception {
        Exchange ex = exchange(e -> false);
        Timeline t = merge(ex, ex.logs());
        String html = ReportWriter.render(t, "Exercise <South Asia>");
        assertThat(html).contains("<svg").contains("<circle").contains("Transcript").contains("Statistics")
                .contains("Our strategic forces remain at normal peacetime readiness")
                .contains("Exercise &lt;South Asia&gt;").contains("@media print");
        assertThat(html).doesNotContainPattern("(?i)https?://").doesNotContainPattern("(?i)<script")
                .doesNotContainPattern("(?i)<link").doesNotContainPattern("(?i)@import").doesNotContainPattern("(?i)src=");
    }

    @Test
    void tenThousandMessages_loadVerifyMergeAndRender() throws Exception {
        TestExercise exercise = TestExercise.create(tmp.resolve("big"));
        RoleCredential in = exercise.role("in.pm");
        Path a = tmp.resolve("big.jsonl");
        Instant t0 = Instant.parse("2026-05-10T14:00:00Z");
        SecureRandom r = new SecureRandom();
        try (AuditLog log = AuditLog.open(a, "in.pm", in.identity(), in.identityCertificate(), in.caCertificate(),
                Clock.systemUTC(), 512)) {
            for (int i = 0; i < 10_000; i++) {
                SignedMessage m = sign(in, MessageId.random(r), "synthetic message " + i, t0.plusSeconds(i));
                log.append(new AuditEvent.MessageSent(m, "synthetic message " + i));
            }
        }
        LogSource src = LogSource.load(a, Optional.of(exercise.directory().validator()));
        assertThat(src.trusted()).isTrue();
        assertThat(src.report().signedItemsVerified()).isGreaterThanOrEqualTo(10_000);
        Timeline t = new TimelineMerger().merge(List.of(src));
        assertThat(t.messages()).hasSize(10_000);
        String html = ReportWriter.render(t, "big");
        assertThat(html).contains("synthetic message 9999");
        assertThat(html.split("<circle", -1)).hasSizeGreaterThan(10_000);
        assertThat(CertificateValidator.fingerprint(in.caCertificate())).isNotBlank();
    }
}
