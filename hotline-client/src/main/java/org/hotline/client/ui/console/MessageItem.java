package org.hotline.client.ui.console;

import java.time.Instant;
import java.util.Optional;
import org.hotline.client.core.DeliveryState;
import org.hotline.protocol.wire.MessageId;

/**
 * One row of the conversation as the view shows it: a message we sent, one we received, a
 * marker where a gap was detected, or a marker for a time the line was down. Immutable; the view model replaces a row when its state moves.
 *
 * @param relays for a sent message, how many of the exercise's relays have accepted it (PROTOCOL.md
 *               §13); {@link RelayCount#UNKNOWN} with one relay or before any count is known
 */
public record MessageItem(Kind kind, Optional<MessageId> id, Instant time, String sender, String categoryLabel,
                          String text, boolean verified, String signerFingerprint, Optional<DeliveryState> state,
                          boolean acknowledged, long counter, RelayCount relays) {

    public enum Kind { SENT, RECEIVED, GAP, OUTAGE }

    /**
     * How many relays accepted a sent message, of how many it was sent through. Known only for
     * messages this client sent while it ran (the client does not keep per-relay acceptances).
     */
    public record RelayCount(int accepted, int of) {

        /** One relay, or nothing known: the row reads as with one relay. */
        public static final RelayCount UNKNOWN = new RelayCount(0, 1);

        /** Whether there is a count worth showing: several relays, at least one has accepted. */
        boolean shown() {
            return of > 1 && accepted > 0;
        }

        /** "accepted by 1 of 2 relays". */
        String words() {
            return "accepted by " + accepted + " of " + of + " relays";
        }
    }

    /** A row whose relay count is not known (any row but a sent message in a multi-relay exercise). */
    public MessageItem(Kind kind, Optional<MessageId> id, Instant time, String sender, String categoryLabel,
                       String text, boolean verified, String signerFingerprint, Optional<DeliveryState> state,
                       boolean acknowledged, long counter) {
        this(kind, id, time, sender, categoryLabel, text, verified, signerFingerprint, state, acknowledged, counter,
                RelayCount.UNKNOWN);
    }

    public boolean canAcknowledge() {
        return kind == Kind.RECEIVED && !acknowledged;
    }

    /**
     * The delivery state as words (never colour alone). With several relays, a sent message that
     * any of them accepted also says how many ("accepted by 1 of 2 relays", and "delivered
     * (accepted by 2 of 2 relays)" once the recipient has it): the line's redundancy for that message.
     */
    public String stateLabel() {
        if (kind == Kind.RECEIVED) {
            return acknowledged ? "acknowledged" : "received, not yet acknowledged";
        }
        return state.map(s -> switch (s) {
            case QUEUED -> "queued (waiting for the relay)";
            case ACCEPTED -> relays.shown() ? relays.words() : "accepted by the relay";
            case DELIVERED -> withRelays("delivered");
            case ACKNOWLEDGED -> withRelays("acknowledged");
            case REJECTED -> "rejected by the recipient (see problems for the reason)";
        }).orElse("");
    }

    private String withRelays(String state) {
        return relays.shown() ? state + " (" + relays.words() + ")" : state;
    }

    /** The CSS class that colours the state line: the state's label, or received/acknowledged. */
    public String stateStyleClass() {
        return "delivery-" + state.map(DeliveryState::label).orElse(acknowledged ? "acknowledged" : "received");
    }

    MessageItem withState(DeliveryState s) {
        return new MessageItem(kind, id, time, sender, categoryLabel, text, verified, signerFingerprint, Optional.of(s),
                acknowledged, counter, relays);
    }

    MessageItem withAcknowledged() {
        return new MessageItem(kind, id, time, sender, categoryLabel, text, verified, signerFingerprint, state, true,
                counter, relays);
    }

    MessageItem withRelays(RelayCount count) {
        return new MessageItem(kind, id, time, sender, categoryLabel, text, verified, signerFingerprint, state,
                acknowledged, counter, count);
    }
}
