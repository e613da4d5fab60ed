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

    static byte[] idBytes(int i) {
        byte[] b = new byte[16];
        java.util.Arrays.fill(b, (byte) (0x40 + i));
        return b;
    }
}
