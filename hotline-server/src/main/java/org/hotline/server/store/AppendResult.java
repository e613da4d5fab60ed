package org.hotline.server.store;

import org.hotline.protocol.wire.Receipt;

/** Outcome of storing a SEND: new, an identical re-send, a conflicting re-use of the id, or a full queue. */
public sealed interface AppendResult {

    /** Committed durably; the accepted receipt may now be sent. */
    record Stored(Receipt acceptedReceipt) implements AppendResult {
    }

    /** Same id, same bytes as before: nothing new stored, the original receipt is returned. */
    record Duplicate(Receipt acceptedReceipt) implements AppendResult {
    }

    /** Same id, different bytes: refused. */
    record Conflict() implements AppendResult {
    }

    /** A recipient's queue is at its limit: nothing stored. */
    record QueueFull(String recipient, int queuedEnvelopes, long queuedBytes) implements AppendResult {
    }
}
