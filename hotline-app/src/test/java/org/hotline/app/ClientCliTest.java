package org.hotline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.hotline.app.cli.ExitCodes;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The participants' command-line contract (README.md): outputs, one-line errors, and every exit code. */
class ClientCliTest {

    @TempDir
    static Path tmp;
    static RelayFixture relay;
    static final Map<String, String> ENV = Map.of("HOTLINE_PASSPHRASE", TestExercise.PASSPHRASE);

    record Run(int exit, String out, String err) {
    }

    static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HotlineMain.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void start() throws Exception {
        relay = new RelayFixture(tmp, c -> c);
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    static String ex() {
        return relay.exercise().dir().toString();
    }

    static String server() {
        return "127.0.0.1:" + relay.port();
    }

    static String[] as(String role, String... rest) {
        List<String> a = new ArrayList<>(List.of("--exercise", ex(), "--as", role, "--server", server(), "--data",
                tmp.resolve("data").resolve(role).toString()));
        a.addAll(List.of(rest));
        return a.toArray(new String[0]);
    }

    static String[] cmd(String command, String[] opts) {
        String[] out = new String[opts.length + 1];
        out[0] = command;
        System.arraycopy(opts, 0, out, 1, opts.length);
        return out;
    }

    @Test
    void sendThenListen_jsonCarriesTheContractFields() throws Exception {
        CompletableFuture<Run> listen = CompletableFuture.supplyAsync(() ->
                run(ENV, cmd("listen", as("pk.nsa", "--count", "1", "--timeout", "30", "--json"))));
        Run send = run(ENV, cmd("send", as("in.nsa", "--to", "pk.nsa", "--signal", "channel.nsa-call",
                "--param", "callTime=2026-05-10T16:00Z", "--wait", "delivered")));
        assertThat(send.exit()).as(send.err()).isZero();
        assertThat(send.out().strip()).matches("[0-9a-f]{32} delivered");
        Run got = listen.get();
        assertThat(got.exit()).as(got.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(got.out().strip());
        assertThat(j.get("id").asText()).isEqualTo(send.out().strip().split(" ")[0]);
        assertThat(j.get("from").asText()).isEqualTo("in.nsa");
        // Exercise control observes nsa in the south-asia template, so it is an addressee too.
        assertThat(j.get("to").get(0).asText()).isEqualTo("control");
        assertThat(j.get("to").get(1).asText()).isEqualTo("pk.nsa");
        assertThat(j.get("channel").asText()).isEqualTo("nsa");
        assertThat(j.get("signal").asText()).isEqualTo("channel.nsa-call");
        assertThat(j.get("params").get("callTime").asText()).isEqualTo("2026-05-10T16:00:00Z");
        assertThat(j.get("text").asText()).contains("16:00 UTC");
        assertThat(j.get("verified").asBoolean()).isTrue();
        assertThat(j.has("sentAt")).isTrue();
    }

    @Test
    void freeText_isSentAndAccepted() {
        Run send = run(ENV, cmd("send", as("in.pm", "--to", "pk.pm", "--text", "We propose a call at 16:00 UTC.")));
        assertThat(send.exit()).as(send.err()).isZero();
        assertThat(send.out()).contains("accepted");
    }

    @Test
    void unknownSignal_isAUsageError() {
        Run r = run(ENV, cmd("send", as("in.pm", "--to", "pk.pm", "--signal", "no.such.signal")));
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err().strip()).isEqualTo("hotline: unknown signal 'no.such.signal' (see `hotline signals`)");
    }

    @Test
    void missingOrMalformedParameter_isAUsageError() {
        Run missing = run(ENV, cmd("send", as("in.pm", "--to", "pk.pm", "--signal", "posture.normal-readiness")));
        assertThat(missing.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("needs parameter 'asOf'");
        Run bad = run(ENV, cmd("send", as("in.pm", "--to", "pk.pm", "--signal", "posture.normal-readiness",
                "--param", "asOf=noon")));
        assertThat(bad.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("must be a UTC time");
    }

    @Test
    void recipientOutsideTheChannelPolicy_isAUsageError() {
        Run r = run(ENV, cmd("send", as("in.pm", "--to", "pk.nsa", "--text", "hello")));
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("shares no channel with 'pk.nsa'");
    }

    @Test
    void wrongPassphrase_isExit3_oneLine_noStackTrace() {
        Run r = run(Map.of("HOTLINE_PASSPHRASE", "wrong"), cmd("send", as("in.pm", "--to", "pk.pm", "--text", "x")));
        assertThat(r.exit()).isEqualTo(ExitCodes.AUTH_OR_PKI);
        assertThat(r.err().strip()).startsWith("hotline: wrong passphrase for credential of in.pm").doesNotContain("\n");
    }

    @Test
    void unknownRole_isExit3() {
        Run r = run(ENV, cmd("send", as("us.pres", "--to", "pk.pm", "--text", "x")));
        assertThat(r.exit()).isEqualTo(ExitCodes.AUTH_OR_PKI);
        assertThat(r.err()).contains("unknown role 'us.pres'");
    }

    @Test
    void unreachableRelay_isExit4_andTheMessageStaysQueued() {
        String[] opts = {"--exercise", ex(), "--as", "in.pm", "--server", "127.0.0.1:1", "--data",
                tmp.resolve("data-unreachable").toString(), "--to", "pk.pm", "--text", "x", "--timeout", "2"};
        Run r = run(ENV, cmd("send", opts));
        assertThat(r.exit()).isEqualTo(ExitCodes.NETWORK);
        assertThat(r.out()).contains("queued");
        assertThat(r.err()).contains("stays in the outbox").contains("unreachable");
    }

    @Test
    void listenTimeoutBeforeCount_isExit4() {
        Run r = run(ENV, cmd("listen", as("in.nsa", "--count", "5", "--timeout", "1")));
        assertThat(r.exit()).isEqualTo(ExitCodes.NETWORK);
        assertThat(r.err()).contains("received 0 of 5");
    }

    @Test
    void usageErrors_areExit2() {
        assertThat(run(ENV, "send", "--exercise", ex()).exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run(ENV, cmd("send", as("in.pm", "--to", "pk.pm", "--text", "x", "--signal", "y"))).exit())
                .isEqualTo(ExitCodes.USAGE);
        assertThat(run(ENV, cmd("send", as("in.pm", "--to", "pk.pm", "--text", "x", "--wait", "forever"))).exit())
                .isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void signals_listsTheCatalog() {
        Run r = run(ENV, "signals");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("posture.normal-readiness").contains("--param asOf=").contains("NUCLEAR POSTURE");
    }

    @Test
    void logVerify_intactIs0_tamperedIs5_withTheLine() throws Exception {
        Run send = run(ENV, cmd("send", as("pk.pm", "--to", "in.pm", "--text", "for the log")));
        assertThat(send.exit()).as(send.err()).isZero();
        Path log = tmp.resolve("data/pk.pm/audit.jsonl");
        Run ok = run(ENV, "log", "verify", log.toString(), "--exercise", ex());
        assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains("intact").contains("authentic under the exercise CA");

        Run noAnchor = run(ENV, "log", "verify", log.toString());
        assertThat(noAnchor.exit()).isZero();
        assertThat(noAnchor.out()).contains("CA fingerprint in the log");
        assertThat(noAnchor.err()).contains("authenticity NOT checked");

        List<String> lines = new ArrayList<>(Files.readAllLines(log));
        // The sent text edited in place: still well-formed JSON, caught by the hash chain at its line.
        int textLine = lines.stream().filter(l -> l.contains("for the log")).findFirst().map(lines::indexOf)
                .orElseThrow();
        List<String> edited = new ArrayList<>(lines);
        edited.set(textLine, lines.get(textLine).replace("for the log", "for the LOG"));
        assertThat(edited).isNotEqualTo(lines);
        Path reworded = tmp.resolve("reworded.jsonl");
        Files.write(reworded, edited);
        Run rewordedRun = run(ENV, "log", "verify", reworded.toString(), "--exercise", ex());
        assertThat(rewordedRun.exit()).isEqualTo(ExitCodes.INTEGRITY);
        assertThat(rewordedRun.out()).contains("NOT INTACT: line " + (textLine + 1) + ": ");

        byte[] bytes = Files.readAllBytes(log);
        bytes[bytes.length / 2] ^= 0x02;
        int flippedLine = 1;
        for (int i = 0; i < bytes.length / 2; i++) {
            flippedLine += bytes[i] == '\n' ? 1 : 0;
        }
        Path tampered = tmp.resolve("tampered.jsonl");
        Files.write(tampered, bytes);
        Run bad = run(ENV, "log", "verify", tampered.toString(), "--exercise", ex());
        assertThat(bad.exit()).isEqualTo(ExitCodes.INTEGRITY);
        assertThat(bad.out()).contains("NOT INTACT: line " + flippedLine + ": ");

        Path dropped = tmp.resolve("dropped.jsonl");
        lines.remove(1);
        Files.write(dropped, lines);
        assertThat(run(ENV, "log", "verify", dropped.toString(), "--ca", relay.exercise().dir().resolve("ca.crt")
                .toString()).exit()).isEqualTo(ExitCodes.INTEGRITY);
    }
}
