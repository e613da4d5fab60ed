package org.hotline.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotline.app.ClientCliTest.cmd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.hotline.app.cli.ExitCodes;
import org.hotline.app.testing.CliExercise;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 on the command line: one message-id form for {@code --reply-to} and {@code --param ref=},
 * ids in {@code listen}'s plain output, and the calm-wording check with its logged override on
 * {@code send --text}.
 */
class MessageRefsAndWordingCliTest {

    @TempDir
    static Path tmp;
    static CliExercise exercise;

    @BeforeAll
    static void start() throws Exception {
        exercise = new CliExercise(tmp);
    }

    @AfterAll
    static void stop() {
        exercise.close();
    }

    static ClientCliTest.Run run(String... args) {
        return ClientCliTest.run(CliExercise.ENV, args);
    }

    static String[] as(String role, String... rest) {
        return exercise.as(role, rest);
    }

    @Test
    void listenShowsTheId_andReplyToAndRefTakeItShortOrFull_butNotAnUnknownOne() throws Exception {
        CompletableFuture<ClientCliTest.Run> listen = CompletableFuture.supplyAsync(() ->
                run(cmd("listen", as("pk.nsa", "--count", "1", "--timeout", "30"))));
        ClientCliTest.Run send = run(cmd("send", as("in.nsa", "--to", "pk.nsa", "--signal", "channel.nsa-call",
                "--param", "callTime=2030-05-10T16:00Z", "--wait", "delivered")));
        assertThat(send.exit()).as(send.err()).isZero();
        String full = send.out().strip().split(" ")[0];
        String shortId = full.substring(0, 8);
        ClientCliTest.Run got = listen.get();
        assertThat(got.exit()).as(got.err()).isZero();
        assertThat(got.out()).startsWith(shortId + "  ");

        ClientCliTest.Run reply = run(cmd("send", as("pk.nsa", "--to", "in.nsa", "--signal", "ack.received-understood",
                "--param", "ref=" + shortId, "--reply-to", shortId)));
        assertThat(reply.exit()).as(reply.err()).isZero();
        ClientCliTest.Run replyFull = run(cmd("send", as("pk.nsa", "--to", "in.nsa", "--signal",
                "ack.received-understood", "--param", "ref=" + full, "--reply-to", full)));
        assertThat(replyFull.exit()).as(replyFull.err()).isZero();

        ClientCliTest.Run unknown = run(cmd("send", as("pk.nsa", "--to", "in.nsa", "--signal", "ack.received-understood",
                "--param", "ref=deadbeef")));
        assertThat(unknown.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("has neither sent nor received a message deadbeef");
        ClientCliTest.Run unknownReply = run(cmd("send", as("pk.nsa", "--to", "in.nsa", "--text", "Noted.",
                "--reply-to", "deadbeef")));
        assertThat(unknownReply.exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void heatedText_isHeldWithAnExplanation_unlessSentAsWritten_andTheOverrideIsLogged() throws Exception {
        ClientCliTest.Run held = run(cmd("send", as("in.pm", "--to", "pk.pm", "--text", "We will teach you a lesson.")));
        assertThat(held.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(held.err()).contains("calm-wording check: \u201cteach you a lesson\u201d").contains("--send-as-written");
        assertThat(held.out()).isEmpty();

        ClientCliTest.Run sent = run(cmd("send", as("in.pm", "--to", "pk.pm", "--text", "We will teach you a lesson.",
                "--send-as-written")));
        assertThat(sent.exit()).as(sent.err()).isZero();
        assertThat(sent.out()).contains("accepted");
        String log = Files.readString(exercise.auditLog("in.pm"));
        assertThat(log).contains("warning-shown").contains("teach a lesson").contains("sent as written");

        ClientCliTest.Run calm = run(cmd("send", as("in.pm", "--to", "pk.pm", "--text",
                "We never intended any escalation and never will.")));
        assertThat(calm.exit()).as(calm.err()).isZero();
        assertThat(calm.err()).doesNotContain("calm-wording");
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void answerByTakesADuration_signedAsNowPlusIt_andABadOneIsAUsageError() throws Exception {
        java.time.Instant before = java.time.Instant.now();
        ClientCliTest.Run sent = run(cmd("send", as("pk.pm", "--to", "in.pm", "--signal", "clarify.public-statement",
                "--param", "statementDate=2026-05-10", "--param", "subject=the border", "--answer-by", "10m")));
        java.time.Instant after = java.time.Instant.now();
        assertThat(sent.exit()).as(sent.err()).isZero();
        String id = sent.out().strip().split(" ")[0];
        java.time.Instant answerBy = null;
        for (String line : Files.readAllLines(exercise.auditLog("pk.pm"))) {
            var e = org.hotline.protocol.audit.AuditCodec.decode(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (e.event() instanceof org.hotline.protocol.audit.AuditEvent.MessageSent m
                    && m.header().messageId().hex().equals(id)) {
                answerBy = m.header().answerBy().orElseThrow();
            }
        }
        assertThat(answerBy).isBetween(before.plusSeconds(600), after.plusSeconds(600));

        ClientCliTest.Run bad = run(cmd("send", as("pk.pm", "--to", "in.pm", "--text", "Call?", "--answer-by", "soon")));
        assertThat(bad.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("10m, 30s, 1h");
    }
}
