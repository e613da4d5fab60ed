package org.hotline.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hotline.app.testing.RelayClients;
import org.hotline.protocol.audit.AuditEntryType;
import org.hotline.protocol.audit.AuditVerifier;
import org.hotline.protocol.wire.CumulativeReceipt;
import org.hotline.protocol.wire.MessageId;
import org.hotline.server.testing.FaultyMailbox;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cumulative delivery receipts (PROTOCOL.md §6.1) through the real relay and real clients, with a
 * fresh exercise PKI, on {@code leaders}, which exercise control observes (it is sent every
 * message too, §1.1): a backlog is settled by {@code delivered-through} receipts from the peer and
 * from control, the sender's messages all reach DELIVERED, the relay holds nothing undelivered,
 * and the three clients' logs verify. A gap is never declared received.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CumulativeReceiptsEndToEndTest {

    @TempDir
    Path tmp;
    RelayFixture relay;
    volatile FaultyMailbox mailbox;
    final List<HotlineClient> clients = new ArrayList<>();

    @BeforeEach
    void relay() throws Exception {
        relay = new RelayFixture(tmp, c -> c, m -> {
            mailbox = new FaultyMailbox(m);
            return mailbox;
        });
    }

    @AfterEach
    void stop() {
        clients.forEach(HotlineClient::close);
        relay.close();
    }

    HotlineClient started(String role, Recorder rec) throws Exception {
        HotlineClient c = RelayClients.open(relay, role, tmp.resolve("clients").resolve(role));
        c.addListener(rec);
        clients.add(c);
        c.start();
        return c;
    }

    Path auditOf(String role) {
        return tmp.resolve("clients").resolve(role).resolve("audit.jsonl");
    }

    /** The cumulative receipts logged in {@code log}, decoded from the bytes the entries embed. */
    static List<CumulativeReceipt> deliveredThrough(Path log) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<CumulativeReceipt> out = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            JsonNode e = json.readTree(line);
            if (e.path("type").asText().equals(AuditEntryType.DELIVERED_THROUGH)) {
                out.add(CumulativeReceipt.decode(Base64.getDecoder().decode(e.path("receipt").asText())));
            }
        }
        return out;
    }

    static long entries(Path log, String type, String state) throws Exception {
        ObjectMapper json = new ObjectMapper();
        long n = 0;
        for (String line : Files.readAllLines(log)) {
            JsonNode e = json.readTree(line);
            n += e.path("type").asText().equals(type) && e.path("state").asText().equals(state) ? 1 : 0;
        }
        return n;
    }

    @Test
    void aBacklog_isSettledByCumulativeReceipts_fromThePeerAndFromControl_andEveryLogVerifies() throws Exception {
        Recorder in = new Recorder();
        HotlineClient india = started("in.pm", in);
        List<MessageId> sent = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            MessageId id = india.sendText("pk.pm", "backlog message " + i).get(15, TimeUnit.SECONDS);
            sent.add(id);
        }
        for (MessageId id : sent) {
            in.awaitState(id, DeliveryState.ACCEPTED);
        }
        Recorder pk = new Recorder();
        Recorder control = new Recorder();
        started("pk.pm", pk);
        started("control", control);
        for (MessageId id : sent) {
            in.awaitState(id, DeliveryState.DELIVERED);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while ((!mailbox.pending("pk.pm", 0, 100).get().isEmpty() || !mailbox.pending("control", 0, 100).get().isEmpty()
                || !mailbox.pendingReceipts("in.pm", 0, 100).get().isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(mailbox.pending("pk.pm", 0, 100).get()).as("undelivered for pk.pm").isEmpty();
        assertThat(mailbox.pending("control", 0, 100).get()).as("undelivered for control").isEmpty();
        assertThat(mailbox.pendingReceipts("in.pm", 0, 100).get()).as("receipts not confirmed by in.pm").isEmpty();
        clients.forEach(HotlineClient::close);
        clients.clear();

        // India's log: the peer's cumulative receipts settled every message, none from control
        // (an observer's receipt moves nothing), and no per-message delivered receipt was needed.
        // (India's own log checkpoints to control, on control.in.pm, and any later message are settled
        // too; the backlog is what the leaders channel carried.)
        List<CumulativeReceipt> settled = deliveredThrough(auditOf("in.pm")).stream()
                .filter(r -> r.channel().equals("leaders")).toList();
        assertThat(settled).isNotEmpty().allSatisfy(r -> {
            assertThat(r.asserter()).isEqualTo("pk.pm");
            assertThat(r.sender()).isEqualTo("in.pm");
        });
        assertThat(settled.stream().flatMap(r -> r.coveredIds().stream()).distinct().toList())
                .containsAll(sent);
        assertThat(settled.stream().mapToLong(CumulativeReceipt::throughCounter).max().orElseThrow())
                .isGreaterThanOrEqualTo(12);
        assertThat(entries(auditOf("in.pm"), AuditEntryType.RECEIPT, "delivered")).isZero();
        // The relay verified and logged both recipients' cumulative receipts.
        Path relayLog = relay.dataDir().resolve("relay-audit.jsonl");
        assertThat(deliveredThrough(relayLog)).extracting(CumulativeReceipt::asserter).contains("pk.pm", "control");
        assertThat(deliveredThrough(relayLog).size()).isLessThan(2 * sent.size());
        // The relay is still running, its log not yet covered by a checkpoint: the clients' logs are.
        for (Path log : List.of(auditOf("in.pm"), auditOf("pk.pm"), auditOf("control"))) {
            var report = AuditVerifier.verify(log, Optional.of(relay.exercise().directory().validator()));
            assertThat(report.problem()).as(log.toString()).isEmpty();
        }
    }

    @Test
    void aMessageTheRelayLost_isNeverDeclaredReceived_andTheOnesAboveTheGapSettleOnTheirOwn() throws Exception {
        AtomicInteger n = new AtomicInteger();
        mailbox.loseEnvelopes(e -> n.incrementAndGet() == 2);
        Recorder in = new Recorder();
        Recorder pk = new Recorder();
        HotlineClient india = started("in.pm", in);
        started("pk.pm", pk);
        MessageId one = india.sendText("pk.pm", "one").get(15, TimeUnit.SECONDS);
        in.awaitState(one, DeliveryState.DELIVERED);
        MessageId two = india.sendText("pk.pm", "two (lost by the relay)").get(15, TimeUnit.SECONDS);
        MessageId three = india.sendText("pk.pm", "three").get(15, TimeUnit.SECONDS);
        MessageId four = india.sendText("pk.pm", "four").get(15, TimeUnit.SECONDS);
        in.awaitState(three, DeliveryState.DELIVERED);
        in.awaitState(four, DeliveryState.DELIVERED);
        Thread.sleep(500);
        assertThat(in.states.get(two)).isEqualTo(DeliveryState.ACCEPTED);
        clients.forEach(HotlineClient::close);
        clients.clear();

        // Through 1 only, cumulatively; 3 and 4 above the gap by their own delivered receipts.
        List<CumulativeReceipt> settled = deliveredThrough(auditOf("in.pm"));
        assertThat(settled).allSatisfy(r -> assertThat(r.throughCounter()).isEqualTo(1));
        assertThat(settled.stream().flatMap(r -> r.coveredIds().stream()).toList()).containsExactly(one);
        assertThat(entries(auditOf("in.pm"), AuditEntryType.RECEIPT, "delivered")).isEqualTo(2);
        var report = AuditVerifier.verify(auditOf("in.pm"), Optional.of(relay.exercise().directory().validator()));
        assertThat(report.problem()).isEmpty();
    }
}
