package org.hotline.protocol.wire;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A signed statement about a message's delivery state, signed by whoever asserts it
 * (PROTOCOL.md §6): {@code accepted} by the relay, {@code delivered} and {@code acknowledged} by
 * the recipient, and {@code rejected} by a recipient that can never open or accept the message it
 * was delivered, with a {@link RejectReason}. {@link #toBeSigned()} are the exact bytes the
 * signature covers.
 *
 * <p>A receipt names the exercise, the message id, its sender and channel, and the hash of what it
 * is about ({@link #subjectHash()}): for {@code delivered} and {@code acknowledged} the message hash
 * (§4.5) of the signed message, for {@code accepted} the SHA-256 of the {@code SEND} payload the
 * relay stored, which is all the relay can see; for {@code rejected} the SHA-256 of the sealed box
 * (encapsulation ‖ ciphertext) delivered to the asserter, the one thing a recipient that cannot
 * open it holds. A receipt of version 1, read from an old record by
 * {@link #decodeRecorded}, has none of these: {@link ExerciseId#NONE}, and no channel or subject hash.
 */
public final class Receipt {

    public enum Type {
        ACCEPTED(1), DELIVERED(2), ACKNOWLEDGED(3),
        /** Terminal: the recipient will never open or accept this message (PROTOCOL.md §6). */
        REJECTED(4),
        /**
         * A {@link CumulativeReceipt} (PROTOCOL.md §6.1), its own signed object: named here only so
         * a {@code RECEIPT_ACK} can confirm one. A {@code Receipt} is never of this type.
         */
        DELIVERED_THROUGH(CumulativeReceipt.TYPE);

        private final int code;

        Type(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public static Type fromCode(int code) throws FrameDecodeException {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            throw WireReader.malformed("receipt.type", "unknown receipt type " + code);
        }
    }

    /**
     * Why a recipient rejected a message (field 10 of a {@code rejected} receipt, PROTOCOL.md §6).
     * Each reason is permanent: the same bytes would fail the same way on every delivery, so the
     * relay may drop the message for that recipient.
     */
    public enum RejectReason {
        /** Sealed to a prekey the recipient does not hold (never had, or erased). */
        UNKNOWN_PREKEY(1),
        /** HPKE open failed: the ciphertext or encapsulation is not for the recipient's prekey. */
        DECRYPTION_FAILED(2),
        /** The signed header disagrees with the envelope it came in (PROTOCOL.md §5.1 step 5). */
        ENVELOPE_MISMATCH(3),
        /** The signature does not verify under the sender's identity certificate for the message's time. */
        BAD_SIGNATURE(4),
        /** Signed for another exercise. */
        WRONG_EXERCISE(5),
        /** Not addressed to every other member of its channel, or not to the recipient. */
        MISADDRESSED(6),
        /** The sender's identity certificate is not valid (untrusted, expired, wrong purpose, unknown role). */
        UNTRUSTED_SENDER(7),
        /** The plaintext does not decode, or its content breaks a rule (e.g. a non-canonical signal). */
        MALFORMED(8),
        /**
         * It contradicts a message the recipient already holds from the same sender on the same
         * channel: another message with the same counter (PROTOCOL.md §4.5). The recipient keeps the
         * first and logs this one as an {@code equivocation}.
         */
        EQUIVOCATION(9),
        /**
         * Signed under a sender certificate that was revoked before the relay accepted the message
         * (PROTOCOL.md §4.4); one accepted before the revocation is shown, flagged, not rejected.
         */
        SENDER_REVOKED(10);

        private final int code;

        RejectReason(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        /** The name as logged and shown: lower case with hyphens, e.g. {@code decryption-failed}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        public static RejectReason fromCode(int code) throws FrameDecodeException {
            for (RejectReason r : values()) {
                if (r.code == code) {
                    return r;
                }
            }
            throw WireReader.malformed("receipt.reason", "unknown rejection reason " + code);
        }

        /** The reason named by {@link #label()}; empty for any other text. */
        public static Optional<RejectReason> ofLabel(String label) {
            for (RejectReason r : values()) {
                if (r.label().equals(label)) {
                    return Optional.of(r);
                }
            }
            return Optional.empty();
        }
    }

    /** The asserter name used by the relay in the receipts it signs (the one relay of a single-relay exercise). */
    public static final String RELAY = "relay";

    /**
     * Whether {@code name} names a relay: {@code relay}, or {@code relay-} followed by more of a
     * name (the relays of a multi-relay exercise, e.g. {@code relay-in}, PROTOCOL.md §13). No role
     * may carry such a name, so a relay's receipt can never pass for a participant's.
     */
    public static boolean isRelayName(String name) {
        return RELAY.equals(name) || (name != null && name.startsWith(RELAY + "-") && name.length() > RELAY.length() + 1
                && Names.isValid(name));
    }

    /**
     * The signed fields of a receipt of the current version (§6), validated.
     *
     * @param subjectHash for {@code accepted}: SHA-256 of the {@code SEND} payload; for
     *                    {@code rejected}: SHA-256 of the delivered box's encapsulation ‖ ciphertext;
     *                    otherwise the message hash (§4.5) of the signed message
     * @param reason      present exactly for {@code rejected}
     */
    public record Fields(Type type, ExerciseId exerciseId, MessageId messageId, String asserter, String sender,
                         String channel, Instant at, Hash32 subjectHash, Optional<RejectReason> reason) {
        public Fields {
            Objects.requireNonNull(type, "type");
            if (type == Type.DELIVERED_THROUGH) {
                throw new IllegalArgumentException("a delivered-through receipt is a CumulativeReceipt");
            }
            Objects.requireNonNull(exerciseId, "exerciseId");
            if (exerciseId.isNone()) {
                throw new IllegalArgumentException("a receipt of version " + ProtocolVersion.CURRENT
                        + " names its exercise");
            }
            Objects.requireNonNull(messageId, "messageId");
            Names.require(asserter, "asserter");
            Names.require(sender, "sender");
            Names.require(channel, "channel");
            at = Instant.ofEpochMilli(at.toEpochMilli());
            Objects.requireNonNull(subjectHash, "subjectHash");
            Objects.requireNonNull(reason, "reason");
            if (reason.isPresent() != (type == Type.REJECTED)) {
                throw new IllegalArgumentException("a reason goes with a rejected receipt, and only with one");
            }
        }

        /** The fields of a receipt of type 1 to 3, which carry no reason. */
        public Fields(Type type, ExerciseId exerciseId, MessageId messageId, String asserter, String sender,
                      String channel, Instant at, Hash32 subjectHash) {
            this(type, exerciseId, messageId, asserter, sender, channel, at, subjectHash, Optional.empty());
        }

        /** The bytes the signature covers: fields 1 to 9 of §6, and field 10 for {@code rejected}. */
        public byte[] toBeSigned() {
            WireWriter w = new WireWriter(160).u8(ProtocolVersion.CURRENT).u8(type.code());
            exerciseId.write(w);
            messageId.write(w);
            w.string(asserter).string(sender).string(channel).u64(at.toEpochMilli());
            subjectHash.write(w);
            reason.ifPresent(r -> w.u8(r.code()));
            return w.toByteArray();
        }
    }

    private final int version;
    private final Type type;
    private final ExerciseId exerciseId;
    private final MessageId messageId;
    private final String asserter;
    private final String sender;
    private final Optional<String> channel;
    private final Instant at;
    private final Optional<Hash32> subjectHash;
    private final Optional<RejectReason> reason;
    private final byte[] toBeSigned;
    private final byte[] signature;

    /** Also used by {@link LegacyV1Codec}, which passes {@link ExerciseId#NONE} and empty options. */
    Receipt(int version, Type type, ExerciseId exerciseId, MessageId messageId, String asserter, String sender,
            Optional<String> channel, Instant at, Optional<Hash32> subjectHash, Optional<RejectReason> reason,
            byte[] toBeSigned, byte[] signature) {
        this.version = version;
        this.type = type;
        this.exerciseId = exerciseId;
        this.messageId = messageId;
        this.asserter = asserter;
        this.sender = sender;
        this.channel = channel;
        this.at = at;
        this.subjectHash = subjectHash;
        this.reason = reason;
        this.toBeSigned = toBeSigned;
        this.signature = signature;
    }

    /** Assembles a receipt from its fields and the signature over {@link Fields#toBeSigned()}. */
    public static Receipt of(Fields f, byte[] signature) {
        if (signature.length != SignedMessage.SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("signature must be 64 bytes");
        }
        return new Receipt(ProtocolVersion.CURRENT, f.type(), f.exerciseId(), f.messageId(), f.asserter(), f.sender(),
                Optional.of(f.channel()), f.at(), Optional.of(f.subjectHash()), f.reason(), f.toBeSigned(),
                signature.clone());
    }

    /**
     * An {@code accepted} receipt without a signature: fields 1 to 9 only, exactly the relay log's
     * leaf (PROTOCOL.md §12.1). It is what {@code ACCEPTED_IN_LOG} carries (§3.4.14): the inclusion
     * proof to a relay-signed checkpoint authenticates it, not a signature of its own. Every
     * signature check refuses it ({@link #isSigned()}).
     *
     * @throws IllegalArgumentException for any type but {@code accepted}
     */
    public static Receipt unsigned(Fields f) {
        if (f.type() != Type.ACCEPTED) {
            throw new IllegalArgumentException("only an accepted receipt may travel without a signature");
        }
        return new Receipt(ProtocolVersion.CURRENT, f.type(), f.exerciseId(), f.messageId(), f.asserter(), f.sender(),
                Optional.of(f.channel()), f.at(), Optional.of(f.subjectHash()), f.reason(), f.toBeSigned(), NO_SIGNATURE);
    }

    private static final byte[] NO_SIGNATURE = new byte[0];

    /** Whether to expect the signature field (11) when decoding. */
    private enum SignatureField { REQUIRED, ABSENT, OPTIONAL_FOR_ACCEPTED }

    /** Decodes a receipt of the current version, as received from a peer; any other version is refused. */
    public static Receipt decode(byte[] bytes) throws FrameDecodeException {
        WireReader r = new WireReader(bytes);
        ProtocolVersion.check(r.u8("receipt.version"), "receipt");
        return readAfterVersion(r, bytes, SignatureField.REQUIRED);
    }

    /**
     * Decodes the unsigned {@code accepted} receipt of an {@code ACCEPTED_IN_LOG} frame (PROTOCOL.md
     * §3.4.14): the current version, type 1, fields 1 to 9 and nothing after them.
     *
     * @throws FrameDecodeException {@code MALFORMED} for another type or any byte after field 9
     */
    public static Receipt decodeUnsigned(byte[] bytes) throws FrameDecodeException {
        WireReader r = new WireReader(bytes);
        ProtocolVersion.check(r.u8("receipt.version"), "receipt");
        return readAfterVersion(r, bytes, SignatureField.ABSENT);
    }

    /**
     * Decodes a receipt found in a record written by this or an earlier build (an audit log): the
     * current version, or version 1 through the read-only legacy decoder (PROTOCOL.md §8.1). Never
     * for bytes received from a peer.
     */
    public static Receipt decodeRecorded(byte[] bytes) throws FrameDecodeException {
        WireReader r = new WireReader(bytes);
        int version = ProtocolVersion.checkRecorded(r.u8("receipt.version"), "receipt");
        return version == ProtocolVersion.LEGACY_V1 ? LegacyV1Codec.readReceipt(r, bytes)
                : readAfterVersion(r, bytes, SignatureField.OPTIONAL_FOR_ACCEPTED);
    }

    private static Receipt readAfterVersion(WireReader r, byte[] bytes, SignatureField signatureField)
            throws FrameDecodeException {
        Type type = Type.fromCode(r.u8("receipt.type"));
        if (type == Type.DELIVERED_THROUGH) {
            throw WireReader.malformed("receipt.type", "type 5 is a cumulative receipt, not a per-message one");
        }
        if (signatureField == SignatureField.ABSENT && type != Type.ACCEPTED) {
            throw WireReader.malformed("receipt.type", "an unsigned receipt must be of type accepted, not " + type.code());
        }
        ExerciseId exerciseId = ExerciseId.read(r, "receipt.exerciseId");
        MessageId id = MessageId.read(r, "receipt.messageId");
        String asserter = Names.read(r, "receipt.asserter");
        String sender = Names.read(r, "receipt.sender");
        String channel = Names.read(r, "receipt.channel");
        Instant at = Instant.ofEpochMilli(r.u64("receipt.at"));
        Hash32 subject = Hash32.read(r, "receipt.subjectHash");
        Optional<RejectReason> reason = type == Type.REJECTED
                ? Optional.of(RejectReason.fromCode(r.u8("receipt.reason"))) : Optional.empty();
        int signedLength = r.position();
        // A recorded accepted receipt may be the unsigned one of ACCEPTED_IN_LOG (its audit entry
        // holds the proof that authenticates it, PROTOCOL.md §12.5): it ends right here.
        boolean unsigned = signatureField == SignatureField.ABSENT
                || (signatureField == SignatureField.OPTIONAL_FOR_ACCEPTED && type == Type.ACCEPTED
                    && signedLength == bytes.length);
        byte[] signature = unsigned ? NO_SIGNATURE : r.fixed(SignedMessage.SIGNATURE_LENGTH, "receipt.signature");
        r.expectEnd("receipt");
        return new Receipt(ProtocolVersion.CURRENT, type, exerciseId, id, asserter, sender, Optional.of(channel), at,
                Optional.of(subject), reason, Arrays.copyOf(bytes, signedLength), signature);
    }

    /** Fields 1 to 11; for an {@link #unsigned} receipt, fields 1 to 9 only (the leaf). */
    public byte[] encode() {
        return new WireWriter(toBeSigned.length + 64).fixed(toBeSigned).fixed(signature).toByteArray();
    }

    /**
     * False only for an {@link #unsigned} {@code accepted} receipt, whose authentication is an
     * inclusion proof in the relay's log (PROTOCOL.md §12.3).
     */
    public boolean isSigned() {
        return signature.length != 0;
    }

    /** The same receipt without its signature (an {@code accepted} one, as {@code ACCEPTED_IN_LOG} carries it). */
    public Receipt withoutSignature() {
        return unsigned(fields().orElseThrow(() -> new IllegalArgumentException("a version-1 receipt has no leaf")));
    }

    /** This receipt's fields 1 to 9 (and 10), without its signature; empty for a version-1 receipt. */
    public Optional<Fields> fields() {
        if (version != ProtocolVersion.CURRENT) {
            return Optional.empty();
        }
        return Optional.of(new Fields(type, exerciseId, messageId, asserter, sender, channel.orElseThrow(), at,
                subjectHash.orElseThrow(), reason));
    }

    /** {@link ProtocolVersion#CURRENT}, or {@link ProtocolVersion#LEGACY_V1} for one read from an old record. */
    public int version() {
        return version;
    }

    public Type type() {
        return type;
    }

    /** The exercise the receipt belongs to; {@link ExerciseId#NONE} in a version-1 receipt. */
    public ExerciseId exerciseId() {
        return exerciseId;
    }

    public MessageId messageId() {
        return messageId;
    }

    /** Who asserts this: {@link #RELAY} or a recipient role. */
    public String asserter() {
        return asserter;
    }

    /** The role that sent the message this receipt is about (the receipt's addressee). */
    public String sender() {
        return sender;
    }

    /** The message's channel; present in every receipt except one of version 1. */
    public Optional<String> channel() {
        return channel;
    }

    public Instant at() {
        return at;
    }

    /**
     * What the receipt commits to: the message hash (delivered, acknowledged) or the SHA-256 of the
     * {@code SEND} payload (accepted); present in every receipt except one of version 1.
     */
    public Optional<Hash32> subjectHash() {
        return subjectHash;
    }

    /** Why the recipient rejected the message: present exactly in a {@code rejected} receipt. */
    public Optional<RejectReason> reason() {
        return reason;
    }

    public byte[] toBeSigned() {
        return toBeSigned.clone();
    }

    /** The 64-byte signature; empty for an {@link #unsigned} receipt. */
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Receipt r && Arrays.equals(toBeSigned, r.toBeSigned) && Arrays.equals(signature, r.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(toBeSigned), Arrays.hashCode(signature));
    }

    @Override
    public String toString() {
        return "Receipt[" + type + " " + messageId.shortForm() + " by " + asserter + "]";
    }
}
