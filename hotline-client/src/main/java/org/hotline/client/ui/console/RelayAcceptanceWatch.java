package org.hotline.client.ui.console;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.hotline.protocol.wire.MessageId;

/**
 * Follows how many relays have accepted each message this console sent ("accepted by 1 of 2
 * relays", PROTOCOL.md §13), for the sent rows' state line. The client fires no event when a second
 * relay accepts a message already {@code ACCEPTED}, so the watch asks the client again on every
 * console tick, for the messages not yet accepted by every relay, until they are. With one relay
 * the first answer says so and the watch stops asking for anything.
 *
 * <p>Only messages sent while this console runs are watched: the client counts acceptances since it
 * started, so an older message would read "0 of 2" for ever. UI thread only; answers come back
 * through {@code ui}.
 */
final class RelayAcceptanceWatch {

    private final Function<MessageId, CompletableFuture<int[]>> acceptances;
    private final Executor ui;
    private final BiConsumer<MessageId, MessageItem.RelayCount> changed;
    /** Messages not yet accepted by every relay, oldest first, with the count last shown. */
    private final Map<MessageId, Integer> watched = new LinkedHashMap<>();
    /** Messages asked about whose answer has not come back: not asked again meanwhile. */
    private final Set<MessageId> asking = new HashSet<>();
    private boolean oneRelay;

    /**
     * @param acceptances the client's {@code relayAcceptances}: {@code [accepted, relays]} per message
     * @param changed     told on the UI thread each time a message's count is known or moves
     */
    RelayAcceptanceWatch(Function<MessageId, CompletableFuture<int[]>> acceptances, Executor ui,
                         BiConsumer<MessageId, MessageItem.RelayCount> changed) {
        this.acceptances = acceptances;
        this.ui = ui;
        this.changed = changed;
    }

    /** Follows {@code id}, a message this console sent, and asks about it now. */
    void watch(MessageId id) {
        if (!oneRelay && watched.putIfAbsent(id, 0) == null) {
            ask(id);
        }
    }

    /** Asks now about {@code id} if it is watched (its delivery state moved: a relay may have accepted it). */
    void stateMoved(MessageId id) {
        if (watched.containsKey(id)) {
            ask(id);
        }
    }

    /** Asks about every watched message (once a second, with the console's tick). */
    void poll() {
        for (MessageId id : List.copyOf(watched.keySet())) {
            ask(id);
        }
    }

    private void ask(MessageId id) {
        if (!asking.add(id)) {
            return;
        }
        acceptances.apply(id).whenComplete((count, error) -> ui.execute(() -> {
            asking.remove(id);
            if (error == null) {
                answered(id, count[0], count[1]);
            }
        }));
    }

    private void answered(MessageId id, int accepted, int of) {
        if (of <= 1) {
            // One relay: its acceptance is the message's ACCEPTED state, nothing more to show.
            oneRelay = true;
            watched.clear();
            return;
        }
        Integer before = watched.get(id);
        if (before == null) {
            return;
        }
        if (accepted > before) {
            watched.put(id, accepted);
            changed.accept(id, new MessageItem.RelayCount(accepted, of));
        }
        if (accepted >= of) {
            watched.remove(id);
        }
    }
}
