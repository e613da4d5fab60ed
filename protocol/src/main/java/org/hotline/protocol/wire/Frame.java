package org.hotline.protocol.wire;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Every frame kind of the relay protocol (PROTOCOL.md §3) as a closed set of typed values.
 * Bytes are turned into these only by {@link FrameCodec}.
 */
public sealed interface Frame {

    FrameKind kind();

    /** Client → relay, first frame after the TLS handshake. */
    record Hello(String clientSoftware) implements Frame {
        public Hello {
            Objects.requireNonNull(clientSoftware);
        }

        public FrameKind kind() {
            return FrameKind.HELLO;
        }
    }

    /** Relay → client: the role the relay bound to this connection, its clock and frame limit. */
    record Welcome(String role, Instant serverTime, int maxFrameBytes) implements Frame {
        public Welcome {
            Names.require(role, "role");
        }

        public FrameKind kind() {
            return FrameKind.WELCOME;
        }
    }

    /** Client → relay: publish this role's current signed prekeys (newest last). */
    record PrekeyUpload(List<SignedPrekeyBytes> prekeys) implements Frame {
        public PrekeyUpload {
            prekeys = List.copyOf(prekeys);
        }

        public FrameKind kind() {
            return FrameKind.PREKEY_UPLOAD;
        }
    }

    /** Client → relay: ask for a channel peer's current prekeys. */
    record PrekeyFetch(String role) implements Frame {
        public PrekeyFetch {
            Names.require(role, "role");
        }

        public FrameKind kind() {
            return FrameKind.PREKEY_FETCH;
        }
    }

    /** Relay → client: a role's current prekeys as the role uploaded them. */
    record PrekeyBundle(String role, List<SignedPrekeyBytes> prekeys) implements Frame {
        public PrekeyBundle {
            Names.require(role, "role");
            prekeys = List.copyOf(prekeys);
        }

        public FrameKind kind() {
            return FrameKind.PREKEY_BUNDLE;
        }
    }

    /** Client → relay: one message, one sealed box per recipient. */
    record Send(MessageId messageId, String sender, String channel, List<SealedBox> boxes) implements Frame {
        public Send {
            Objects.requireNonNull(messageId);
            Names.require(sender, "sender");
            Names.require(channel, "channel");
            boxes = List.copyOf(boxes);
            if (boxes.isEmpty() || boxes.size() > WireLimits.MAX_RECIPIENTS) {
                throw new IllegalArgumentException("boxes: 1 to " + WireLimits.MAX_RECIPIENTS);
            }
            for (int i = 1; i < boxes.size(); i++) {
                if (boxes.get(i - 1).recipient().compareTo(boxes.get(i).recipient()) >= 0) {
                    throw new IllegalArgumentException("boxes must be sorted by recipient and unique");
                }
            }
        }

        public FrameKind kind() {
            return FrameKind.SEND;
        }
    }

    /**
     * Relay → sender: the message is durably stored. {@code ACCEPTED}: the relay-signed receipt.
     * {@code ACCEPTED_IN_LOG}, from a relay that keeps a log (PROTOCOL.md §12): the receipt
     * <em>without</em> its signature, with its place in the log and the signed checkpoint that
     * authenticate it instead (§3.4.14, §12.3). So a signed receipt goes without, an unsigned one
     * only with an inclusion.
     */
    record Accepted(Receipt receipt, Optional<LogInclusion> inclusion) implements Frame {
        public Accepted {
            Objects.requireNonNull(receipt);
            Objects.requireNonNull(inclusion);
            if (inclusion.isPresent() == receipt.isSigned()) {
                throw new IllegalArgumentException(inclusion.isPresent()
                        ? "ACCEPTED_IN_LOG carries the accepted receipt without its signature"
                        : "ACCEPTED carries a signed receipt");
            }
        }

        public Accepted(Receipt receipt) {
            this(receipt, Optional.empty());
        }

        public FrameKind kind() {
            return inclusion.isPresent() ? FrameKind.ACCEPTED_IN_LOG : FrameKind.ACCEPTED;
        }
    }

    /**
     * Client → relay: a consistency proof between two sizes of the relay's log (PROTOCOL.md §12.4);
     * {@code signed} asks the relay to sign its answer, which a client does only after an unsigned
     * proof failed, so the relay's one signature per group commit stays the only one on the hot path.
     */
    record LogConsistencyFetch(long oldSize, long newSize, boolean signed) implements Frame {
        public LogConsistencyFetch {
            LogInclusion.requireSize(oldSize, "oldSize");
            LogInclusion.requireSize(newSize, "newSize");
        }

        public LogConsistencyFetch(long oldSize, long newSize) {
            this(oldSize, newSize, false);
        }

        public FrameKind kind() {
            return FrameKind.LOG_CONSISTENCY_FETCH;
        }
    }

    /**
     * Relay → client: the RFC 9162 consistency proof from {@code oldSize} to {@code newSize}, signed
     * by the relay (with its roots at both sizes) when the fetch asked for it (PROTOCOL.md §3.4.17).
     */
    record LogConsistency(long oldSize, long newSize, List<Hash32> proof, Optional<LogConsistencySignature> signature)
            implements Frame {
        public LogConsistency {
            LogInclusion.requireSize(oldSize, "oldSize");
            LogInclusion.requireSize(newSize, "newSize");
            proof = List.copyOf(proof);
            if (proof.size() > WireLimits.MAX_PROOF_HASHES) {
                throw new IllegalArgumentException("at most " + WireLimits.MAX_PROOF_HASHES + " proof hashes");
            }
            Objects.requireNonNull(signature, "signature");
        }

        public LogConsistency(long oldSize, long newSize, List<Hash32> proof) {
            this(oldSize, newSize, proof, Optional.empty());
        }

        public FrameKind kind() {
            return FrameKind.LOG_CONSISTENCY;
        }
    }

    /** Relay → recipient: one stored message for this recipient. */
    record Deliver(MessageId messageId, String sender, String channel, Instant acceptedAt, SealedBox box)
            implements Frame {
        public Deliver {
            Objects.requireNonNull(messageId);
            Names.require(sender, "sender");
            Names.require(channel, "channel");
            acceptedAt = Instant.ofEpochMilli(acceptedAt.toEpochMilli());
            Objects.requireNonNull(box);
        }

        public FrameKind kind() {
            return FrameKind.DELIVER;
        }
    }

    /** Recipient → relay: stored; carries the recipient-signed {@code delivered} receipt. */
    record DeliveryAck(Receipt receipt) implements Frame {
        public DeliveryAck {
            Objects.requireNonNull(receipt);
        }

        public FrameKind kind() {
            return FrameKind.DELIVERY_ACK;
        }
    }

    /** A receipt on its way to the original sender (delivered, acknowledged), or an acknowledgement from a recipient. */
    record ReceiptNotice(Receipt receipt) implements Frame {
        public ReceiptNotice {
            Objects.requireNonNull(receipt);
        }

        public FrameKind kind() {
            return FrameKind.RECEIPT;
        }
    }

    /**
     * Either direction: a recipient's cumulative receipt (PROTOCOL.md §6.1), recipient → relay, then
     * relay → the sender it names.
     */
    record DeliveredThrough(CumulativeReceipt receipt) implements Frame {
        public DeliveredThrough {
            Objects.requireNonNull(receipt);
        }

        public FrameKind kind() {
            return FrameKind.DELIVERED_THROUGH;
        }
    }

    /**
     * Client → relay: the receipt of {@code type} about {@code messageId} asserted by {@code asserter}
     * is stored; the relay stops re-sending that one receipt. The asserter is part of the key because
     * a message on an observed channel has a receipt of each type from every recipient (PROTOCOL.md §3.4.13).
     */
    record ReceiptAck(MessageId messageId, Receipt.Type type, String asserter) implements Frame {
        public ReceiptAck {
            Objects.requireNonNull(messageId);
            Objects.requireNonNull(type);
            Objects.requireNonNull(asserter);
        }

        /** The acknowledgement of exactly {@code r}: its message, type and asserter. */
        public static ReceiptAck of(Receipt r) {
            return new ReceiptAck(r.messageId(), r.type(), r.asserter());
        }

        /** The acknowledgement of a cumulative receipt: keyed by the id of its last message (§6.1). */
        public static ReceiptAck of(CumulativeReceipt r) {
            return new ReceiptAck(r.headId(), Receipt.Type.DELIVERED_THROUGH, r.asserter());
        }

        public FrameKind kind() {
            return FrameKind.RECEIPT_ACK;
        }
    }

    /** Either direction: what went wrong, as a code and one human-readable line. */
    record Error(ErrorCode code, Optional<MessageId> messageId, String text) implements Frame {
        public Error {
            Objects.requireNonNull(code);
            Objects.requireNonNull(messageId);
            Objects.requireNonNull(text);
        }

        public FrameKind kind() {
            return FrameKind.ERROR;
        }
    }

    record Ping(long nonce) implements Frame {
        public FrameKind kind() {
            return FrameKind.PING;
        }
    }

    record Pong(long nonce) implements Frame {
        public FrameKind kind() {
            return FrameKind.PONG;
        }
    }
}
