package org.hotline.protocol.tlog;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.crypto.IdentityKeyPair;
import org.hotline.protocol.crypto.IdentityPublicKey;

/**
 * A relay log checkpoint as a C2SP signed note (PROTOCOL.md §12.2): the checkpoint text, a blank
 * line, then signature lines {@code — <key name> <base64(key id || signature)>}. The relay signs
 * with its Ed25519 identity key under the key name equal to the origin. Keeps the exact bytes it
 * was parsed from; {@link #verify} checks the signature over the text as it was received.
 */
public final class SignedCheckpoint {

    /** Largest signed checkpoint accepted anywhere (frames, files, logs). */
    public static final int MAX_BYTES = org.hotline.protocol.wire.WireLimits.MAX_CHECKPOINT_BYTES;
    /** Signature lines accepted in one note (C2SP signed-note asks verifiers to accept at least 16). */
    static final int MAX_SIGNATURES = 16;
    /** C2SP signed-note signature type of Ed25519. */
    private static final byte ED25519_TYPE = 0x01;
    private static final String DASH = "\u2014 ";

    /** One signature line: key name, 4-byte key id, signature bytes. */
    public record NoteSignature(String keyName, int keyId, byte[] signature) {
        public NoteSignature {
            signature = signature.clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof NoteSignature s && keyName.equals(s.keyName) && keyId == s.keyId
                    && Arrays.equals(signature, s.signature);
        }

        @Override
        public int hashCode() {
            return Objects.hash(keyName, keyId, Arrays.hashCode(signature));
        }
    }

    private final Checkpoint checkpoint;
    private final byte[] text;
    private final List<NoteSignature> signatures;
    private final byte[] encoded;

    private SignedCheckpoint(Checkpoint checkpoint, byte[] text, List<NoteSignature> signatures, byte[] encoded) {
        this.checkpoint = checkpoint;
        this.text = text;
        this.signatures = List.copyOf(signatures);
        this.encoded = encoded;
    }

    /** Signs {@code checkpoint} with the relay's identity key; the key name is the origin. */
    public static SignedCheckpoint sign(Checkpoint checkpoint, IdentityKeyPair key) {
        byte[] text = checkpoint.text();
        byte[] sig = key.signNote(text);
        int keyId = keyId(checkpoint.origin(), key.publicKey());
        byte[] idAndSig = ByteBuffer.allocate(4 + sig.length).putInt(keyId).put(sig).array();
        String line = DASH + checkpoint.origin() + " " + Base64.getEncoder().encodeToString(idAndSig) + "\n";
        byte[] lineBytes = line.getBytes(StandardCharsets.UTF_8);
        byte[] encoded = new byte[text.length + 1 + lineBytes.length];
        System.arraycopy(text, 0, encoded, 0, text.length);
        encoded[text.length] = '\n';
        System.arraycopy(lineBytes, 0, encoded, text.length + 1, lineBytes.length);
        return new SignedCheckpoint(checkpoint, text, List.of(new NoteSignature(checkpoint.origin(), keyId, sig)), encoded);
    }

    /**
     * C2SP key id: the first four bytes, big-endian, of
     * SHA-256(key name || 0x0A || 0x01 || 32-byte Ed25519 public key).
     */
    public static int keyId(String keyName, IdentityPublicKey key) {
        byte[] h = Hashes.sha256(keyName.getBytes(StandardCharsets.UTF_8), new byte[] {0x0A, ED25519_TYPE}, key.encoded());
        return ByteBuffer.wrap(h, 0, 4).getInt();
    }

    /**
     * Parses a signed checkpoint: valid UTF-8 without control characters other than newline, at
     * most {@link #MAX_BYTES}; the text (three lines, {@link Checkpoint}); one blank line; 1 to 16
     * signature lines, each an em dash, a space, a key name without spaces or '+', a space and
     * canonical base64 of at least 5 bytes, ending in a newline. Signatures are not checked here.
     *
     * @throws CheckpointException naming the first rule the bytes break
     */
    public static SignedCheckpoint parse(byte[] encoded) throws CheckpointException {
        if (encoded.length > MAX_BYTES) {
            throw new CheckpointException("checkpoint is longer than " + MAX_BYTES + " bytes");
        }
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(encoded)).toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointException("checkpoint is not valid UTF-8");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\n') || c == 0x7f) {
                throw new CheckpointException("checkpoint contains a control character");
            }
        }
        int split = s.lastIndexOf("\n\n");
        if (split < 0 || !s.endsWith("\n")) {
            throw new CheckpointException("checkpoint has no blank line before its signatures");
        }
        String textPart = s.substring(0, split + 1);
        Checkpoint checkpoint = Checkpoint.parseText(textPart);
        String[] lines = s.substring(split + 2, s.length() - 1).split("\n", -1);
        if (lines.length < 1 || lines.length > MAX_SIGNATURES) {
            throw new CheckpointException("checkpoint has " + lines.length + " signature lines, expected 1.." + MAX_SIGNATURES);
        }
        List<NoteSignature> sigs = new ArrayList<>();
        for (String line : lines) {
            if (!line.startsWith(DASH)) {
                throw new CheckpointException("checkpoint signature line does not start with an em dash and a space");
            }
            String[] parts = line.substring(DASH.length()).split(" ", -1);
            if (parts.length != 2 || parts[0].isEmpty() || parts[0].contains("+")) {
                throw new CheckpointException("checkpoint signature line is not '— <key name> <base64>'");
            }
            byte[] raw = Checkpoint.decodeCanonical(parts[1], -1, "signature");
            if (raw.length < 5) {
                throw new CheckpointException("checkpoint signature is shorter than a key id and a signature");
            }
            sigs.add(new NoteSignature(parts[0], ByteBuffer.wrap(raw, 0, 4).getInt(), Arrays.copyOfRange(raw, 4, raw.length)));
        }
        return new SignedCheckpoint(checkpoint, textPart.getBytes(StandardCharsets.UTF_8), sigs, encoded.clone());
    }

    /**
     * True if the origin is {@code expectedOrigin} (the log of this exercise's relay,
     * {@link Checkpoint#originOf}), the note carries a signature line for that key name with the
     * key id of {@code key}, and every such line verifies over the text. Lines of other keys are
     * ignored, as C2SP signed-note requires.
     */
    public boolean verify(String expectedOrigin, IdentityPublicKey key) {
        String name = checkpoint.origin();
        if (!name.equals(expectedOrigin)) {
            return false;
        }
        int id = keyId(name, key);
        boolean found = false;
        for (NoteSignature sig : signatures) {
            if (sig.keyName().equals(name) && sig.keyId() == id) {
                if (!key.verifyNote(sig.signature(), text)) {
                    return false;
                }
                found = true;
            }
        }
        return found;
    }

    public Checkpoint checkpoint() {
        return checkpoint;
    }

    public long treeSize() {
        return checkpoint.treeSize();
    }

    public List<NoteSignature> signatures() {
        return signatures;
    }

    /** The note text the signatures cover. */
    public byte[] text() {
        return text.clone();
    }

    /** The bytes as signed or parsed. */
    public byte[] encode() {
        return encoded.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedCheckpoint c && Arrays.equals(encoded, c.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "SignedCheckpoint[" + checkpoint.origin() + " size " + checkpoint.treeSize() + " root "
                + checkpoint.root().hex().substring(0, 16) + "]";
    }
}
