package org.hotline.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.hotline.app.HotlineMain;
import org.hotline.app.testing.RelayProcesses;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.MessageId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay process dies between a group commit and its checkpoint (PROTOCOL.md §12.1, §12.2):
 * its test-only fault hook ({@code hotline.relay.fault.haltAfterCommits}) halts the JVM, as kill -9
 * would, right after the commit that stored the fifth message, before that batch's checkpoint is
 * signed and before anything of it is answered or delivered. After a restart on the same data,
 * every message the sender sent is accepted with a log proof and shown once, in order, at the
 * recipient; nothing accepted before the halt is lost; no client sees a fork or a failing proof,
 * and the sender's audit log verifies (its relay-inclusion and relay-checkpoint entries chain
 * across the crash).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RelayHaltBetweenCommitAndCheckpointTest {

    static final int MESSAGES = 12;
    static final int HALT_AFTER = 5;

    @TempDir
    Path tmp;

    HotlineClient client(TestExercise exercise, String role, int port) throws Exception {
        return RelayProcesses.client(exercise.dir(), role, port, tmp.resolve(role));
    }

    static ClientListener problemsInto(List<String> problems) {
        return new ClientListener() {
            @Override
            public void problem(String message) {
                problems.add(message);
            }
        };
    }

    @Test
    void relayHaltedAfterACommitBeforeItsCheckpoint_losesNothing_andItsLogStaysConsistent() throws Exception {
        TestExercise exercise = TestExercise.create(tmp);
        int port = RelayProcesses.freePort();
        Path data = tmp.resolve("relay-data");
        Process relay = RelayProcesses.startRelay(exercise.dir(), Optional.empty(), port, data,
                "-Dhotline.relay.fault.haltAfterCommits=" + HALT_AFTER);
        List<String> problems = new CopyOnWriteArrayList<>();
        List<ReceivedMessage> shown = new CopyOnWriteArrayList<>();
        HotlineClient sender = client(exercise, "in.pm", port);
        HotlineClient receiver = client(exercise, "pk.pm", port);
        sender.addListener(problemsInto(problems));
        receiver.addListener(problemsInto(problems));
        receiver.addListener(new ClientListener() {
            @Override
            public void messageReceived(ReceivedMessage m) {
                shown.add(m);
            }
        });
        List<MessageId> ids = new ArrayList<>();
        try {
            sender.start();
            receiver.start();
            for (int i = 1; i <= MESSAGES; i++) {
                ids.add(sender.sendText("pk.pm", String.format("h-%02d", i)).get(30, TimeUnit.SECONDS));
                if (i < HALT_AFTER) {
                    // Accepted (with a log proof) before the halt: these must survive it.
                    sender.whenState(ids.get(i - 1), DeliveryState.ACCEPTED).get(30, TimeUnit.SECONDS);
                }
            }
            assertThat(relay.waitFor(60, TimeUnit.SECONDS)).as("the fault hook halted the relay").isTrue();
            assertThat(relay.exitValue()).as("halted by the hook, not stopped").isEqualTo(137);
            assertThat(sender.whenState(ids.get(HALT_AFTER - 1), DeliveryState.ACCEPTED)).as(
                    "the halted batch was never answered").isNotDone();

            relay = RelayProcesses.startRelay(exercise.dir(), Optional.empty(), port, data);
            for (MessageId id : ids) {
                sender.whenState(id, DeliveryState.DELIVERED).get(60, TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (shown.size() < MESSAGES && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= MESSAGES; i++) {
                expected.add(String.format("h-%02d", i));
            }
            assertThat(shown.stream().map(ReceivedMessage::text).toList()).as("shown once each, in order")
                    .containsExactlyElementsOf(expected);
            // Let the last consistency answers arrive before the logs are closed.
            Thread.sleep(500);
        } finally {
            sender.close();
            receiver.close();
            relay.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(problems).as("no fork, no failing proof, no acceptance outside the log")
                .noneMatch(p -> p.startsWith("relay log forked") || p.startsWith("relay's log proof")
                        || p.contains("without a log proof"));
        Path log = tmp.resolve("in.pm").resolve("audit.jsonl");
        String text = Files.readString(log, StandardCharsets.UTF_8);
        // Every message the client sent has its proof once, the test's and any it sent itself (a log
        // checkpoint to control may fall in the run).
        List<String> proven = new ArrayList<>();
        java.util.regex.Matcher inclusion = java.util.regex.Pattern
                .compile("\"type\":\"relay-inclusion\",\"prev\":\"[0-9a-f]+\",\"id\":\"([0-9a-f]+)\"").matcher(text);
        while (inclusion.find()) {
            proven.add(inclusion.group(1));
        }
        assertThat(proven).as("one log proof per message").doesNotHaveDuplicates()
                .containsAll(ids.stream().map(MessageId::hex).toList());
        StringWriter out = new StringWriter();
        int exit = HotlineMain.run(new String[] {"log", "verify", log.toString(), "--exercise", exercise.dir().toString()},
                Map.of(), new PrintWriter(out, true), new PrintWriter(out, true));
        assertThat(exit).as(out.toString()).isZero();
    }
}
