package org.hotline.protocol.crypto;

import java.security.SecureRandom;
import org.hotline.protocol.crypto.internal.Ed25519;

/**
 * A role's Ed25519 identity signing key: signs messages, receipts, prekeys and audit checkpoints.
 * Never encrypts. The private half is opaque: no {@code toString}, {@code equals} or getter leaks it;
 * it leaves this object only through {@link #exportPrivateKeyForStorage()}.
 */
public final class IdentityKeyPair {

    private final Ed25519.SigningKey signingKey;
    private final IdentityPublicKey publicKey;

    private IdentityKeyPair(Ed25519.SigningKey signingKey, IdentityPublicKey publicKey) {
        this.signingKey = signingKey;
        this.publicKey = publicKey;
    }

    public static IdentityKeyPair generate(SecureRandom random) {
        byte[] sk = Ed25519.generatePrivateKey(random);
        return fromPrivateKey(sk);
    }

    /** Rebuilds a key pair from its 32-byte private key (as stored in the credential). */
    public static IdentityKeyPair fromPrivateKey(byte[] privateKey) {
        Ed25519.SigningKey key = Ed25519.SigningKey.of(privateKey);
        try {
            return new IdentityKeyPair(key, IdentityPublicKey.of(key.publicKey()));
        } catch (CryptoException e) {
            throw new IllegalStateException("derived Ed25519 public key invalid", e);
        }
    }

    public IdentityPublicKey publicKey() {
        return publicKey;
    }

    /**
     * Signs {@code context || parts}. Ed25519 is deterministic: same input, same signature.
     *
     * @throws IllegalArgumentException for a verify-only (version-1) context
     */
    public byte[] sign(SignatureContext context, byte[]... parts) {
        if (!context.signable()) {
            throw new IllegalArgumentException(context.label() + " is a version-1 context: verify only");
        }
        return signingKey.sign(context.prefix(), parts);
    }

    /**
     * Signs a C2SP signed note's text (the relay's log checkpoints, PROTOCOL.md §12.2). The note
     * format fixes the signed bytes as the note text itself, so no context prefix is added here;
     * domain separation holds because every note this project signs starts with its origin line
     * {@code relay/<exercise id>}, while every other signed input starts with a {@code hotline/}
     * context label (§4.4), and a note text never contains the 0x00 that ends those labels.
     *
     * @throws IllegalArgumentException if the text could be mistaken for another signed input:
     *     it starts with {@code hotline/} or contains a 0x00 byte
     */
    public byte[] signNote(byte[] noteText) {
        if (startsWith(noteText, NOTE_FORBIDDEN_PREFIX)) {
            throw new IllegalArgumentException("a note text must not start with a context label");
        }
        for (byte b : noteText) {
            if (b == 0) {
                throw new IllegalArgumentException("a note text never contains 0x00");
            }
        }
        return signingKey.sign(new byte[0], noteText);
    }

    private static final byte[] NOTE_FORBIDDEN_PREFIX = "hotline/".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static boolean startsWith(byte[] data, byte[] prefix) {
        if (data.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The raw 32-byte private key, for the encrypted credential file only. */
    public byte[] exportPrivateKeyForStorage() {
        return signingKey.privateKey();
    }

    @Override
    public String toString() {
        return "IdentityKeyPair[public " + publicKey + "]";
    }
}
