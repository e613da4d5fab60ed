package org.hotline.client.ui.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.hotline.client.core.DeliveryState;
import org.hotline.protocol.wire.MessageId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A sent message's "accepted by N of M relays" (PROTOCOL.md §13): the watch asks the client until
 * every relay has accepted, tells the console each time the count moves, and with one relay the row
 * reads as before.
 */
@Timeout(5)
class RelayAcceptanceWatchTest {

    static final MessageId ID = MessageId.parse("3f2a91c0" + "0".repeat(24));
    static final MessageId OTHER = MessageId.parse("77aa0011" + "0".repeat(24));

    /** What the client answers, per message; {@link #asked} counts the questions. */
    final Map<MessageId, int[]> counts = new HashMap<>();
    final List<MessageId> asked = new ArrayList<>();
    final List<String> told = new ArrayList<>();
    final RelayAcceptanceWatch watch = new RelayAcceptanceWatch(id -> {
        asked.add(id);
        return CompletableFuture.completedFuture(counts.getOrDefault(id, new int[] {0, 2}).clone());
    }, Runnable::run, (id, c) -> told.add(id.shortForm() + " " + c.accepted() + "/" + c.of()));

    @Test
    void twoRelays_countMovesAsTheSecondAccepts_thenTheWatchStopsAsking() {
        watch.watch(ID);
        assertThat(told).as("no relay has accepted yet: nothing to show").isEmpty();
        counts.put(ID, new int[] {1, 2});
        watch.stateMoved(ID);
        watch.poll();
        assertThat(told).as("told once per change").containsExactly(ID.shortForm() + " 1/2");
        counts.put(ID, new int[] {2, 2});
        watch.poll();
        assertThat(told).containsExactly(ID.shortForm() + " 1/2", ID.shortForm() + " 2/2");
        int before = asked.size();
        watch.poll();
        watch.stateMoved(ID);
        assertThat(asked).as("accepted by every relay: not asked again").hasSize(before);
    }

    @Test
    void oneRelay_nothingToldAndNothingAskedAgain() {
        counts.put(ID, new int[] {0, 1});
        counts.put(OTHER, new int[] {0, 1});
        watch.watch(ID);
        watch.watch(OTHER);
        watch.poll();
        assertThat(told).isEmpty();
        assertThat(asked).as("the first answer says one relay").containsExactly(ID);
    }

    @Test
    void unansweredQuestion_isNotAskedAgainMeanwhile() {
        CompletableFuture<int[]> pending = new CompletableFuture<>();
        List<MessageId> questions = new ArrayList<>();
        RelayAcceptanceWatch slow = new RelayAcceptanceWatch(id -> {
            questions.add(id);
            return pending;
        }, Runnable::run, (id, c) -> told.add(c.accepted() + "/" + c.of()));
        slow.watch(ID);
        slow.poll();
        slow.poll();
        assertThat(questions).hasSize(1);
        pending.complete(new int[] {1, 2});
        assertThat(told).containsExactly("1/2");
    }

    @Test
    void stateLabel_namesTheRelayCountWithSeveralRelays_unchangedWithOne() {
        MessageItem one = sent(DeliveryState.ACCEPTED);
        assertThat(one.stateLabel()).isEqualTo("accepted by the relay");
        assertThat(one.withRelays(new MessageItem.RelayCount(1, 2)).stateLabel()).isEqualTo("accepted by 1 of 2 relays");
        assertThat(one.withRelays(new MessageItem.RelayCount(2, 2)).stateLabel()).isEqualTo("accepted by 2 of 2 relays");
        assertThat(sent(DeliveryState.DELIVERED).stateLabel()).isEqualTo("delivered");
        assertThat(sent(DeliveryState.DELIVERED).withRelays(new MessageItem.RelayCount(2, 2)).stateLabel())
                .isEqualTo("delivered (accepted by 2 of 2 relays)");
        assertThat(sent(DeliveryState.ACKNOWLEDGED).withRelays(new MessageItem.RelayCount(1, 2)).stateLabel())
                .isEqualTo("acknowledged (accepted by 1 of 2 relays)");
        assertThat(sent(DeliveryState.ACCEPTED).withRelays(MessageItem.RelayCount.UNKNOWN).stateLabel())
                .isEqualTo("accepted by the relay");
        assertThat(sent(DeliveryState.DELIVERED).withState(DeliveryState.ACKNOWLEDGED)
                .withRelays(new MessageItem.RelayCount(2, 2)).withState(DeliveryState.ACKNOWLEDGED).relays())
                .as("a state change keeps the count").isEqualTo(new MessageItem.RelayCount(2, 2));
    }

    static MessageItem sent(DeliveryState state) {
        return new MessageItem(MessageItem.Kind.SENT, Optional.of(ID), Instant.parse("2026-05-10T11:28:00Z"),
                "India Prime Minister", "Free text", "A note.", true, "", Optional.of(state), false, 1);
    }
}
