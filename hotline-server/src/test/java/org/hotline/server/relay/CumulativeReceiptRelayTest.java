package org.hotline.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.audit.AuditEntryType;
import org.hotline.protocol.crypto.CumulativeReceiptSigner;
import org.hotline.protocol.crypto.IdentityKeyPair;
import org.hotline.protocol.wire.CumulativeReceipt;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.server.store.StoredEnvelope;
import org.hotline.server.store.StoredReceipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The relay's side of cumulative receipts (PROTOCOL.md §6.1): verified once before anything
 * changes; a genuine one marks exactly its listed boxes of the asserter delivered, is stored,
 * logged, forwarded and confirmed; a forged or mismatched one changes nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CumulativeReceiptRelayTest extends ReceiptHandlerFixture {

    private List<MessageId> storedFromIndia(int n) throws Exception {
        List<MessageId> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(parts.stored("in.pm", "pk.pm"));
        }
        return ids;
    }

    private CumulativeReceipt signed(IdentityKeyPair key, String asserter, String sender, List<MessageId> ids) {
        // The relay cannot check counters or the chain head (the sender does): a zero head stands in.
        return CumulativeReceiptSigner.sign(key, new CumulativeReceipt.Fields(parts.relayCredential.exerciseId(),
                asserter, sender, "leaders", 1, ids.size(), Hash32.ZERO, Instant.now(), ids));
    }

    private List<MessageId> undeliveredFor(String role) throws Exception {
        return parts.mailbox.pending(role, 0, 1000).get().stream().map(StoredEnvelope::messageId).toList();
    }

    private List<StoredReceipt> waitingFor(String role) throws Exception {
        return parts.mailbox.pendingReceipts(role, 0, 1000).get();
    }

    private long auditEntriesOfType(String type) throws Exception {
        ObjectMapper json = new ObjectMapper();
        long n = 0;
        for (String line : Files.readAllLines(parts.auditLog.file())) {
            JsonNode e = json.readTree(line);
            n += e.path("type").asText().equals(type) ? 1 : 0;
        }
        return n;
    }

    @Test
    void aGenuineReceipt_marksExactlyItsBoxesDelivered_isStoredLoggedForwarded_andConfirmed() throws Exception {
        List<MessageId> ids = storedFromIndia(3);
        MessageId notCovered = parts.stored("in.pm", "pk.pm");
        CumulativeReceipt r = signed(parts.exercise.role("pk.pm").identity(), "pk.pm", "in.pm", ids);

        receipts.onDeliveredThrough(recipient, r);

        assertThat(sender.await(Frame.DeliveredThrough.class).receipt()).isEqualTo(r);
        assertThat(undeliveredFor("pk.pm")).containsExactly(notCovered);
        assertThat(waitingFor("in.pm")).singleElement().extracting(StoredReceipt::forward)
                .isEqualTo(new Frame.DeliveredThrough(r));
        assertThat(auditEntriesOfType(AuditEntryType.DELIVERED_THROUGH)).isEqualTo(1);
        assertThat(recipient.sent(Frame.Error.class)).isEmpty();

        receipts.onReceiptAck(sender, Frame.ReceiptAck.of(r));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!waitingFor("in.pm").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(waitingFor("in.pm")).isEmpty();
        assertThat(Frame.ReceiptAck.of(r).type()).isEqualTo(Receipt.Type.DELIVERED_THROUGH);
    }

    @Test
    void aForgedReceipt_isRefused_andNothingIsMarkedStoredOrForwarded() throws Exception {
        List<MessageId> ids = storedFromIndia(3);
        // Names pk.pm as asserter, signed with another role's key.
        CumulativeReceipt forged = signed(parts.exercise.role("pk.nsa").identity(), "pk.pm", "in.pm", ids);

        receipts.onDeliveredThrough(recipient, forged);

        assertThat(recipient.awaitError(ErrorCode.MALFORMED_FRAME).text()).contains("bad signature");
        Thread.sleep(300);
        assertThat(undeliveredFor("pk.pm")).containsExactlyElementsOf(ids);
        assertThat(waitingFor("in.pm")).isEmpty();
        assertThat(sender.sent(Frame.DeliveredThrough.class)).isEmpty();
        assertThat(auditEntriesOfType(AuditEntryType.DELIVERED_THROUGH)).isZero();
    }

    @Test
    void aReceiptAssertedForAnotherRole_isRefused_andNothingIsMarked() throws Exception {
        List<MessageId> ids = storedFromIndia(2);
        // Genuinely signed by pk.nsa in its own name, sent on pk.pm's connection.
        CumulativeReceipt other = signed(parts.exercise.role("pk.nsa").identity(), "pk.nsa", "in.pm", ids);

        receipts.onDeliveredThrough(recipient, other);

        assertThat(recipient.awaitError(ErrorCode.MALFORMED_FRAME).text()).contains("asserted by pk.nsa");
        Thread.sleep(300);
        assertThat(undeliveredFor("pk.pm")).containsExactlyElementsOf(ids);
        assertThat(waitingFor("in.pm")).isEmpty();
    }

    @Test
    void aGenuineReceiptNamingAnotherSender_isRefused_andNothingIsMarked_evenTheBoxesThatWouldMatch() throws Exception {
        List<MessageId> ids = storedFromIndia(2);
        MessageId fromNsa = parts.stored("pk.nsa", "pk.pm");
        List<MessageId> mixed = List.of(ids.get(0), fromNsa, ids.get(1));
        CumulativeReceipt r = signed(parts.exercise.role("pk.pm").identity(), "pk.pm", "in.pm", mixed);

        receipts.onDeliveredThrough(recipient, r);

        assertThat(recipient.awaitError(ErrorCode.MALFORMED_FRAME).text()).contains("came from pk.nsa");
        Thread.sleep(300);
        assertThat(undeliveredFor("pk.pm")).containsExactlyInAnyOrder(ids.get(0), fromNsa, ids.get(1));
        assertThat(waitingFor("in.pm")).isEmpty();
        assertThat(sender.sent(Frame.DeliveredThrough.class)).isEmpty();
    }

    @Test
    void aReceiptListingAnotherRecipientsBox_leavesThatBoxUndelivered() throws Exception {
        List<MessageId> ids = storedFromIndia(1);
        MessageId forControl = parts.stored("in.pm", "control");
        CumulativeReceipt r = signed(parts.exercise.role("pk.pm").identity(), "pk.pm", "in.pm",
                List.of(ids.get(0), forControl));

        receipts.onDeliveredThrough(recipient, r);

        assertThat(sender.await(Frame.DeliveredThrough.class).receipt()).isEqualTo(r);
        assertThat(undeliveredFor("pk.pm")).isEmpty();
        assertThat(undeliveredFor("control")).containsExactly(forControl);
    }

    @Test
    void aReplay_isNeitherLoggedNorForwardedAgain() throws Exception {
        List<MessageId> ids = storedFromIndia(2);
        CumulativeReceipt r = signed(parts.exercise.role("pk.pm").identity(), "pk.pm", "in.pm", ids);
        receipts.onDeliveredThrough(recipient, r);
        sender.await(Frame.DeliveredThrough.class);

        receipts.onDeliveredThrough(recipient, r);
        receipts.onDeliveredThrough(recipient, r);

        Thread.sleep(300);
        assertThat(auditEntriesOfType(AuditEntryType.DELIVERED_THROUGH)).isEqualTo(1);
        assertThat(waitingFor("in.pm")).hasSize(1);
        assertThat(recipient.sent(Frame.Error.class)).isEmpty();
    }

    @Test
    void aReceiptCompletingNothingHeldHere_isDroppedWithoutAnswerLogOrForward() throws Exception {
        // Several relays: the recipient sends every receipt to each; this relay holds one box of the
        // list and it is already confirmed, the others were delivered by another relay (or are made up).
        MessageId old = storedFromIndia(1).get(0);
        IdentityKeyPair pm = parts.exercise.role("pk.pm").identity();
        receipts.onDeliveredThrough(recipient, signed(pm, "pk.pm", "in.pm", List.of(old)));
        sender.await(Frame.DeliveredThrough.class);

        for (int i = 0; i < 3; i++) {
            receipts.onDeliveredThrough(recipient, signed(pm, "pk.pm", "in.pm", List.of(old, MessageId.random(new java.security.SecureRandom()))));
        }
        receipts.onDeliveredThrough(recipient, signed(pm, "pk.pm", "in.pm",
                List.of(MessageId.random(new java.security.SecureRandom()), MessageId.random(new java.security.SecureRandom()))));

        Thread.sleep(300);
        assertThat(auditEntriesOfType(AuditEntryType.DELIVERED_THROUGH)).isEqualTo(1);
        assertThat(waitingFor("in.pm")).hasSize(1);
        assertThat(sender.sent(Frame.DeliveredThrough.class)).hasSize(1);
        assertThat(recipient.sent(Frame.Error.class)).isEmpty();
    }
}
