package org.hotline.client.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.crypto.IdentityKeyPair;
import org.hotline.protocol.crypto.MessageSealer;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.crypto.VerifiedPrekey;
import org.hotline.protocol.pki.RelayCredential;
import org.hotline.protocol.signals.SignalCatalog;
import org.hotline.protocol.testing.SettableClock;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.tlog.Checkpoint;
import org.hotline.protocol.tlog.MerkleHashes;
import org.hotline.protocol.tlog.MerkleLog;
import org.hotline.protocol.tlog.RelayLogProofs;
import org.hotline.protocol.tlog.SignedCheckpoint;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.LogInclusion;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer's relay checkpoints (PROTOCOL.md §4.2 RelayCheckpoints) at the receiving engine: a note the
 * relay did not sign is skipped, the message kept; one of our checkpoint's size with another root is a fork
 * the two relay-signed notes prove; a larger one waits for ours, asking the relay nothing yet.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RelayCheckpointGossipTest {

    @TempDir
    static Path shared;
    static TestExercise exercise;
    static RelayCredential relay;

    @TempDir
    Path tmp;
    final SettableClock clock = new SettableClock(Instant.now());
    final MerkleLog relayLog = new MerkleLog();
    EngineHarness india;

    @BeforeAll
    static void pki() throws Exception {
        exercise = TestExercise.withoutControlReading(shared);
        relay = exercise.relay();
    }

    @BeforeEach
    void engine() throws Exception {
        india = EngineHarness.open(exercise, tmp.resolve("in.pm"), "in.pm", clock);
        india.welcome();
        // India's own view of the relay's log: checkpoint 1 over its one message.
        Frame.Send s = InboxTest.send(india, "pk.pm", "one");
        Frame.Accepted plain = india.accepted(relay, s.messageId());
        long index = relayLog.append(RelayLogProofs.leafHashOf(plain.receipt()));
        india.connection.inject(new Frame.Accepted(plain.receipt().withoutSignature(), Optional.of(new LogInclusion(
                index, RelayLogProofs.hashes(relayLog.inclusionProof(index, 1)), checkpoint(relayLog, 1).encode()))));
        india.sync();
        assertThat(india.onEngine(() -> india.engine.relayLog.last()).orElseThrow().treeSize()).isEqualTo(1);
    }

    @AfterEach
    void close() {
        india.close();
    }

    private static SignedCheckpoint checkpoint(MerkleLog log, long size) {
        return SignedCheckpoint.sign(new Checkpoint(Checkpoint.originOf(relay.exerciseId()), size,
                Hash32.of(log.root(size))), relay.identity());
    }

    /** Pakistan's message carrying {@code notes}, sealed to India's initial prekey, as the relay delivers it. */
    private void deliverFromPakistan(List<Content.RelayNote> notes) throws Exception {
        var pakistan = exercise.role("pk.pm");
        var in = exercise.role("in.pm");
        String channel = exercise.exercise().channelFor("pk.pm", "in.pm").orElseThrow().id();
        Instant now = Instant.now();
        MessageHeader header = new MessageHeader(pakistan.exerciseId(), MessageId.random(new SecureRandom()), "pk.pm",
                List.of("in.pm"), channel, 1, now, Hash32.ZERO, Hash32.ZERO, SignalCatalog.builtIn().version(),
                Optional.empty(), Optional.empty());
        var signed = MessageSigner.sign(pakistan.identity(), header, new Content.RelayCheckpoints(notes));
        var prekey = VerifiedPrekey.verify(in.initialPrekey().orElseThrow().signed(), "in.pm",
                in.identity().publicKey(), in.exerciseId(), now);
        Frame.Send send = MessageSealer.seal(signed, List.of(prekey), new SecureRandom());
        india.connection.inject(EngineHarness.deliverTo("in.pm", send));
        india.sync();
    }

    private String indiasLog() throws Exception {
        return Files.readString(india.onEngine(() -> india.engine.audit.file()), StandardCharsets.UTF_8);
    }

    @Test
    void aCheckpointOfOurSizeWithAnotherRoot_isAFork_shownNamingThePeer() throws Exception {
        MerkleLog other = new MerkleLog();
        other.append(MerkleHashes.leafHash("a message pk.pm was shown instead".getBytes(StandardCharsets.UTF_8)));
        deliverFromPakistan(List.of(new Content.RelayNote("relay", checkpoint(other, 1).encode())));
        assertThat(india.events.problems).contains("relay log forked: checkpoint 1 is not consistent with 1 "
                + "[relay's checkpoint 1 as shown to pk.pm]");
        String log = indiasLog();
        assertThat(log).contains("\"kind\":\"relay-checkpoints\"").contains("\"type\":\"relay-fork\"");
        // Never stored as our own: our stored checkpoint is still ours.
        assertThat(india.onEngine(() -> india.engine.relayLog.last()).orElseThrow()).isEqualTo(checkpoint(relayLog, 1));
        assertThat(india.events.received).isEmpty();
    }

    @Test
    void ourOwnCheckpoint_fromThePeer_isNoFork_andAsksNothing() throws Exception {
        deliverFromPakistan(List.of(new Content.RelayNote("relay", checkpoint(relayLog, 1).encode())));
        assertThat(india.events.problems).noneMatch(p -> p.startsWith("relay log forked"));
        assertThat(india.connection.sent(Frame.LogConsistencyFetch.class)).isEmpty();
        assertThat(indiasLog()).contains("\"kind\":\"relay-checkpoints\"").doesNotContain("\"type\":\"relay-fork\"");
    }

    @Test
    void aLargerCheckpoint_waitsForOurs_withoutAFetch() throws Exception {
        MerkleLog ahead = new MerkleLog();
        ahead.append(relayLog.leafHash(0));
        ahead.append(MerkleHashes.leafHash("pk.pm's next".getBytes(StandardCharsets.UTF_8)));
        deliverFromPakistan(List.of(new Content.RelayNote("relay", checkpoint(ahead, 2).encode())));
        india.onEngine(() -> {
            india.engine.gossip.tick();
            return null;
        });
        assertThat(india.connection.sent(Frame.LogConsistencyFetch.class)).isEmpty();
        assertThat(india.events.problems).noneMatch(p -> p.startsWith("relay log forked"));
        assertThat(india.onEngine(() -> india.engine.relayLog.last()).orElseThrow().treeSize()).isEqualTo(1);
    }

    @Test
    void aNoteTheRelayDidNotSign_isSkipped_theMessageStaysAccepted() throws Exception {
        IdentityKeyPair notTheRelay = exercise.role("pk.pm").identity();
        SignedCheckpoint forged = SignedCheckpoint.sign(new Checkpoint(Checkpoint.originOf(relay.exerciseId()), 1,
                Hash32.of(new byte[32])), notTheRelay);
        deliverFromPakistan(List.of(new Content.RelayNote("relay", forged.encode())));
        // Refusing would leave a gap in pk.pm's counters that reads as a relay dropping messages.
        assertThat(india.connection.sent(Frame.DeliveryAck.class))
                .noneMatch(a -> a.receipt().type() == Receipt.Type.REJECTED);
        assertThat(india.events.problems).filteredOn(p -> p.startsWith("checkpoint of relay's log from pk.pm skipped"))
                .hasSize(1);
        assertThat(indiasLog()).contains("\"kind\":\"relay-checkpoints\"").doesNotContain("\"type\":\"relay-fork\"");
        assertThat(india.events.problems).noneMatch(p -> p.startsWith("relay log forked"));
    }

    @Test
    void theSameCheckpointWithAnExtraSignatureLine_countsOnce() throws Exception {
        MerkleLog other = new MerkleLog();
        other.append(MerkleHashes.leafHash("a message pk.pm was shown instead".getBytes(StandardCharsets.UTF_8)));
        byte[] plain = checkpoint(other, 1).encode();
        // Another key's signature line: the note still verifies (C2SP signed-note ignores it), but
        // it is the same checkpoint and must not be checked, or reported, a second time.
        byte[] extra = (new String(plain, StandardCharsets.UTF_8) + "\u2014 someone AAAAAAAA\n")
                .getBytes(StandardCharsets.UTF_8);
        deliverFromPakistan(List.of(new Content.RelayNote("relay", plain)));
        deliverFromPakistan(List.of(new Content.RelayNote("relay", extra)));
        assertThat(india.events.problems).noneMatch(p -> p.contains("skipped"));
        assertThat(india.events.problems).filteredOn(p -> p.startsWith("relay log forked")).hasSize(1);
    }
}
