package org.hotline.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.hotline.app.HotlineMain;
import org.hotline.protocol.audit.AuditFormatException;
import org.hotline.protocol.pki.PkiException;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failure that surfaces from an asynchronous step (wrapped in ExecutionException) still exits
 * with the documented code and one line (README.md, "Exit codes of every command"), never exit 1
 * with "unexpected error: java.util.concurrent.ExecutionException…".
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExitCodeMappingTest {

    static final Map<String, String> ENV = Map.of("HOTLINE_PASSPHRASE", TestExercise.PASSPHRASE);

    @TempDir
    Path tmp;
    RelayFixture relay;

    record Run(int exit, String out, String err) {
    }

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    private Run send(String from, String to) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = {"send", "--exercise", relay.exercise().dir().toString(), "--as", from, "--server",
                "127.0.0.1:" + relay.port(), "--data", tmp.resolve("data").resolve(from).toString(), "--to", to,
                "--text", "hello", "--timeout", "10"};
        int code = HotlineMain.run(args, ENV, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private static void assertOneLinePkiFailure(Run r, String mentions) {
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.AUTH_OR_PKI);
        assertThat(r.err().strip()).startsWith("hotline: ").contains(mentions).doesNotContain("\n")
                .doesNotContain("unexpected error").doesNotContain("Exception");
    }

    @Test
    void missingPeerPrekeyFile_isExit3_withOneLine() throws Exception {
        relay = new RelayFixture(tmp, c -> c);
        Files.delete(relay.exercise().directory().initialPrekey("pk.pm"));
        assertOneLinePkiFailure(send("in.pm", "pk.pm"), "pk.pm.prekey");
    }

    @Test
    void corruptPeerPrekeyFile_isExit3_withOneLine() throws Exception {
        relay = new RelayFixture(tmp, c -> c);
        Files.writeString(relay.exercise().directory().initialPrekey("pk.pm"),
                "-----BEGIN HOTLINE PREKEY-----\nAAAA\n-----END HOTLINE PREKEY-----\n");
        assertOneLinePkiFailure(send("in.pm", "pk.pm"), "pk.pm.prekey");
    }

    @Test
    void channelMemberWithoutIdentityCertificate_isExit3_withOneLine() throws Exception {
        relay = new RelayFixture(tmp, c -> c);
        Files.delete(relay.exercise().directory().identityCertificate("pk.pm"));
        assertOneLinePkiFailure(send("in.pm", "pk.pm"), "pk.pm.crt");
    }

    @Test
    void wrappedCauses_areMappedByType() {
        PkiException pki = new PkiException(PkiException.Reason.MISSING_FILE, "prekeys/x.prekey: no such file");
        CommandFailure auth = CliRunner.classify(new ExecutionException(new CompletionException(pki)));
        assertThat(auth.exitCode()).isEqualTo(ExitCodes.AUTH_OR_PKI);
        assertThat(auth.getMessage()).isEqualTo("prekeys/x.prekey: no such file");

        CommandFailure net = CliRunner.classify(new CompletionException(new ConnectException("Connection refused")));
        assertThat(net.exitCode()).isEqualTo(ExitCodes.NETWORK);

        CommandFailure integrity = CliRunner.classify(new ExecutionException(
                new IllegalStateException("wrapped", new AuditFormatException("hash", "does not match"))));
        assertThat(integrity.exitCode()).isEqualTo(ExitCodes.INTEGRITY);

        CommandFailure own = new CommandFailure(ExitCodes.USAGE, "bad flag");
        assertThat(CliRunner.classify(new ExecutionException(own))).isSameAs(own);

        CommandFailure bug = CliRunner.classify(new ExecutionException(new NullPointerException("x\ny")));
        assertThat(bug.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(bug.getMessage()).doesNotContain("\n").doesNotContain("ExecutionException");
    }
}
