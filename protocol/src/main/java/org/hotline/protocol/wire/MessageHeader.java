package org.hotline.protocol.wire;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The signed header of an end-to-end message (PROTOCOL.md §4.1). Everything a receiver needs to
 * place the message in order and to detect replay, gaps and reordering is here and is signed.
 *
 * @param exerciseId       the exercise the message belongs to (§2.1); {@link ExerciseId#NONE} only in a
 *                         version-1 header read from an old record
 * @param messageId        random 128-bit id, unique per message
 * @param sender           sending role
 * @param recipients       recipient roles, sorted and unique (canonical)
 * @param channel          channel the message belongs to
 * @param counter          per sender and channel, starting at 1, +1 per message
 * @param sentAt           sender's clock, millisecond precision
 * @param previousSent     hash of the sender's previous message in this channel, or {@link Hash32#ZERO}
 * @param lastReceived     hash of the last message the sender received in this channel, or zero
 * @param catalogVersion   version of the signal catalog the sender rendered with
 * @param inReplyTo        message this one answers, if any
 * @param answerBy         time by which the sender asks for an answer, if any
 */
public record MessageHeader(
        ExerciseId exerciseId,
        MessageId messageId,
        String sender,
        List<String> recipients,
        String channel,
        long counter,
        Instant sentAt,
        Hash32 previousSent,
        Hash32 lastReceived,
        String catalogVersion,
        Optional<MessageId> inReplyTo,
        Optional<Instant> answerBy) {

    public MessageHeader {
        Objects.requireNonNull(exerciseId, "exerciseId");
        Objects.requireNonNull(messageId, "messageId");
        Names.require(sender, "sender");
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty() || recipients.size() > WireLimits.MAX_RECIPIENTS) {
            throw new IllegalArgumentException("recipients: 1 to " + WireLimits.MAX_RECIPIENTS);
        }
        for (int i = 0; i < recipients.size(); i++) {
            Names.require(recipients.get(i), "recipient");
            if (i > 0 && recipients.get(i - 1).compareTo(recipients.get(i)) >= 0) {
                throw new IllegalArgumentException("recipients must be sorted and unique");
            }
        }
        Names.require(channel, "channel");
        if (counter < 1) {
            throw new IllegalArgumentException("counter starts at 1");
        }
        sentAt = Instant.ofEpochMilli(sentAt.toEpochMilli());
        Objects.requireNonNull(previousSent, "previousSent");
        Objects.requireNonNull(lastReceived, "lastReceived");
        Objects.requireNonNull(catalogVersion, "catalogVersion");
        Objects.requireNonNull(inReplyTo, "inReplyTo");
        answerBy = answerBy.map(t -> Instant.ofEpochMilli(t.toEpochMilli()));
    }

    /**
     * The version-{@value ProtocolVersion#CURRENT} encoding (§4.1).
     *
     * @throws IllegalStateException for a version-1 header (read from an old record): it has no
     *                               exercise id and is never re-encoded; its bytes are kept instead
     */
    public byte[] encode() {
        WireWriter w = new WireWriter(192);
        w.u8(ProtocolVersion.CURRENT);
        exerciseId.write(w);
        messageId.write(w);
        w.string(sender);
        w.u8(recipients.size());
        recipients.forEach(w::string);
        w.string(channel);
        w.u64(counter);
        w.u64(sentAt.toEpochMilli());
        previousSent.write(w);
        lastReceived.write(w);
        w.string(catalogVersion);
        w.flag(inReplyTo.isPresent());
        inReplyTo.ifPresent(id -> id.write(w));
        w.flag(answerBy.isPresent());
        answerBy.ifPresent(t -> w.u64(t.toEpochMilli()));
        return w.toByteArray();
    }

    /** Decodes a header of the current version; any other version is refused (§3.2, §8). */
    public static MessageHeader decode(byte[] bytes) throws FrameDecodeException {
        WireReader r = new WireReader(bytes);
        ProtocolVersion.check(r.u8("header.version"), "message header");
        ExerciseId exerciseId = ExerciseId.read(r, "header.exerciseId");
        return readAfterExercise(r, exerciseId);
    }

    /**
     * The fields after the exercise id, which version 1 and the current version share (§4.1, §8.1).
     * Version 1 had no exercise id: {@link LegacyV1Codec} calls this right after the version byte.
     */
    static MessageHeader readAfterExercise(WireReader r, ExerciseId exerciseId) throws FrameDecodeException {
        MessageId id = MessageId.read(r, "header.messageId");
        String sender = Names.read(r, "header.sender");
        int n = r.u8("header.recipients.count");
        if (n < 1 || n > WireLimits.MAX_RECIPIENTS) {
            throw WireReader.malformed("header.recipients", "count " + n + " not in 1.." + WireLimits.MAX_RECIPIENTS);
        }
        String[] recipients = new String[n];
        for (int i = 0; i < n; i++) {
            recipients[i] = Names.read(r, "header.recipients[" + i + "]");
            if (i > 0 && recipients[i - 1].compareTo(recipients[i]) >= 0) {
                throw WireReader.malformed("header.recipients", "not sorted and unique");
            }
        }
        String channel = Names.read(r, "header.channel");
        long counter = r.u64("header.counter");
        if (counter < 1) {
            throw WireReader.malformed("header.counter", "must be at least 1");
        }
        Instant sentAt = Instant.ofEpochMilli(r.u64("header.sentAt"));
        Hash32 prevSent = Hash32.read(r, "header.previousSent");
        Hash32 lastReceived = Hash32.read(r, "header.lastReceived");
        String catalogVersion = r.string(WireLimits.MAX_NAME_BYTES, "header.catalogVersion");
        Optional<MessageId> inReplyTo = r.flag("header.inReplyTo")
                ? Optional.of(MessageId.read(r, "header.inReplyTo")) : Optional.empty();
        Optional<Instant> answerBy = r.flag("header.answerBy")
                ? Optional.of(Instant.ofEpochMilli(r.u64("header.answerBy"))) : Optional.empty();
        r.expectEnd("message header");
        return new MessageHeader(exerciseId, id, sender, List.of(recipients), channel, counter, sentAt, prevSent,
                lastReceived, catalogVersion, inReplyTo, answerBy);
    }
}
