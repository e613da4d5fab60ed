package org.hotline.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import org.hotline.protocol.audit.AuditEntryType;
import org.hotline.protocol.crypto.ReceiptSigner;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.server.store.SqliteMailbox;
import org.hotline.server.testing.RecordingSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every kind of recipient receipt goes the same way: checked, stored for the sender, then logged,
 * then forwarded. A receipt the mailbox does not commit is neither logged nor forwarded.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReceiptHandlerTest extends ReceiptHandlerFixture {

    private void hand(Receipt r) {
        if (r.type() == Receipt.Type.DELIVERED) {
            receipts.onDelivered(recipient, r);
        } else {
            receipts.onAcknowledged(recipient, r);
        }
    }

    private static String auditType(Receipt.Type kind) {
        return kind == Receipt.Type.DELIVERED ? AuditEntryType.RELAY_DELIVERED : AuditEntryType.RECEIPT;
    }

    @ParameterizedTest
    @EnumSource(value = Receipt.Type.class, names = {"DELIVERED", "ACKNOWLEDGED"})
    void receipt_isStoredThenLoggedThenForwarded(Receipt.Type kind) throws Exception {
        MessageId id = parts.stored("in.pm", "pk.pm");
        Receipt r = parts.receipt(kind, id, "pk.pm", "in.pm");

        hand(r);

        assertThat(sender.await(Frame.ReceiptNotice.class).receipt()).isEqualTo(r);
        assertThat(parts.storedReceiptsFor("in.pm")).containsExactly(r);
        assertThat(parts.auditEntries(auditType(kind), id)).singleElement()
                .satisfies(e -> assertThat(e.path("state").asText()).isEqualTo(kind.name().toLowerCase()));
        assertThat(recipient.sent(Frame.Error.class)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = Receipt.Type.class, names = {"DELIVERED", "ACKNOWLEDGED"})
    void receiptTheMailboxFailsToStore_isNeitherLoggedNorForwarded(Receipt.Type kind) throws Exception {
        MessageId id = parts.stored("in.pm", "pk.pm");
        parts.mailbox.failReceiptStores(true);

        hand(parts.receipt(kind, id, "pk.pm", "in.pm"));

        assertThat(recipient.awaitError(ErrorCode.STORAGE_FAILURE).messageId()).contains(id);
        Thread.sleep(300);
        assertThat(parts.auditEntries(auditType(kind), id)).isEmpty();
        assertThat(sender.sent(Frame.ReceiptNotice.class)).isEmpty();
        assertThat(parts.storedReceiptsFor("in.pm")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = Receipt.Type.class, names = {"DELIVERED", "ACKNOWLEDGED"})
    void receiptNotYetCommitted_isNotLoggedUntilItIs(Receipt.Type kind) throws Exception {
        MessageId id = parts.stored("in.pm", "pk.pm");
        CompletableFuture<Void> commit = parts.mailbox.holdReceiptStores();
        Receipt r = parts.receipt(kind, id, "pk.pm", "in.pm");

        hand(r);
        Thread.sleep(300);
        assertThat(parts.auditEntries(auditType(kind), id)).isEmpty();
        assertThat(sender.sent(Frame.ReceiptNotice.class)).isEmpty();

        commit.complete(null);
        assertThat(sender.await(Frame.ReceiptNotice.class).receipt()).isEqualTo(r);
        assertThat(parts.auditEntries(auditType(kind), id)).hasSize(1);
        assertThat(parts.storedReceiptsFor("in.pm")).containsExactly(r);
    }

    /**
     * PROTOCOL.md §6: a recipient's rejection closes its box for good (never delivered again, its
     * ciphertext erased in the same commit), is logged once with its reason and goes to the sender.
     */
    @Test
    void rejectedReceipt_closesAndErasesTheBox_isLoggedWithItsReason_andForwarded() throws Exception {
        MessageId id = parts.stored("in.pm", "pk.pm");
        assertThat(parts.mailbox.pending("pk.pm", 0, 100).get()).hasSize(1);
        var held = parts.mailbox.pending("pk.pm", 0, 100).get().get(0);
        // About this relay's copy: the box with its prekey id and this relay's acceptedAt (PROTOCOL.md §6).
        Receipt rejected = rejection(id, org.hotline.protocol.crypto.Hashes.copyHash(held.box(), held.acceptedAt()));

        receipts.onDelivered(recipient, rejected);

        assertThat(sender.await(Frame.ReceiptNotice.class).receipt()).isEqualTo(rejected);
        assertThat(parts.mailbox.pending("pk.pm", 0, 100).get()).as("not delivered again").isEmpty();
        assertThat(parts.storedReceiptsFor("in.pm")).containsExactly(rejected);
        assertThat(parts.auditEntries(AuditEntryType.RECEIPT, id)).singleElement().satisfies(e -> {
            assertThat(e.path("state").asText()).isEqualTo("rejected");
            assertThat(e.path("reason").asText()).isEqualTo("decryption-failed");
            assertThat(e.path("by").asText()).isEqualTo("pk.pm");
        });
        try (var db = java.sql.DriverManager.getConnection("jdbc:sqlite:"
                + parts.config.dataDir().resolve(SqliteMailbox.FILE_NAME));
             var rs = db.createStatement().executeQuery("SELECT length(encapsulation) + length(ciphertext)"
                     + " FROM envelopes WHERE recipient = 'pk.pm'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).as("the rejected box's bytes are erased").isZero();
        }
        assertThat(recipient.sent(Frame.Error.class)).isEmpty();
    }

    private Receipt rejection(MessageId id, Hash32 box) throws Exception {
        return ReceiptSigner.sign(parts.exercise.role("pk.pm").identity(), new Receipt.Fields(
                Receipt.Type.REJECTED, parts.relayCredential.exerciseId(), id, "pk.pm", "in.pm", "leaders",
                java.time.Instant.now(), box, Optional.of(Receipt.RejectReason.DECRYPTION_FAILED)));
    }

    /**
     * PROTOCOL.md §13: a rejection the recipient made for another relay's (altered) copy is about
     * another box. It must not purge this relay's genuine box: ignored, nothing stored, logged or
     * forwarded, no error on the recipient's line, the box still pending.
     */
    @Test
    void rejectedReceiptAboutAnotherBox_isIgnored_andTheBoxStaysPending() throws Exception {
        MessageId id = parts.stored("in.pm", "pk.pm");
        Receipt otherCopy = rejection(id, Hash32.of(new byte[32]));

        receipts.onDelivered(recipient, otherCopy);

        Thread.sleep(300);
        assertThat(parts.mailbox.pending("pk.pm", 0, 100).get()).as("still delivered").hasSize(1);
        assertThat(parts.storedReceiptsFor("in.pm")).isEmpty();
        assertThat(sender.sent(Frame.ReceiptNotice.class)).isEmpty();
        assertThat(parts.auditEntries(AuditEntryType.RECEIPT, id)).isEmpty();
        assertThat(recipient.sent(Frame.Error.class)).isEmpty();
        try (var db = java.sql.DriverManager.getConnection("jdbc:sqlite:"
                + parts.config.dataDir().resolve(SqliteMailbox.FILE_NAME));
             var rs = db.createStatement().executeQuery("SELECT length(ciphertext) FROM envelopes"
                     + " WHERE recipient = 'pk.pm'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).as("the box is kept").isPositive();
        }
    }

    /**
     * Review F1: another relay's copy of the very same box differs only in acceptedAt (or a prekey id
     * it changed). A rejection of that copy, and one naming the bare box hash, must not purge this
     * relay's copy.
     */
    @Test
    void rejectionOfTheSameBoxDeliveredWithAnotherAcceptedAt_isIgnored_andTheBoxStaysPending() throws Exception {
        MessageId id = parts.stored("in.pm", "pk.pm");
        var held = parts.mailbox.pending("pk.pm", 0, 100).get().get(0);

        receipts.onDelivered(recipient, rejection(id, org.hotline.protocol.crypto.Hashes.copyHash(held.box(),
                held.acceptedAt().plusSeconds(3600))));
        receipts.onDelivered(recipient, rejection(id, org.hotline.protocol.crypto.Hashes.boxHash(held.box())));

        Thread.sleep(300);
        assertThat(parts.mailbox.pending("pk.pm", 0, 100).get()).as("still delivered").hasSize(1);
        assertThat(parts.storedReceiptsFor("in.pm")).isEmpty();
        assertThat(sender.sent(Frame.ReceiptNotice.class)).isEmpty();
        assertThat(recipient.sent(Frame.Error.class)).isEmpty();
    }

    @Test
    void deliveredReceipt_signedByAnotherRole_isRefused_andNothingStored() throws Exception {
        MessageId id = parts.stored("in.pm", "pk.pm");
        Receipt forged = parts.receipt(Receipt.Type.DELIVERED, id, "in.pm", "in.pm");

        receipts.onDelivered(recipient, forged);

        assertThat(recipient.awaitError(ErrorCode.MALFORMED_FRAME).text()).contains("asserted by in.pm");
        assertThat(parts.auditEntries(AuditEntryType.RELAY_DELIVERED, id)).isEmpty();
        assertThat(parts.storedReceiptsFor("in.pm")).isEmpty();
    }

    @Test
    void receiptOfTheWrongKind_isRefused() throws Exception {
        MessageId id = parts.stored("in.pm", "pk.pm");

        receipts.onDelivered(recipient, parts.receipt(Receipt.Type.ACKNOWLEDGED, id, "pk.pm", "in.pm"));

        assertThat(recipient.awaitError(ErrorCode.MALFORMED_FRAME).text()).contains("expected a delivered receipt");
    }

    @Test
    void deliveredReceiptNamingAnotherSender_isRefused_andTheEnvelopeStaysPending() throws Exception {
        MessageId id = parts.stored("in.pm", "pk.pm");

        receipts.onDelivered(recipient, parts.receipt(Receipt.Type.DELIVERED, id, "pk.pm", "in.nsa"));

        assertThat(recipient.awaitError(ErrorCode.MALFORMED_FRAME).text())
                .contains("but the message came from in.pm");
        assertThat(parts.mailbox.pending("pk.pm", 0, 10).get()).hasSize(1);
        assertThat(parts.auditEntries(AuditEntryType.RELAY_DELIVERED, id)).isEmpty();
    }

    @Test
    void deliveredReceiptNamingAnotherChannel_isRefused_andTheEnvelopeStaysPending() throws Exception {
        MessageId id = parts.stored("in.pm", "pk.pm");

        receipts.onDelivered(recipient, parts.receipt(Receipt.Type.DELIVERED, id, "pk.pm", "in.pm", "nsa",
                parts.relayCredential.exerciseId()));

        assertThat(recipient.awaitError(ErrorCode.MALFORMED_FRAME).text())
                .contains("on channel nsa, but the message came from in.pm on channel leaders");
        assertThat(parts.mailbox.pending("pk.pm", 0, 10).get()).hasSize(1);
        assertThat(parts.auditEntries(AuditEntryType.RELAY_DELIVERED, id)).isEmpty();
    }

    @Test
    void acknowledgementNamingAnotherChannel_isRefused() throws Exception {
        MessageId id = parts.stored("in.pm", "pk.pm");
        receipts.onDelivered(recipient, parts.receipt(Receipt.Type.DELIVERED, id, "pk.pm", "in.pm"));
        sender.await(Frame.ReceiptNotice.class);

        receipts.onAcknowledged(recipient, parts.receipt(Receipt.Type.ACKNOWLEDGED, id, "pk.pm", "in.pm", "nsa",
                parts.relayCredential.exerciseId()));

        assertThat(recipient.awaitError(ErrorCode.MALFORMED_FRAME).text()).contains("on channel nsa");
        assertThat(parts.auditEntries(AuditEntryType.RECEIPT, id)).isEmpty();
    }

    /** A receipt signed by the right role for another exercise (PROTOCOL.md §6): refused before anything is stored. */
    @Test
    void deliveredReceiptOfAnotherExercise_isRefused_andNothingStored() throws Exception {
        MessageId id = parts.stored("in.pm", "pk.pm");
        byte[] other = parts.relayCredential.exerciseId().bytes();
        other[0] ^= 1;

        receipts.onDelivered(recipient, parts.receipt(Receipt.Type.DELIVERED, id, "pk.pm", "in.pm", "leaders",
                org.hotline.protocol.wire.ExerciseId.of(other)));

        assertThat(recipient.awaitError(ErrorCode.MALFORMED_FRAME).text()).contains("belongs to exercise");
        assertThat(parts.mailbox.pending("pk.pm", 0, 10).get()).hasSize(1);
        assertThat(parts.storedReceiptsFor("in.pm")).isEmpty();
    }

    @Test
    void acknowledgementOfAMessageNeverDeliveredToTheRole_isRefused() throws Exception {
        MessageId id = parts.stored("in.pm", "pk.nsa");

        receipts.onAcknowledged(recipient, parts.receipt(Receipt.Type.ACKNOWLEDGED, id, "pk.pm", "in.pm"));

        assertThat(recipient.awaitError(ErrorCode.MALFORMED_FRAME).text()).contains("was delivered to pk.pm");
        assertThat(parts.auditEntries(AuditEntryType.RECEIPT, id)).isEmpty();
    }

    @Test
    void receiptAck_marksTheForwardedReceiptDelivered() throws Exception {
        MessageId id = parts.stored("in.pm", "pk.pm");
        Receipt r = parts.receipt(Receipt.Type.DELIVERED, id, "pk.pm", "in.pm");
        receipts.onDelivered(recipient, r);
        sender.await(Frame.ReceiptNotice.class);

        receipts.onReceiptAck(sender, new Frame.ReceiptAck(id, Receipt.Type.DELIVERED, "pk.pm"));

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!parts.storedReceiptsFor("in.pm").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(parts.storedReceiptsFor("in.pm")).isEmpty();
    }

    /**
     * On an observed channel (PROTOCOL.md §1.1) exercise control is a recipient too: its delivered
     * receipt, stored first, must not take the place of the peer's, and the sender's RECEIPT_ACK of
     * one asserter's receipt must leave the other's waiting (§3.4.10, §3.4.13).
     */
    @Test
    void deliveredReceiptsOfTwoRecipients_areBothStoredAndForwarded_andEachAckPurgesOnlyItsOwn() throws Exception {
        RecordingSession control = new RecordingSession("control");
        parts.sessions.attach(control, new Frame.Hello("test"));
        MessageId id = parts.stored("in.pm", "pk.pm", "control");
        Receipt fromControl = parts.receipt(Receipt.Type.DELIVERED, id, "control", "in.pm");
        Receipt fromPeer = parts.receipt(Receipt.Type.DELIVERED, id, "pk.pm", "in.pm");

        receipts.onDelivered(control, fromControl);
        awaitStoredFor("in.pm", 1);
        receipts.onDelivered(recipient, fromPeer);
        awaitStoredFor("in.pm", 2);
        assertThat(parts.storedReceiptsFor("in.pm")).containsExactly(fromControl, fromPeer);
        assertThat(sender.await(Frame.ReceiptNotice.class, 2, Duration.ofSeconds(5)))
                .extracting(Frame.ReceiptNotice::receipt).containsExactly(fromControl, fromPeer);

        receipts.onReceiptAck(sender, Frame.ReceiptAck.of(fromPeer));
        awaitStoredFor("in.pm", 1);
        assertThat(parts.storedReceiptsFor("in.pm")).as("control's receipt still waits").containsExactly(fromControl);
        receipts.onReceiptAck(sender, Frame.ReceiptAck.of(fromControl));
        awaitStoredFor("in.pm", 0);
    }

    private void awaitStoredFor(String addressee, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (parts.storedReceiptsFor(addressee).size() != count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(parts.storedReceiptsFor(addressee)).hasSize(count);
    }

    @Test
    void relayAudit_refusesAcceptedReceipts_whichItLogsWithTheirMessage() throws Exception {
        MessageId id = parts.stored("in.pm", "pk.pm");
        Receipt accepted = org.hotline.protocol.crypto.ReceiptSigner.sign(parts.relayCredential.identity(),
                new Receipt.Fields(Receipt.Type.ACCEPTED, parts.relayCredential.exerciseId(), id, Receipt.RELAY,
                        "in.pm", "leaders", java.time.Instant.now(), org.hotline.protocol.wire.Hash32.ZERO));
        assertThatThrownBy(() -> parts.audit.receiptStored(accepted, parts.relayCredential.identityCertificate()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
