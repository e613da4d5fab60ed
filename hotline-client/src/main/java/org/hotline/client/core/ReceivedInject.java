package org.hotline.client.core;

import java.time.Instant;
import java.util.List;
import org.hotline.protocol.wire.MessageId;

/**
 * A verified scenario inject from exercise control (PROTOCOL.md §4.2 Inject), as the Situation feed
 * and {@code listen --json} show it. It is not a message from the other state and is never shown as one.
 *
 * @param injectId     the inject's id in the scenario's event list (e.g. {@code I-07})
 * @param kind         {@code news}, {@code intelligence}, {@code situation}, {@code media},
 *                     {@code instruction} or {@code third-party}
 * @param scenarioTime the scenario time the inject belongs to
 */
public record ReceivedInject(MessageId id, String from, List<String> to, String channel, String injectId, String kind,
                             String title, String text, Instant scenarioTime, Instant sentAt, Instant receivedAt,
                             boolean verified) {
    public ReceivedInject {
        to = List.copyOf(to);
    }
}
