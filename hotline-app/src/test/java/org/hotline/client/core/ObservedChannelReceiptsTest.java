package org.hotline.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hotline.app.testing.RelayClients;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.server.store.Mailbox;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a channel exercise control observes (PROTOCOL.md §1.1: {@code reads: content}) every message
 * has two recipients, so two {@code delivered} receipts: the peer's, which moves the sender's
 * message to DELIVERED, and control's, which does not. Both reach the sender through the real
 * relay, whichever was stored first, and each is confirmed on its own (§3.4.10, §3.4.13).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ObservedChannelReceiptsTest {

    @TempDir
    Path tmp;
    RelayFixture relay;
    volatile Mailbox mailbox;
    final List<HotlineClient> clients = new ArrayList<>();

    @BeforeEach
    void relay() throws Exception {
        relay = new RelayFixture(tmp, c -> c, m -> {
            mailbox = m;
            return m;
        });
    }

    @AfterEach
    void stop() {
        clients.forEach(HotlineClient::close);
        relay.close();
    }

    HotlineClient started(String role) throws Exception {
        HotlineClient c = RelayClients.open(relay, role, tmp.resolve("clients").resolve(role));
        clients.add(c);
        c.start();
        return c;
    }

    @Test
    void theSender_reachesDeliveredFromThePeer_thoughControlsReceiptWasStoredFirst_andGetsBoth() throws Exception {
        HotlineClient india = started("in.pm");
        MessageId id = india.sendText("pk.pm", "Are your forces on normal readiness?").get(15, TimeUnit.SECONDS);
        assertThat(india.whenState(id, DeliveryState.ACCEPTED).get(15, TimeUnit.SECONDS))
                .isEqualTo(DeliveryState.ACCEPTED);
        // India offline, so the receipts wait at the relay in the order they came: control's first.
        india.close();
        clients.remove(india);
        started("control");
        awaitWaitingFor(id, "control");
        started("pk.pm");
        awaitWaitingFor(id, "control", "pk.pm");

        HotlineClient again = started("in.pm");
        assertThat(again.whenState(id, DeliveryState.DELIVERED).get(15, TimeUnit.SECONDS))
                .isEqualTo(DeliveryState.DELIVERED);
        // Each receipt was forwarded and confirmed with a RECEIPT_ACK naming its asserter.
        awaitWaitingFor(id);
    }

    /** Waits until the delivered receipts about {@code id} waiting for in.pm are exactly those of {@code asserters}. */
    void awaitWaitingFor(MessageId id, String... asserters) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        List<String> waiting = List.of();
        while (System.nanoTime() < deadline) {
            // Per message (type 2) or cumulative (§6.1): a delivered-through receipt listing it counts.
            waiting = mailbox.pendingReceipts("in.pm", 0, 1000).get(5, TimeUnit.SECONDS).stream()
                    .flatMap(s -> s.forward() instanceof Frame.DeliveredThrough t
                            ? t.receipt().coveredIds().contains(id) ? Stream.of(t.receipt().asserter()) : Stream.empty()
                            : s.receipt().messageId().equals(id) && s.receipt().type() == Receipt.Type.DELIVERED
                                    ? Stream.of(s.receipt().asserter()) : Stream.empty())
                    .toList();
            if (waiting.equals(List.of(asserters))) {
                return;
            }
            Thread.sleep(20);
        }
        assertThat(waiting).as("delivered receipts about %s waiting for in.pm", id.shortForm())
                .containsExactly(asserters);
    }
}
