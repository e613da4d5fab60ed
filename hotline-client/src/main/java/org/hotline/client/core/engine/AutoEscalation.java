package org.hotline.client.core.engine;

import org.hotline.client.core.AnswerDeadline;
import org.hotline.client.core.ClientListener;
import org.hotline.client.core.Escalations;
import org.hotline.client.core.HotlineClient;
import org.hotline.protocol.signals.SignalException;

/**
 * The exercise's automatic escalation ({@code exercise.json} {@code escalation.automatic}): when a
 * message this role sent misses its deadline, the escalation request goes up the ladder at once, as
 * the one-click escalation would send it. Heard on the engine thread; sending only queues work there.
 */
final class AutoEscalation implements ClientListener {

    private final HotlineClient client;

    AutoEscalation(HotlineClient client) {
        this.client = client;
    }

    @Override
    public void deadlineChanged(AnswerDeadline deadline) {
        Escalations.escalation(client.exercise(), deadline).ifPresent(step -> {
            try {
                Escalations.send(client, step);
            } catch (SignalException e) {
                throw new IllegalStateException("the built-in catalog lacks " + step.signalId(), e);
            }
        });
    }
}
