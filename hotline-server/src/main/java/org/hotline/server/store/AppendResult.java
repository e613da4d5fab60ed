package org.hotline.server.store;

import java.util.List;
import java.util.OptionalLong;
import org.hotline.protocol.wire.Receipt;

/** Outcome of storing a SEND: new, an identical re-send, a conflicting re-use of the id, or a full queue. */
public sealed interface AppendResult {

    /**
     * Committed durably; the accepted receipt may now be sent. {@code leafIndex} is the message's
     * leaf in the relay's log (PROTOCOL.md §12.1), empty from a store that keeps no log.
     */
    record Stored(Receipt acceptedReceipt, OptionalLong leafIndex, List<Fresh> fresh) implements AppendResult {
        /**
         * @param fresh the committed boxes as a delivery pass would read them, one per recipient,
         *              so a recipient's pump can send them without reading them back; empty from a
         *              store that does not give them (the pump then reads)
         */
        public Stored {
            fresh = List.copyOf(fresh);
        }

        public Stored(Receipt acceptedReceipt, OptionalLong leafIndex) {
            this(acceptedReceipt, leafIndex, List.of());
        }

        public Stored(Receipt acceptedReceipt) {
            this(acceptedReceipt, OptionalLong.empty());
        }
    }

    /**
     * Same id, same bytes as before: nothing new stored, the original receipt (and its leaf, if the
     * message was stored since the relay keeps a log) is returned.
     */
    record Duplicate(Receipt acceptedReceipt, OptionalLong leafIndex) implements AppendResult {
        public Duplicate(Receipt acceptedReceipt) {
            this(acceptedReceipt, OptionalLong.empty());
        }
    }

    /**
     * A box just committed for one recipient, and the seq of the box committed for that recipient
     * before it ({@code 0} if none): a pump whose cursor is exactly {@code previousSeq} has sent
     * everything before this box, so it may send this one from memory without leaving a gap.
     */
    record Fresh(long previousSeq, StoredEnvelope envelope) {
    }

    /** Same id, different bytes: refused. */
    record Conflict() implements AppendResult {
    }

    /** A recipient's queue is at its limit: nothing stored. */
    record QueueFull(String recipient, int queuedEnvelopes, long queuedBytes) implements AppendResult {
    }
}
