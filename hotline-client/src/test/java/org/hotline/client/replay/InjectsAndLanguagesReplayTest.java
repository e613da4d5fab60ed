package org.hotline.client.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hotline.client.ui.replay.ReplayViewModel;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.audit.AuditLog;
import org.hotline.protocol.audit.DisplayText;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.exercise.msel.Msel;
import org.hotline.protocol.exercise.msel.MselInject;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.signals.SignalCatalog;
import org.hotline.protocol.testing.SettableClock;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.SignedMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 (injects in replay and report) and issue 16 (every language in replay and report), on
 * real signed logs: exercise control sends inject I-01 to both prime ministers with the clock at
 * 60x; India answers with a signal 4 s after it was delivered, Pakistan sends nothing. The inject
 * is its own lane, not a hotline message; India's first reaction is 4.0 s (4 min of scenario
 * time) beside the MSEL's expected action; the signal shows in English, Hindi and Urdu.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class InjectsAndLanguagesReplayTest {

    static final Instant T0 = Instant.parse("2026-05-10T14:00:00Z");
    static final String EXPECTED = "Condolences and a request for facts within 15 minutes.";

    @TempDir
    static Path tmp;

    static Timeline timeline;
    static Msel msel;

    @BeforeAll
    static void logs() throws Exception {
        TestExercise ex = TestExercise.create(tmp, Clock.fixed(T0.minus(Duration.ofDays(1)), ZoneOffset.UTC));
        SignalCatalog catalog = SignalCatalog.builtIn();
        char[] pass = TestExercise.PASSPHRASE.toCharArray();
        RoleCredential control = ex.directory().loadRole("control", pass, T0);
        RoleCredential in = ex.directory().loadRole("in.pm", pass, T0);
        RoleCredential pk = ex.directory().loadRole("pk.pm", pass, T0);
        Content.Inject words = new Content.Inject("I-01", Content.InjectKind.SITUATION,
                Instant.parse("2026-05-07T01:00:00Z"), "Armed attack at Kestrel Ridge", "First reports speak of casualties.");
        SignedMessage clock = sign(control, 1, "in.pm", "control.in.pm", T0,
                new Content.ExerciseClock(Content.ClockAction.START, Instant.parse("2026-05-07T01:00:00Z"), 60_000, true));
        SignedMessage toIndia = sign(control, 2, "in.pm", "control.in.pm", T0.plusSeconds(1), words);
        SignedMessage toPakistan = sign(control, 3, "pk.pm", "control.pk.pm", T0.plusSeconds(1), words);
        SignedMessage answer = sign(in, 4, "pk.pm", "leaders", T0.plusSeconds(6), new Content.Signal(
                "posture.normal-readiness", catalog.canonicalParams("posture.normal-readiness",
                Map.of("asOf", "2026-05-10T14:00Z"))));
        SettableClock at = new SettableClock(T0);
        Path c = tmp.resolve("control.jsonl");
        Path i = tmp.resolve("in.jsonl");
        Path p = tmp.resolve("pk.jsonl");
        try (AuditLog cl = AuditLog.open(c, "control", control.identity(), control.identityCertificate(),
                control.caCertificate(), at, 64);
             AuditLog il = AuditLog.open(i, "in.pm", in.identity(), in.identityCertificate(), in.caCertificate(), at, 64);
             AuditLog pl = AuditLog.open(p, "pk.pm", pk.identity(), pk.identityCertificate(), pk.caCertificate(), at, 64)) {
            il.ensureCertificate("control", control.identityCertificate());
            pl.ensureCertificate("control", control.identityCertificate());
            pl.ensureCertificate("in.pm", in.identityCertificate());
            cl.append(new AuditEvent.MessageSent(clock, words(clock, ex)));
            at.set(T0.plusSeconds(1));
            cl.append(new AuditEvent.MessageSent(toIndia, words(toIndia, ex)));
            cl.append(new AuditEvent.MessageSent(toPakistan, words(toPakistan, ex)));
            at.set(T0.plusSeconds(2));
            il.append(new AuditEvent.MessageReceived(toIndia, words(toIndia, ex), T0.plusSeconds(2)));
            at.set(T0.plusSeconds(3));
            pl.append(new AuditEvent.MessageReceived(toPakistan, words(toPakistan, ex), T0.plusSeconds(3)));
            at.set(T0.plusSeconds(6));
            il.append(new AuditEvent.MessageSent(answer, words(answer, ex)));
            at.set(T0.plusSeconds(7));
            pl.append(new AuditEvent.MessageReceived(answer, words(answer, ex), T0.plusSeconds(7)));
        }
        var trust = Optional.of(ex.directory().validator());
        timeline = new TimelineMerger(ex.exercise()).merge(List.of(LogSource.load(c, trust), LogSource.load(i, trust),
                LogSource.load(p, trust)));
        msel = new Msel("test", "south-asia", "Test scenario", OffsetDateTime.parse("2026-05-07T06:30:00+05:30"),
                List.of(new MselInject("I-01", Duration.ZERO, List.of("in.pm", "pk.pm"), Content.InjectKind.SITUATION,
                        "Armed attack at Kestrel Ridge", "First reports speak of casualties.", Optional.of(EXPECTED), 3)));
    }

    /** The logged wording, as every writer renders it (PROTOCOL.md §11.3). */
    static String words(SignedMessage m, TestExercise ex) {
        return DisplayText.render(m.content(), SignalCatalog.builtIn(), ex.exercise().parties());
    }

    static SignedMessage sign(RoleCredential c, int id, String to, String channel, Instant sentAt, Content content) {
        byte[] idBytes = new byte[16];
        idBytes[15] = (byte) id;
        MessageHeader h = new MessageHeader(c.exerciseId(), MessageId.of(idBytes), c.role(), List.of(to), channel, id,
                sentAt, Hash32.ZERO, Hash32.ZERO, SignalCatalog.builtIn().version(), Optional.empty(), Optional.empty());
        return MessageSigner.sign(c.identity(), h, content);
    }

    @Test
    void injects_areTheirOwnLane_notHotlineMessages() {
        assertThat(timeline.logs()).allMatch(LogSource::trusted);
        assertThat(timeline.messages()).singleElement().satisfies(m -> assertThat(m.from()).isEqualTo("in.pm"));
        InjectLane lane = InjectLane.of(timeline, Optional.of(msel));
        assertThat(lane.injects()).singleElement().satisfies(i -> {
            assertThat(i.injectId()).isEqualTo("I-01");
            assertThat(i.to()).containsExactly("in.pm", "pk.pm");
            assertThat(i.messageIds()).hasSize(2);
            assertThat(i.expected()).contains(EXPECTED);
        });
        assertThat(timeline.start()).isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void firstReaction_isFromDeliveryToTheRecipientsFirstMessage_inWallAndScenarioTime() {
        InjectLane.InjectRecord i = InjectLane.of(timeline, Optional.of(msel)).injects().get(0);
        InjectLane.Reaction india = i.reactions().get(0);
        assertThat(india.recipient()).isEqualTo("in.pm");
        assertThat(india.deliveredAt()).contains(T0.plusSeconds(2));
        assertThat(india.after()).contains(Duration.ofSeconds(4));
        assertThat(india.scenarioAfter()).contains(Duration.ofMinutes(4));
        assertThat(india.describe()).isEqualTo("first reaction after 4.0 s (4 min 00 s scenario time)");
        InjectLane.Reaction pakistan = i.reactions().get(1);
        assertThat(pakistan.deliveredAt()).contains(T0.plusSeconds(3));
        assertThat(pakistan.describe()).isEqualTo("no message sent after it");
    }

    @Test
    void withoutTheMsel_theExpectedActionIsNamedAsUnknown() {
        InjectLane lane = InjectLane.of(timeline, Optional.empty());
        assertThat(lane.expectedText(lane.injects().get(0))).contains("not known").contains("--msel");
    }

    @Test
    void report_hasTheInjectLane_theFirstReaction_andTheExpectedAction() {
        String html = ReportWriter.render(timeline, "t", Optional.of(msel));
        assertThat(html).contains("<g class=\"inject-lane\">").contains("<path class=\"inject\"")
                .contains("<line class=\"reaction\"").contains("<h2 id=\"injects\">Scenario injects and first reactions (1)")
                .contains("first reaction after 4.0 s (4 min 00 s scenario time)").contains(EXPECTED)
                .contains("no message sent after it");
        // Still self-contained.
        assertThat(html).doesNotContainPattern("(?i)https?://").doesNotContainPattern("(?i)<script")
                .doesNotContainPattern("(?i)@font-face").doesNotContainPattern("(?i)src=");
    }

    @Test
    void report_showsTheSignalInEveryLanguage_withLangDirAndFonts() {
        String html = ReportWriter.render(timeline, "t");
        assertThat(html).contains("<div class=\"tr-text\" lang=\"hi\">")
                .contains("<div class=\"tr-text\" lang=\"ur\" dir=\"rtl\">")
                .contains("Urdu \u00b7 \u0627\u0631\u062f\u0648").contains("translation not reviewed")
                .contains("'Noto Sans Devanagari'").contains("'Noto Naskh Arabic'")
                // the Urdu wording of posture.normal-readiness
                .contains("\u0627\u0633\u0679\u0631\u06cc\u0679\u062c\u06a9 \u0627\u0641\u0648\u0627\u062c");
    }

    @Test
    void headlessReplay_printsTheInjectLine_firstReactions_andTranslations() throws Exception {
        StringWriter out = new StringWriter();
        HeadlessReplay.print(timeline, InjectLane.of(timeline, Optional.of(msel)), new PrintWriter(out), Optional.empty(),
                d -> { });
        String text = out.toString();
        assertThat(text).contains("T+00:00:00.0  INJECT I-01 [situation] control \u2192 in.pm,pk.pm  Armed attack at "
                        + "Kestrel Ridge: First reports speak of casualties.  (in.pm delivered +1.0 s, pk.pm delivered +2.0 s)")
                .contains("  injects: 1").contains("expected: " + EXPECTED)
                .contains("in.pm: first reaction after 4.0 s (4 min 00 s scenario time): T+00:00:05.0 [nuclear-posture]")
                .contains("pk.pm: no message sent after it")
                .containsPattern("\n +hi \\(translation not reviewed\\): .*\u0938\u093e\u092e\u0930\u093f\u0915")
                .containsPattern("\n +ur \\(translation not reviewed\\): ");
        // The inject line comes before the message it led to.
        assertThat(text.indexOf("INJECT I-01")).isLessThan(text.indexOf("in.pm \u2192 pk.pm"));
    }

    @Test
    void transcriptJson_carriesRendered_everyLanguage() throws Exception {
        JsonNode row = new ObjectMapper().readTree(TranscriptExport.json(timeline)).path("messages").get(0);
        assertThat(row.path("rendered").path("en").asText()).isEqualTo(row.path("text").asText());
        assertThat(row.path("rendered").path("hi").asText()).contains("\u0938\u093e\u092e\u0930\u093f\u0915");
        assertThat(row.path("rendered").path("ur").asText()).contains("\u0627\u0633\u0679\u0631\u06cc\u0679\u062c\u06a9");
        assertThat(TranscriptExport.csv(timeline).lines().findFirst().orElseThrow()).endsWith(",\"text_hi\",\"text_ur\"");
    }

    @Test
    void replayWindowModel_stepsOntoTheInject_thenShowsTheSignalInEveryLanguage() {
        ReplayViewModel vm = new ReplayViewModel(timeline, InjectLane.of(timeline, Optional.of(msel)));
        assertThat(vm.senderViewProperty().get()).contains("Exercise control sent inject I-01 [situation]")
                .contains("expected: " + EXPECTED);
        assertThat(vm.recipientViewProperty().get()).contains("India Prime Minister: delivered at T+00:00:01.0 (later)")
                .contains("no message sent after it");
        assertThat(vm.currentLanguages()).isEmpty();
        vm.step();
        assertThat(vm.senderViewProperty().get()).contains("India Prime Minister sent at T+00:00:05.0");
        assertThat(vm.currentLanguages()).extracting(l -> l.code()).containsExactly("en", "hi", "ur");
        assertThat(vm.currentLanguages().get(2).rightToLeft()).isTrue();
        assertThat(vm.currentLanguages().get(2).needsReviewMark()).isTrue();
        assertThat(vm.injects().lane().injects()).hasSize(1);
    }
}
