package org.hotline.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.crypto.CryptoException;
import org.hotline.protocol.crypto.ReceiptSigner;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.tlog.MerkleLog;
import org.hotline.protocol.tlog.RelayLogProofs;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.pki.RelayCredential;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay's answer to an accepted SEND (PROTOCOL.md §3.4.7, §12.3): ACCEPTED_IN_LOG with the
 * receipt unsigned when its leaf is in the published tree (the batch's checkpoint is the one
 * signature), plain ACCEPTED with the receipt signed when it is not.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RelayLogCheckpointsTest {

    @TempDir
    static Path shared;
    static RelayCredential relay;

    @BeforeAll
    static void pki() throws Exception {
        relay = TestExercise.create(shared).relay();
    }

    static Receipt.Fields fields(int i) {
        return new Receipt.Fields(Receipt.Type.ACCEPTED, relay.exerciseId(), MessageId.of(idBytes(i)),
                Receipt.RELAY, "in.pm", "leaders", Instant.parse("2026-12-01T20:00:00Z"), Hash32.ZERO);
    }

    @Test
    void leafInThePublishedTree_isAnsweredInLog_unsigned_andItsProofVerifies() throws Exception {
        MerkleLog log = new MerkleLog();
        Receipt unsigned = Receipt.unsigned(fields(1));
        log.append(RelayLogProofs.leafHashOf(unsigned));
        RelayLogCheckpoints checkpoints = new RelayLogCheckpoints(log, relay.identity(), relay.exerciseId());

        for (Receipt stored : new Receipt[] {unsigned, ReceiptSigner.sign(relay.identity(), fields(1))}) {
            Frame.Accepted a = checkpoints.accepted(stored, OptionalLong.of(0));
            assertThat(a.inclusion()).as("stored %s", stored.isSigned() ? "signed" : "unsigned").isPresent();
            assertThat(a.receipt().isSigned()).isFalse();
            assertThat(a.receipt().encode()).isEqualTo(unsigned.encode());
            RelayLogProofs.verifyInclusion(a.receipt(), a.inclusion().get(), relay.exerciseId(), relay.identity().publicKey());
            // Without the proof the unsigned receipt is worth nothing: every signature check refuses it.
            assertThatThrownBy(() -> ReceiptSigner.verify(a.receipt(), relay.identity().publicKey(), relay.exerciseId()))
                    .isInstanceOf(CryptoException.class).hasMessageContaining("carries no signature");
        }
    }

    @Test
    void leafNotInThePublishedTree_isAnsweredPlain_withTheReceiptSignedForIt() throws Exception {
        RelayLogCheckpoints checkpoints = new RelayLogCheckpoints(new MerkleLog(), relay.identity(), relay.exerciseId());
        Frame.Accepted a = checkpoints.accepted(Receipt.unsigned(fields(2)), OptionalLong.of(0));
        assertThat(a.inclusion()).isEmpty();
        assertThat(a.receipt().isSigned()).isTrue();
        ReceiptSigner.verify(a.receipt(), relay.identity().publicKey(), relay.exerciseId());
        assertThat(a.receipt().fields()).contains(fields(2));
    }

    /**
     * A consistency fetch (PROTOCOL.md §12.4): unsigned unless asked; asked, the relay signs its roots
     * at both sizes and the proof, and the statement verifies and holds against its own checkpoints.
     * Sizes it cannot prove are never signed.
     */
    @Test
    void consistencyFetch_isSignedOnlyWhenAskedAndProvable() throws Exception {
        MerkleLog log = new MerkleLog();
        for (int i = 0; i < 5; i++) {
            log.append(RelayLogProofs.leafHashOf(Receipt.unsigned(fields(i))));
        }
        RelayLogCheckpoints checkpoints = new RelayLogCheckpoints(log, relay.identity(), relay.exerciseId());
        String origin = org.hotline.protocol.tlog.Checkpoint.originOf(relay.exerciseId());
        var cp3 = new org.hotline.protocol.tlog.Checkpoint(origin, 3, Hash32.of(log.root(3)));
        var cp5 = new org.hotline.protocol.tlog.Checkpoint(origin, 5, Hash32.of(log.root(5)));

        Frame.LogConsistency unsigned = checkpoints.consistency(new Frame.LogConsistencyFetch(3, 5));
        assertThat(unsigned.signature()).isEmpty();
        assertThat(unsigned.proof()).isEqualTo(RelayLogProofs.hashes(log.consistencyProof(3, 5)));

        Frame.LogConsistency signed = checkpoints.consistency(new Frame.LogConsistencyFetch(3, 5, true));
        assertThat(signed.proof()).isEqualTo(unsigned.proof());
        var statement = RelayLogProofs.verifySignedConsistency(3, 5, signed.proof(), signed.signature().orElseThrow(),
                Receipt.RELAY, relay.exerciseId(), relay.identity().publicKey());
        assertThat(statement.older()).isEqualTo(cp3);
        assertThat(statement.newer()).isEqualTo(cp5);
        assertThat(statement.contradiction(cp5, cp3)).isEmpty();

        for (Frame.LogConsistencyFetch unprovable : new Frame.LogConsistencyFetch[] {
                new Frame.LogConsistencyFetch(3, 9, true), new Frame.LogConsistencyFetch(5, 3, true)}) {
            Frame.LogConsistency answer = checkpoints.consistency(unprovable);
            assertThat(answer.signature()).as("%s", unprovable).isEmpty();
            assertThat(answer.proof()).isEmpty();
        }
    }

    /**
     * Review L6: an honest relay cannot be framed. For every 0 ≤ lo ≤ hi ≤ 70 its signed answer
     * verifies and contradicts nothing about the checkpoints it signed of those sizes, so no client
     * can hold a "proven fork" of an honest relay, whatever changes in MerkleLog or its proofs.
     */
    @Test
    void honestRelay_signedAnswers_neverContradictItsCheckpoints() throws Exception {
        MerkleLog log = new MerkleLog();
        for (int i = 0; i < 70; i++) {
            log.append(RelayLogProofs.leafHashOf(Receipt.unsigned(fields(i))));
        }
        RelayLogCheckpoints checkpoints = new RelayLogCheckpoints(log, relay.identity(), relay.exerciseId());
        String origin = org.hotline.protocol.tlog.Checkpoint.originOf(relay.exerciseId());
        for (int hi = 0; hi <= 70; hi++) {
            var cpHi = new org.hotline.protocol.tlog.Checkpoint(origin, hi, Hash32.of(log.root(hi)));
            for (int lo = 0; lo <= hi; lo++) {
                var cpLo = new org.hotline.protocol.tlog.Checkpoint(origin, lo, Hash32.of(log.root(lo)));
                Frame.LogConsistency answer = checkpoints.consistency(new Frame.LogConsistencyFetch(lo, hi, true));
                var statement = RelayLogProofs.verifySignedConsistency(lo, hi, answer.proof(),
                        answer.signature().orElseThrow(), Receipt.RELAY, relay.exerciseId(), relay.identity().publicKey());
                assertThat(statement.contradiction(cpLo, cpHi)).as("%d -> %d", lo, hi).isEmpty();
            }
        }
    }

    static byte[] idBytes(int i) {
        byte[] b = new byte[16];
        java.util.Arrays.fill(b, (byte) (0x40 + i));
        return b;
    }
}
