package org.hotline.protocol.wire;

import java.util.Arrays;

/**
 * One recipient's copy of a message: the HPKE encapsulation and ciphertext of the signed message,
 * sealed to the recipient's prekey {@code prekeyId} (PROTOCOL.md §5).
 */
public record SealedBox(String recipient, int prekeyId, byte[] encapsulation, byte[] ciphertext) {

    public static final int MAX_ENCAPSULATION_BYTES = 4096;

    public SealedBox {
        Names.require(recipient, "recipient");
        encapsulation = encapsulation.clone();
        ciphertext = ciphertext.clone();
    }

    @Override
    public byte[] encapsulation() {
        return encapsulation.clone();
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    /** Size on the wire, for queue accounting. */
    public int size() {
        return encapsulation.length + ciphertext.length;
    }

    void write(WireWriter w) {
        w.string(recipient).u32(prekeyId).bytes16(encapsulation).bytes32(ciphertext);
    }

    static SealedBox read(WireReader r, String field) throws FrameDecodeException {
        String recipient = Names.read(r, field + ".recipient");
        int prekeyId = r.u32(field + ".prekeyId");
        byte[] enc = r.bytes16(field + ".encapsulation");
        if (enc.length > MAX_ENCAPSULATION_BYTES) {
            throw WireReader.malformed(field + ".encapsulation", "too long");
        }
        byte[] ct = r.bytes32(WireLimits.MAX_SEALED_BYTES, field + ".ciphertext");
        return new SealedBox(recipient, prekeyId, enc, ct);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SealedBox b && recipient.equals(b.recipient) && prekeyId == b.prekeyId
                && Arrays.equals(encapsulation, b.encapsulation) && Arrays.equals(ciphertext, b.ciphertext);
    }

    @Override
    public int hashCode() {
        return recipient.hashCode() * 31 + Arrays.hashCode(ciphertext);
    }

    @Override
    public String toString() {
        return "SealedBox[" + recipient + ", prekey " + prekeyId + ", " + ciphertext.length + " bytes]";
    }
}
