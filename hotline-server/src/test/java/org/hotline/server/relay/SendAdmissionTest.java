package org.hotline.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.audit.AuditEntryType;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.Receipt;
import org.hotline.server.testing.RecordingSession;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SEND: who may send what where, and nothing is answered ACCEPTED or logged before it is stored. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SendAdmissionTest {

    @TempDir
    Path tmp;
    RelayParts parts;
    SendAdmission admission;
    RecordingSession sender;
    RecordingSession recipient;

    @BeforeEach
    void wire() throws Exception {
        parts = new RelayParts(tmp);
        admission = new SendAdmission(parts.exercise.exercise(), parts.config, parts.mailbox,
                parts.relayCredential.identity(), parts.relayCredential.exerciseId(), parts.clock, parts.audit,
                parts.sessions, RelayLogCheckpoints.of(parts.mailbox.relayLog(), parts.relayCredential.identity(),
                        parts.relayCredential.exerciseId()));
        sender = new RecordingSession("in.pm");
        recipient = new RecordingSession("pk.pm");
        parts.sessions.attach(recipient, new Frame.Hello("test"));
    }

    @AfterEach
    void close() throws Exception {
        parts.close();
    }

    private Frame.Send message(String from, String to, String channel) throws Exception {
        return RelayFixture.seal(parts.exercise, from, to, channel, 1, new Content.Text("x"));
    }

    @Test
    void allowedSend_isStored_logged_answeredWithAProvenReceipt_andDelivered() throws Exception {
        Frame.Send send = message("in.pm", "pk.pm", "leaders");

        admission.onSend(sender, send);

        Frame.Accepted acceptedFrame = sender.await(Frame.Accepted.class);
        Receipt accepted = acceptedFrame.receipt();
        assertThat(accepted.type()).isEqualTo(Receipt.Type.ACCEPTED);
        assertThat(accepted.messageId()).isEqualTo(send.messageId());
        // One signature per group commit (PROTOCOL.md §12.3): the receipt is unsigned, the checkpoint
        // signed, and the inclusion proof of the receipt's bytes authenticates it.
        assertThat(accepted.isSigned()).isFalse();
        org.hotline.protocol.tlog.RelayLogProofs.verifyInclusion(accepted, acceptedFrame.inclusion().orElseThrow(),
                parts.relayCredential.exerciseId(), parts.relayCredential.identity().publicKey());
        assertThat(accepted.channel()).contains("leaders");
        assertThat(accepted.subjectHash()).as("commits to the SEND payload (PROTOCOL.md §6)")
                .contains(org.hotline.protocol.crypto.Hashes.sendHash(send));
        assertThat(parts.auditEntries(AuditEntryType.RELAY_ACCEPTED, send.messageId())).singleElement()
                .satisfies(e -> assertThat(e.path("to").get(0).asText()).isEqualTo("pk.pm"));
        assertThat(recipient.await(Frame.Deliver.class).messageId()).isEqualTo(send.messageId());
        assertThat(admission.acceptedCount()).isEqualTo(1);
    }

    @Test
    void identicalResend_getsTheOriginalReceipt_andIsNotStoredOrLoggedAgain() throws Exception {
        Frame.Send send = message("in.pm", "pk.pm", "leaders");
        admission.onSend(sender, send);
        Receipt first = sender.await(Frame.Accepted.class).receipt();

        admission.onSend(sender, send);

        assertThat(sender.await(Frame.Accepted.class, 2, java.time.Duration.ofSeconds(10)).get(1).receipt())
                .isEqualTo(first);
        assertThat(parts.auditEntries(AuditEntryType.RELAY_ACCEPTED, send.messageId())).hasSize(1);
        assertThat(admission.acceptedCount()).isEqualTo(1);
    }

    /** PROTOCOL.md §12.3: each acceptance names its leaf, proves it, and carries a signed checkpoint. */
    @Test
    void acceptedSends_carryTheirLeaf_aVerifyingInclusionProof_andASignedCheckpoint() throws Exception {
        Frame.Send first = message("in.pm", "pk.pm", "leaders");
        Frame.Send second = RelayFixture.seal(parts.exercise, "in.pm", "pk.pm", "leaders", 2, new Content.Text("y"));
        admission.onSend(sender, first);
        sender.await(Frame.Accepted.class);
        admission.onSend(sender, second);
        admission.onSend(sender, first);

        java.util.List<Frame.Accepted> answers = sender.await(Frame.Accepted.class, 3, java.time.Duration.ofSeconds(10));
        var relayKey = parts.relayCredential.identity().publicKey();
        var exercise = parts.relayCredential.exerciseId();
        java.util.List<Long> leaves = new java.util.ArrayList<>();
        for (Frame.Accepted a : answers) {
            assertThat(a.kind()).isEqualTo(org.hotline.protocol.wire.FrameKind.ACCEPTED_IN_LOG);
            var cp = org.hotline.protocol.tlog.RelayLogProofs.verifyInclusion(a.receipt(), a.inclusion().orElseThrow(),
                    exercise, relayKey);
            assertThat(cp.treeSize()).isGreaterThan(a.inclusion().orElseThrow().leafIndex());
            leaves.add(a.inclusion().orElseThrow().leafIndex());
        }
        assertThat(leaves).as("the identical re-send is answered with the original leaf").containsExactly(0L, 1L, 0L);
        assertThat(parts.mailbox.relayLog().orElseThrow().size()).isEqualTo(2);
    }

    @Test
    void sendAsAnotherRole_closesTheConnection_asImpersonation() throws Exception {
        Frame.Send send = message("in.nsa", "pk.pm", "leaders");

        admission.onSend(sender, send);

        assertThat(sender.closes()).extracting(RecordingSession.Close::code).containsExactly(ErrorCode.IMPERSONATION);
        assertThat(parts.mailbox.originOf(send.messageId(), "pk.pm").get()).isEmpty();
    }

    @Test
    void offPolicyRoute_isRefusedWithTheRule_andNothingStored() throws Exception {
        Frame.Send send = message("in.pm", "pk.nsa", "leaders");

        admission.onSend(sender, send);

        assertThat(sender.awaitError(ErrorCode.POLICY_VIOLATION).text())
                .contains("pk.nsa is not a member of channel 'leaders'");
        assertThat(sender.isOpen()).isTrue();
        assertThat(parts.mailbox.originOf(send.messageId(), "pk.nsa").get()).isEmpty();
        assertThat(parts.auditEntries(AuditEntryType.RELAY_ACCEPTED, send.messageId())).isEmpty();
    }

    @Test
    void unknownChannel_isRefused() throws Exception {
        admission.onSend(sender, message("in.pm", "pk.pm", "war-room"));

        sender.awaitError(ErrorCode.UNKNOWN_CHANNEL);
        assertThat(sender.sent(Frame.Accepted.class)).isEmpty();
    }
}
