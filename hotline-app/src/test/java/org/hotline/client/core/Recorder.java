package org.hotline.client.core;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.wire.MessageId;

/** Records everything a client core reports, for assertions. */
final class Recorder implements ClientListener {
    final BlockingQueue<ReceivedMessage> received = new LinkedBlockingQueue<>();
    final Map<MessageId, DeliveryState> states = new ConcurrentHashMap<>();
    final List<String> problems = new CopyOnWriteArrayList<>();
    volatile LinkStatus link = LinkStatus.down();

    @Override
    public void messageReceived(ReceivedMessage message) {
        if (!message.acknowledged()) {
            received.add(message);
        }
    }

    @Override
    public void deliveryStateChanged(MessageId id, DeliveryState state) {
        states.merge(id, state, (a, b) -> b.isAfter(a) ? b : a);
    }

    @Override
    public void linkStatusChanged(LinkStatus status) {
        link = status;
    }

    @Override
    public void problem(String message) {
        problems.add(message);
    }

    ReceivedMessage next() throws InterruptedException {
        ReceivedMessage m = received.poll(15, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no message within 15 s; problems: " + problems);
        }
        return m;
    }

    void awaitState(MessageId id, DeliveryState s) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            DeliveryState now = states.get(id);
            if (now != null && !s.isAfter(now)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(id.shortForm() + " did not reach " + s + " (is " + states.get(id) + "); problems: "
                + problems);
    }
}
