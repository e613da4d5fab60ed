package org.hotline.client.core.engine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hotline.client.core.ClientListener;
import org.hotline.client.core.DeliveryState;
import org.hotline.client.core.LinkStatus;
import org.hotline.client.core.ReceivedMessage;
import org.hotline.client.core.SentMessage;
import org.hotline.protocol.wire.MessageId;

/** Everything an engine reported to its listeners, in order, for assertions. */
final class EventLog implements ClientListener {
    final List<ReceivedMessage> received = new CopyOnWriteArrayList<>();
    final List<SentMessage> queued = new CopyOnWriteArrayList<>();
    final Map<MessageId, List<DeliveryState>> states = new ConcurrentHashMap<>();
    final List<String> problems = new CopyOnWriteArrayList<>();
    volatile LinkStatus link = LinkStatus.down();

    @Override
    public void messageReceived(ReceivedMessage message) {
        received.add(message);
    }

    @Override
    public void messageQueued(SentMessage message) {
        queued.add(message);
    }

    @Override
    public void deliveryStateChanged(MessageId id, DeliveryState state) {
        states.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(state);
    }

    @Override
    public void linkStatusChanged(LinkStatus status) {
        link = status;
    }

    @Override
    public void problem(String message) {
        problems.add(message);
    }

    List<DeliveryState> statesOf(MessageId id) {
        return states.getOrDefault(id, List.of());
    }
}
