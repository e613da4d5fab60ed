package org.hotline.client.core.net;

import org.hotline.protocol.wire.MessageId;

/**
 * Told which relay's copy of a message the inbox verified (PROTOCOL.md §13): a relay counts as
 * having delivered a message, for naming a lagging relay and for "line verified end to end via",
 * only once its copy is known genuine, never on the bare {@code DELIVER} frame, which a relay can
 * replay or make up.
 */
public interface VerifiedCopies {

    /** What the inbox found the copy in hand to be. */
    enum Kind {
        /** Opened, signature verified and stored for the first time. */
        NEW,
        /** The same bytes as a message already stored (or waiting in the same commit). */
        REPEAT
    }

    /** Called once the copy captured by {@link #copyInHand} is verified. */
    @FunctionalInterface
    interface Witness {
        void verified(Kind kind);
    }

    /** Nobody to tell (a single relay connection). */
    VerifiedCopies NONE = id -> kind -> { };

    /**
     * The copy of {@code id} whose {@code DELIVER} is being handled now (engine thread, while that
     * event's path is current): the inbox calls the result once it has verified that copy, perhaps
     * later, after its group commit.
     */
    Witness copyInHand(MessageId id);

    /**
     * The relay whose {@code DELIVER} is being handled now, when the client has several relays
     * (PROTOCOL.md §13: the audit log names the relay of each message's first copy and records
     * later copies of other relays); empty with one relay, whose log keeps the single-relay entries.
     */
    default java.util.Optional<String> relayInHand() {
        return java.util.Optional.empty();
    }

    /** Whether the client has several relays, so its log names them (see {@link #relayInHand}). */
    default boolean severalRelays() {
        return false;
    }

    /**
     * The names of the exercise's relays when there are several, in configuration order; empty
     * with one relay. A rejection marks a message rejected only once the copy of each of them was
     * rejected (PROTOCOL.md §6 "Checks", §13 rule 5), not only of those whose acceptance arrived.
     */
    default java.util.List<String> relays() {
        return java.util.List.of();
    }
}
