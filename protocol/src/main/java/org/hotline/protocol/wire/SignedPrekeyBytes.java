package org.hotline.protocol.wire;

import java.time.Instant;
import java.util.Arrays;

/**
 * A role's medium-term encryption key as published, signed by the role's identity key
 * (PROTOCOL.md §5.2), for one exercise. Parsed from untrusted bytes; signature verification is in
 * {@code crypto.VerifiedPrekey}. {@link #toBeSigned()} are the exact signed bytes.
 */
public final class SignedPrekeyBytes {

    public static final int MAX_PUBLIC_KEY_BYTES = 2048;

    private final ExerciseId exerciseId;
    private final String role;
    private final int prekeyId;
    private final Instant createdAt;
    private final Instant expiresAt;
    private final byte[] publicKey;
    private final byte[] toBeSigned;
    private final byte[] signature;

    private SignedPrekeyBytes(ExerciseId exerciseId, String role, int prekeyId, Instant createdAt, Instant expiresAt,
                              byte[] publicKey, byte[] toBeSigned, byte[] signature) {
        this.exerciseId = exerciseId;
        this.role = role;
        this.prekeyId = prekeyId;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
        this.publicKey = publicKey;
        this.toBeSigned = toBeSigned;
        this.signature = signature;
    }

    /** Fields 1 to 7 of §5.2: what the signature covers. */
    public static byte[] toBeSigned(ExerciseId exerciseId, String role, int prekeyId, Instant createdAt,
                                    Instant expiresAt, byte[] publicKey) {
        WireWriter w = new WireWriter(publicKey.length + 96).u8(ProtocolVersion.CURRENT);
        exerciseId.write(w);
        return w.string(Names.require(role, "role")).u32(prekeyId).u64(createdAt.toEpochMilli())
                .u64(expiresAt.toEpochMilli()).bytes16(publicKey).toByteArray();
    }

    public static SignedPrekeyBytes of(ExerciseId exerciseId, String role, int prekeyId, Instant createdAt,
                                       Instant expiresAt, byte[] publicKey, byte[] signature) {
        Instant c = Instant.ofEpochMilli(createdAt.toEpochMilli());
        Instant e = Instant.ofEpochMilli(expiresAt.toEpochMilli());
        return new SignedPrekeyBytes(exerciseId, role, prekeyId, c, e, publicKey.clone(),
                toBeSigned(exerciseId, role, prekeyId, c, e, publicKey), signature.clone());
    }

    public static SignedPrekeyBytes decode(byte[] bytes) throws FrameDecodeException {
        WireReader r = new WireReader(bytes);
        ProtocolVersion.check(r.u8("prekey.version"), "signed prekey");
        ExerciseId exerciseId = ExerciseId.read(r, "prekey.exerciseId");
        String role = Names.read(r, "prekey.role");
        int id = r.u32("prekey.id");
        Instant created = Instant.ofEpochMilli(r.u64("prekey.createdAt"));
        Instant expires = Instant.ofEpochMilli(r.u64("prekey.expiresAt"));
        byte[] pk = r.bytes16("prekey.publicKey");
        if (pk.length > MAX_PUBLIC_KEY_BYTES) {
            throw WireReader.malformed("prekey.publicKey", "too long");
        }
        int signedLength = r.position();
        byte[] sig = r.fixed(SignedMessage.SIGNATURE_LENGTH, "prekey.signature");
        r.expectEnd("signed prekey");
        return new SignedPrekeyBytes(exerciseId, role, id, created, expires, pk, Arrays.copyOf(bytes, signedLength),
                sig);
    }

    public byte[] encode() {
        return new WireWriter(toBeSigned.length + 64).fixed(toBeSigned).fixed(signature).toByteArray();
    }

    /** The exercise this prekey was published for. */
    public ExerciseId exerciseId() {
        return exerciseId;
    }

    public String role() {
        return role;
    }

    public int prekeyId() {
        return prekeyId;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public byte[] publicKey() {
        return publicKey.clone();
    }

    public byte[] toBeSigned() {
        return toBeSigned.clone();
    }

    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedPrekeyBytes p && Arrays.equals(toBeSigned, p.toBeSigned)
                && Arrays.equals(signature, p.signature);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBeSigned);
    }

    @Override
    public String toString() {
        return "SignedPrekey[" + role + " #" + prekeyId + " until " + expiresAt + "]";
    }
}
