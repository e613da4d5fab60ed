package org.hotline.protocol.wire;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * The signed fields of a reading (PROTOCOL.md §4.2, Reading 0x08): who read which message, from
 * whom on which channel, the hash of the exact signed message they read (§4.5), when their client
 * stored it, when they recorded how they read it, how, and an optional note.
 * {@link #toBeSigned()} are the bytes the reader's signature covers.
 */
public record ReadingFields(ExerciseId exerciseId, String reader, MessageId messageId, String sender, String channel,
                            Hash32 subjectHash, Instant receivedAt, Instant readAt, ReadAs readAs, String note) {

    /** Bytes of a reading's note (UTF-8). */
    public static final int MAX_NOTE_BYTES = 1024;

    public ReadingFields {
        Objects.requireNonNull(exerciseId, "exerciseId");
        if (exerciseId.isNone()) {
            throw new IllegalArgumentException("a reading names its exercise");
        }
        Names.require(reader, "reader");
        Objects.requireNonNull(messageId, "messageId");
        Names.require(sender, "sender");
        Names.require(channel, "channel");
        Objects.requireNonNull(subjectHash, "subjectHash");
        receivedAt = Instant.ofEpochMilli(receivedAt.toEpochMilli());
        readAt = Instant.ofEpochMilli(readAt.toEpochMilli());
        Objects.requireNonNull(readAs, "readAs");
        Objects.requireNonNull(note, "note");
        if (note.getBytes(StandardCharsets.UTF_8).length > MAX_NOTE_BYTES) {
            throw new IllegalArgumentException("a reading's note is at most " + MAX_NOTE_BYTES + " bytes");
        }
        if (reader.equals(sender)) {
            throw new IllegalArgumentException("a reading is of someone else's message");
        }
    }

    /** Version byte and fields 2–11 of PROTOCOL.md §4.2 (Reading): everything the signature covers. */
    public byte[] toBeSigned() {
        WireWriter w = new WireWriter(200 + note.length() * 3);
        write(w);
        return w.toByteArray();
    }

    void write(WireWriter w) {
        w.u8(ProtocolVersion.CURRENT);
        exerciseId.write(w);
        w.string(reader);
        messageId.write(w);
        w.string(sender);
        w.string(channel);
        subjectHash.write(w);
        w.u64(receivedAt.toEpochMilli());
        w.u64(readAt.toEpochMilli());
        w.u8(readAs.code());
        w.string(note);
    }

    static ReadingFields read(WireReader r) throws FrameDecodeException {
        int version = r.u8("body.version");
        if (version != ProtocolVersion.CURRENT) {
            throw WireReader.malformed("body.version", "a reading of version " + version + " (only "
                    + ProtocolVersion.CURRENT + " exists)");
        }
        ExerciseId exercise = ExerciseId.read(r, "body.exerciseId");
        String reader = Names.read(r, "body.reader");
        MessageId id = MessageId.read(r, "body.messageId");
        String sender = Names.read(r, "body.sender");
        String channel = Names.read(r, "body.channel");
        Hash32 subject = Hash32.read(r, "body.subjectHash");
        Instant receivedAt = Instant.ofEpochMilli(r.u64("body.receivedAt"));
        Instant readAt = Instant.ofEpochMilli(r.u64("body.readAt"));
        int code = r.u8("body.readAs");
        ReadAs readAs = ReadAs.ofCode(code).orElseThrow(() -> WireReader.malformed("body.readAs",
                "unknown reading " + code));
        String note = r.string(MAX_NOTE_BYTES, "body.note");
        if (reader.equals(sender)) {
            throw WireReader.malformed("body.reader", "a reading of the reader's own message");
        }
        return new ReadingFields(exercise, reader, id, sender, channel, subject, receivedAt, readAt, readAs, note);
    }
}
