package org.hotline.app.participant;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hotline.app.HotlineMain;
import org.hotline.app.cli.ExitCodes;
import org.hotline.app.testing.RelayClients;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.core.ReceivedMessage;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.audit.AuditVerifier;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.Intent;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.ReadAs;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code send --intent} signs the sender's intent with free text; control's {@code listen --json} prints readings. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IntentReadingCliTest {

    @TempDir
    static Path tmp;
    static RelayFixture relay;
    static final Map<String, String> ENV = Map.of("HOTLINE_PASSPHRASE", TestExercise.PASSPHRASE);

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HotlineMain.run(args, ENV, new PrintWriter(out, true), new PrintWriter(err, true));
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

    static Path data(String role) {
        return tmp.resolve("data").resolve(role);
    }

    static String[] cmd(String command, String role, String... rest) {
        List<String> a = new ArrayList<>(List.of(command, "--exercise", relay.exercise().dir().toString(), "--as", role,
                "--server", "127.0.0.1:" + relay.port(), "--data", data(role).toString()));
        a.addAll(List.of(rest));
        return a.toArray(new String[0]);
    }

    @Test
    void sendIntent_isSignedWithTheText_andControlsListenPrintsTheReading() throws Exception {
        CompletableFuture<Run> listen = CompletableFuture.supplyAsync(() ->
                run(cmd("listen", "control", "--count", "2", "--timeout", "40", "--json")));
        Run send = run(cmd("send", "in.pm", "--to", "pk.pm", "--text", "Our aircraft stay on our side tonight.",
                "--intent", "reassure"));
        assertThat(send.exit()).as(send.err()).isZero();
        MessageId id = MessageId.parse(send.out().strip().split(" ")[0]);

        var sent = AuditVerifier.verify(data("in.pm").resolve("audit.jsonl"), Optional.empty()).accepted().stream()
                .map(e -> e.event()).filter(e -> e instanceof AuditEvent.MessageSent).map(e -> (AuditEvent.MessageSent) e)
                .filter(m -> m.header().messageId().equals(id)).findFirst().orElseThrow();
        assertThat(((Content.Text) sent.content()).intent()).contains(Intent.REASSURE);

        try (HotlineClient pakistan = RelayClients.open(relay, "pk.pm", data("pk.pm"))) {
            pakistan.start();
            for (int i = 0; i < 150 && pakistan.receivedMessages().get(5, TimeUnit.SECONDS).stream()
                    .map(ReceivedMessage::id).noneMatch(id::equals); i++) {
                Thread.sleep(100);
            }
            pakistan.recordReading(id, ReadAs.CONCERNING, "why tonight?").get(10, TimeUnit.SECONDS);
            Run got = listen.get(40, TimeUnit.SECONDS);
            assertThat(got.exit()).as(got.err()).isZero();
            List<JsonNode> lines = new ArrayList<>();
            for (String l : got.out().strip().split("\n")) {
                lines.add(new ObjectMapper().readTree(l));
            }
            JsonNode reading = lines.stream().filter(j -> j.get("type").asText().equals("reading")).findFirst()
                    .orElseThrow(() -> new AssertionError("no reading in " + got.out()));
            assertThat(reading.get("messageId").asText()).isEqualTo(id.hex());
            assertThat(reading.get("from").asText()).isEqualTo("in.pm");
            assertThat(reading.get("reader").asText()).isEqualTo("pk.pm");
            assertThat(reading.get("readAs").asText()).isEqualTo("concerning");
            assertThat(reading.get("note").asText()).isEqualTo("why tonight?");
            assertThat(reading.get("latencyMillis").asLong()).isNotNegative();
            assertThat(reading.get("verified").asBoolean()).isTrue();
        }
    }

    @Test
    void intentWithASignal_orAnUnknownIntent_isAUsageError() {
        Run withSignal = run(cmd("send", "in.pm", "--to", "pk.pm", "--signal", "ack.received", "--intent", "warn"));
        assertThat(withSignal.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(withSignal.err()).contains("--intent only goes with --text");
        Run unknown = run(cmd("send", "in.pm", "--to", "pk.pm", "--text", "x", "--intent", "threaten"));
        assertThat(unknown.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("--intent must be one of [inform, reassure, propose, request, acknowledge, warn]");
    }
}
