package org.hotline.client.core.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hotline.client.core.ReceivedInject;
import org.hotline.client.core.ScenarioClock;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.SignedMessage;

/**
 * What exercise control sends a participant: injects for the Situation feed and the exercise clock.
 * Only messages signed by the exercise's control role count (PROTOCOL.md §4.2); the inbox refuses
 * any other sender before this sees them. Engine thread only.
 */
final class ControlFeed {

    private final Exercise exercise;
    private final Listeners listeners;
    private final List<ReceivedInject> injects = new ArrayList<>();
    private ScenarioClock clock;

    ControlFeed(Exercise exercise, Listeners listeners) {
        this.exercise = exercise;
        this.listeners = listeners;
    }

    /** Whether {@code c} is exercise-control content, which only the control role may sign. */
    static boolean isControlContent(Content c) {
        return c instanceof Content.Inject || c instanceof Content.ExerciseClock;
    }

    /**
     * Refuses control content from anyone but exercise control: a participant's signature on an
     * inject is valid as a signature, but the inject is not one.
     *
     * @throws Rejections.Refused the sender is not the exercise's control role: such a message can
     *     never be accepted, so it is answered with a signed rejection (PROTOCOL.md §6)
     */
    void requireControlSender(MessageHeader h, Content c) throws Rejections.Refused {
        if (isControlContent(c) && !exercise.isControl(h.sender())) {
            throw new Rejections.Refused(org.hotline.protocol.wire.Receipt.RejectReason.UNTRUSTED_SENDER,
                    (c instanceof Content.Inject ? "inject" : "exercise clock message")
                    + " signed by " + h.sender() + ", who is not exercise control");
        }
    }

    /** Takes a verified, stored message of control content; {@code announce} fires the listeners (not at load). */
    void accept(SignedMessage m, Instant receivedAt, boolean announce) {
        MessageHeader h = m.header();
        if (m.content() instanceof Content.Inject i) {
            ReceivedInject ri = new ReceivedInject(h.messageId(), h.sender(), h.recipients(), h.channel(), i.injectId(),
                    i.kind().label(), i.title(), i.text(), i.scenarioTime(), h.sentAt(), receivedAt, true);
            injects.add(ri);
            if (announce) {
                listeners.fire(l -> l.injectReceived(ri));
            }
        } else if (m.content() instanceof Content.ExerciseClock c) {
            // The newest setting wins, by control's signed send time; an older one arriving late changes nothing.
            if (clock != null && clock.setAt().isAfter(h.sentAt())) {
                return;
            }
            ScenarioClock sc = new ScenarioClock(h.sentAt(), c);
            clock = sc;
            if (announce) {
                listeners.fire(l -> l.exerciseClockChanged(sc));
            }
        }
    }

    /** The inject message {@code id} carried, if it carried one. */
    Optional<ReceivedInject> inject(org.hotline.protocol.wire.MessageId id) {
        return injects.stream().filter(i -> i.id().equals(id)).findFirst();
    }

    List<ReceivedInject> injects() {
        return List.copyOf(injects);
    }

    Optional<ScenarioClock> clock() {
        return Optional.ofNullable(clock);
    }
}
