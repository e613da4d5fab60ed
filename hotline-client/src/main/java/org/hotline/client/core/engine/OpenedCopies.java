package org.hotline.client.core.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.SealedBox;

/**
 * What the inbox's accepted copies opened to, so that a later copy with the same bytes (the other
 * relay's, PROTOCOL.md §13 rule 5) is recognised without opening it again. Opening is a
 * deterministic function of exactly the bytes fingerprinted here (the envelope's message id, sender
 * and channel, and the whole box: recipient, prekey id, encapsulation, ciphertext) and the prekey:
 * two copies with the same fingerprint open, under a prekey still held, to the same signed message,
 * with the same message hash. So a copy whose fingerprint and recorded message hash match the stored
 * (or pending) message is "the same message" in the sense of rule 8, proven by what its first
 * opening showed. {@code acceptedAt} is not fingerprinted: each relay sets its own, and it is not
 * an input to opening. A copy whose bytes differ in any way is opened and judged as before (so an
 * altered copy, or one that equivocates, is caught where it always was).
 *
 * <p>Kept in memory only, for the most recent {@link #CAPACITY} messages: a copy of an older or
 * forgotten message (after a restart) is opened again, which is slower, never weaker. Engine
 * thread only.
 */
final class OpenedCopies {

    /** Messages remembered; a later copy of an older one is opened again. */
    static final int CAPACITY = 16_384;

    /** Keeps this in-memory fingerprint apart from every hash of the protocol. */
    private static final byte[] CONTEXT = "hotline client opened copy\0".getBytes(StandardCharsets.US_ASCII);

    /** A copy's fingerprint and the hash of the signed message it opened to. */
    private record Opened(Hash32 fingerprint, Hash32 messageHash) {
    }

    private long recognised;

    private final Map<MessageId, Opened> byId = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<MessageId, Opened> eldest) {
            return size() > CAPACITY;
        }
    };

    /** {@code d} was opened and verified to a message with hash {@code messageHash}, and accepted for storing. */
    void opened(Frame.Deliver d, Hash32 messageHash) {
        byId.put(d.messageId(), new Opened(fingerprint(d), messageHash));
    }

    /**
     * Whether {@code d} has the bytes of a copy that opened to a message with hash
     * {@code messageHash} (the stored or pending message under its id). Empty-handed means "not
     * known": open it.
     */
    boolean sameBytesAs(Frame.Deliver d, Hash32 messageHash) {
        Opened o = byId.get(d.messageId());
        boolean same = o != null && o.messageHash().equals(messageHash) && o.fingerprint().equals(fingerprint(d));
        if (same) {
            recognised++;
        }
        return same;
    }

    /** How many copies were recognised without opening so far (tests; a figure for profiles). */
    long recognised() {
        return recognised;
    }

    /** SHA-256 over every input of opening {@code d} except the prekey, each length-prefixed. */
    static Hash32 fingerprint(Frame.Deliver d) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        SealedBox box = d.box();
        md.update(CONTEXT);
        md.update(d.messageId().bytes());
        field(md, d.sender().getBytes(StandardCharsets.UTF_8));
        field(md, d.channel().getBytes(StandardCharsets.UTF_8));
        field(md, box.recipient().getBytes(StandardCharsets.UTF_8));
        md.update(ByteBuffer.allocate(4).putInt(box.prekeyId()).array());
        field(md, box.encapsulation());
        field(md, box.ciphertext());
        return Hash32.of(md.digest());
    }

    private static void field(MessageDigest md, byte[] bytes) {
        md.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        md.update(bytes);
    }

    /** How many messages are remembered (tests). */
    int size() {
        return byId.size();
    }

}
