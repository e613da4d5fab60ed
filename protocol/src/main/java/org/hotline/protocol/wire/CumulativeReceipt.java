package org.hotline.protocol.wire;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A recipient's signed statement "I hold every message {@code sender} sent on {@code channel}
 * numbered 1 to {@link #throughCounter()}, and message {@code throughCounter} is the one whose
 * message hash is {@link #chainHead()}" (type 5 {@code delivered-through}, PROTOCOL.md §6.1).
 * One such receipt settles a whole batch of deliveries with one signature, where a
 * {@code delivered} {@link Receipt} settles one message.
 *
 * <p>The relay cannot see counters (they are inside the sealed box), so the receipt also lists the
 * message ids of the counters it newly covers, {@link #fromCounter()} to {@link #throughCounter()}
 * in counter order ({@link #coveredIds()}): the relay marks exactly those boxes delivered, and the
 * sender checks each id against the message it sent with that counter. {@link #toBeSigned()} are
 * the exact bytes the signature covers (context {@code hotline/v2 cumulative receipt}).
 */
public final class CumulativeReceipt {

    /** The receipt type byte (field 2), one past the per-message types of {@link Receipt.Type}. */
    public static final int TYPE = 5;

    /**
     * The signed fields, validated: the list names the messages numbered {@code fromCounter} to
     * {@code throughCounter}, one id each, in counter order, at most
     * {@link WireLimits#MAX_CUMULATIVE_IDS}, no id twice.
     */
    public record Fields(ExerciseId exerciseId, String asserter, String sender, String channel, long fromCounter,
                         long throughCounter, Hash32 chainHead, Instant at, List<MessageId> coveredIds) {
        public Fields {
            Objects.requireNonNull(exerciseId, "exerciseId");
            if (exerciseId.isNone()) {
                throw new IllegalArgumentException("a cumulative receipt names its exercise");
            }
            Names.require(asserter, "asserter");
            Names.require(sender, "sender");
            Names.require(channel, "channel");
            Objects.requireNonNull(chainHead, "chainHead");
            at = Instant.ofEpochMilli(at.toEpochMilli());
            coveredIds = List.copyOf(coveredIds);
            String why = rangeProblem(fromCounter, throughCounter, coveredIds);
            if (why != null) {
                throw new IllegalArgumentException(why);
            }
        }

        /** The bytes the signature covers: fields 1 to 12 of §6.1. */
        public byte[] toBeSigned() {
            WireWriter w = new WireWriter(200 + coveredIds.size() * MessageId.LENGTH)
                    .u8(ProtocolVersion.CURRENT).u8(TYPE);
            exerciseId.write(w);
            w.string(asserter).string(sender).string(channel).u64(fromCounter).u64(throughCounter);
            chainHead.write(w);
            w.u64(at.toEpochMilli()).u16(coveredIds.size());
            coveredIds.forEach(id -> id.write(w));
            return w.toByteArray();
        }
    }

    private final Fields fields;
    private final byte[] toBeSigned;
    private final byte[] signature;

    private CumulativeReceipt(Fields fields, byte[] toBeSigned, byte[] signature) {
        this.fields = fields;
        this.toBeSigned = toBeSigned;
        this.signature = signature;
    }

    /** Assembles a receipt from its fields and the signature over {@link Fields#toBeSigned()}. */
    public static CumulativeReceipt of(Fields f, byte[] signature) {
        if (signature.length != SignedMessage.SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("signature must be 64 bytes");
        }
        return new CumulativeReceipt(f, f.toBeSigned(), signature.clone());
    }

    /**
     * Decodes a cumulative receipt (from a peer or a record; it exists only in version 2): version,
     * type 5, then the fields in order; a count that does not match the counter range, a range
     * that does not start at 1 or later, an id listed twice, or trailing bytes are {@code MALFORMED}.
     */
    public static CumulativeReceipt decode(byte[] bytes) throws FrameDecodeException {
        WireReader r = new WireReader(bytes);
        ProtocolVersion.check(r.u8("cumulativeReceipt.version"), "cumulative receipt");
        int type = r.u8("cumulativeReceipt.type");
        if (type != TYPE) {
            throw WireReader.malformed("cumulativeReceipt.type", "type " + type + " is not delivered-through ("
                    + TYPE + ")");
        }
        ExerciseId exerciseId = ExerciseId.read(r, "cumulativeReceipt.exerciseId");
        String asserter = Names.read(r, "cumulativeReceipt.asserter");
        String sender = Names.read(r, "cumulativeReceipt.sender");
        String channel = Names.read(r, "cumulativeReceipt.channel");
        long from = r.u64("cumulativeReceipt.fromCounter");
        long through = r.u64("cumulativeReceipt.throughCounter");
        Hash32 head = Hash32.read(r, "cumulativeReceipt.chainHead");
        Instant at = Instant.ofEpochMilli(r.u64("cumulativeReceipt.at"));
        int count = r.u16("cumulativeReceipt.ids.count");
        if (count > WireLimits.MAX_CUMULATIVE_IDS) {
            throw WireReader.malformed("cumulativeReceipt.ids.count", count + " ids, more than "
                    + WireLimits.MAX_CUMULATIVE_IDS);
        }
        MessageId[] ids = new MessageId[count];
        for (int i = 0; i < count; i++) {
            ids[i] = MessageId.read(r, "cumulativeReceipt.ids");
        }
        String why = rangeProblem(from, through, Arrays.asList(ids));
        if (why != null) {
            throw WireReader.malformed("cumulativeReceipt.ids", why);
        }
        // Any 32 bytes are an exercise id here (all zero included): one not the reader's own is
        // WRONG_EXERCISE at verification, as for every other object (PROTOCOL.md §6.1 field 3).
        int signedLength = r.position();
        byte[] signature = r.fixed(SignedMessage.SIGNATURE_LENGTH, "cumulativeReceipt.signature");
        r.expectEnd("cumulative receipt");
        Fields f = new Fields(exerciseId, asserter, sender, channel, from, through, head, at, List.of(ids));
        return new CumulativeReceipt(f, Arrays.copyOf(bytes, signedLength), signature);
    }

    /** Null if the range and the list agree (§6.1), else why not. */
    private static String rangeProblem(long from, long through, List<MessageId> ids) {
        if (from < 1 || through < from) {
            return "counters " + Long.toUnsignedString(from) + " to " + Long.toUnsignedString(through)
                    + " are not a range starting at 1 or later";
        }
        if (ids.isEmpty() || ids.size() > WireLimits.MAX_CUMULATIVE_IDS || through - from + 1 != ids.size()) {
            return ids.size() + " ids for the " + (through - from + 1) + " counters " + from + " to " + through
                    + " (one per counter, 1 to " + WireLimits.MAX_CUMULATIVE_IDS + ")";
        }
        Set<MessageId> seen = new HashSet<>();
        for (MessageId id : ids) {
            Objects.requireNonNull(id, "id");
            if (!seen.add(id)) {
                return "message " + id.shortForm() + " is listed twice";
            }
        }
        return null;
    }

    public byte[] encode() {
        return new WireWriter(toBeSigned.length + 64).fixed(toBeSigned).fixed(signature).toByteArray();
    }

    public Fields fields() {
        return fields;
    }

    public ExerciseId exerciseId() {
        return fields.exerciseId();
    }

    /** The recipient who asserts it (and signed it). */
    public String asserter() {
        return fields.asserter();
    }

    /** The role whose messages it covers (its addressee). */
    public String sender() {
        return fields.sender();
    }

    public String channel() {
        return fields.channel();
    }

    /** The first counter this receipt newly covers; every counter below it was covered before. */
    public long fromCounter() {
        return fields.fromCounter();
    }

    /** Every message 1 to this counter is held by the asserter. */
    public long throughCounter() {
        return fields.throughCounter();
    }

    /** The message hash (§4.5) of message {@link #throughCounter()}, which links back to message 1. */
    public Hash32 chainHead() {
        return fields.chainHead();
    }

    public Instant at() {
        return fields.at();
    }

    /** The ids of messages {@link #fromCounter()} to {@link #throughCounter()}, in counter order. */
    public List<MessageId> coveredIds() {
        return fields.coveredIds();
    }

    /** The id of message {@link #throughCounter()}: the key under which the relay keeps this receipt. */
    public MessageId headId() {
        return fields.coveredIds().get(fields.coveredIds().size() - 1);
    }

    public byte[] toBeSigned() {
        return toBeSigned.clone();
    }

    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CumulativeReceipt r && Arrays.equals(toBeSigned, r.toBeSigned)
                && Arrays.equals(signature, r.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(toBeSigned), Arrays.hashCode(signature));
    }

    @Override
    public String toString() {
        return "CumulativeReceipt[" + fields.sender() + "/" + fields.channel() + " " + fields.fromCounter() + ".."
                + fields.throughCounter() + " by " + fields.asserter() + "]";
    }
}
