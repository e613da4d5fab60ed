package org.hotline.protocol.crypto;

import java.security.SecureRandom;
import org.hotline.protocol.crypto.internal.Ed25519;

/**
 * A role's Ed25519 identity signing key: signs messages, receipts, prekeys and audit checkpoints.
 * Never encrypts. The private half is opaque: no {@code toString}, {@code equals} or getter leaks it;
 * it leaves this object only through {@link #exportPrivateKeyForStorage()}.
 */
public final class IdentityKeyPair {

    private final SecretBytes privateKey;
    private final IdentityPublicKey publicKey;

    private IdentityKeyPair(SecretBytes privateKey, IdentityPublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    public static IdentityKeyPair generate(SecureRandom random) {
        byte[] sk = Ed25519.generatePrivateKey(random);
        return fromPrivateKey(sk);
    }

    /** Rebuilds a key pair from its 32-byte private key (as stored in the credential). */
    public static IdentityKeyPair fromPrivateKey(byte[] privateKey) {
        try {
            return new IdentityKeyPair(SecretBytes.copyOf(privateKey),
                    IdentityPublicKey.of(Ed25519.publicKeyOf(privateKey)));
        } catch (CryptoException e) {
            throw new IllegalStateException("derived Ed25519 public key invalid", e);
        }
    }

    public IdentityPublicKey publicKey() {
        return publicKey;
    }

    /**
     * Signs {@code context || parts}. Ed25519 is deterministic: same input, same signature. The
     * public key handed to the signer is the one derived from this private key at construction,
     * never one from outside (a mismatched public key would leak the private key).
     */
    public byte[] sign(SignatureContext context, byte[]... parts) {
        return Ed25519.sign(privateKey.reveal(), publicKey.encoded(), context.prefix(), parts);
    }

    /** The raw 32-byte private key, for the encrypted credential file only. */
    public byte[] exportPrivateKeyForStorage() {
        return privateKey.reveal();
    }

    @Override
    public String toString() {
        return "IdentityKeyPair[public " + publicKey + "]";
    }
}
