package org.hotline.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hotline.app.HotlineMain;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.Frame;
import org.hotline.server.testing.RelayFixture;
import org.hotline.server.testing.TestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay as an operating-system process, started the way `hotline server` starts it: the
 * readiness line, a kill -9 after `accepted` (nothing accepted may be lost), and SIGTERM.
 */
class RelayProcessTest {

    private static final Pattern READY = Pattern.compile("hotline relay listening on ([0-9.]+):(\\d+)");

    @TempDir
    Path tmp;
    TestExercise exercise;
    Path data;

    @BeforeEach
    void setUp() {
        exercise = TestExercise.create(tmp);
        data = tmp.resolve("relay-data");
    }

    record RelayProcess(Process process, InetSocketAddress address, String firstLine) {
    }

    RelayProcess startRelay() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                HotlineMain.class.getName(), "server", "--exercise", exercise.dir().toString(),
                "--port", "0", "--data", data.toString(), "--log-level", "warn");
        pb.environment().put("HOTLINE_PASSPHRASE", TestExercise.PASSPHRASE);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("readiness line").isNotNull();
        Matcher m = READY.matcher(line);
        assertThat(m.matches()).as(line).isTrue();
        return new RelayProcess(p, new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2))), line);
    }

    TestClient hello(InetSocketAddress relay, String role) throws Exception {
        RoleCredential c = exercise.role(role);
        return TestClient.connect(relay, c, c.caCertificate()).hello();
    }

    @Test
    void killMinus9AfterAccepted_messageIsDeliveredAfterRestart() throws Exception {
        RelayProcess first = startRelay();
        Frame.Send send;
        try (TestClient a = hello(first.address(), "in.pm")) {
            send = messageFactory().message("in.pm", "pk.pm", 1);
            a.send(send);
            a.expect(Frame.Accepted.class);
        }
        first.process().destroyForcibly();
        assertThat(first.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(first.process().exitValue()).isEqualTo(137);

        RelayProcess second = startRelay();
        try (TestClient b = hello(second.address(), "pk.pm")) {
            assertThat(b.expect(Frame.Deliver.class).messageId()).isEqualTo(send.messageId());
        } finally {
            second.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void sigterm_stopsCleanly_andASecondStartResumes() throws Exception {
        RelayProcess first = startRelay();
        Frame.Send send = messageFactory().message("in.pm", "pk.pm", 1);
        try (TestClient a = hello(first.address(), "in.pm")) {
            a.send(send);
            a.expect(Frame.Accepted.class);
        }
        first.process().destroy();
        assertThat(first.process().waitFor(15, TimeUnit.SECONDS)).as("stopped within 15 s").isTrue();
        RelayProcess second = startRelay();
        try (TestClient b = hello(second.address(), "pk.pm")) {
            assertThat(b.expect(Frame.Deliver.class).messageId()).isEqualTo(send.messageId());
        } finally {
            second.process().destroy();
            second.process().waitFor(15, TimeUnit.SECONDS);
        }
        assertThat(List.of(first.firstLine(), second.firstLine())).allMatch(l -> l.startsWith("hotline relay listening on"));
    }

    /** Builds real sealed messages; the fixture's relay is not used (it runs in-process). */
    private MessageFactory messageFactory() {
        return new MessageFactory(exercise);
    }

    static final class MessageFactory {
        private final TestExercise exercise;

        MessageFactory(TestExercise exercise) {
            this.exercise = exercise;
        }

        Frame.Send message(String from, String to, long counter) throws Exception {
            return RelayFixture.seal(exercise, from, to, "leaders", counter,
                    new org.hotline.protocol.wire.Content.Text("message " + counter));
        }
    }
}
