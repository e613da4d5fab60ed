package org.hotline.client.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.audit.AuditVerifier;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.MessageId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Log checkpoints between consoles without a relay: sent to peers, verified, recorded, never shown. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CheckpointExchangeTest {

    @TempDir
    static Path shared;
    static TestExercise exercise;

    @TempDir
    Path tmp;
    EngineHarness india;
    EngineHarness pakistan;

    @BeforeAll
    static void pki() {
        exercise = TestExercise.create(shared);
    }

    @BeforeEach
    void engines() throws Exception {
        india = EngineHarness.open(exercise, tmp.resolve("in.pm"), "in.pm");
        pakistan = EngineHarness.open(exercise, tmp.resolve("pk.pm"), "pk.pm");
        india.welcome();
        pakistan.welcome();
    }

    @AfterEach
    void close() {
        india.close();
        pakistan.close();
    }

    /** India sends {@code content} to Pakistan as a signed message; Pakistan receives it. */
    MessageId sendToPakistan(Content content) throws Exception {
        MessageId id = india.onEngine(() -> india.engine.outbox.compose(india.engine.exercise.channelFor("in.pm", "pk.pm")
                .orElseThrow(), content, Optional.empty(), Optional.empty()));
        india.sync(); // the relay's answer to a prekey fetch before sealing (PROTOCOL.md §5.2)
        Frame.Send send = india.connection.sent(Frame.Send.class).stream().filter(s -> s.messageId().equals(id))
                .findFirst().orElseThrow();
        pakistan.connection.inject(EngineHarness.deliverTo("pk.pm", send));
        pakistan.sync();
        return id;
    }

    Content.LogCheckpoint indiasCheckpoint() throws Exception {
        return india.onEngine(() -> {
            india.engine.audit.checkpoint();
            return india.engine.audit.lastCheckpoint().orElseThrow();
        });
    }

    List<AuditEvent.PeerCheckpoint> recordedByPakistan() throws Exception {
        pakistan.close();
        var report = AuditVerifier.verify(tmp.resolve("pk.pm").resolve("audit.jsonl"),
                Optional.of(exercise.directory().validator()), Optional.of(exercise.exercise()));
        assertThat(report.problem()).isEmpty();
        return report.accepted().stream().filter(e -> e.event() instanceof AuditEvent.PeerCheckpoint)
                .map(e -> (AuditEvent.PeerCheckpoint) e.event()).toList();
    }

    @Test
    void aPeersCheckpoint_isVerifiedAndRecorded_withTheMessageThatCarriedIt_andNotShown() throws Exception {
        Content.LogCheckpoint cp = indiasCheckpoint();
        MessageId id = sendToPakistan(cp);
        assertThat(pakistan.events.problems).isEmpty();
        assertThat(pakistan.events.received).isEmpty();
        assertThat(pakistan.onEngine(() -> pakistan.engine.inbox.receivedMessages())).isEmpty();
        assertThat(india.onEngine(() -> india.engine.outbox.sentMessages())).isEmpty();
        assertThat(recordedByPakistan()).singleElement().satisfies(p -> {
            assertThat(p.checkpoint()).isEqualTo(cp);
            assertThat(p.carriedBy()).contains(id);
        });
    }

    @Test
    void aForgedCheckpoint_isRefused_andNotRecorded() throws Exception {
        Content.LogCheckpoint real = indiasCheckpoint();
        byte[] sig = real.signature();
        sig[10] ^= 1;
        Content.LogCheckpoint forged = new Content.LogCheckpoint(real.owner(), real.treeSize(), real.time(), real.prev(),
                real.root(), sig);
        MessageId id = sendToPakistan(forged);
        assertThat(pakistan.events.problems).anyMatch(p -> p.contains("log checkpoint signature does not verify"));
        assertThat(pakistan.memory.hasIncoming(id)).isFalse();
        assertThat(recordedByPakistan()).isEmpty();
    }

    @Test
    void aCheckpointOfSomeoneElsesLog_isRefused() throws Exception {
        Content.LogCheckpoint pakistans = pakistan.onEngine(() -> {
            pakistan.engine.audit.checkpoint();
            return pakistan.engine.audit.lastCheckpoint().orElseThrow();
        });
        sendToPakistan(pakistans);
        assertThat(pakistan.events.problems).anyMatch(p -> p.contains("log checkpoint of pk.pm's log sent by in.pm"));
        assertThat(recordedByPakistan()).isEmpty();
    }

    @Test
    void atShutdown_theNewestCheckpointGoesToEveryChannel() throws Exception {
        india.onEngine(() -> india.engine.outbox.compose(india.engine.exercise.channelFor("in.pm", "pk.pm").orElseThrow(),
                new Content.Text("before closing"), Optional.empty(), Optional.empty()));
        india.close();
        List<Frame.Send> sent = india.connection.sent(Frame.Send.class);
        long channels = exercise.exercise().channelsOf("in.pm").size();
        assertThat(sent).hasSize(1 + (int) channels);
        String log = Files.readString(tmp.resolve("in.pm").resolve("audit.jsonl"));
        assertThat(log.lines().filter(l -> l.contains("\"kind\":\"log-checkpoint\""))).hasSize((int) channels);
    }
}
