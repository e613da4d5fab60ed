package org.hotline.client.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hotline.client.core.DeliveryState;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.crypto.IdentityKeyPair;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.SignedMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review R1: a message a recipient confirmed (delivered or acknowledged) never moves to rejected,
 * even though rejected is ordered after both (PROTOCOL.md §6 "Checks"); an accepted one still does.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqliteClientStoreRejectedTest {

    @TempDir
    Path dir;
    final SecureRandom random = new SecureRandom();
    final IdentityKeyPair india = IdentityKeyPair.generate(random);
    final Instant t = Instant.parse("2026-05-10T14:00:00Z");

    private MessageId queued(SqliteClientStore store, long counter) throws Exception {
        SignedMessage m = MessageSigner.sign(india, new MessageHeader(ExerciseId.of(new byte[32]),
                MessageId.random(random), "in.pm", List.of("pk.pm"), "leaders", counter, t, Hash32.ZERO, Hash32.ZERO,
                "1", Optional.empty(), Optional.empty()), new Content.Text("text " + counter));
        MessageId id = m.header().messageId();
        store.addOutgoing(new OutboxStore.Outgoing(id, "leaders", List.of("pk.pm"), counter, new byte[] {1}, m,
                Optional.empty(), "text " + counter, t, DeliveryState.QUEUED, Optional.empty(), Optional.empty(),
                Optional.empty()), Hashes.messageHash(m));
        return id;
    }

    @Test
    void rejected_neverOverwritesDeliveredOrAcknowledged_butFollowsAccepted() throws Exception {
        try (SqliteClientStore store = SqliteClientStore.open(dir)) {
            MessageId delivered = queued(store, 1);
            MessageId acknowledged = queued(store, 2);
            MessageId accepted = queued(store, 3);
            assertThat(store.advance(delivered, DeliveryState.DELIVERED, t)).isTrue();
            assertThat(store.advance(acknowledged, DeliveryState.ACKNOWLEDGED, t)).isTrue();
            assertThat(store.advance(accepted, DeliveryState.ACCEPTED, t)).isTrue();

            assertThat(store.advance(delivered, DeliveryState.REJECTED, t)).isFalse();
            assertThat(store.advance(acknowledged, DeliveryState.REJECTED, t)).isFalse();
            assertThat(store.advance(accepted, DeliveryState.REJECTED, t)).isTrue();
            assertThat(store.outgoing(delivered).orElseThrow().state()).isEqualTo(DeliveryState.DELIVERED);
            assertThat(store.outgoing(acknowledged).orElseThrow().state()).isEqualTo(DeliveryState.ACKNOWLEDGED);
            assertThat(store.outgoing(accepted).orElseThrow().state()).isEqualTo(DeliveryState.REJECTED);
        }
    }

    /** Review N2a: another recipient's later confirmation is the one move out of rejected. */
    @Test
    void confirmRejected_movesOnlyARejectedMessage_toDelivered() throws Exception {
        try (SqliteClientStore store = SqliteClientStore.open(dir)) {
            MessageId rejected = queued(store, 1);
            MessageId accepted = queued(store, 2);
            store.advance(rejected, DeliveryState.ACCEPTED, t);
            store.advance(rejected, DeliveryState.REJECTED, t);
            store.advance(accepted, DeliveryState.ACCEPTED, t);

            assertThat(store.confirmRejected(accepted, t.plusSeconds(1))).isFalse();
            assertThat(store.confirmRejected(rejected, t.plusSeconds(1))).isTrue();
            OutboxStore.Outgoing o = store.outgoing(rejected).orElseThrow();
            assertThat(o.state()).isEqualTo(DeliveryState.DELIVERED);
            assertThat(o.deliveredAt()).contains(t.plusSeconds(1));
            assertThat(store.confirmRejected(rejected, t.plusSeconds(2))).as("only once").isFalse();
            assertThat(store.outgoing(accepted).orElseThrow().state()).isEqualTo(DeliveryState.ACCEPTED);
        }
    }

    @Test
    void confirmationsOfOneCumulativeReceipt_areRecordedTogether() throws Exception {
        try (SqliteClientStore store = SqliteClientStore.open(dir)) {
            MessageId a = queued(store, 1);
            MessageId b = queued(store, 2);
            store.addConfirmations(List.of(a, b), "pk.pm");
            assertThat(store.confirmedBy(a, "pk.pm")).isTrue();
            assertThat(store.confirmedBy(b, "pk.pm")).isTrue();
            assertThat(store.confirmedBy(a, "pk.nsa")).isFalse();
            store.addConfirmations(List.of(a), "pk.pm");
            assertThat(store.confirmedBy(a, "pk.pm")).as("again: ignored, no error").isTrue();
        }
    }
}
