package org.hotline.protocol.audit;

/** The kinds of audit-log entry (PROTOCOL.md §11). Names are what appears in the {@code type} field. */
public final class AuditEntryType {
    /** First entry: owner, its identity certificate and the CA certificate. */
    public static final String LOG_OPENED = "log-opened";
    /** A peer's identity certificate, logged before the first entry that needs it. */
    public static final String PEER_CERTIFICATE = "peer-certificate";
    public static final String MESSAGE_SENT = "message-sent";
    public static final String MESSAGE_RECEIVED = "message-received";
    /** A later copy of a stored message through another relay (PROTOCOL.md §13): recorded, never shown. */
    public static final String DUPLICATE = "duplicate";
    /** A signed receipt received (accepted, delivered, acknowledged). */
    public static final String RECEIPT = "receipt";
    /** The owner acknowledged a received message (its signed receipt is embedded). */
    public static final String ACKNOWLEDGED = "acknowledged";
    public static final String LINK_UP = "link-up";
    public static final String LINK_DOWN = "link-down";
    public static final String LINK_VERIFIED = "link-verified";
    public static final String LINK_ALARM = "link-alarm";
    public static final String PREKEY_ROTATED = "prekey-rotated";
    public static final String GAP = "gap-detected";
    public static final String EQUIVOCATION = "equivocation";
    public static final String ERROR_SHOWN = "error-shown";
    public static final String WARNING_SHOWN = "warning-shown";
    /** A torn line left by a crash was found on reopening; names it. */
    public static final String RECOVERED = "recovered";
    /** Relay metadata: a message stored (ids, route, sizes, ciphertext hashes; never content). */
    public static final String RELAY_ACCEPTED = "relay-accepted";
    public static final String RELAY_DELIVERED = "relay-delivered";
    /**
     * A recipient's cumulative {@code delivered-through} receipt (PROTOCOL.md §6.1): in a sender's
     * log when it settled the sender's messages, in the relay's when it stored it.
     */
    public static final String DELIVERED_THROUGH = "delivered-through";
    public static final String CHECKPOINT = "checkpoint";
    /** A peer's (or the relay's) signed checkpoint of its own log, as this log's owner received it. */
    public static final String PEER_CHECKPOINT = "peer-checkpoint";
    /** Exercise control's evaluator: a timestamped observation, signed by the log's owner. */
    public static final String EVALUATOR_NOTE = "evaluator-note";

    /** The relay's proof that one of the owner's messages is in the relay's log (PROTOCOL.md §12.5). */
    public static final String RELAY_INCLUSION = "relay-inclusion";
    /** A relay log checkpoint the owner verified, with the consistency proof from the previous one (§12.5). */
    public static final String RELAY_CHECKPOINT = "relay-checkpoint";

    /**
     * Evidence of a relay log fork (§12.5): a relay checkpoint and the proof the relay gave, which
     * does not show it consistent with the owner's recorded checkpoint of {@code previousSize}.
     */
    public static final String RELAY_FORK = "relay-fork";
    /** A message's answer-by time passed with no reply (the message that asked is embedded). */
    public static final String DEADLINE_MISSED = "deadline-missed";
    /** A signed reading of a message: the owner's own, or one a reader sent to exercise control. */
    public static final String READING = "reading";

    private AuditEntryType() {
    }
}
