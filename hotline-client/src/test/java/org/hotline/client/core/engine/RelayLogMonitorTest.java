package org.hotline.client.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.pki.RelayCredential;
import org.hotline.protocol.testing.SettableClock;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.tlog.Checkpoint;
import org.hotline.protocol.tlog.MerkleLog;
import org.hotline.protocol.tlog.RelayLogProofs;
import org.hotline.protocol.tlog.SignedCheckpoint;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.LogInclusion;
import org.hotline.protocol.wire.MessageId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's watch on the relay's log (PROTOCOL.md §12.4) against a relay played by the test: one
 * that never proves consistency is reported after {@link RelayLogMonitor#FETCH_TIMEOUT}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RelayLogMonitorTest {

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
        exercise = TestExercise.create(shared);
        relay = exercise.relay();
    }

    @BeforeEach
    void engine() throws Exception {
        india = EngineHarness.open(exercise, tmp.resolve("in.pm"), "in.pm", clock);
        india.welcome();
    }

    @AfterEach
    void close() {
        india.close();
    }

    /** The relay's ACCEPTED_IN_LOG for our message: its leaf appended, a signed checkpoint and the inclusion proof. */
    Frame.Accepted acceptedInLog(MessageId id) throws Exception {
        return acceptedInLog(id, relayLog);
    }

    /** As {@link #acceptedInLog(MessageId)}, the leaf appended to {@code log} (a forking relay's other history). */
    Frame.Accepted acceptedInLog(MessageId id, MerkleLog log) throws Exception {
        Frame.Accepted plain = india.accepted(relay, id);
        long index = log.append(RelayLogProofs.leafHashOf(plain.receipt()));
        long size = log.size();
        SignedCheckpoint cp = SignedCheckpoint.sign(new Checkpoint(Checkpoint.originOf(relay.exerciseId()), size,
                Hash32.of(log.root(size))), relay.identity());
        return new Frame.Accepted(plain.receipt().withoutSignature(), Optional.of(new LogInclusion(index,
                RelayLogProofs.hashes(log.inclusionProof(index, size)), cp.encode())));
    }

    void sendAndAcceptInLog(String text) throws Exception {
        Frame.Send s = InboxTest.send(india, "pk.pm", text);
        india.connection.inject(acceptedInLog(s.messageId()));
        india.sync();
    }

    void tick() throws Exception {
        india.onEngine(() -> {
            india.engine.relayLog.tick();
            return null;
        });
    }

    @Test
    void relayThatNeverAnswersTheConsistencyFetch_isReportedAfterTheTimeout() throws Exception {
        sendAndAcceptInLog("one");
        sendAndAcceptInLog("two");
        assertThat(india.connection.sent(Frame.LogConsistencyFetch.class))
                .anyMatch(f -> f.oldSize() == 1 && f.newSize() == 2);
        tick();
        assertThat(india.events.problems).noneMatch(p -> p.startsWith("relay did not prove"));

        clock.set(clock.instant().plus(RelayLogMonitor.FETCH_TIMEOUT).plusSeconds(1));
        tick();
        // Review L2: silence on the unsigned fetch is asked once more, signed, before it is given up.
        assertThat(india.connection.sent(Frame.LogConsistencyFetch.class))
                .anyMatch(f -> f.oldSize() == 1 && f.newSize() == 2 && f.signed());
        assertThat(india.events.problems).noneMatch(p -> p.startsWith("relay did not prove"));
        clock.set(clock.instant().plus(RelayLogMonitor.FETCH_TIMEOUT).plusSeconds(1));
        tick();
        assertThat(india.events.problems).contains("relay did not prove consistency of checkpoint 2 with 1");
        assertThat(india.events.problems).noneMatch(p -> p.startsWith("relay log forked"));
    }

    @Test
    void answerWithOtherSizes_doesNotSatisfyTheFetch() throws Exception {
        sendAndAcceptInLog("one");
        sendAndAcceptInLog("two");
        india.connection.inject(new Frame.LogConsistency(0, 2, java.util.List.of()));
        india.sync();
        clock.set(clock.instant().plus(RelayLogMonitor.FETCH_TIMEOUT).plusSeconds(1));
        tick();
        clock.set(clock.instant().plus(RelayLogMonitor.FETCH_TIMEOUT).plusSeconds(1));
        tick();
        assertThat(india.events.problems).contains("relay did not prove consistency of checkpoint 2 with 1");
    }

    /** Review L2: a relay silent on the unsigned fetch, whose signed answer then contradicts, is proven forked. */
    @Test
    void silenceOnTheUnsignedFetch_thenASignedContradiction_isRecordedAsProof() throws Exception {
        sendAndAcceptInLog("one");
        sendAndAcceptInLog("two");
        clock.set(clock.instant().plus(RelayLogMonitor.FETCH_TIMEOUT).plusSeconds(1));
        tick();
        byte[] other = new byte[32];
        other[0] = 9;
        var signed = org.hotline.protocol.tlog.SignedConsistency.sign(new Checkpoint(origin(), 1, Hash32.of(other)),
                new Checkpoint(origin(), 2, Hash32.of(relayLog.root(2))), BOGUS_PROOF, relay.identity());
        india.connection.inject(new Frame.LogConsistency(1, 2, BOGUS_PROOF, Optional.of(signed.wire())));
        india.sync();
        assertThat(india.events.problems).contains("relay log forked: checkpoint 2 is not consistent with 1 (it signed "
                + "two roots for size 1; the relay's own signatures prove it)");
        assertThat(verifyLog().relayForks()).singleElement().asString().contains("signed two roots for size 1");
    }

    // --- A failing proof is asked for again signed (PROTOCOL.md §12.4) ---

    private static final java.util.List<Hash32> BOGUS_PROOF = java.util.List.of(Hash32.of(new byte[32]));

    /** Checkpoints of size 1 and 2 seen, then the relay's unsigned proof between them fails. */
    void twoCheckpointsAndAFailingProof() throws Exception {
        sendAndAcceptInLog("one");
        sendAndAcceptInLog("two");
        india.connection.inject(new Frame.LogConsistency(1, 2, BOGUS_PROOF));
        india.sync();
    }

    private String origin() {
        return Checkpoint.originOf(relay.exerciseId());
    }

    private org.hotline.protocol.audit.AuditReport verifyLog() throws Exception {
        india.close();
        return org.hotline.protocol.audit.AuditVerifier.verify(tmp.resolve("in.pm").resolve("audit.jsonl"),
                Optional.of(exercise.directory().validator()), Optional.of(exercise.exercise()));
    }

    @Test
    void failingProof_isAskedForAgainSigned_beforeAnyForkIsShown() throws Exception {
        twoCheckpointsAndAFailingProof();
        assertThat(india.connection.sent(Frame.LogConsistencyFetch.class))
                .anyMatch(f -> f.oldSize() == 1 && f.newSize() == 2 && !f.signed())
                .anyMatch(f -> f.oldSize() == 1 && f.newSize() == 2 && f.signed());
        assertThat(india.events.problems).noneMatch(p -> p.startsWith("relay log forked"));
    }

    /** Review L6: the signed fetch lost with a connection is asked again signed, not unsigned, after WELCOME. */
    @Test
    void aReconnectAfterTheSignedFetch_asksSignedAgain() throws Exception {
        twoCheckpointsAndAFailingProof();
        int before = india.connection.sent(Frame.LogConsistencyFetch.class).size();
        india.welcome();
        var fetches = india.connection.sent(Frame.LogConsistencyFetch.class);
        assertThat(fetches).hasSizeGreaterThan(before);
        assertThat(fetches.get(fetches.size() - 1)).matches(f -> f.oldSize() == 1 && f.newSize() == 2 && f.signed());
    }

    @Test
    void signedAnswerWithAnotherRootForTheOldSize_isRecordedAsProof_andLogVerifyReportsIt() throws Exception {
        twoCheckpointsAndAFailingProof();
        // The relay's other history: another root for size 1, its real root for size 2.
        byte[] other = new byte[32];
        other[0] = 9;
        var signed = org.hotline.protocol.tlog.SignedConsistency.sign(new Checkpoint(origin(), 1, Hash32.of(other)),
                new Checkpoint(origin(), 2, Hash32.of(relayLog.root(2))), BOGUS_PROOF, relay.identity());
        india.connection.inject(new Frame.LogConsistency(1, 2, BOGUS_PROOF, Optional.of(signed.wire())));
        india.sync();
        assertThat(india.events.problems).contains("relay log forked: checkpoint 2 is not consistent with 1 (it signed "
                + "two roots for size 1; the relay's own signatures prove it)");
        var report = verifyLog();
        assertThat(report.problem()).isEmpty();
        assertThat(report.relayForks()).singleElement().asString()
                .contains("relay relay signed two inconsistent histories: checkpoint 2 is not consistent with 1 (it "
                        + "signed two roots for size 1)");
    }

    @Test
    void signedFalseProof_betweenTheRootsTheClientHolds_isRecordedAsProof() throws Exception {
        twoCheckpointsAndAFailingProof();
        var signed = org.hotline.protocol.tlog.SignedConsistency.sign(
                new Checkpoint(origin(), 1, Hash32.of(relayLog.root(1))),
                new Checkpoint(origin(), 2, Hash32.of(relayLog.root(2))), BOGUS_PROOF, relay.identity());
        india.connection.inject(new Frame.LogConsistency(1, 2, BOGUS_PROOF, Optional.of(signed.wire())));
        india.sync();
        assertThat(india.events.problems).anyMatch(p -> p.startsWith("relay log forked: checkpoint 2 is not consistent "
                + "with 1 (its signed consistency proof from 1 to 2 does not verify"));
        assertThat(verifyLog().relayForks()).singleElement().asString().contains("signed two inconsistent histories");
    }

    @Test
    void signedAnswerThatHolds_settlesIt_noFork() throws Exception {
        twoCheckpointsAndAFailingProof();
        var proof = RelayLogProofs.hashes(relayLog.consistencyProof(1, 2));
        var signed = org.hotline.protocol.tlog.SignedConsistency.sign(
                new Checkpoint(origin(), 1, Hash32.of(relayLog.root(1))),
                new Checkpoint(origin(), 2, Hash32.of(relayLog.root(2))), proof, relay.identity());
        india.connection.inject(new Frame.LogConsistency(1, 2, proof, Optional.of(signed.wire())));
        india.sync();
        assertThat(india.events.problems).noneMatch(p -> p.startsWith("relay log forked"));
        assertThat(india.onEngine(() -> india.engine.relayLog.last().orElseThrow().treeSize())).isEqualTo(2L);
        assertThat(verifyLog().relayForks()).isEmpty();
    }

    @Test
    void relaySilentAfterTheSignedFetch_leavesOnlyTheOwnersAccount() throws Exception {
        twoCheckpointsAndAFailingProof();
        tick();
        assertThat(india.events.problems).noneMatch(p -> p.startsWith("relay log forked"));
        clock.set(clock.instant().plus(RelayLogMonitor.FETCH_TIMEOUT).plusSeconds(1));
        tick();
        assertThat(india.events.problems).contains("relay log forked: checkpoint 2 is not consistent with 1");
        var report = verifyLog();
        assertThat(report.problem()).isEmpty();
        assertThat(report.relayForks()).as("the owner's account is not proof").isEmpty();
        assertThat(report.warnings()).anyMatch(w -> w.contains("the log owner's account, not proof"));
    }

    @Test
    void signatureByAnotherKey_isNoProof_onlyTheOwnersAccount() throws Exception {
        twoCheckpointsAndAFailingProof();
        byte[] other = new byte[32];
        other[0] = 9;
        var forged = org.hotline.protocol.tlog.SignedConsistency.sign(new Checkpoint(origin(), 1, Hash32.of(other)),
                new Checkpoint(origin(), 2, Hash32.of(relayLog.root(2))), BOGUS_PROOF,
                exercise.role("pk.pm").identity());
        india.connection.inject(new Frame.LogConsistency(1, 2, BOGUS_PROOF, Optional.of(forged.wire())));
        india.sync();
        assertThat(india.events.problems).anyMatch(p -> p.startsWith("relay's consistency proof of checkpoint 2 with 1 "
                + "is not signed by it"));
        assertThat(india.events.problems).contains("relay log forked: checkpoint 2 is not consistent with 1");
        var report = verifyLog();
        assertThat(report.problem()).isEmpty();
        assertThat(report.relayForks()).as("the owner's account is not proof").isEmpty();
        assertThat(report.warnings()).anyMatch(w -> w.contains("the log owner's account, not proof"));
    }

    @Test
    void plainAcceptedAfterAStoredCheckpoint_isReported_butNotBeforeOne() throws Exception {
        Frame.Send first = InboxTest.send(india, "pk.pm", "before any checkpoint");
        india.connection.inject(india.accepted(relay, first.messageId()));
        india.sync();
        assertThat(india.events.problems).noneMatch(p -> p.contains("without a log proof"));

        sendAndAcceptInLog("one");
        Frame.Send third = InboxTest.send(india, "pk.pm", "kept out of the log");
        india.connection.inject(india.accepted(relay, third.messageId()));
        india.sync();
        assertThat(india.events.problems).contains("relay accepted message " + third.messageId().shortForm()
                + " without a log proof");
    }

    /**
     * ACCEPTED_IN_LOG's receipt is unsigned (PROTOCOL.md §12.3): verified by its proof, it moves the
     * message to accepted, and the relay-inclusion entry is its one record, which log verify accepts
     * and replay reads as the acceptance.
     */
    @Test
    void acceptedInLog_acceptsByItsProof_andTheLogVerifies() throws Exception {
        Frame.Send s = InboxTest.send(india, "pk.pm", "proven");
        Frame.Accepted inLog = acceptedInLog(s.messageId());
        assertThat(inLog.receipt().isSigned()).isFalse();
        india.connection.inject(inLog);
        india.sync();
        assertThat(india.events.statesOf(s.messageId())).as("problems: %s", india.events.problems)
                .containsExactly(org.hotline.client.core.DeliveryState.QUEUED, org.hotline.client.core.DeliveryState.ACCEPTED);
        assertThat(india.events.problems).isEmpty();
        india.close();
        var report = org.hotline.protocol.audit.AuditVerifier.verify(tmp.resolve("in.pm").resolve("audit.jsonl"),
                Optional.of(exercise.directory().validator()), Optional.of(exercise.exercise()));
        assertThat(report.problem()).isEmpty();
        assertThat(report.accepted()).filteredOn(e -> e.event() instanceof org.hotline.protocol.audit.AuditEvent.RelayInclusion)
                .hasSize(1);
        assertThat(report.accepted()).noneMatch(e -> e.event() instanceof org.hotline.protocol.audit.AuditEvent.ReceiptRecorded);
    }

    /**
     * The proof is all that authenticates the unsigned receipt: one flipped bit in the receipt (the
     * leaf), the leaf index, a path hash or the checkpoint, and the frame accepts nothing; the
     * problem is shown and nothing is logged.
     */
    @Test
    void acceptedInLog_withAnyPartChanged_acceptsNothing_andIsReported() throws Exception {
        Frame.Send s = InboxTest.send(india, "pk.pm", "tampered");
        Frame.Accepted genuine = acceptedInLog(s.messageId());
        sendAndAcceptInLog("makes the path non-empty");
        LogInclusion in = genuine.inclusion().orElseThrow();
        byte[] leaf = genuine.receipt().encode();
        leaf[leaf.length - 1] ^= 0x01; // the subject hash's last byte
        byte[] note = in.checkpoint();
        note[note.length - 3] ^= 0x01; // inside the signature's base64
        java.util.List<Hash32> path = new java.util.ArrayList<>(in.path());
        Frame.Accepted[] tampered = {
                new Frame.Accepted(org.hotline.protocol.wire.Receipt.decodeUnsigned(leaf), Optional.of(in)),
                new Frame.Accepted(genuine.receipt(), Optional.of(new LogInclusion(in.leafIndex() + 1, in.path(), in.checkpoint()))),
                new Frame.Accepted(genuine.receipt(), Optional.of(new LogInclusion(in.leafIndex(),
                        path.isEmpty() ? java.util.List.of(Hash32.of(new byte[32])) : java.util.List.of(flip(path.get(0))),
                        in.checkpoint()))),
                new Frame.Accepted(genuine.receipt(), Optional.of(new LogInclusion(in.leafIndex(), in.path(), note))),
        };
        for (Frame.Accepted t : tampered) {
            india.connection.inject(t);
        }
        india.sync();
        assertThat(india.events.statesOf(s.messageId())).containsExactly(org.hotline.client.core.DeliveryState.QUEUED);
        assertThat(india.events.problems).filteredOn(p -> p.startsWith("relay's log proof for message "
                + s.messageId().shortForm() + " does not verify")).hasSize(tampered.length);
        String log = java.nio.file.Files.readString(tmp.resolve("in.pm").resolve("audit.jsonl"));
        assertThat(log.split("\"type\":\"relay-inclusion\"", -1)).hasSize(2); // the other message's only

        india.connection.inject(genuine); // the genuine frame still accepts it
        india.sync();
        assertThat(india.events.statesOf(s.messageId())).containsExactly(org.hotline.client.core.DeliveryState.QUEUED,
                org.hotline.client.core.DeliveryState.ACCEPTED);
    }

    // --- Review H1 / M2: forks the relay's own signatures prove, however the relay orders them ---

    /**
     * Review H1: two checkpoints of size 2 with different roots, both shown while the proof 1 → 2 is
     * in flight. Once 1 → 2 is proven for the first, the second is of the stored size: the same-size
     * rule proves the fork, no fetch of one size is sent, and {@code log verify} reports it.
     */
    @Test
    void twoCheckpointsOfOneSize_queuedBehindAProof_areAForkByTheSameSizeRule_withoutAFetch() throws Exception {
        Frame.Send one = InboxTest.send(india, "pk.pm", "one");
        Frame.Accepted first = acceptedInLog(one.messageId());
        india.connection.inject(first);
        india.sync();
        Frame.Send two = InboxTest.send(india, "pk.pm", "two");
        Frame.Send three = InboxTest.send(india, "pk.pm", "three");
        // The relay's other history: the same first leaf, then "three" where the real log has "two".
        MerkleLog fork = new MerkleLog();
        fork.append(relayLog.leafHash(0));
        india.connection.inject(acceptedInLog(two.messageId()));
        india.connection.inject(acceptedInLog(three.messageId(), fork));
        india.sync();
        india.connection.inject(new Frame.LogConsistency(1, 2, RelayLogProofs.hashes(relayLog.consistencyProof(1, 2))));
        india.sync();
        assertThat(india.connection.sent(Frame.LogConsistencyFetch.class)).noneMatch(f -> f.oldSize() == f.newSize());
        assertThat(india.events.problems).contains("relay log forked: checkpoint 2 is not consistent with 2");
        var report = verifyLog();
        assertThat(report.problem()).isEmpty();
        // Also found on the relay-inclusion line that holds the second checkpoint.
        assertThat(report.relayForks()).isNotEmpty().allMatch(f -> f.contains("checkpoint 2 is not consistent with 2 "
                + "(it signed two different roots for that size)"));
    }

    /**
     * Review M2: the relay signs the root the client holds for size 1, the root of its other size-2
     * tree, and a genuine proof between those two. Only the check of the new root against the
     * client's checkpoint of size 2 catches it: the fork is proven, and nothing is accepted.
     */
    @Test
    void signedAnswerWithAnotherRootForTheNewSize_andAProofThatHoldsToIt_isRecordedAsProof() throws Exception {
        twoCheckpointsAndAFailingProof();
        MerkleLog other = new MerkleLog();
        other.append(relayLog.leafHash(0));
        byte[] leaf = new byte[32];
        leaf[0] = 5;
        other.append(leaf);
        var proof = RelayLogProofs.hashes(other.consistencyProof(1, 2));
        var signed = org.hotline.protocol.tlog.SignedConsistency.sign(
                new Checkpoint(origin(), 1, Hash32.of(relayLog.root(1))),
                new Checkpoint(origin(), 2, Hash32.of(other.root(2))), proof, relay.identity());
        assertThat(signed.proofHolds()).isTrue();
        india.connection.inject(new Frame.LogConsistency(1, 2, proof, Optional.of(signed.wire())));
        india.sync();
        assertThat(india.events.problems).contains("relay log forked: checkpoint 2 is not consistent with 1 (it signed "
                + "two roots for size 2; the relay's own signatures prove it)");
        assertThat(india.onEngine(() -> india.engine.relayLog.last().orElseThrow().treeSize())).isEqualTo(1L);
        var report = verifyLog();
        assertThat(report.problem()).isEmpty();
        assertThat(report.relayForks()).singleElement().asString().contains("it signed two roots for size 2");
    }

    /**
     * Review M2: the checkpoint that fails is the smaller one (a size-1 checkpoint of another history
     * shown after size 2 is stored), so the client's lo/hi mapping is exercised end to end.
     */
    @Test
    void aSmallerCheckpointOfAnotherHistory_isProvenForkedBySignedAnswer() throws Exception {
        sendAndAcceptInLog("one");
        sendAndAcceptInLog("two");
        india.connection.inject(new Frame.LogConsistency(1, 2, RelayLogProofs.hashes(relayLog.consistencyProof(1, 2))));
        india.sync();
        assertThat(india.onEngine(() -> india.engine.relayLog.last().orElseThrow().treeSize())).isEqualTo(2L);
        Frame.Send three = InboxTest.send(india, "pk.pm", "three");
        india.connection.inject(acceptedInLog(three.messageId(), new MerkleLog()));
        india.sync();
        india.connection.inject(new Frame.LogConsistency(1, 2, BOGUS_PROOF));
        india.sync();
        assertThat(india.connection.sent(Frame.LogConsistencyFetch.class))
                .anyMatch(f -> f.oldSize() == 1 && f.newSize() == 2 && f.signed());
        var proof = RelayLogProofs.hashes(relayLog.consistencyProof(1, 2));
        var signed = org.hotline.protocol.tlog.SignedConsistency.sign(
                new Checkpoint(origin(), 1, Hash32.of(relayLog.root(1))),
                new Checkpoint(origin(), 2, Hash32.of(relayLog.root(2))), proof, relay.identity());
        india.connection.inject(new Frame.LogConsistency(1, 2, proof, Optional.of(signed.wire())));
        india.sync();
        assertThat(india.events.problems).contains("relay log forked: checkpoint 1 is not consistent with 2 (it signed "
                + "two roots for size 1; the relay's own signatures prove it)");
        assertThat(india.onEngine(() -> india.engine.relayLog.last().orElseThrow().treeSize())).isEqualTo(2L);
        var report = verifyLog();
        assertThat(report.problem()).isEmpty();
        assertThat(report.relayForks()).anyMatch(f -> f.contains("checkpoint 1 is not consistent with 2 (it signed two "
                + "roots for size 1)"));
    }

    private static Hash32 flip(Hash32 h) {
        byte[] b = h.bytes();
        b[0] ^= 0x01;
        return Hash32.of(b);
    }

    @Test
    void aRepeatedAcceptedInLog_isRecordedOnce() throws Exception {
        Frame.Send s = InboxTest.send(india, "pk.pm", "one");
        Frame.Accepted inLog = acceptedInLog(s.messageId());
        india.connection.inject(inLog);
        india.connection.inject(inLog);
        india.connection.inject(inLog);
        india.sync();
        String log = java.nio.file.Files.readString(tmp.resolve("in.pm").resolve("audit.jsonl"));
        assertThat(log.split("\"type\":\"relay-inclusion\"", -1)).hasSize(2);
    }

    /** An ACCEPTED_IN_LOG for {@code receipt} (unsigned): its leaf appended to the relay's log, proved against a checkpoint the relay really signed. */
    Frame.Accepted provenInLog(org.hotline.protocol.wire.Receipt receipt) {
        long index = relayLog.append(RelayLogProofs.leafHashOf(receipt));
        long size = relayLog.size();
        SignedCheckpoint cp = SignedCheckpoint.sign(new Checkpoint(Checkpoint.originOf(relay.exerciseId()), size,
                Hash32.of(relayLog.root(size))), relay.identity());
        return new Frame.Accepted(receipt, Optional.of(new LogInclusion(index,
                RelayLogProofs.hashes(relayLog.inclusionProof(index, size)), cp.encode())));
    }

    long relayInclusionLines() throws Exception {
        String log = java.nio.file.Files.readString(tmp.resolve("in.pm").resolve("audit.jsonl"));
        return log.split("\"type\":\"relay-inclusion\"", -1).length - 1L;
    }

    /**
     * Review A-M1: the relay holds its key, so it can prove any leaf it likes; only the match of the
     * proven receipt against the message as sent (ReceiptSigner.verifyProvenByLog and the tracker's
     * own checks) stops a leaf for other SEND bytes, another channel, message id, sender or exercise.
     * Each proof verifies, yet nothing is accepted, the problem is reported, and nothing is logged.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"send bytes", "channel", "message id", "sender",
            "exercise"})
    void acceptedInLog_provingALeafForAnotherMessage_acceptsNothing_andIsReported(String changed) throws Exception {
        Frame.Send s = InboxTest.send(india, "pk.pm", "the message as sent");
        org.hotline.protocol.wire.Receipt genuine = india.accepted(relay, s.messageId()).receipt();
        var f = genuine.fields().orElseThrow();
        byte[] otherHash = f.subjectHash().bytes();
        otherHash[0] ^= 0x01;
        var other = new org.hotline.protocol.wire.Receipt.Fields(f.type(),
                changed.equals("exercise") ? org.hotline.protocol.wire.ExerciseId.of(new byte[32]) : f.exerciseId(),
                changed.equals("message id") ? MessageId.random(new java.security.SecureRandom()) : f.messageId(),
                f.asserter(),
                changed.equals("sender") ? "pk.nsa" : f.sender(),
                changed.equals("channel") ? "all-hands" : f.channel(),
                f.at(),
                changed.equals("send bytes") ? Hash32.of(otherHash) : f.subjectHash());
        org.hotline.protocol.wire.Receipt forged = org.hotline.protocol.wire.Receipt.unsigned(other);
        Frame.Accepted inLog = provenInLog(forged);
        // The proof itself is sound: the relay signed the checkpoint over exactly this leaf.
        RelayLogProofs.verifyInclusion(forged, inLog.inclusion().orElseThrow(), relay.exerciseId(),
                relay.identity().publicKey());

        india.connection.inject(inLog);
        india.sync();

        assertThat(india.events.statesOf(s.messageId())).containsExactly(org.hotline.client.core.DeliveryState.QUEUED);
        assertThat(india.events.problems).as("the mismatch is reported").isNotEmpty();
        assertThat(relayInclusionLines()).as("nothing is logged").isZero();
    }

    /**
     * Review A-L5: after a reconnect the recipient's DELIVERED receipt can arrive before the re-send's
     * ACCEPTED_IN_LOG; the message is then past accepted, yet the relay's proof, its only record of
     * acceptance, is still logged, and only once.
     */
    @Test
    void acceptedInLog_afterTheDeliveredReceipt_isStillRecorded_once() throws Exception {
        Frame.Send s = InboxTest.send(india, "pk.pm", "delivered first");
        var message = india.memory.outgoing(s.messageId()).orElseThrow().message();
        org.hotline.protocol.wire.Receipt delivered = org.hotline.protocol.crypto.ReceiptSigner.sign(
                exercise.role("pk.pm").identity(), org.hotline.protocol.wire.Receipt.Type.DELIVERED, message, "pk.pm",
                Instant.now());
        india.connection.inject(new Frame.ReceiptNotice(delivered));
        india.sync();
        assertThat(india.memory.outgoing(s.messageId()).orElseThrow().state())
                .isEqualTo(org.hotline.client.core.DeliveryState.DELIVERED);

        Frame.Accepted inLog = acceptedInLog(s.messageId());
        india.connection.inject(inLog);
        india.connection.inject(inLog);
        india.sync();

        assertThat(india.events.problems).isEmpty();
        assertThat(relayInclusionLines()).isEqualTo(1);
    }

    /**
     * Review F6: the {@code relay-inclusion} entry is written before its flag; after a crash between
     * the two, the restarted client flags the entry it finds in its log, so the relay's next proof of
     * that message is not logged a second time, and the log verifies.
     */
    @Test
    void aRelayInclusionLoggedButNotFlagged_isNotLoggedAgainAfterARestart() throws Exception {
        Frame.Send s = InboxTest.send(india, "pk.pm", "logged, then the power went");
        Frame.Accepted inLog = acceptedInLog(s.messageId());
        india.connection.inject(inLog);
        india.sync();
        assertThat(relayInclusionLines()).isEqualTo(1);

        india.close();
        india.memory.forgetRelayInclusion(s.messageId(), inLog.receipt().asserter());
        india = EngineHarness.reopen(exercise, tmp.resolve("in.pm"), "in.pm", india.memory);
        india.welcome();
        india.connection.inject(inLog);
        india.sync();

        assertThat(relayInclusionLines()).as("not written twice").isEqualTo(1);
        assertThat(india.memory.relayInclusionRecorded(s.messageId(), inLog.receipt().asserter())).isTrue();
    }

    /** Evaluator notes are exercise control's (PROTOCOL.md §11.3): a participant's client refuses to write one. */
    @Test
    void participantCannotRecordAnEvaluatorNote() throws Exception {
        var note = new ClientApi(india.engine).recordEvaluatorNote(Instant.now(), "a participant's own verdict");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> note.get(10, TimeUnit.SECONDS))
                .hasMessageContaining("evaluator notes are written by exercise control, not by in.pm");
        String log = java.nio.file.Files.readString(tmp.resolve("in.pm").resolve("audit.jsonl"));
        assertThat(log).doesNotContain("\"type\":\"evaluator-note\"");
    }
}
