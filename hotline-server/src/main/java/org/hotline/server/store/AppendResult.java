package org.hotline.server.store;

import java.util.OptionalLong;
import org.hotline.protocol.wire.Receipt;

/** Outcome of storing a SEND: new, an identical re-send, a conflicting re-use of the id, or a full queue. */
public sealed interface AppendResult {

    /**
     * Committed durably; the accepted receipt may now be sent. {@code leafIndex} is the message's
     * leaf in the relay's log (PROTOCOL.md §12.1), empty from a store that keeps no log.
     */
    record Stored(Receipt acceptedReceipt, OptionalLong leafIndex) implements AppendResult {
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

    /** Same id, different bytes: refused. */
    record Conflict() implements AppendResult {
    }

    /** A recipient's queue is at its limit: nothing stored. */
    record QueueFull(String recipient, int queuedEnvelopes, long queuedBytes) implements AppendResult {
    }
}
