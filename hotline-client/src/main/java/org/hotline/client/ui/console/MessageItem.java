package org.hotline.client.ui.console;

import java.time.Instant;
import java.util.Optional;
import org.hotline.client.core.DeliveryState;
import org.hotline.protocol.wire.MessageId;

/**
 * One row of the conversation as the view shows it: a message we sent, one we received, a
 * marker where a gap was detected, or a marker for a time the line was down. Immutable; the view model replaces a row when its state moves.
 */
public record MessageItem(Kind kind, Optional<MessageId> id, Instant time, String sender, String categoryLabel,
                          String text, boolean verified, String signerFingerprint, Optional<DeliveryState> state,
                          boolean acknowledged, long counter) {

    public enum Kind { SENT, RECEIVED, GAP, OUTAGE }

    public boolean canAcknowledge() {
        return kind == Kind.RECEIVED && !acknowledged;
    }

    /** The delivery state as words (never colour alone). */
    public String stateLabel() {
        if (kind == Kind.RECEIVED) {
            return acknowledged ? "acknowledged" : "received, not yet acknowledged";
        }
        return state.map(s -> switch (s) {
            case QUEUED -> "queued (waiting for the relay)";
            case ACCEPTED -> "accepted by the relay";
            case DELIVERED -> "delivered";
            case ACKNOWLEDGED -> "acknowledged";
            case REJECTED -> "rejected by the recipient (see problems for the reason)";
        }).orElse("");
    }

    /** The CSS class that colours the state line: the state's label, or received/acknowledged. */
    public String stateStyleClass() {
        return "delivery-" + state.map(DeliveryState::label).orElse(acknowledged ? "acknowledged" : "received");
    }

    MessageItem withState(DeliveryState s) {
        return new MessageItem(kind, id, time, sender, categoryLabel, text, verified, signerFingerprint, Optional.of(s),
                acknowledged, counter);
    }

    MessageItem withAcknowledged() {
        return new MessageItem(kind, id, time, sender, categoryLabel, text, verified, signerFingerprint, state, true,
                counter);
    }
}
