package org.hotline.client.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.audit.AuditLog;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.testing.SettableClock;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.SignedMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Missed answer-by deadlines in {@code replay --headless} and the report: one line each, however many logs hold it. */
@Timeout(30)
class MissedDeadlinesReplayTest {

    @TempDir
    Path tmp;

    @Test
    void eachMissedDeadline_isOneNoReplyByLine_inBothZones_andARowOfTheReport() throws Exception {
        Instant t0 = Instant.parse("2026-05-10T14:00:00Z");
        TestExercise exercise = TestExercise.create(tmp.resolve("x"), Clock.fixed(t0.minus(Duration.ofDays(1)), ZoneOffset.UTC));
        char[] pass = TestExercise.PASSPHRASE.toCharArray();
        RoleCredential in = exercise.directory().loadRole("in.pm", pass, t0);
        RoleCredential pk = exercise.directory().loadRole("pk.pm", pass, t0);
        Instant by = t0.plus(Duration.ofMinutes(10));
        byte[] idBytes = new byte[16];
        idBytes[15] = 7;
        SignedMessage asked = MessageSigner.sign(in.identity(), new MessageHeader(in.exerciseId(), MessageId.of(idBytes),
                "in.pm", exercise.exercise().channel("leaders").orElseThrow().addressees("in.pm"), "leaders", 1, t0,
                Hash32.ZERO, Hash32.ZERO, "2026.12-1", Optional.empty(), Optional.of(by)),
                new Content.Text("Please confirm the call at 16:00 UTC."));
        Path a = tmp.resolve("in.jsonl");
        Path b = tmp.resolve("pk.jsonl");
        SettableClock clock = new SettableClock(t0);
        try (AuditLog ia = AuditLog.open(a, "in.pm", in.identity(), in.identityCertificate(), in.caCertificate(), clock, 64);
             AuditLog pa = AuditLog.open(b, "pk.pm", pk.identity(), pk.identityCertificate(), pk.caCertificate(), clock, 64)) {
            pa.ensureCertificate("in.pm", in.identityCertificate());
            ia.append(new AuditEvent.MessageSent(asked, "Please confirm the call at 16:00 UTC."));
            clock.set(t0.plusSeconds(1));
            pa.append(new AuditEvent.MessageReceived(asked, "Please confirm the call at 16:00 UTC.", t0.plusSeconds(1)));
            clock.set(by.plusSeconds(1));
            ia.append(new AuditEvent.DeadlineMissed(asked, AuditEvent.DeadlineMissed.WALL, by));
            pa.append(new AuditEvent.DeadlineMissed(asked, AuditEvent.DeadlineMissed.WALL, by));
        }
        var trust = Optional.of(exercise.directory().validator());
        Optional<org.hotline.protocol.exercise.Exercise> ex = Optional.of(exercise.exercise());
        Timeline t = new TimelineMerger(exercise.exercise()).merge(List.of(LogSource.load(a, trust, ex),
                LogSource.load(b, trust, ex)));

        MissedDeadlines missed = MissedDeadlines.of(t);
        assertThat(missed.missed()).singleElement().satisfies(m -> {
            assertThat(m.recordedBy()).containsExactly("in.pm", "pk.pm");
            assertThat(m.trusted()).isTrue();
        });
        StringWriter out = new StringWriter();
        HeadlessReplay.print(t, new PrintWriter(out), Optional.empty(), d -> { });
        assertThat(out.toString().lines().filter(l -> l.contains("no reply by"))).singleElement()
                .isEqualTo("    T+00:10:01.0  no reply by 19:40:00 IST / 19:10:00 PKT  in.pm \u2192 control,pk.pm  00000000  on "
                        + "leaders (recorded by in.pm, pk.pm)");
        assertThat(out.toString()).contains("  missed deadlines: 1\n");

        String html = ReportWriter.render(t, "test");
        assertThat(html).contains("<h2>Missed answer-by deadlines (1)</h2>")
                .contains("no reply by 19:40:00 IST / 19:10:00 PKT")
                .contains("India Prime Minister \u2192 Exercise control, Pakistan Prime Minister");
    }
}
